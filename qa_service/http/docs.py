"""`/docs`: the interactive API reference (Swagger UI), offline and under the page's strict
Content-Security-Policy.

FastAPI's own `/docs` loads Swagger UI from a CDN with an inline script, so with no internet (or
under the policy) it is blank. Here the assets come from the PyPI package `fastapi-offline`
(a pinned dependency that ships Swagger UI's bundle and stylesheet), served at `/docs/assets/`,
and the page starts Swagger UI from `/static/docs.js`: no inline script, nothing from elsewhere.
Swagger UI's validator badge (which calls an outside service) is turned off in that script.
"""

from __future__ import annotations

import html
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

SWAGGER_ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"
ASSETS_URL = "/docs/assets"


def docs_page(title: str, openapi_url: str) -> str:
    """The HTML of the `/docs` page, which starts Swagger UI on `openapi_url` from local assets."""
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(title)} – API reference</title>
  <link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">
  <script src="{ASSETS_URL}/swagger-ui-bundle.js" defer></script>
  <script src="/static/docs.js" defer></script>
</head>
<body>
  <main id="swagger-ui" data-openapi-url="{html.escape(openapi_url, quote=True)}"></main>
</body>
</html>
"""


def install_docs(app: FastAPI) -> None:
    """Serve `/docs` and its assets; the app must be made with `docs_url=None, redoc_url=None`."""
    page = docs_page(app.title, app.openapi_url or "/openapi.json")

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(page, headers={"Cache-Control": "no-cache"})

    app.mount(ASSETS_URL, StaticFiles(directory=SWAGGER_ASSETS), name="docs-assets")
