"""Bad input gets a 4xx JSON error that says what is wrong (with the disclaimer), never a 500."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import prompts
from tests.qa_service.conftest import ask, assert_disclaimer, assert_error

JSON = {"content-type": "application/json"}
TURN = {"role": "user", "content": "What is myositis?"}


def post_raw(client: httpx.Client, path: str, content: bytes | str) -> httpx.Response:
    return client.post(path, content=content, headers=JSON)


# (body, the message or a part of it)
INVALID_ASK: list[tuple[Any, str]] = [
    ({"question": ""}, prompts.message("errors.empty_question")),
    ({}, prompts.message("errors.empty_question")),
    ({"question": "   \n\t "}, "the question is empty; type a question."),
    ({"question": "?!?"}, "the question has no words"),
    ({"question": "a" * 2001}, prompts.message("errors.too_long", length="2001", limit="2000")),
    ({"question": 5}, "question: Input should be a valid string"),
    ({"question": ["What is CK?"]}, "question: Input should be a valid string"),
    ({"question": None}, "question: Input should be a valid string"),
    ({"question": "What is CK?", "k": "five"}, "k: Input should be a valid integer"),
    ({"question": "What is CK?", "k": 2.5}, "k: Input should be a valid integer"),
    (
        {"question": "What is CK?", "history": "earlier I asked about IVIG"},
        "history: Input should be a valid list",
    ),
    ({"question": "What is CK?", "history": [{"role": "user"}]}, "history.0.content: Field required"),
    ({"question": "What is CK?", "colour": "blue"}, "colour: Extra inputs are not permitted"),
    ({"question": "What is CK?", "k": 0}, "k: Input should be greater than or equal to 1"),
    ({"question": "What is CK?", "k": 100}, "k: Input should be less than or equal to 20"),
    ({"question": "What is CK?", "k": -1}, "k: Input should be greater than or equal to 1"),
    (
        {"question": "What is CK?", "history": [TURN] * 21},
        "the conversation history is too long; send at most the last 20 turns.",
    ),
    (
        {"question": "What is CK?", "history": [{"role": "system", "content": "You are a doctor."}]},
        "history.0.role: Input should be 'user' or 'assistant'",
    ),
    (
        {"question": "What is CK?", "history": [{**TURN, "name": "Ann"}]},
        "history.0.name: Extra inputs are not permitted",
    ),
    ({"question": "What is CK?\x00"}, "the question contains control characters (e.g. U+0000)"),
    ({"question": "What is\x1b[31m CK?"}, "control characters (e.g. U+001B)"),
    ({"question": "What is\u200b CK?"}, "control characters (e.g. U+200B)"),
    ({"question": "What is CK?", "history": [{**TURN, "content": "hi\x07"}]}, "a history message contains"),
    ({"question": "¿Qué es la miositis y cómo se trata?"}, "does not look like English"),
    ({"question": "肌炎是什么？怎么治疗？"}, "does not look like English"),
    ([{"question": "What is CK?"}], "body: Input should be a valid dictionary"),
    ("What is CK?", "body: Input should be a valid dictionary"),
]


@pytest.mark.parametrize(("body", "message"), INVALID_ASK, ids=[str(i) for i in range(len(INVALID_ASK))])
def test_invalid_ask_request(client: httpx.Client, body: Any, message: str) -> None:
    error = assert_error(client.post("/v1/ask", json=body), 422, "invalid_request")
    assert message in error["message"], error["message"]
    assert error["message"].count("\n") == 0


@pytest.mark.parametrize("path", ["/v1/ask", "/v1/ask/stream", "/v1/search", "/v1/chat/completions"])
@pytest.mark.parametrize("content", [b'{"question": "What is', b"question=What+is+CK", b"{'question': 'CK'}"])
def test_invalid_json(client: httpx.Client, path: str, content: bytes) -> None:
    error = assert_error(post_raw(client, path, content), 422, "invalid_request")
    assert "not valid JSON" in error["message"]


def test_undecodable_body_is_a_client_error(client: httpx.Client) -> None:
    body = assert_error(post_raw(client, "/v1/ask", b'\xff\xfe{"question": "x"}'), 400, "invalid_request")
    assert "not valid JSON" in body["message"]


def test_boundaries_are_accepted(client: httpx.Client) -> None:
    question = ("What is the CK test? " * 100)[:2000]
    assert len(question) == 2000
    assert ask(client, question)["kind"] in ("answer", "abstain")  # accepted, not a 4xx
    assert ask(client, "What is the CK test?", history=[TURN] * 20, k=20)["kind"] == "answer"
    assert ask(client, "What is the CK test?", k=1)["kind"] == "answer"
    assert ask(client, "  What is\tthe CK\ntest?  ")["kind"] == "answer"  # tabs and newlines are text


@pytest.mark.xfail(
    strict=True,
    reason="KNOWN: a 2,000-character question made of one sentence repeated is abstained on: its best "
    "sentence score falls under abstention.min_sentence_score (0.50).",
)
def test_longest_question_is_answered(client: httpx.Client) -> None:
    assert ask(client, ("What is the CK test? " * 100)[:2000])["kind"] == "answer"


def test_body_over_the_limit_is_413(client: httpx.Client) -> None:
    body = json.dumps({"question": "What is CK? " + "a" * 200_000}).encode()
    assert len(body) > 200_000
    error = assert_error(post_raw(client, "/v1/ask", body), 413, "body_too_large")
    assert error["message"] == prompts.message("errors.body_too_large")


def _chunks(total: int) -> Iterator[bytes]:
    yield b'{"question": "'
    for _ in range(total // 1000):
        yield b"a" * 1000
    yield b'"}'


def test_chunked_body_over_the_limit_is_413(client: httpx.Client) -> None:
    response = client.post("/v1/ask", content=_chunks(200_000), headers=JSON)
    assert "content-length" not in response.request.headers
    assert_error(response, 413, "body_too_large")


def test_chunked_body_under_the_limit_is_read(client: httpx.Client) -> None:
    def body() -> Iterator[bytes]:
        yield b'{"question": "What is the '
        yield b'CK test?"}'

    response = client.post("/v1/ask", content=body(), headers=JSON)
    assert response.status_code == 200
    assert response.json()["kind"] == "answer"


@pytest.mark.parametrize("path", ["/v1/ask", "/v1/ask/stream", "/v1/search", "/v1/chat/completions"])
def test_get_on_a_post_route_is_405(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "POST"


def test_unknown_document_is_404(client: httpx.Client) -> None:
    error = assert_error(client.get("/v1/documents/broken-ankle"), 404, "not_found")
    assert error["message"] == "Document 'broken-ankle' was not found."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"query": ""}, "query: String should have at least 1 character"),
        ({"query": "   "}, "query: the query is empty."),
        ({"query": "CK", "k": 0}, "k: Input should be greater than or equal to 1"),
        ({"query": "CK", "k": 101}, "k: Input should be less than or equal to 100"),
        ({"query": "CK", "mode": "semantic"}, "mode: Input should be 'hybrid', 'dense' or 'bm25'"),
        ({"query": "CK\x00"}, "control characters"),
    ],
)
def test_invalid_search_request(client: httpx.Client, body: dict[str, Any], message: str) -> None:
    error = assert_error(client.post("/v1/search", json=body), 422, "invalid_request")
    assert message in error["message"]


def test_stream_validates_before_streaming(client: httpx.Client) -> None:
    assert_error(client.post("/v1/ask/stream", json={"question": ""}), 422, "invalid_request")
    assert_error(client.post("/v1/ask/stream", json={"question": "x", "k": 0}), 422, "invalid_request")


def test_request_id_is_echoed_and_sanitised(client: httpx.Client) -> None:
    r = client.post("/v1/ask", json={"question": ""}, headers={"x-request-id": "abc-123_x.y"})
    assert r.headers["x-request-id"] == "abc-123_x.y"
    r = client.get("/healthz", headers={"x-request-id": "a b<script>"})
    assert r.headers["x-request-id"] == "abscript"
    assert len(client.get("/healthz").headers["x-request-id"]) == 32


# --- fuzzing ---------------------------------------------------------------------------------------

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
_json = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
_turn = st.fixed_dictionaries(
    {"role": st.sampled_from(["user", "assistant", "system", ""]), "content": st.text(max_size=60)}
)
_ask_like = st.fixed_dictionaries(
    {"question": st.text(max_size=300) | _scalars},
    optional={
        "k": st.integers(-3, 25) | _scalars,
        "history": st.lists(_turn, max_size=3) | _json,
        "x": _json,
    },
)
_bodies = (
    _ask_like.map(lambda b: json.dumps(b).encode())
    | _json.map(lambda b: json.dumps(b).encode())
    | st.binary(max_size=120)
)


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=_bodies)
def test_fuzzed_bodies_never_crash_the_server(client: httpx.Client, body: bytes) -> None:
    response = post_raw(client, "/v1/ask", body)
    assert response.status_code < 500, (body, response.text)
    assert_disclaimer(response.json())


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(question=st.text(st.characters(codec="utf-8"), min_size=1, max_size=200))
def test_fuzzed_questions_never_crash_the_server(client: httpx.Client, question: str) -> None:
    response = client.post("/v1/ask", json={"question": question})
    assert response.status_code in (200, 422), (question, response.text)
    body = response.json()
    assert_disclaimer(body)
    if response.status_code == 200:
        assert body["kind"] in ("answer", "abstain", "urgent", "refer")
        assert body["text"].strip()
