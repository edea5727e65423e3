"""The web chat for patients: `/` serves the page, `/static/...` its script, styles and icon.

The page is one HTML file with no inline script or style, so the Content-Security-Policy can forbid
both; it talks only to this service's own `/v1/ask/stream`, `/v1/documents/{id}` and
`/v1/feedback`. The few values that come from the server (the disclaimer, the emergency and
help-line numbers, the messages for when the service cannot be reached, whether a rating keeps the
question) are written into the HTML here, HTML-escaped.

Privacy: the page keeps the conversation in memory only (no cookies, Web Storage, IndexedDB or
service worker), and the service does not log questions or answers (nor keep them with ratings)
unless the operator sets WISDOM_LOG_QUESTIONS.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import prompts
from qa_service.settings import Settings

STATIC_DIR = Path(__file__).resolve().parent / "static"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def tel_href(number: str) -> str:
    """`tel:` link target for a configured number: digits, + * # only ("" if nothing is left)."""
    digits = re.sub(r"[^0-9+*#]", "", number)
    return f"tel:{digits}" if digits else ""


class SecurityHeaders:
    """Pure ASGI middleware (streams pass through untouched) adding SECURITY_HEADERS."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", "")) if scope["type"] == "http" else ""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if path.startswith("/static/"):
                    headers["Cache-Control"] = "no-cache"  # revalidate, so an upgrade shows at once
            await send(message)

        await self.app(scope, receive, send_with_headers)


@cache
def _template() -> str:
    return (STATIC_DIR / "index.html").read_text(encoding="utf-8")


def render_page(settings: Settings) -> str:
    """index.html with its {{placeholders}} filled in, every value HTML-escaped."""
    values = {
        "disclaimer": prompts.disclaimer(),
        "emergency_number": settings.emergency_number,
        "emergency_tel": tel_href(settings.emergency_number),
        "crisis_line": settings.crisis_line,
        "crisis_tel": tel_href(settings.crisis_line),
        "poison_line": settings.poison_line,
        "poison_tel": tel_href(settings.poison_line),
        "unavailable": prompts.message("web.unavailable", emergency_number=settings.emergency_number),
        "interrupted": prompts.message("web.interrupted"),
        "keeps_questions": "true" if settings.log_questions else "false",
        "feedback_privacy": prompts.message(
            "web.feedback_keeps_question" if settings.log_questions else "web.feedback_privacy"
        ),
    }

    def fill(match: re.Match[str]) -> str:
        return html.escape(values[match.group(1)], quote=True)

    return re.sub(r"\{\{(\w+)\}\}", fill, _template())


def mount_web(app: FastAPI, settings: Settings) -> None:
    """Serve the chat at `/` and its files at `/static`, and add the security headers."""

    @app.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse, include_in_schema=False)
    def page() -> HTMLResponse:
        return HTMLResponse(render_page(settings), headers={"Cache-Control": "no-cache"})

    @app.post("/", include_in_schema=False)
    def form_without_javascript() -> RedirectResponse:
        """The form posts here only when JavaScript is off: back to the page, which then says the
        chat needs JavaScript (a JSON 405 would be all the patient saw). The body is not read."""
        return RedirectResponse("/", status_code=303)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(SecurityHeaders)
