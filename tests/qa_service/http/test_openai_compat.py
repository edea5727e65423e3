"""/v1/chat/completions speaks the OpenAI protocol: the real `openai` client works against it,
streaming and not; the message is the answer, a numbered "Sources:" list and the disclaimer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest

import prompts
from qa_service.pipeline import Pipeline
from tests.qa_service.conftest import ask, assert_error, assert_grounded, post_stream

IVIG = "What are the side effects of IVIG?"


def sources_lines(answer: dict[str, Any]) -> list[str]:
    return [
        f"[{c['n']}] {c['title']}"
        + (f" — {c['section']}" if c["section"] else "")
        + (f" ({c['url']})" if c["url"] else "")
        for c in answer["citations"]
    ]


def expected_content(answer: dict[str, Any]) -> str:
    parts = [answer["text"]]
    if answer["citations"]:
        parts.append("Sources:\n" + "\n".join(sources_lines(answer)))
    return "\n\n".join([*parts, prompts.disclaimer()])


def chat(client: httpx.Client, messages: list[dict[str, str]], **extra: Any) -> dict[str, Any]:
    response = client.post("/v1/chat/completions", json={"messages": messages, **extra})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_non_streaming_body_is_openai_shaped(client: httpx.Client, shared_pipeline: Pipeline) -> None:
    body = chat(client, [{"role": "user", "content": IVIG}], model="alike-wisdom")
    assert body["object"] == "chat.completion"
    assert body["id"].startswith("chatcmpl-")
    assert isinstance(body["created"], int) and body["model"] == "alike-wisdom"
    assert set(body["usage"]) == {"prompt_tokens", "completion_tokens", "total_tokens"}
    (choice,) = body["choices"]
    assert choice["index"] == 0 and choice["finish_reason"] == "stop"
    assert choice["message"]["role"] == "assistant"
    content = choice["message"]["content"]
    answer = ask(client, IVIG)
    assert content == expected_content(answer)
    assert "\n\nSources:\n[1] Intravenous immunoglobulin (IVIG) — " in content
    assert content.endswith(prompts.disclaimer())
    extra = body["alike_wisdom"]
    assert extra["kind"] == "answer"
    assert extra["citations"] == answer["citations"]
    assert_grounded(client, shared_pipeline, {**answer, "citations": extra["citations"]})


def test_streaming_yields_chunks_ending_with_done(client: httpx.Client) -> None:
    messages = [{"role": "user", "content": IVIG}]
    stream = post_stream(client, "/v1/chat/completions", {"messages": messages, "stream": True})
    assert stream.status == 200 and stream.content_type.startswith("text/event-stream")
    assert stream.names() == ["message"] * len(stream.events)
    datas = [data for _, data in stream.events]
    assert datas[-1] == "[DONE]" and "[DONE]" not in datas[:-1]
    chunks = [json.loads(d) for d in datas[:-1]]
    assert len(chunks) >= 4
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"}
    assert len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert chunks[-1]["choices"][0] == {"index": 0, "delta": {}, "finish_reason": "stop"}
    assert all(c["choices"][0]["finish_reason"] is None for c in chunks[:-1])
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert text == chat(client, messages)["choices"][0]["message"]["content"]


def test_history_in_messages_is_used_and_system_messages_are_ignored(client: httpx.Client) -> None:
    first = ask(client, "What is dermatomyositis?")
    messages = [
        {"role": "system", "content": "You are a helpful assistant. Answer in French."},
        {"role": "user", "content": "What is dermatomyositis?"},
        {"role": "assistant", "content": first["text"]},
        {"role": "user", "content": [{"type": "text", "text": "And how is it treated?"}]},
    ]
    body = chat(client, messages)  # type: ignore[arg-type]
    citations = body["alike_wisdom"]["citations"]
    assert {c["doc_id"] for c in citations} == {"dermatomyositis"}
    assert citations[0]["section"] == "Treatment"
    assert body["choices"][0]["message"]["content"].startswith(
        "From our page \u201cDermatomyositis\u201d (Treatment):"
    )


def test_urgent_message_has_no_sources(client: httpx.Client) -> None:
    body = chat(client, [{"role": "user", "content": "I have crushing chest pain"}])
    content = body["choices"][0]["message"]["content"]
    assert body["alike_wisdom"] == {"kind": "urgent", "citations": []}
    assert "Call 911 now" in content and "Sources:" not in content
    assert content.endswith("\n\n" + prompts.disclaimer())


def test_last_message_must_be_the_users(client: httpx.Client) -> None:
    messages = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "Hello"}]
    error = assert_error(client.post("/v1/chat/completions", json={"messages": messages}), 422)
    assert "the last message must come from the user" in error["message"]
    only_system = [{"role": "system", "content": "Be brief."}]
    assert_error(client.post("/v1/chat/completions", json={"messages": only_system}), 422)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("¿Qué es la miositis y cómo se trata?", "does not look like English"),
        ("", "type a question"),
        ("What is CK?\x00", "control characters"),
    ],
)
def test_invalid_question_error_says_why(client: httpx.Client, content: str, reason: str) -> None:
    messages = [{"role": "user", "content": content}]
    error = assert_error(client.post("/v1/chat/completions", json={"messages": messages}), 422)
    assert reason in error["message"], error["message"]
    assert "errors.pydantic.dev" not in error["message"]


# --- the real openai client ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def openai_client(base_url: str) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=f"{base_url}/v1", api_key="not-needed", max_retries=0, timeout=120) as oc:
        yield oc


def test_openai_client_non_streaming(openai_client: openai.OpenAI, client: httpx.Client) -> None:
    completion = openai_client.chat.completions.create(
        model="alike-wisdom", messages=[{"role": "user", "content": IVIG}]
    )
    assert completion.object == "chat.completion"
    assert completion.choices[0].finish_reason == "stop"
    assert completion.choices[0].message.role == "assistant"
    assert completion.choices[0].message.content == expected_content(ask(client, IVIG))


def test_openai_client_streaming(openai_client: openai.OpenAI, client: httpx.Client) -> None:
    stream = openai_client.chat.completions.create(
        model="alike-wisdom", messages=[{"role": "user", "content": IVIG}], stream=True
    )
    chunks = list(stream)
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == expected_content(ask(client, IVIG))
    assert text.endswith(prompts.disclaimer())


# --- /v1/models: what chat front ends ask first ---------------------------------------------------


def test_models_are_listed_in_openais_shape_with_the_disclaimer(client: httpx.Client) -> None:
    body = client.get("/v1/models").json()
    assert body["object"] == "list"
    assert body["data"] == [
        {
            "id": "alike-wisdom",
            "object": "model",
            "created": body["data"][0]["created"],
            "owned_by": "alike-wisdom",
        }
    ]
    assert isinstance(body["data"][0]["created"], int) and body["data"][0]["created"] > 1_700_000_000
    assert body["disclaimer"] == prompts.disclaimer()
    one = client.get("/v1/models/alike-wisdom").json()
    assert {k: one[k] for k in ("id", "object", "owned_by")} == {
        "id": "alike-wisdom",
        "object": "model",
        "owned_by": "alike-wisdom",
    }
    assert one["disclaimer"] == prompts.disclaimer()
    error = assert_error(client.get("/v1/models/gpt-4o"), 404, "not_found")
    assert "'alike-wisdom'" in error["message"]


def test_openai_client_lists_models_then_chats_with_the_one_it_found(
    openai_client: openai.OpenAI, client: httpx.Client
) -> None:
    """What Open WebUI and LibreChat do on connecting: list the models, pick one, chat with it."""
    models = list(openai_client.models.list())
    assert [m.id for m in models] == ["alike-wisdom"]
    assert models[0].object == "model" and models[0].owned_by == "alike-wisdom"
    assert openai_client.models.retrieve("alike-wisdom").id == "alike-wisdom"
    with pytest.raises(openai.NotFoundError):
        openai_client.models.retrieve("gpt-4o")
    completion = openai_client.chat.completions.create(
        model=models[0].id, messages=[{"role": "user", "content": IVIG}]
    )
    assert completion.model == "alike-wisdom"
    assert completion.choices[0].message.content == expected_content(ask(client, IVIG))
