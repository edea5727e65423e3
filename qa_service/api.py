"""The HTTP API. Every response, including errors and the end of every stream, carries the
disclaimer: handlers return only types that include it."""

from __future__ import annotations

import dataclasses
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Annotated, Any, Literal

import anyio
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sse_starlette.sse import EventSourceResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import prompts
from ingest.chunking import split_sections
from ingest.documents import SourceDoc
from qa_service.admin import Jobs
from qa_service.admin import router as admin_router
from qa_service.api_docs import install_docs
from qa_service.feedback import install_feedback
from qa_service.models import (
    MAX_QUESTION_CHARS,
    Answer,
    AskRequest,
    ChatTurn,
    DocumentResponse,
    DocumentSection,
    ErrorResponse,
    Health,
    IndexManifest,
    Readiness,
    SearchHit,
    SearchRequest,
    SearchResponse,
)
from qa_service.observability import Metrics, request_id
from qa_service.openai_models import router as models_router
from qa_service.pipeline import NoIndexAvailable, Pipeline
from qa_service.security import AdminDenied, RateLimit, TokenBuckets
from qa_service.settings import Settings, get_settings
from qa_service.web import mount_web

log = logging.getLogger("wisdom.api")


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorResponse(error=code, message=message).model_dump()
    return JSONResponse(body, status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> tuple[int, str]:
    errors = exc.errors()
    if not errors:
        return 422, prompts.message("errors.invalid_request", detail="unknown problem")
    err = errors[0]
    loc = [str(p) for p in err.get("loc", ()) if p != "body"]
    where = ".".join(loc) or "body"
    kind = err.get("type", "")
    if kind == "json_invalid":
        return 422, prompts.message(
            "errors.invalid_request", detail="the body is not valid JSON. Send a JSON object."
        )
    if kind in ("string_too_short", "missing") and loc[:1] == ["question"]:
        return 422, prompts.message("errors.empty_question")
    if kind == "string_too_long" and loc[:1] == ["question"]:
        length = len(err.get("input") or "")
        return 422, prompts.message("errors.too_long", length=str(length), limit=str(MAX_QUESTION_CHARS))
    if kind == "too_long" and loc[:1] == ["history"]:
        return 422, prompts.message(
            "errors.invalid_request",
            detail="the conversation history is too long; send at most the last 20 turns.",
        )
    msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    return 422, prompts.message("errors.invalid_request", detail=f"{where}: {msg}")


class BodyLimit:
    """Refuse bodies over the limit with 413, whether or not Content-Length is sent."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _error(413, "body_too_large", prompts.message("errors.body_too_large"))(
                scope, receive, send
            )
            return
        if declared is not None:
            await self.app(scope, receive, send)
            return
        # No Content-Length (chunked): read the body here, up to the limit, then replay it.
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.limit:
                await _error(413, "body_too_large", prompts.message("errors.body_too_large"))(
                    scope, receive, send
                )
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


def get_pipeline(request: Request) -> Pipeline:
    pipeline: Pipeline = request.app.state.pipeline
    return pipeline


PipelineDep = Annotated[Pipeline, Depends(get_pipeline)]


def create_app(pipeline: Pipeline | None = None, settings: Settings | None = None) -> FastAPI:
    """The FastAPI app: the JSON and SSE API, the web chat, health, metrics and admin endpoints.
    Tests pass a `pipeline` in; otherwise one is built from `settings` at start-up."""
    settings = settings or (pipeline.settings if pipeline else get_settings())

    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(app.state.feedback.open)  # the file exists from the start
        owned = getattr(app.state, "pipeline", None) is None
        if owned:
            app.state.pipeline = await anyio.to_thread.run_sync(Pipeline, settings)
        pipeline: Pipeline = app.state.pipeline
        metrics.watch_index(pipeline.index)
        try:
            await anyio.to_thread.run_sync(pipeline.index.get)
        except NoIndexAvailable as exc:
            log.warning("starting without an index: %s", exc)
        pipeline.index.start_watching()
        yield
        if owned:
            pipeline.index.stop_watching()

    app = FastAPI(
        title="Alike Wisdom",
        version="0.1.0",
        summary="Cited answers to health questions from a curated library. Not medical advice.",
        lifespan=lifespan,
        docs_url=None,  # served offline by install_docs, below
        redoc_url=None,
    )
    app.state.pipeline = pipeline
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.jobs = Jobs()

    @app.middleware("http")
    async def request_context(request: Request, call_next: Any) -> Any:
        """Request id (the caller's X-Request-ID, cleaned, or a new one) on the response and on
        every log line written while handling it; one log line and metrics per request."""
        rid = request.headers.get("x-request-id") or uuid.uuid4().hex
        rid = "".join(c for c in rid if c.isalnum() or c in "-_.")[:64] or uuid.uuid4().hex
        token = request_id.set(rid)
        t0 = time.perf_counter()
        try:
            response = await call_next(request)
            seconds = time.perf_counter() - t0
            response.headers["X-Request-ID"] = rid
            route = getattr(request.scope.get("route"), "path", "unmatched")
            metrics.requests.labels(route, request.method, str(response.status_code)).inc()
            metrics.latency.labels(route).observe(seconds)
            log.info(
                "request",
                extra={
                    "request_id": rid,
                    "method": request.method,
                    "route": route,
                    "status": response.status_code,
                    "ms": round(seconds * 1000, 1),
                },
            )
            return response
        finally:
            request_id.reset(token)

    @app.exception_handler(RequestValidationError)
    async def on_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        status, message = _validation_message(exc)
        return _error(status, "invalid_request", message)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # FastAPI's "error parsing the body" (an optional JSON body)
            return _error(
                400,
                "invalid_request",
                prompts.message(
                    "errors.invalid_request", detail="the body is not valid JSON. Send a JSON object."
                ),
            )
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(AdminDenied)
    async def on_admin_denied(_: Request, exc: AdminDenied) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message, headers=exc.headers)

    @app.exception_handler(NoIndexAvailable)
    async def on_no_index(_: Request, exc: NoIndexAvailable) -> JSONResponse:
        return _error(503, "no_index", f"{prompts.message('errors.no_index')} ({exc})")

    @app.exception_handler(Exception)
    async def on_crash(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return _error(500, "internal", prompts.message("errors.internal"))

    errors: dict[int | str, dict[str, Any]] = {
        400: {"model": ErrorResponse, "description": "The body cannot be decoded as JSON."},
        422: {"model": ErrorResponse, "description": "The request is not valid."},
        413: {"model": ErrorResponse, "description": "The request body is too large."},
        503: {"model": ErrorResponse, "description": "No index is loaded. Run `wisdom ingest`."},
    }

    @app.get("/healthz", response_model=Health, tags=["ops"])
    def healthz() -> Health:
        return Health(status="ok")

    @app.get("/metrics", include_in_schema=False)
    def prometheus_metrics() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/readyz", response_model=Readiness, tags=["ops"], responses={503: {"model": Readiness}})
    def readyz(pipeline: PipelineDep) -> Any:
        try:
            loaded = pipeline.index.get()
        except NoIndexAvailable as exc:
            body = Readiness(ready=False, index_version=None, problem=str(exc))
            return JSONResponse(body.model_dump(), status_code=503)
        counts = loaded.version.manifest.counts
        return Readiness(
            ready=True,
            index_version=loaded.version.version_id,
            documents=counts.documents,
            chunks=counts.chunks,
            problem=pipeline.index.problem,
        )

    @app.get("/v1/index", response_model=IndexManifest, tags=["ops"], responses=errors)
    def index_manifest(pipeline: PipelineDep) -> IndexManifest:
        return IndexManifest(**pipeline.index.get().version.manifest.model_dump())

    def answered(body: AskRequest, answer: Answer, endpoint: str) -> None:
        metrics.answer(answer.kind, endpoint, answer.timings.get("total_ms"))
        if settings.log_questions:  # opt-in only: questions are health information
            log.info("question", extra={"question": body.question, "kind": answer.kind})

    app.state.answered = answered

    @app.post("/v1/ask", response_model=Answer, tags=["answers"], responses=errors)
    def ask(body: AskRequest, pipeline: PipelineDep) -> Answer:
        answer = pipeline.ask(body)
        answered(body, answer, "ask")
        return answer

    @app.post(
        "/v1/ask/stream",
        tags=["answers"],
        responses={
            200: {
                "description": "Server-Sent Events: meta, delta, citation, done (the full Answer) "
                "or error (with the disclaimer).",
                "content": {"text/event-stream": {}},
            },
            **errors,
        },
    )
    async def ask_stream(body: AskRequest, pipeline: PipelineDep) -> EventSourceResponse:
        async def events() -> AsyncIterator[dict[str, str]]:
            try:
                answer = await anyio.to_thread.run_sync(pipeline.ask, body)
                answered(body, answer, "stream")
                for event in answer_events(answer):
                    yield event
            except NoIndexAvailable as exc:
                yield _error_event("no_index", f"{prompts.message('errors.no_index')} ({exc})")
            except Exception:
                log.exception("stream failed")
                yield _error_event("internal", prompts.message("errors.internal"))

        return EventSourceResponse(events(), ping=15)

    @app.post("/v1/search", response_model=SearchResponse, tags=["evaluation"], responses=errors)
    def search(body: SearchRequest, pipeline: PipelineDep) -> SearchResponse:
        retrieval, version = pipeline.retrieve(body.query, body.k, body.mode)
        hits = [
            SearchHit(
                rank=i + 1,
                chunk_id=h.chunk.chunk_id,
                doc_id=h.chunk.doc_id,
                title=h.chunk.title,
                section=h.chunk.section,
                url=h.chunk.url,
                text=h.chunk.text,
                score=h.score,
                dense_score=h.dense_score if h.dense_rank is not None else None,
                dense_rank=None if h.dense_rank is None else h.dense_rank + 1,
                bm25_score=h.bm25_score,
                bm25_rank=None if h.bm25_rank is None else h.bm25_rank + 1,
            )
            for i, h in enumerate(retrieval.hits)
        ]
        return SearchResponse(
            query=body.query,
            expanded_query=retrieval.expansion.retrieval_text,
            hits=hits,
            index_version=version,
        )

    @app.get(
        "/v1/documents/{doc_id}",
        response_model=DocumentResponse,
        tags=["answers"],
        responses={404: {"model": ErrorResponse}, 503: errors[503]},
    )
    def document(doc_id: str, pipeline: PipelineDep) -> Any:
        version = pipeline.index.get().version
        record = version.document(doc_id)
        if record is None:
            return _error(404, "not_found", prompts.message("errors.not_found", what=f"Document {doc_id!r}"))
        src = SourceDoc(doc_id=record.doc_id, title=record.title, text=record.text, path="")
        sections = [
            DocumentSection(
                heading=s.path[-1] if s.path else record.title,
                level=len(s.path) + 1,
                text=record.text[s.start : s.end].strip(),
            )
            for s in split_sections(src)
        ]
        return DocumentResponse(**dataclasses.asdict(record), sections=sections)

    _add_openai(app, errors)
    app.include_router(admin_router)
    install_feedback(app, settings)
    install_docs(app)
    app.include_router(models_router)
    if settings.cors_allow_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_allow_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "X-Request-ID"],
            expose_headers=["X-Request-ID", "Retry-After"],
        )
    if settings.rate_limit_per_minute > 0:
        buckets = TokenBuckets(settings.rate_limit_per_minute, settings.rate_limit_burst)
        app.add_middleware(RateLimit, buckets=buckets, on_limited=metrics.rate_limited.inc)
    mount_web(app, settings)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    return app


def answer_events(answer: Answer) -> Iterator[dict[str, str]]:
    """SSE events for a finished answer: meta, text deltas, citations, done."""
    yield {
        "event": "meta",
        "data": json.dumps({"kind": answer.kind, "index_version": answer.index_version}),
    }
    words = answer.text.split(" ")
    for i in range(0, len(words), 6):
        piece = " ".join(words[i : i + 6]) + (" " if i + 6 < len(words) else "")
        yield {"event": "delta", "data": json.dumps({"text": piece})}
    for citation in answer.citations:
        yield {"event": "citation", "data": citation.model_dump_json()}
    yield {"event": "done", "data": answer.model_dump_json()}


def _error_event(code: str, message: str) -> dict[str, str]:
    return {"event": "error", "data": ErrorResponse(error=code, message=message).model_dump_json()}


# ---- OpenAI-compatible chat completions -------------------------------------------------


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


def _add_openai(app: FastAPI, errors: dict[int | str, dict[str, Any]]) -> None:
    @app.post("/v1/chat/completions", tags=["compatibility"], responses=errors)
    async def chat_completions(body: ChatCompletionRequest, pipeline: PipelineDep) -> Any:
        turns = [m for m in body.messages if m.role in ("user", "assistant")]
        if not turns or turns[-1].role != "user":
            return _error(
                422,
                "invalid_request",
                prompts.message("errors.invalid_request", detail="the last message must come from the user."),
            )
        try:
            request = AskRequest(
                question=turns[-1].text(),
                history=[ChatTurn(role=t.role, content=t.text()) for t in turns[:-1]][-20:],  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ())) or "message"
            detail = f"{where}: " + str(first.get("msg", "invalid")).removeprefix("Value error, ")
            if first.get("type") == "string_too_short":
                detail = prompts.message("errors.empty_question")
            return _error(422, "invalid_request", prompts.message("errors.invalid_request", detail=detail))
        answer = await anyio.to_thread.run_sync(pipeline.ask, request)
        app.state.answered(request, answer, "chat")
        content = render_chat_text(answer)
        created = int(time.time())
        cid = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        if not body.stream:
            return {
                "id": cid,
                "object": "chat.completion",
                "created": created,
                "model": body.model,
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

        async def chunks() -> AsyncIterator[dict[str, str]]:
            def chunk(delta: dict[str, str], finish: str | None = None) -> dict[str, str]:
                return {"data": json.dumps({
                    "id": cid, "object": "chat.completion.chunk", "created": created, "model": body.model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                })}  # fmt: skip

            yield chunk({"role": "assistant", "content": ""})
            words = content.split(" ")
            for i in range(0, len(words), 6):
                yield chunk({"content": " ".join(words[i : i + 6]) + (" " if i + 6 < len(words) else "")})
            yield chunk({}, "stop")
            yield {"data": "[DONE]"}

        return EventSourceResponse(chunks())
