"""OpenAI-compatible chat completions: an OpenAI client (or a chat UI built for one) gets the same
answer as `/v1/ask`, rendered as one message with its sources and the disclaimer."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any, Literal

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sse_starlette.sse import EventSourceResponse

import prompts
from qa_service.http.ask import record_answer
from qa_service.http.middleware import ERROR_RESPONSES, error_response
from qa_service.http.ops import PipelineDep
from qa_service.models import Answer, AskRequest, ChatTurn

router = APIRouter()


class _ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        if isinstance(self.content, list):
            return " ".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return ""


class ChatCompletionRequest(BaseModel):
    """The body of `POST /v1/chat/completions` in OpenAI's shape; fields other than model,
    messages and stream are accepted and ignored."""

    model_config = ConfigDict(extra="allow")
    model: str = "alike-wisdom"
    messages: list[_ChatMessage] = Field(min_length=1, max_length=41)
    stream: bool = False


def render_chat_text(answer: Answer) -> str:
    """The answer as one message: text, numbered sources and the disclaimer."""
    parts = [answer.text]
    if answer.citations:
        lines = [
            f"[{c.n}] {c.title}" + (f" — {c.section}" if c.section else "") + (f" ({c.url})" if c.url else "")
            for c in answer.citations
        ]
        parts.append("Sources:\n" + "\n".join(lines))
    parts.append(answer.disclaimer)
    return "\n\n".join(parts)


def _ask_request(body: ChatCompletionRequest) -> AskRequest | JSONResponse:
    """The last user message as the question and the turns before it as history, or a 422."""
    turns = [m for m in body.messages if m.role in ("user", "assistant")]
    if not turns or turns[-1].role != "user":
        return error_response(
            422,
            "invalid_request",
            prompts.message("errors.invalid_request", detail="the last message must come from the user."),
        )
    try:
        return AskRequest(
            question=turns[-1].text(),
            history=[ChatTurn(role=t.role, content=t.text()) for t in turns[:-1]][-20:],  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "message"
        detail = f"{where}: " + str(first.get("msg", "invalid")).removeprefix("Value error, ")
        if first.get("type") == "string_too_short":
            detail = prompts.message("errors.empty_question")
        return error_response(
            422, "invalid_request", prompts.message("errors.invalid_request", detail=detail)
        )


def _completion(cid: str, created: int, model: str, content: str, answer: Answer) -> dict[str, Any]:
    return {
        "id": cid,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "alike_wisdom": {
            "kind": answer.kind,
            "citations": [c.model_dump() for c in answer.citations],
        },
    }


async def _chunks(cid: str, created: int, model: str, content: str) -> AsyncIterator[dict[str, str]]:
    def chunk(delta: dict[str, str], finish: str | None = None) -> dict[str, str]:
        return {"data": json.dumps({
            "id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        })}  # fmt: skip

    yield chunk({"role": "assistant", "content": ""})
    words = content.split(" ")
    for i in range(0, len(words), 6):
        yield chunk({"content": " ".join(words[i : i + 6]) + (" " if i + 6 < len(words) else "")})
    yield chunk({}, "stop")
    yield {"data": "[DONE]"}


@router.post("/v1/chat/completions", tags=["compatibility"], responses=ERROR_RESPONSES)
async def chat_completions(body: ChatCompletionRequest, pipeline: PipelineDep, request: Request) -> Any:
    """Answer the last user message in OpenAI's chat completion shape (streamed as chunks when
    `stream`), sources and disclaimer in the text."""
    ask_request = _ask_request(body)
    if isinstance(ask_request, JSONResponse):
        return ask_request
    answer = await anyio.to_thread.run_sync(pipeline.ask, ask_request)
    record_answer(request, ask_request, answer, "chat")
    content = render_chat_text(answer)
    created = int(time.time())
    cid = f"chatcmpl-{uuid.uuid4().hex[:24]}"
    if not body.stream:
        return _completion(cid, created, body.model, content, answer)
    return EventSourceResponse(_chunks(cid, created, body.model, content))
