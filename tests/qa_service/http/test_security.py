"""Admin token, rate limiting, CORS and what reaches the logs, each on a real server of its own
(over the shared pipeline, so no extra model or index is loaded)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from qa_service.http.app import create_app
from qa_service.http.security import TokenBuckets
from qa_service.observability import JsonFormatter, request_id
from qa_service.pipeline import Pipeline
from tests.qa_service.conftest import assert_disclaimer, assert_error, make_settings, serve

TOKEN = "correct-horse-battery-staple-0123"


@pytest.fixture
def server(shared_pipeline: Pipeline, qa_index: Path) -> Iterator[Any]:
    """`server(**settings)` → a client for a real server with those settings."""
    with ExitStack() as stack:

        def start(**overrides: Any) -> httpx.Client:
            app = create_app(pipeline=shared_pipeline, settings=make_settings(qa_index, **overrides))
            url = stack.enter_context(serve(app))
            return stack.enter_context(httpx.Client(base_url=url, timeout=60))

        yield start


# --- admin endpoints --------------------------------------------------------------------------


def test_admin_endpoints_are_off_without_a_configured_token(server: Any) -> None:
    client = server()
    for method, path in [
        ("POST", "/v1/admin/reload"),
        ("POST", "/v1/admin/ingest"),
        ("GET", "/v1/admin/jobs/x"),
    ]:
        response = client.request(method, path, headers={"Authorization": f"Bearer {TOKEN}"})
        body = assert_error(response, 403, "admin_disabled")
        assert "WISDOM_ADMIN_TOKEN" in body["message"]


def test_admin_reload_without_with_a_wrong_and_with_the_right_token(
    server: Any, shared_pipeline: Pipeline
) -> None:
    client = server(admin_token=TOKEN)

    missing = client.post("/v1/admin/reload")
    body = assert_error(missing, 401, "unauthorized")
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    assert "Authorization: Bearer" in body["message"]

    for wrong in [TOKEN[:-1], TOKEN + "4", "x", TOKEN.upper()]:
        assert_error(client.post("/v1/admin/reload", headers={"Authorization": f"Bearer {wrong}"}), 403)
    assert_error(client.post("/v1/admin/reload", headers={"Authorization": f"Basic {TOKEN}"}), 401)

    ok = client.post("/v1/admin/reload", headers={"Authorization": f"bearer {TOKEN}"})
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert body["status"] == "unchanged"
    assert body["index_version"] == shared_pipeline.index.version_id
    assert body["problem"] is None
    assert_disclaimer(body)


def test_unknown_job_is_a_clear_404(server: Any) -> None:
    client = server(admin_token=TOKEN)
    response = client.get("/v1/admin/jobs/nope", headers={"Authorization": f"Bearer {TOKEN}"})
    body = assert_error(response, 404, "not_found")
    assert "Job 'nope'" in body["message"]


# --- rate limiting ----------------------------------------------------------------------------


def test_token_bucket_allows_a_burst_then_paces() -> None:
    now = [100.0]
    buckets = TokenBuckets(per_minute=60, burst=3, clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == pytest.approx(1.0)  # one token a second
    assert buckets.take("b") == 0.0  # clients are counted apart
    now[0] += 0.5
    assert buckets.take("a") == pytest.approx(0.5)
    now[0] += 0.5
    assert buckets.take("a") == 0.0


def test_token_bucket_forgets_the_oldest_clients_past_its_bound() -> None:
    buckets = TokenBuckets(per_minute=1, burst=1, max_clients=2, clock=lambda: 0.0)
    assert buckets.take("a") == 0.0 and buckets.take("a") > 0
    buckets.take("b")
    buckets.take("c")  # "a" is forgotten and starts again with a full bucket
    assert buckets.take("a") == 0.0


def test_over_the_rate_a_client_gets_429_with_retry_after(server: Any) -> None:
    client = server(rate_limit_per_minute=6, rate_limit_burst=3)
    statuses = [client.get("/v1/index").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    limited = client.post("/v1/ask", json={"question": "What is IVIG?"})
    body = assert_error(limited, 429, "rate_limited")
    assert 1 <= int(limited.headers["Retry-After"]) <= 10
    assert f"wait {limited.headers['Retry-After']} seconds" in body["message"]
    # Health checks and the page are not limited.
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


# --- CORS -------------------------------------------------------------------------------------


def _preflight(client: httpx.Client, origin: str) -> httpx.Response:
    return client.options(
        "/v1/ask",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )


def test_cors_is_closed_by_default(server: Any) -> None:
    client = server()
    assert "access-control-allow-origin" not in _preflight(client, "https://evil.example").headers
    response = client.get("/v1/index", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_allows_only_the_listed_origins(server: Any) -> None:
    client = server(cors_allow_origins=["https://clinic.example"])
    allowed = _preflight(client, "https://clinic.example")
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://clinic.example"
    refused = _preflight(client, "https://evil.example")
    assert "access-control-allow-origin" not in refused.headers


# --- logs -------------------------------------------------------------------------------------

QUESTION = "What are the side effects of IVIG for zebra-marker-4471?"


def _log_text(caplog: pytest.LogCaptureFixture) -> str:
    """Everything the records hold: messages and every extra field, formatted as JSON lines."""
    formatter = JsonFormatter()
    return "\n".join(formatter.format(r) for r in caplog.records)


def test_questions_are_not_logged_by_default(server: Any, caplog: pytest.LogCaptureFixture) -> None:
    client = server()
    caplog.set_level(logging.DEBUG)
    response = client.post("/v1/ask", json={"question": QUESTION}, headers={"X-Request-ID": "req-abc-123"})
    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == "req-abc-123"
    text = _log_text(caplog)
    assert '"route": "/v1/ask"' in text  # the request was logged...
    assert "zebra-marker" not in text and "IVIG" not in text  # ...without its question


def test_an_operator_can_opt_in_to_logging_questions(server: Any, caplog: pytest.LogCaptureFixture) -> None:
    client = server(log_questions=True)
    caplog.set_level(logging.INFO)
    assert client.post("/v1/ask", json={"question": QUESTION}).status_code == 200
    records = [r for r in caplog.records if r.getMessage() == "question"]
    assert [getattr(r, "question", None) for r in records] == [QUESTION]


def test_json_log_lines_carry_the_request_id() -> None:
    record = logging.LogRecord("wisdom.api", logging.INFO, __file__, 1, "request", None, None)
    record.route = "/v1/ask"
    token = request_id.set("rid-42")
    try:
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["request_id"] == "rid-42"
    assert line["message"] == "request" and line["route"] == "/v1/ask" and line["level"] == "info"


def test_hostile_request_id_is_cleaned(server: Any) -> None:
    client = server()
    response = client.get("/healthz", headers={"X-Request-ID": "abc <script>;" + "x" * 100})
    rid = response.headers["X-Request-ID"]
    assert rid.startswith("abcscript") and len(rid) == 64


# --- metrics ----------------------------------------------------------------------------------


def test_metrics_count_requests_and_answers_by_kind(server: Any, shared_pipeline: Pipeline) -> None:
    client = server()
    assert (
        client.post("/v1/ask", json={"question": "What are the side effects of IVIG?"}).json()["kind"]
        == "answer"
    )
    urgent = client.post("/v1/ask", json={"question": "I have crushing chest pain and I can't breathe"})
    assert urgent.json()["kind"] == "urgent"
    client.get("/v1/documents/no-such-page")
    text = client.get("/metrics").text
    assert 'wisdom_answers_total{endpoint="ask",kind="answer"} 1.0' in text
    assert 'wisdom_answers_total{endpoint="ask",kind="urgent"} 1.0' in text
    assert 'wisdom_http_requests_total{method="POST",route="/v1/ask",status="200"} 2.0' in text
    assert 'wisdom_http_requests_total{method="GET",route="/v1/documents/{doc_id}",status="404"} 1.0' in text
    assert 'wisdom_http_request_duration_seconds_count{route="/v1/ask"} 2.0' in text
    assert f'wisdom_index_info{{version="{shared_pipeline.index.version_id}"}} 1.0' in text
    assert "wisdom_ready 1.0" in text
    assert "IVIG" not in text and "chest" not in text  # no question text in labels
