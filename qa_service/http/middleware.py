"""What wraps every request: the request id and its log line, the body-size limit, and the
exception handlers that turn every error into an `ErrorResponse` (which carries the disclaimer)."""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import prompts
from qa_service.http.security import AdminDenied
from qa_service.models import MAX_QUESTION_CHARS, ErrorResponse
from qa_service.observability import Metrics, request_id
from qa_service.pipeline import NoIndexAvailable

log = logging.getLogger("wisdom.api")

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "The body cannot be decoded as JSON."},
    422: {"model": ErrorResponse, "description": "The request is not valid."},
    413: {"model": ErrorResponse, "description": "The request body is too large."},
    503: {"model": ErrorResponse, "description": "No index is loaded. Run `wisdom ingest`."},
}
"""The error bodies the answering endpoints document in the OpenAPI schema."""


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """A JSON `ErrorResponse` with this status, code and message (and headers)."""
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
            await self._refuse(scope, receive, send)
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
                await self._refuse(scope, receive, send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(413, "body_too_large", prompts.message("errors.body_too_large"))
        await response(scope, receive, send)


def install_request_context(app: FastAPI, metrics: Metrics) -> None:
    """Request id (the caller's X-Request-ID, cleaned, or a new one) on the response and on
    every log line written while handling it; one log line and metrics per request."""

    @app.middleware("http")
    async def request_context(request: Request, call_next: Any) -> Any:
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


async def _on_validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    status, message = _validation_message(exc)
    return error_response(status, "invalid_request", message)


async def _on_http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:  # FastAPI's "error parsing the body" (an optional JSON body)
        return error_response(
            400,
            "invalid_request",
            prompts.message(
                "errors.invalid_request", detail="the body is not valid JSON. Send a JSON object."
            ),
        )
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return error_response(exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))


async def _on_admin_denied(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AdminDenied)
    return error_response(exc.status, exc.code, exc.message, headers=exc.headers)


async def _on_no_index(_: Request, exc: Exception) -> JSONResponse:
    return error_response(503, "no_index", f"{prompts.message('errors.no_index')} ({exc})")


async def _on_crash(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return error_response(500, "internal", prompts.message("errors.internal"))


def install_error_handlers(app: FastAPI) -> None:
    """Every error as an `ErrorResponse` with a message that says what to do."""
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(AdminDenied, _on_admin_denied)
    app.add_exception_handler(NoIndexAvailable, _on_no_index)
    app.add_exception_handler(Exception, _on_crash)
