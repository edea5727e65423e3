"""Patients' feedback on answers: "Helpful" or "Not helpful", with an optional reason, so that
operators learn which pages fail (`wisdom feedback report`).

`POST /v1/feedback` stores one rating in SQLite (WISDOM_FEEDBACK_DB, created when the service
starts). On disk:

    feedback            id, created (UTC, ISO 8601), rating, reason, kind, index_version, question
    feedback_citations  feedback_id -> feedback.id, chunk_id, doc_id, title, section

A cited chunk's page and section are looked up in the live index when the rating arrives (chunk ids
are digests of their text, so they outlive re-ingests of an unchanged page); a chunk the live
version no longer holds is kept with its id alone. The question's text is stored only when the
operator sets WISDOM_LOG_QUESTIONS=true: by default `question` is NULL in every row.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections import Counter as Tally
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from prometheus_client import Counter
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

import prompts
from qa_service.models import MAX_QUESTION_CHARS, AnswerKind, ErrorResponse, WithDisclaimer

if TYPE_CHECKING:
    from ingest.index import ChunkRecord
    from qa_service.settings import Settings

Rating = Literal["helpful", "not_helpful"]
Reason = Literal["wrong", "unclear", "not_what_i_asked", "out_of_date"]
REASON_LABELS: dict[str, str] = {
    "wrong": "wrong",
    "unclear": "unclear",
    "not_what_i_asked": "not what I asked",
    "out_of_date": "out of date",
}
MAX_CITED = 20

_Id = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:#-]+$")]

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    created TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('helpful', 'not_helpful')),
    reason TEXT,
    kind TEXT NOT NULL,
    index_version TEXT,
    question TEXT
);
CREATE TABLE IF NOT EXISTS feedback_citations (
    feedback_id INTEGER NOT NULL REFERENCES feedback(id) ON DELETE CASCADE,
    chunk_id TEXT NOT NULL,
    doc_id TEXT,
    title TEXT,
    section TEXT
);
CREATE INDEX IF NOT EXISTS feedback_citations_page ON feedback_citations (doc_id, section);
"""


class FeedbackCreate(BaseModel):
    """One rating of one answer, as the web chat (or any client) sends it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "rating": "not_helpful",
                    "reason": "unclear",
                    "kind": "answer",
                    "index_version": "20261130T120000Z-1a2b3c",
                    "chunk_ids": ["3f9d0c1e2b4a5d6e7f80"],
                }
            ]
        },
    )
    rating: Rating
    reason: Reason | None = Field(None, description="Why it was not helpful (only with not_helpful).")
    kind: AnswerKind = Field(description="The answer's kind, as the service gave it.")
    index_version: _Id | None = Field(None, description="The answer's index_version.")
    chunk_ids: list[_Id] = Field(
        default_factory=list, max_length=MAX_CITED, description="The chunk_id of each citation."
    )
    question: str | None = Field(
        None,
        max_length=MAX_QUESTION_CHARS,
        description="Stored only when the operator sets WISDOM_LOG_QUESTIONS=true; dropped otherwise.",
    )

    @field_validator("question")
    @classmethod
    def _question(cls, value: str | None) -> str | None:
        if value is not None and any(ord(c) < 32 and c not in "\n\t\r" for c in value):
            raise ValueError("the question contains control characters; send plain text.")
        if value is None:
            return None
        return value.strip() or None

    @model_validator(mode="after")
    def _reason_only_when_not_helpful(self) -> Self:
        if self.reason is not None and self.rating == "helpful":
            raise ValueError("a reason goes with rating 'not_helpful' only.")
        return self


class FeedbackReceipt(WithDisclaimer):
    """The response to `POST /v1/feedback`: the stored rating's number, a thank-you and what was kept."""

    id: int = Field(description="The stored rating's number.")
    message: str
    pages_matched: int = Field(description="How many of the cited chunks were found in the live index.")
    question_stored: bool = Field(description="True only when the operator stores questions.")


@dataclass(frozen=True)
class Cited:
    """A chunk an answer cited, with its page and section when the live index still holds it."""

    chunk_id: str
    doc_id: str | None = None
    title: str | None = None
    section: str | None = None


@dataclass
class PageRow:
    """Ratings of answers that cited one section of one page."""

    doc_id: str | None
    title: str | None
    section: str | None
    rated: int = 0
    not_helpful: int = 0
    reasons: Tally[str] = field(default_factory=Tally)

    @property
    def unhelpful_rate(self) -> float:
        """The share of these ratings that were "not helpful" (0 when there are none)."""
        return self.not_helpful / self.rated if self.rated else 0.0


@dataclass
class FeedbackReport:
    """What `wisdom feedback report` shows: totals, the first and last rating, counts by answer
    kind and reason, and the cited page sections, worst first."""

    rated: int
    not_helpful: int
    first: str | None
    last: str | None
    by_kind: dict[str, tuple[int, int]]  # kind -> (rated, not helpful)
    reasons: Tally[str]
    pages: list[PageRow]

    @property
    def unhelpful_rate(self) -> float:
        """The share of all ratings that were "not helpful" (0 when there are none)."""
        return self.not_helpful / self.rated if self.rated else 0.0

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data, rates rounded to four places."""
        return {
            "rated": self.rated,
            "not_helpful": self.not_helpful,
            "unhelpful_rate": round(self.unhelpful_rate, 4),
            "first": self.first,
            "last": self.last,
            "by_kind": {k: {"rated": r, "not_helpful": n} for k, (r, n) in self.by_kind.items()},
            "reasons": dict(self.reasons),
            "pages": [
                {
                    "doc_id": p.doc_id,
                    "title": p.title,
                    "section": p.section,
                    "rated": p.rated,
                    "not_helpful": p.not_helpful,
                    "unhelpful_rate": round(p.unhelpful_rate, 4),
                    "reasons": dict(p.reasons),
                }
                for p in self.pages
            ],
        }


class FeedbackStore:
    """The feedback database. One short connection per call, so any thread (or worker process)
    may write; SQLite's write-ahead log lets readers and one writer work at once."""

    def __init__(self, path: Path):
        self.path = path.expanduser().absolute()  # the working directory may change later
        self._opened = False
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10)
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    def open(self) -> None:
        """Create the file and its tables if they are missing (idempotent)."""
        with self._lock:
            if self._opened:
                return
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self._connect() as conn:
                    conn.execute("PRAGMA journal_mode = WAL")
                    conn.executescript(SCHEMA)
                conn.close()
            except (OSError, sqlite3.Error) as exc:
                raise FeedbackUnavailable(
                    f"cannot create the feedback database {self.path}: {exc}. "
                    "Set WISDOM_FEEDBACK_DB to a file in a writable folder."
                ) from exc
            self._opened = True

    def add(self, entry: FeedbackCreate, cited: list[Cited], *, keep_question: bool) -> int:
        """Store one rating and the chunks it cited (its question only when `keep_question`);
        returns the rating's id."""
        self.open()
        created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        conn = self._connect()
        try:
            with conn:
                cursor = conn.execute(
                    "INSERT INTO feedback (created, rating, reason, kind, index_version, question) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        created,
                        entry.rating,
                        entry.reason,
                        entry.kind,
                        entry.index_version,
                        entry.question if keep_question else None,
                    ),
                )
                row_id = cursor.lastrowid
                assert row_id is not None
                conn.executemany(
                    "INSERT INTO feedback_citations (feedback_id, chunk_id, doc_id, title, section) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [(row_id, c.chunk_id, c.doc_id, c.title, c.section) for c in cited],
                )
        finally:
            conn.close()
        return row_id

    def report(self) -> FeedbackReport:
        """Totals, and one row per page section that answers cited, worst first."""
        if not self.path.is_file():
            raise FeedbackUnavailable(
                f"no feedback database at {self.path}: it is created when `wisdom serve` starts "
                "(WISDOM_FEEDBACK_DB names it)."
            )
        try:
            return self._report()
        except sqlite3.Error as exc:
            raise FeedbackUnavailable(f"cannot read the feedback database {self.path}: {exc}") from exc

    def _report(self) -> FeedbackReport:
        conn = self._connect()
        try:
            conn.executescript(SCHEMA)  # an empty file, or one from before a table was added
            rated, not_helpful, first, last = conn.execute(
                "SELECT COUNT(*), COALESCE(SUM(rating = 'not_helpful'), 0), MIN(created), MAX(created) "
                "FROM feedback"
            ).fetchone()
            by_kind = {
                kind: (n, bad)
                for kind, n, bad in conn.execute(
                    "SELECT kind, COUNT(*), SUM(rating = 'not_helpful') FROM feedback "
                    "GROUP BY kind ORDER BY COUNT(*) DESC"
                )
            }
            reasons = Tally(
                {
                    reason: n
                    for reason, n in conn.execute(
                        "SELECT reason, COUNT(*) FROM feedback WHERE reason IS NOT NULL GROUP BY reason"
                    )
                }
            )
            pages: dict[tuple[str | None, str | None], PageRow] = {}
            # one rating counts once per section, however many of its chunks the answer cited
            rows = conn.execute(
                """SELECT DISTINCT f.id, c.doc_id, c.section, c.title, f.rating, f.reason
                   FROM feedback f JOIN feedback_citations c ON c.feedback_id = f.id"""
            )
            for _, doc_id, section, title, rating, reason in rows:
                key = (doc_id, section if doc_id else None)
                row = pages.setdefault(key, PageRow(doc_id, title, key[1]))
                row.title = row.title or title
                row.rated += 1
                if rating == "not_helpful":
                    row.not_helpful += 1
                    if reason:
                        row.reasons[reason] += 1
        finally:
            conn.close()
        ordered = sorted(
            pages.values(),
            key=lambda p: (-p.not_helpful, -p.unhelpful_rate, p.doc_id or "~", p.section or ""),
        )
        return FeedbackReport(rated, not_helpful, first, last, by_kind, reasons, ordered)


class FeedbackUnavailable(Exception):
    """The feedback database cannot be created, written or read."""


def _resolve(request: Request, chunk_ids: list[str]) -> list[Cited]:
    """Each cited chunk with its page and section from the live index, where it still is."""
    from qa_service.pipeline import NoIndexAvailable

    ids = list(dict.fromkeys(chunk_ids))
    found: dict[str, ChunkRecord] = {}
    pipeline = getattr(request.app.state, "pipeline", None)
    if pipeline is not None and ids:
        try:
            found = {c.chunk_id: c for c in pipeline.index.get().version.chunks_by_id(ids)}
        except NoIndexAvailable:
            found = {}
    out = []
    for chunk_id in ids:
        chunk = found.get(chunk_id)
        if chunk is None:
            out.append(Cited(chunk_id))
        else:
            out.append(Cited(chunk_id, chunk.doc_id, chunk.title, chunk.section))
    return out


router = APIRouter(tags=["feedback"])


@router.post(
    "/v1/feedback",
    status_code=201,
    response_model=FeedbackReceipt,
    responses={
        400: {"model": ErrorResponse, "description": "The body cannot be decoded as JSON."},
        413: {"model": ErrorResponse, "description": "The request body is too large."},
        422: {"model": ErrorResponse, "description": "The rating is not valid."},
        429: {"model": ErrorResponse, "description": "Too many requests from this address."},
        503: {"model": ErrorResponse, "description": "The feedback database cannot be written."},
    },
)
def give_feedback(body: FeedbackCreate, request: Request) -> Any:
    """Rate one answer: helpful or not, and why. Stores no question text unless the operator
    has turned on WISDOM_LOG_QUESTIONS."""
    settings: Settings = request.app.state.settings
    store: FeedbackStore = request.app.state.feedback
    cited = _resolve(request, body.chunk_ids)
    keep_question = settings.log_questions and body.question is not None
    try:
        row_id = store.add(body, cited, keep_question=keep_question)
    except (FeedbackUnavailable, sqlite3.Error):
        error = ErrorResponse(error="feedback_unavailable", message=prompts.message("feedback.unavailable"))
        return JSONResponse(error.model_dump(), status_code=503)
    request.app.state.feedback_counter.labels(body.rating, body.reason or "").inc()
    return FeedbackReceipt(
        id=row_id,
        message=prompts.message("feedback.thanks"),
        pages_matched=sum(1 for c in cited if c.doc_id is not None),
        question_stored=keep_question,
    )


def install_feedback(app: FastAPI, settings: Settings) -> None:
    """The store on `app.state.feedback` (its file is created in the app's lifespan), the route,
    and a `wisdom_feedback` counter on the app's metrics."""
    app.state.feedback = FeedbackStore(settings.feedback_db)
    app.state.feedback_counter = Counter(
        "wisdom_feedback",
        "Ratings of answers by rating and reason.",
        ["rating", "reason"],
        registry=app.state.metrics.registry,
    )
    app.include_router(router)
