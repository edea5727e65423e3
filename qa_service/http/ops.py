"""Operations endpoints: liveness, readiness, Prometheus metrics and the served index's manifest."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from qa_service.http.middleware import ERROR_RESPONSES
from qa_service.models import Health, IndexManifest, Readiness
from qa_service.pipeline import NoIndexAvailable, Pipeline

router = APIRouter()


def get_pipeline(request: Request) -> Pipeline:
    """FastAPI dependency: the app's pipeline."""
    pipeline: Pipeline = request.app.state.pipeline
    return pipeline


PipelineDep = Annotated[Pipeline, Depends(get_pipeline)]


@router.get("/healthz", response_model=Health, tags=["ops"])
def healthz() -> Health:
    """Liveness: the process is up and answering."""
    return Health(status="ok")


@router.get("/metrics", include_in_schema=False)
def prometheus_metrics(request: Request) -> Response:
    """The app's Prometheus metrics in the text exposition format."""
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)


@router.get("/readyz", response_model=Readiness, tags=["ops"], responses={503: {"model": Readiness}})
def readyz(pipeline: PipelineDep) -> Any:
    """Readiness: the served index version and its counts, or 503 with the problem while no index
    is loaded."""
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


@router.get("/v1/index", response_model=IndexManifest, tags=["ops"], responses=ERROR_RESPONSES)
def index_manifest(pipeline: PipelineDep) -> IndexManifest:
    """The manifest.json of the index version being served (503 while none is loaded)."""
    return IndexManifest(**pipeline.index.get().version.manifest.model_dump())
