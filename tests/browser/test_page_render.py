"""The page's server side without a browser: values from settings are escaped into the HTML, phone
numbers become safe `tel:` links, and the security headers are on the page and its files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import prompts
from qa_service.http.app import create_app
from qa_service.http.web import CONTENT_SECURITY_POLICY, render_page, tel_href
from qa_service.settings import Settings


def settings(**overrides: str) -> Settings:
    return Settings(_env_file=None, index_dir=Path("no-index"), **overrides)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("number", "href"),
    [
        ("911", "tel:911"),
        ("1-800-222-1222", "tel:18002221222"),
        ("+44 20 7946 0000", "tel:+442079460000"),
        ('112"><script>x()</script>', "tel:112"),
        ("call us", ""),
    ],
)
def test_tel_href_keeps_only_dialable_characters(number: str, href: str) -> None:
    assert tel_href(number) == href


def test_page_escapes_every_value_from_settings() -> None:
    html = render_page(settings(emergency_number='112 <script>alert("x")</script>', crisis_line="988"))
    assert "<script>alert" not in html
    assert "112 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert 'href="tel:112"' in html
    assert "{{" not in html and "}}" not in html
    assert prompts.disclaimer() in html
    assert len(re.findall(r"<script\b", html)) == 1  # only the page's own /static/app.js


def test_security_headers_on_the_page_files_and_api() -> None:
    # TestClient runs the app in its own thread: Playwright's sync API keeps an event loop in this one
    client = TestClient(create_app(settings=settings()))  # no lifespan: no model or index needed
    for path in ("/", "/static/app.js", "/static/app.css", "/healthz"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    # the API reference too: Swagger UI from this service's own files, started by a script file
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert docs.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert '<script src="/docs/assets/swagger-ui-bundle.js"' in docs.text and "cdn" not in docs.text
    assert not re.search(r"<script(?![^>]*\bsrc=)", docs.text)
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/docs/assets/swagger-ui.css").status_code == 200


def test_head_of_the_page_is_answered_like_get() -> None:
    client = TestClient(create_app(settings=settings()))
    head = client.head("/")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"].startswith("text/html")
    assert head.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_the_form_posted_without_javascript_comes_back_to_the_page() -> None:
    """Without JavaScript the browser posts the form itself: it lands on the page again, whose
    <noscript> note says why, instead of a JSON error."""
    client = TestClient(create_app(settings=settings()))
    posted = client.post("/", data={"question": "What is IMNM?"}, follow_redirects=False)
    assert posted.status_code == 303 and posted.headers["location"] == "/"
    page = client.post("/", data={"question": "What is IMNM?"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "This chat needs JavaScript turned on in your browser." in page.text
