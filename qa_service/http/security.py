"""Per-client rate limiting and the admin token check."""

from __future__ import annotations

import hmac
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

import prompts
from qa_service.models import ErrorResponse


class TokenBuckets:
    """One token bucket per client: `burst` requests at once, refilled at `per_minute` a minute.

    Memory is bounded: the least recently seen clients are forgotten past `max_clients` (a
    forgotten client starts again with a full bucket, which only errs on the side of answering)."""

    def __init__(
        self,
        per_minute: int,
        burst: int,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_clients = max_clients
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Take one token; 0.0 if allowed, else the seconds until one is available."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.pop(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            return wait


class RateLimit:
    """429 with `Retry-After` (and the disclaimer) for clients over their rate on /v1/ routes.

    The client is the connecting address; behind a reverse proxy, have the proxy limit instead
    (or run uvicorn with --forwarded-allow-ips so the address is the patient's)."""

    def __init__(
        self,
        app: ASGIApp,
        buckets: TokenBuckets,
        on_limited: Callable[[], None] = lambda: None,
        prefix: str = "/v1/",
    ):
        self.app = app
        self.buckets = buckets
        self.on_limited = on_limited
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.buckets.take(client[0] if client else "unknown")
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        self.on_limited()
        seconds = max(1, math.ceil(wait))
        body = ErrorResponse(
            error="rate_limited", message=prompts.message("errors.rate_limited", seconds=str(seconds))
        )
        response = JSONResponse(body.model_dump(), status_code=429, headers={"Retry-After": str(seconds)})
        await response(scope, receive, send)


class AdminDenied(Exception):
    """An admin request refused (no token, a wrong one, or admin endpoints off), with the status,
    code and message to answer."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def require_admin(request: Request) -> None:
    """FastAPI dependency: a configured token, sent as `Authorization: Bearer <token>`.

    The comparison is constant-time (`hmac.compare_digest`), so response timing does not reveal
    how much of a guess was right."""
    token: str = request.app.state.settings.admin_token.get_secret_value()
    if not token:
        raise AdminDenied(403, "admin_disabled", prompts.message("errors.admin_disabled"))
    scheme, _, sent = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not sent.strip():
        raise AdminDenied(
            401,
            "unauthorized",
            prompts.message("errors.admin_no_token"),
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not hmac.compare_digest(sent.strip().encode(), token.encode()):
        raise AdminDenied(
            403, "forbidden", prompts.message("errors.admin_bad_token"), {"WWW-Authenticate": "Bearer"}
        )
