"""Operator endpoints: reload the index, run an ingest in the background and follow it.

All of them need `Authorization: Bearer <WISDOM_ADMIN_TOKEN>` and are off while no token is set.
Ingest jobs read only the configured `WISDOM_CORPUS_PATHS` into the configured index folder: an
HTTP client cannot make the service read other files."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
import uuid
from collections import OrderedDict
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

import prompts
from ingest import run_ingest
from ingest.build import Reporter
from ingest.embedding import Progress
from ingest.errors import IngestError
from qa_service.http.security import require_admin
from qa_service.models import ErrorResponse, WithDisclaimer
from qa_service.observability import Metrics
from qa_service.pipeline import Pipeline

log = logging.getLogger("wisdom.admin")

router = APIRouter(prefix="/v1/admin", tags=["admin"], dependencies=[Depends(require_admin)])

_denied: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "No admin token was sent."},
    403: {"model": ErrorResponse, "description": "Wrong token, or the admin endpoints are off."},
}


class ReloadResponse(WithDisclaimer):
    """The response to `POST /v1/admin/reload`: what the look at CURRENT did and the version
    served after it."""

    status: Literal["swapped", "unchanged", "refused", "no_index"]
    index_version: str | None = Field(description="The version being served after the reload.")
    previous: str | None = None
    problem: str | None = Field(None, description="Why a version was refused, if one was.")


class IngestRequest(BaseModel):
    """The body of `POST /v1/admin/ingest`: how to ingest the configured corpus paths."""

    model_config = ConfigDict(extra="forbid")
    rebuild: bool = Field(False, description="Re-embed every document instead of only changed ones.")
    strict: bool = Field(False, description="Fail if any source file has a problem.")


class Job(WithDisclaimer):
    """An ingest job, as `POST /v1/admin/ingest` and `GET /v1/admin/jobs/{id}` return it: its
    status, stage, progress and outcome."""

    id: str
    status: Literal["running", "succeeded", "failed"]
    stage: str = "starting"
    embedded: int = 0
    to_embed: int = 0
    started: float = Field(description="Unix time the job started.")
    seconds: float = 0.0
    version_id: str | None = None
    published: bool = False
    report: dict[str, Any] | None = None
    error: str | None = None


class _JobReporter(Reporter):
    def __init__(self, job: Job):
        self.job = job

    def stage(self, name: str) -> None:
        self.job.stage = name

    def embedding(self, total: int) -> Progress | None:
        self.job.to_embed = total

        def advance(n: int) -> None:
            self.job.embedded += n

        return advance


class Jobs:
    """Ingest jobs of this process: one runs at a time; the last 20 are kept."""

    def __init__(self) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def running(self) -> Job | None:
        """The job that is running, if one is."""
        return next((j for j in self._jobs.values() if j.status == "running"), None)

    def get(self, job_id: str) -> Job | None:
        """The job with this id, or None (unknown, or older than the last 20)."""
        return self._jobs.get(job_id)

    def start(self, pipeline: Pipeline, body: IngestRequest, metrics: Metrics) -> Job | None:
        """Start a job; None if one is already running."""
        with self._lock:
            if self.running() is not None:
                return None
            job = Job(id=uuid.uuid4().hex[:12], status="running", started=time.time())
            self._jobs[job.id] = job
            while len(self._jobs) > 20:
                self._jobs.popitem(last=False)
        thread = threading.Thread(
            target=self._run, args=(job, pipeline, body, metrics), name=f"ingest-{job.id}", daemon=True
        )
        thread.start()
        return job

    def _run(self, job: Job, pipeline: Pipeline, body: IngestRequest, metrics: Metrics) -> None:
        settings = pipeline.settings
        t0 = time.perf_counter()
        log.info("ingest job started", extra={"job": job.id, "rebuild": body.rebuild})
        try:
            report = run_ingest(
                settings.corpus_paths,
                settings.ingest_config(strict=body.strict, rebuild=body.rebuild),
                pipeline.embedder,
                _JobReporter(job),
            )
            job.version_id = report.version_id
            job.published = report.published
            job.report = dataclasses.asdict(report)
            job.stage = "loading the new version" if report.published else "done"
            pipeline.index.refresh()
            job.status = "succeeded"
        except IngestError as exc:
            job.error, job.status = str(exc), "failed"
        except Exception as exc:  # report it on the job; the live version is untouched
            log.exception("ingest job failed", extra={"job": job.id})
            job.error, job.status = f"{type(exc).__name__}: {exc}", "failed"
        job.seconds = time.perf_counter() - t0
        job.stage = "done"
        metrics.ingests.labels(job.status).inc()
        metrics.ingest_seconds.observe(job.seconds)
        log.info(
            "ingest job ended",
            extra={"job": job.id, "status": job.status, "seconds": round(job.seconds, 1), "error": job.error},
        )


def _state(request: Request) -> tuple[Pipeline, Jobs, Metrics]:
    state = request.app.state
    return state.pipeline, state.jobs, state.metrics


@router.post("/reload", response_model=ReloadResponse, responses=_denied)
def reload(request: Request) -> ReloadResponse:
    """Look at CURRENT now and swap in the version it names, after checking it. Also retries a
    version refused earlier (after an operator repaired it)."""
    pipeline, _, _ = _state(request)
    result = pipeline.index.refresh(force=True)
    return ReloadResponse(**dataclasses.asdict(result))


@router.post(
    "/ingest",
    response_model=Job,
    status_code=202,
    responses={
        **_denied,
        400: {"model": ErrorResponse, "description": "The body cannot be decoded as JSON."},
        409: {"model": ErrorResponse, "description": "An ingest is already running."},
    },
)
def ingest(request: Request, body: IngestRequest | None = None) -> Any:
    """Ingest the configured corpus paths in the background; follow it at /v1/admin/jobs/{id}."""
    pipeline, jobs, metrics = _state(request)
    job = jobs.start(pipeline, body or IngestRequest(), metrics)
    if job is None:
        running = jobs.running()
        message = prompts.message("errors.ingest_running", job=running.id if running else "?")
        return JSONResponse(ErrorResponse(error="ingest_running", message=message).model_dump(), 409)
    return job


@router.get(
    "/jobs/{job_id}",
    response_model=Job,
    responses={**_denied, 404: {"model": ErrorResponse, "description": "No such job."}},
)
def job_status(job_id: str, request: Request) -> Any:
    """The ingest job with this id: its status, stage and progress, and its report once it ends;
    404 if there is none."""
    _, jobs, _ = _state(request)
    job = jobs.get(job_id)
    if job is None:
        message = prompts.message("errors.not_found", what=f"Job {job_id!r}")
        return JSONResponse(ErrorResponse(error="not_found", message=message).model_dump(), 404)
    return job
