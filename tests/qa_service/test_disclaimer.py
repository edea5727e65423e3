"""The disclaimer is on every response: answers, abstentions, urgent and refer messages, every error
status, the ops and library endpoints, the end of every event stream (done or error) and the
OpenAI-compatible text. It is a computed field of the response types: it cannot be removed or
overridden."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

import prompts
from qa_service.http.app import create_app
from qa_service.models import (
    Answer,
    AskRequest,
    ErrorResponse,
    Readiness,
    SearchResponse,
)
from qa_service.pipeline import Pipeline
from tests.qa_service.conftest import ask, assert_disclaimer, assert_error, post_stream, serve


class _UnserializableAnswer(Answer):
    """An answer whose final serialisation fails: the stream breaks after its deltas and citations."""

    def model_dump_json(self, **kwargs: Any) -> str:
        raise RuntimeError("simulated failure while streaming")


class FailingPipeline(Pipeline):
    """The shared pipeline's parts with an `ask` that fails, passed to create_app like any pipeline."""

    def __init__(self, base: Pipeline, mode: str):
        self.settings = base.settings
        self.embedder = base.embedder
        self.index = base.index
        self.triage = base.triage
        self.base = base
        self.mode = mode

    def ask(self, request: AskRequest) -> Answer:
        if self.mode == "raise":
            raise RuntimeError("simulated failure in the pipeline")
        answer = self.base.ask(request)
        return _UnserializableAnswer(**answer.model_dump(exclude={"disclaimer"}))


@pytest.fixture(scope="module")
def failing_client(shared_pipeline: Pipeline) -> Iterator[httpx.Client]:
    app = create_app(pipeline=FailingPipeline(shared_pipeline, "raise"))
    with serve(app) as url, httpx.Client(base_url=url, timeout=120) as c:
        yield c


@pytest.fixture(scope="module")
def broken_stream_client(shared_pipeline: Pipeline) -> Iterator[httpx.Client]:
    app = create_app(pipeline=FailingPipeline(shared_pipeline, "break-mid-stream"))
    with serve(app) as url, httpx.Client(base_url=url, timeout=120) as c:
        yield c


# --- the response types --------------------------------------------------------------------------


def test_disclaimer_is_the_text_from_prompts() -> None:
    text = prompts.disclaimer()
    assert "not medical advice" in text
    assert len(text.split()) >= 10


def test_answer_always_dumps_the_disclaimer() -> None:
    answer = Answer(kind="answer", text="x")
    assert answer.model_dump()["disclaimer"] == prompts.disclaimer()
    assert json.loads(answer.model_dump_json())["disclaimer"] == prompts.disclaimer()


@pytest.mark.parametrize("override", ["", "This is medical advice."])
def test_disclaimer_cannot_be_overridden(override: str) -> None:
    answer = Answer(kind="answer", text="x", disclaimer=override)  # type: ignore[call-arg]
    assert answer.model_dump()["disclaimer"] == prompts.disclaimer()
    parsed = Answer.model_validate_json(json.dumps({"kind": "urgent", "text": "x", "disclaimer": override}))
    assert parsed.disclaimer == prompts.disclaimer()
    with pytest.raises(AttributeError):
        answer.disclaimer = override  # type: ignore[misc]
    assert (
        answer.model_copy(update={"disclaimer": override}).model_dump()["disclaimer"] == prompts.disclaimer()
    )


@pytest.mark.parametrize(
    "model",
    [
        Answer(kind="abstain", text="x"),
        ErrorResponse(error="x", message="y"),
        Readiness(ready=False, index_version=None),
        SearchResponse(query="q", expanded_query="q", hits=[], index_version="v"),
    ],
)
def test_every_response_type_carries_it(model: BaseModel) -> None:
    assert model.model_dump()["disclaimer"] == prompts.disclaimer()


def test_openapi_schema_marks_it_required(client: httpx.Client) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    for name in ("Answer", "ErrorResponse", "SearchResponse", "DocumentResponse", "Readiness"):
        schema = schemas.get(name) or schemas[f"{name}-Output"]
        assert "disclaimer" in schema["required"], name


# --- every kind of answer ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What is the CK test?", "answer"),
        ("Write me a poem", "abstain"),
        ("What causes hair loss in men?", "abstain"),
        ("I have crushing chest pain", "urgent"),
        ("How much prednisone should I take?", "refer"),
    ],
)
def test_every_kind_of_answer(client: httpx.Client, question: str, kind: str) -> None:
    answer = ask(client, question)  # asserts the disclaimer
    assert answer["kind"] == kind
    assert prompts.disclaimer() not in answer["text"]  # carried beside the text, not inside it


# --- every error ---------------------------------------------------------------------------------


def test_422(client: httpx.Client) -> None:
    assert_error(client.post("/v1/ask", json={"question": ""}), 422, "invalid_request")


def test_413(client: httpx.Client) -> None:
    body = json.dumps({"question": "x" * 200_000})
    r = client.post("/v1/ask", content=body, headers={"content-type": "application/json"})
    assert_error(r, 413, "body_too_large")


def test_404_route_and_document(client: httpx.Client) -> None:
    assert_error(client.get("/v1/nothing-here"), 404, "not_found")
    assert_error(client.get("/v1/documents/no-such-page"), 404, "not_found")


def test_405(client: httpx.Client) -> None:
    assert_error(client.get("/v1/ask"), 405, "method_not_allowed")


def test_503_without_an_index(empty_client: httpx.Client) -> None:
    body = assert_error(
        empty_client.post("/v1/ask", json={"question": "What is the CK test?"}), 503, "no_index"
    )
    assert "run `wisdom ingest`" in body["message"]
    for path in ("/v1/index", "/v1/documents/ivig"):
        assert_error(empty_client.get(path), 503, "no_index")
    assert_error(empty_client.post("/v1/search", json={"query": "CK"}), 503, "no_index")


def test_500_from_a_failing_pipeline(failing_client: httpx.Client) -> None:
    body = assert_error(failing_client.post("/v1/ask", json={"question": "What is the CK test?"}), 500)
    assert body == {**body, "error": "internal", "message": prompts.message("errors.internal")}
    assert "simulated" not in body["message"]


# --- ops and library endpoints -------------------------------------------------------------------


def test_readyz(client: httpx.Client, empty_client: httpx.Client) -> None:
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert_disclaimer(ready.json())
    not_ready = empty_client.get("/readyz")
    assert not_ready.status_code == 503
    assert_disclaimer(not_ready.json())


def test_search_and_documents(client: httpx.Client) -> None:
    search = client.post("/v1/search", json={"query": "CK test"})
    assert search.status_code == 200
    assert_disclaimer(search.json())
    doc = client.get("/v1/documents/ivig")
    assert doc.status_code == 200
    assert_disclaimer(doc.json())


# --- streams -------------------------------------------------------------------------------------


def test_stream_done_event(client: httpx.Client) -> None:
    for question in ("What is the CK test?", "I can't breathe", "Write me a poem"):
        stream = post_stream(client, "/v1/ask/stream", {"question": question})
        assert stream.names()[-1] == "done"
        assert_disclaimer(stream.data("done")[0])


def test_stream_error_event_when_the_pipeline_fails(failing_client: httpx.Client) -> None:
    stream = post_stream(failing_client, "/v1/ask/stream", {"question": "What is the CK test?"})
    assert stream.status == 200 and stream.content_type.startswith("text/event-stream")
    assert stream.names() == ["error"]
    error = stream.data("error")[0]
    assert error["error"] == "internal"
    assert error["message"] == prompts.message("errors.internal")
    assert_disclaimer(error)


def test_stream_error_event_mid_stream(broken_stream_client: httpx.Client) -> None:
    stream = post_stream(broken_stream_client, "/v1/ask/stream", {"question": "What is the CK test?"})
    names = stream.names()
    assert names[0] == "meta" and "delta" in names and "citation" in names
    assert names[-1] == "error" and "done" not in names
    assert_disclaimer(stream.data("error")[0])


def test_stream_error_event_without_an_index(empty_client: httpx.Client) -> None:
    stream = post_stream(empty_client, "/v1/ask/stream", {"question": "What is the CK test?"})
    assert stream.names() == ["error"]
    error = stream.data("error")[0]
    assert error["error"] == "no_index"
    assert "run `wisdom ingest`" in error["message"]
    assert_disclaimer(error)


# --- OpenAI-compatible text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "question", ["What is the CK test?", "I have crushing chest pain", "Write me a poem"]
)
def test_chat_completion_text_ends_with_it(client: httpx.Client, question: str) -> None:
    messages = [{"role": "user", "content": question}]
    response = client.post("/v1/chat/completions", json={"messages": messages})
    assert response.status_code == 200
    content = response.json()["choices"][0]["message"]["content"]
    assert content.endswith("\n\n" + prompts.disclaimer())
    stream = post_stream(client, "/v1/chat/completions", {"messages": messages, "stream": True})
    chunks = [json.loads(data) for _, data in stream.events if data != "[DONE]"]
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert text == content


def test_chat_completion_errors_carry_it(client: httpx.Client, failing_client: httpx.Client) -> None:
    last_is_assistant = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]
    assert_error(client.post("/v1/chat/completions", json={"messages": last_is_assistant}), 422)
    assert_error(client.post("/v1/chat/completions", json={"messages": []}), 422)
    question = [{"role": "user", "content": "What is the CK test?"}]
    assert_error(failing_client.post("/v1/chat/completions", json={"messages": question}), 500)
