"""Typed shapes of everything the service returns. Every response type carries the disclaimer
as a computed field: it cannot be left off, set to "" or overridden by a caller."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

import prompts
from qa_service.language import looks_non_english

MAX_QUESTION_CHARS = 2000
MAX_HISTORY_TURNS = 20

AnswerKind = Literal["answer", "abstain", "urgent", "refer"]


class WithDisclaimer(BaseModel):
    """Base of every response type: the disclaimer as a computed field, so it cannot be left off."""

    @computed_field(description="Not-medical-advice notice; present on every response.")  # type: ignore[prop-decorator]
    @property
    def disclaimer(self) -> str:
        """The not-medical-advice notice (prompts.disclaimer())."""
        return prompts.disclaimer()


class Citation(BaseModel):
    """A passage an answer cites: its number, chunk, page, section, address, review date and the
    quoted sentences."""

    n: int = Field(description="The number used in the answer's [n] markers.")
    chunk_id: str
    doc_id: str
    title: str
    section: str
    url: str | None
    reviewed: str | None
    quote: str = Field(description="The exact sentence(s) of the passage that the answer cites.")
    chunk_ids: list[str] = Field(
        default_factory=list,
        description="Every passage quoted under this number, in page order (the first is chunk_id): "
        "a long section is stored as several passages, and a section is cited once.",
    )


class Answer(WithDisclaimer):
    """The response to `POST /v1/ask`: the answer's kind and text, its citations, the index
    version and timings."""

    kind: AnswerKind
    text: str
    citations: list[Citation] = Field(default_factory=list)
    index_version: str | None = None
    timings: dict[str, float] = Field(default_factory=dict, description="Milliseconds per stage.")


class ErrorResponse(WithDisclaimer):
    """The body of every error response: a code and a message saying what to do."""

    error: str = Field(description="A short machine-readable code.")
    message: str = Field(description="What went wrong and what to do.")


def _clean_text(value: str, what: str) -> str:
    """Reject control characters (other than newlines and tabs) and normalise Unicode."""
    value = unicodedata.normalize("NFC", value)
    bad = [c for c in value if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") and c not in "\n\t\r"]
    if bad:
        raise ValueError(f"{what} contains control characters (e.g. U+{ord(bad[0]):04X}); send plain text.")
    return value


class ChatTurn(BaseModel):
    """One earlier message of the conversation, from the user or the assistant."""

    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: str = Field(max_length=8000)

    @field_validator("content")
    @classmethod
    def _content(cls, value: str) -> str:
        return _clean_text(value, "a history message")


class AskRequest(BaseModel):
    """The body of `POST /v1/ask`: the question, the conversation so far and how many passages to use."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"question": "What is immune-mediated necrotizing myopathy?"}]},
    )
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    history: list[ChatTurn] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS)
    k: int = Field(5, ge=1, le=20, description="How many passages to draw the answer from.")

    @field_validator("question")
    @classmethod
    def _question(cls, value: str) -> str:
        value = _clean_text(value, "the question").strip()
        if not value:
            raise ValueError("the question is empty; type a question.")
        if not re.search(r"\w", value):
            raise ValueError("the question has no words; type a question.")
        if looks_non_english(value):
            raise ValueError(
                "the question does not look like English; the library is in English only, "
                "so please ask in English."
            )
        return value


class SearchRequest(BaseModel):
    """The body of `POST /v1/search`: a query, how many passages, and which retriever."""

    model_config = ConfigDict(extra="forbid")
    query: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    k: int = Field(10, ge=1, le=100)
    mode: Literal["hybrid", "dense", "bm25"] = Field(
        "hybrid", description="hybrid (what answers use), or one retriever alone, for comparisons."
    )

    @field_validator("query")
    @classmethod
    def _query(cls, value: str) -> str:
        value = _clean_text(value, "the query").strip()
        if not value:
            raise ValueError("the query is empty.")
        return value


class SearchHit(BaseModel):
    """One passage `POST /v1/search` found, with its page, text, and score and rank per retriever."""

    rank: int
    chunk_id: str
    doc_id: str
    title: str
    section: str
    url: str | None
    text: str
    score: float = Field(
        description="Fused score (reciprocal rank fusion with priors). In a small library the learned "
        "reranker orders the first passages, so there rank, not this score, gives the order."
    )
    dense_score: float | None = Field(description="Cosine similarity, if the dense retriever found it.")
    dense_rank: int | None
    bm25_score: float | None
    bm25_rank: int | None


class SearchResponse(WithDisclaimer):
    """The response to `POST /v1/search`: the query as searched and the passages found, best first."""

    query: str
    expanded_query: str
    hits: list[SearchHit]
    index_version: str


class DocumentSection(BaseModel):
    """One section of a page: its heading, depth and text."""

    heading: str
    level: int
    text: str


class DocumentResponse(WithDisclaimer):
    """The response to `GET /v1/documents/{doc_id}`: a page's metadata, sections and whole text."""

    doc_id: str
    title: str
    url: str | None
    kind: str | None
    reviewed: str | None
    summary: str | None
    aliases: list[str]
    sources: list[dict[str, str]]
    sections: list[DocumentSection]
    text: str


class Health(WithDisclaimer):
    """The response to `GET /healthz`: the process is up."""

    status: Literal["ok"]


class IndexManifest(WithDisclaimer):
    """The live version's manifest.json, as written by ingest, plus the disclaimer."""

    model_config = ConfigDict(extra="allow")


class Readiness(WithDisclaimer):
    """The response to `GET /readyz`: whether an index is loaded, its version and counts, or the problem."""

    ready: bool
    index_version: str | None
    documents: int | None = None
    chunks: int | None = None
    problem: str | None = None
