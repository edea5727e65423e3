"""The in-memory unit of ingest: one source document with its metadata."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator

DocKind = Literal["editorial", "community", "external"]


class SourceRef(BaseModel):
    """A public reference a page is based on."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=3)
    url: HttpUrl


class FrontMatter(BaseModel):
    """YAML front matter of a corpus page (see corpus/README.md).

    Only `title` is required for ingest; the corpus validation test requires every field for
    the pages in `corpus/`.
    """

    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=2, max_length=200)
    aliases: list[str] = Field(default_factory=list)
    summary: str | None = None
    reviewed: dt.date | None = None
    sources: list[SourceRef] = Field(default_factory=list)
    kind: Literal["editorial", "community"] = "editorial"
    url: HttpUrl | None = None
    questions: dict[str, list[str]] = Field(default_factory=dict)
    """Section heading → questions patients ask that the section answers. Retrieval matches a
    patient's question against them, so a section is found in the words people use for it."""

    @field_validator("questions")
    @classmethod
    def _questions_non_empty(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        cleaned = {h.strip(): [q.strip() for q in qs] for h, qs in value.items()}
        if any(not h or not qs or any(not q for q in qs) for h, qs in cleaned.items()):
            raise ValueError("each questions entry needs a section heading and a list of non-empty questions")
        return cleaned

    @field_validator("aliases")
    @classmethod
    def _aliases_non_empty(cls, value: list[str]) -> list[str]:
        cleaned = [a.strip() for a in value]
        if any(not a for a in cleaned):
            raise ValueError("aliases must not contain empty strings")
        return cleaned


@dataclass(frozen=True)
class SourceDoc:
    """A loaded document. Chunk offsets refer to `text` (the body, without front matter)."""

    doc_id: str
    title: str
    text: str
    path: str
    url: str | None = None
    kind: DocKind = "external"
    aliases: tuple[str, ...] = ()
    summary: str | None = None
    reviewed: str | None = None
    sources: tuple[dict[str, str], ...] = ()
    source: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    questions: tuple[tuple[str, str], ...] = ()
    """(section heading, question) pairs from the front matter's `questions`."""

    @cached_property
    def digest(self) -> str:
        """Hash of everything that ends up in the index for this document (computed once: the
        corpus digest, the change count and the chunk store all ask for it)."""
        payload = json.dumps(
            [
                self.doc_id,
                self.title,
                self.text,
                self.url,
                self.aliases,
                self.reviewed,
                self.summary,
                self.sources,
                self.kind,
                self.source,
            ]
            # Only a page with questions hashes them: the digests of other pages stay as they were.
            + ([self.questions] if self.questions else []),
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SourceProblem:
    """A source file (or line) that could not be ingested, and why."""

    where: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"
