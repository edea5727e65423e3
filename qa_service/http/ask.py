"""Answering endpoints: ask (JSON and Server-Sent Events), search, and a library page by id."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
from fastapi import APIRouter, Request
from sse_starlette.sse import EventSourceResponse

import prompts
from ingest.chunking import split_sections
from ingest.documents import SourceDoc
from qa_service.http.middleware import ERROR_RESPONSES, error_response
from qa_service.http.ops import PipelineDep
from qa_service.models import (
    Answer,
    AskRequest,
    DocumentResponse,
    DocumentSection,
    ErrorResponse,
    SearchHit,
    SearchRequest,
    SearchResponse,
)
from qa_service.pipeline import NoIndexAvailable

log = logging.getLogger("wisdom.api")

router = APIRouter()


def record_answer(request: Request, body: AskRequest, answer: Answer, endpoint: str) -> None:
    """Count the answer by kind and endpoint; log the question only if the operator opted in."""
    request.app.state.metrics.answer(answer.kind, endpoint, answer.timings.get("total_ms"))
    if request.app.state.settings.log_questions:  # opt-in only: questions are health information
        log.info("question", extra={"question": body.question, "kind": answer.kind})


@router.post("/v1/ask", response_model=Answer, tags=["answers"], responses=ERROR_RESPONSES)
def ask(body: AskRequest, pipeline: PipelineDep, request: Request) -> Answer:
    """Answer one question (with the conversation so far): a cited answer, an abstention, an
    urgent message or a referral."""
    answer = pipeline.ask(body)
    record_answer(request, body, answer, "ask")
    return answer


@router.post(
    "/v1/ask/stream",
    tags=["answers"],
    responses={
        200: {
            "description": "Server-Sent Events: meta, delta, citation, done (the full Answer) "
            "or error (with the disclaimer).",
            "content": {"text/event-stream": {}},
        },
        **ERROR_RESPONSES,
    },
)
async def ask_stream(body: AskRequest, pipeline: PipelineDep, request: Request) -> EventSourceResponse:
    """The answer to `/v1/ask` as Server-Sent Events: meta, text deltas, citations, then done
    with the full answer (or an error)."""

    async def events() -> AsyncIterator[dict[str, str]]:
        try:
            answer = await anyio.to_thread.run_sync(pipeline.ask, body)
            record_answer(request, body, answer, "stream")
            for event in answer_events(answer):
                yield event
        except NoIndexAvailable as exc:
            yield _error_event("no_index", f"{prompts.message('errors.no_index')} ({exc})")
        except Exception:
            log.exception("stream failed")
            yield _error_event("internal", prompts.message("errors.internal"))

    return EventSourceResponse(events(), ping=15)


@router.post("/v1/search", response_model=SearchResponse, tags=["evaluation"], responses=ERROR_RESPONSES)
def search(body: SearchRequest, pipeline: PipelineDep) -> SearchResponse:
    """The passages retrieval finds for a query, with their scores and ranks per retriever,
    without writing an answer."""
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


@router.get(
    "/v1/documents/{doc_id}",
    response_model=DocumentResponse,
    tags=["answers"],
    responses={404: {"model": ErrorResponse}, 503: ERROR_RESPONSES[503]},
)
def document(doc_id: str, pipeline: PipelineDep) -> Any:
    """One page of the live index with its metadata, sections and whole text; 404 if it has no such page."""
    version = pipeline.index.get().version
    record = version.document(doc_id)
    if record is None:
        return error_response(
            404, "not_found", prompts.message("errors.not_found", what=f"Document {doc_id!r}")
        )
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
