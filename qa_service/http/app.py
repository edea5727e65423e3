"""The HTTP API, assembled from its routers (ops, ask and search, OpenAI-compatible, admin,
feedback, docs, web) and middleware. Every response, including errors and the end of every stream,
carries the disclaimer: handlers return only types that include it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from qa_service.feedback import install_feedback
from qa_service.http.admin import Jobs
from qa_service.http.admin import router as admin_router
from qa_service.http.ask import router as ask_router
from qa_service.http.docs import install_docs
from qa_service.http.middleware import BodyLimit, install_error_handlers, install_request_context
from qa_service.http.openai import router as openai_router
from qa_service.http.openai_models import router as models_router
from qa_service.http.ops import router as ops_router
from qa_service.http.security import RateLimit, TokenBuckets
from qa_service.http.web import mount_web
from qa_service.observability import Metrics
from qa_service.pipeline import NoIndexAvailable, Pipeline, build_pipeline, pin_threads
from qa_service.settings import Settings, get_settings

log = logging.getLogger("wisdom.api")


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
            app.state.pipeline = await anyio.to_thread.run_sync(build_pipeline, settings)
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
    install_request_context(app, metrics)
    install_error_handlers(app)
    app.include_router(ops_router)
    app.include_router(ask_router)
    app.include_router(openai_router)
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


def create_worker_app() -> FastAPI:
    """The app in one of `wisdom serve --workers N`'s processes: its settings from the
    environment, and its torch and FAISS threads pinned as `wisdom serve` pins its own."""
    settings = get_settings()
    pin_threads(settings.service_threads)
    return create_app(settings=settings)
