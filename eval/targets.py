"""What an evaluation runs against: the pipeline in this process, or a running server over HTTP.

Both answer the same three calls: `ask` (the full answer, as /v1/ask returns it), `search` (the
ranked chunks for a retrieval mode, to score retrieval and the BM25-only / dense-only baselines)
and `passage` (the text a citation points at, to check its quote).

Citation passages: in process, the cited chunk's exact text from the index (chunk store offsets
into the stored document). Over HTTP there is no chunk endpoint, so the passage is the text of the
cited section of the document from /v1/documents/{id} (every section whose heading is the last
part of the citation's section label); a chunk never crosses a section, so a quote that is in its
chunk is always in that section text. The HTTP check is therefore slightly more lenient.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
from pydantic import ValidationError

from eval.datasets import EvalCase
from qa_service.answer.retrieval import Mode
from qa_service.models import AskRequest, ErrorResponse
from qa_service.pipeline import NoIndexAvailable, Pipeline

MODES: tuple[Mode, ...] = ("hybrid", "bm25", "dense")


class TargetError(Exception):
    """The target cannot answer (no index, server error); the message says what to do."""


class TargetUnreachable(TargetError):
    """The server at the target URL cannot be reached."""


@dataclass
class Reply:
    """One answer as the target returned it. `kind` is "rejected" when the question was refused
    as invalid (HTTP 422 or the same validation in process); `error` then holds the message."""

    kind: str
    text: str = ""
    citations: list[dict[str, Any]] = field(default_factory=list)
    disclaimer: str | None = None
    index_version: str | None = None
    latency_ms: float | None = None
    error: str | None = None


@dataclass(frozen=True)
class Retrieved:
    """A retrieved chunk: its id, document and section."""

    chunk_id: str
    doc_id: str
    section: str


class Target(Protocol):
    """What an evaluation runs against: the pipeline in this process, or a running server."""

    label: str

    def describe(self) -> dict[str, Any]:
        """What is being evaluated (index version, counts, address), for the report."""
        ...

    def ask(self, case: EvalCase) -> Reply:
        """The target's answer to one question."""
        ...

    def search(self, case: EvalCase, k: int, mode: Mode) -> list[Retrieved] | None:
        """Ranked chunks, or None when the target cannot retrieve in this mode."""
        ...

    def passage(self, citation: dict[str, Any]) -> str | None:
        """The text of the passage a citation names, or None when it names none."""
        ...

    def close(self) -> None:
        """Release connections and threads."""
        ...


def _validation_message(exc: ValidationError) -> str:
    return str(exc.errors()[0].get("msg", "invalid question")).removeprefix("Value error, ")


def _request(case: EvalCase) -> AskRequest:
    return AskRequest(question=case.question, history=case.history)


class LocalTarget:
    """The pipeline in this process, on its live index version."""

    label = "local"

    def __init__(self, pipeline: Pipeline):
        self.pipeline = pipeline

    def _version(self) -> Any:
        try:
            return self.pipeline.index.get().version
        except NoIndexAvailable as exc:
            raise TargetError(str(exc)) from exc

    def describe(self) -> dict[str, Any]:
        """The live index version and its counts."""
        version = self._version()
        counts = version.manifest.counts
        return {
            "target": "local",
            "index_dir": str(self.pipeline.settings.index_dir),
            "index_version": version.version_id,
            "documents": counts.documents,
            "chunks": counts.chunks,
        }

    def ask(self, case: EvalCase) -> Reply:
        """The pipeline's answer; invalid questions come back as rejected, as over HTTP."""
        try:
            request = _request(case)
        except ValidationError as exc:
            error = ErrorResponse(error="invalid_request", message=_validation_message(exc))
            return Reply("rejected", disclaimer=error.disclaimer, error=error.message)
        t0 = time.perf_counter()
        try:
            answer = self.pipeline.ask(request)
        except NoIndexAvailable as exc:
            raise TargetError(str(exc)) from exc
        latency = (time.perf_counter() - t0) * 1000
        body = answer.model_dump(mode="json")
        return Reply(
            body["kind"],
            body["text"],
            body["citations"],
            body.get("disclaimer"),
            body.get("index_version"),
            latency,
        )

    def search(self, case: EvalCase, k: int, mode: Mode) -> list[Retrieved] | None:
        """The pipeline's retrieval in `mode`."""
        history = [(t.role, t.content) for t in case.history]
        try:
            retrieval, _ = self.pipeline.retrieve(case.question, k, mode, history)
        except NoIndexAvailable as exc:
            raise TargetError(str(exc)) from exc
        return [Retrieved(h.chunk.chunk_id, h.chunk.doc_id, h.chunk.section) for h in retrieval.hits]

    def passage(self, citation: dict[str, Any]) -> str | None:
        """The cited chunk's text from the live version (from the first to the last of its
        `chunk_ids` when it quotes several passages of a section), None when the ids do not match."""
        version = self._version()
        ids = citation.get("chunk_ids") or [citation.get("chunk_id")]
        spans: list[tuple[int, int]] = []
        for chunk_id in ids:
            found = version.store.chunk_location(str(chunk_id))
            if found is None or found[0] != citation.get("doc_id"):
                return None
            spans.append((found[1], found[2]))
        text: str = version.document_text(str(citation["doc_id"]))[
            min(s for s, _ in spans) : max(e for _, e in spans)
        ]
        return text

    def close(self) -> None:
        """Nothing to release in process."""
        return None


class HttpTarget:
    """A running Alike Wisdom server. One connection pool shared by the run's worker threads."""

    def __init__(self, base_url: str, timeout: float = 60.0, transport: httpx.BaseTransport | None = None):
        self.base_url = base_url.rstrip("/")
        self.label = self.base_url
        self.client = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport)
        self._documents: dict[str, dict[str, Any] | None] = {}
        self._lock = threading.Lock()
        self._modes_refused: set[str] = set()

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request; a 429 (the server's per-client rate limit) is waited out as its
        Retry-After says, up to five times, so a rate-limited deployment can still be evaluated."""
        try:
            for _ in range(5):
                response = self.client.request(method, path, **kwargs)
                if response.status_code != 429:
                    break
                time.sleep(min(float(response.headers.get("Retry-After", "1") or 1), 30.0))
            return response
        except httpx.TransportError as exc:
            raise TargetUnreachable(
                f"cannot reach {self.base_url} ({type(exc).__name__}: {exc or 'no detail'}) during "
                f"{method} {path}. Check that the server is running and the URL and port are right."
            ) from exc

    def _fail(self, response: httpx.Response, what: str) -> TargetError:
        try:
            detail = response.json().get("message") or response.text[:200]
        except ValueError:
            detail = response.text[:200]
        return TargetError(f"{self.base_url}{what} answered HTTP {response.status_code}: {detail}")

    def describe(self) -> dict[str, Any]:
        """The server's address and its /readyz answer."""
        response = self._call("GET", "/readyz")
        if response.status_code != 200:
            raise self._fail(response, "/readyz")
        body = response.json()
        return {
            "target": self.base_url,
            "index_version": body.get("index_version"),
            "documents": body.get("documents"),
            "chunks": body.get("chunks"),
        }

    def ask(self, case: EvalCase) -> Reply:
        """POST /v1/ask; 422 becomes a rejected reply, other errors a TargetError."""
        payload: dict[str, Any] = {"question": case.question}
        if case.history:
            payload["history"] = [t.model_dump() for t in case.history]
        t0 = time.perf_counter()
        response = self._call("POST", "/v1/ask", json=payload)
        latency = (time.perf_counter() - t0) * 1000
        if response.status_code == 422:
            body = response.json()
            return Reply("rejected", disclaimer=body.get("disclaimer"), error=body.get("message"))
        if response.status_code != 200:
            raise self._fail(response, "/v1/ask")
        body = response.json()
        return Reply(
            body["kind"],
            body["text"],
            body.get("citations", []),
            body.get("disclaimer"),
            body.get("index_version"),
            latency,
        )

    def search(self, case: EvalCase, k: int, mode: Mode) -> list[Retrieved] | None:
        """/v1/search with `mode` for the baselines. A server whose search takes no mode (it
        answers 422) gives hybrid results only; the baselines are then reported as unavailable.
        Chat history is not sent: /v1/search takes a query only."""
        if mode in self._modes_refused:
            return None
        payload: dict[str, Any] = {"query": case.question[:2000], "k": min(k, 100)}
        if mode != "hybrid":
            payload["mode"] = mode
        response = self._call("POST", "/v1/search", json=payload)
        if response.status_code == 422 and mode != "hybrid":
            self._modes_refused.add(mode)
            return None
        if response.status_code == 422:
            return []
        if response.status_code != 200:
            raise self._fail(response, "/v1/search")
        return [Retrieved(h["chunk_id"], h["doc_id"], h["section"]) for h in response.json()["hits"]]

    def _document(self, doc_id: str) -> dict[str, Any] | None:
        with self._lock:
            if doc_id in self._documents:
                return self._documents[doc_id]
        response = self._call("GET", f"/v1/documents/{doc_id}")
        doc = response.json() if response.status_code == 200 else None
        with self._lock:
            self._documents[doc_id] = doc
        return doc

    def passage(self, citation: dict[str, Any]) -> str | None:
        """The text of the cited section, from /v1/documents/{id}; None when the page is unknown."""
        doc = self._document(str(citation.get("doc_id", "")))
        if doc is None:
            return None
        label = str(citation.get("section") or "")
        heading = label.split(" > ")[-1] if label else doc["title"]
        texts = [s["text"] for s in doc["sections"] if s["heading"] == heading]
        return "\n\n".join(texts) if texts else None

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()
