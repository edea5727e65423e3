"""The default generator: an extractive answer made of verbatim sentences from the retrieved
passages, each followed by the [n] of the passage it comes from.

Sentences are scored against the question (sentence vectors from ingest, plus word overlap and
the passage's rank), diversified (maximal marginal relevance), and put back in document order.
A citation can only point at the passage whose text contains the sentence, by construction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

import prompts
from ingest.index import ChunkRecord, IndexVersion
from ingest.text import bm25_query_tokens
from qa_service.models import Citation
from qa_service.retrieval import Hit, Retrieval, section_intents


class GeneratorConfig(BaseModel):
    """Extractive answer knobs: `WISDOM_GENERATION__<NAME>` in the environment."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_words: int = Field(
        60, ge=0, description="Words an answer reaches before weaker sentences may end it."
    )
    target_words: int = Field(120, ge=1, description="Words at which an answer stops growing.")
    max_words: int = Field(180, ge=1, description="Most words an answer of several sentences may have.")
    max_sentences: int = Field(7, ge=1, description="Most sentences quoted in one answer.")
    diversity: float = Field(
        0.7, ge=0, le=1, description="MMR: weight of relevance against redundancy when choosing sentences."
    )
    relative_cutoff: float = Field(
        0.72, ge=0, le=1, description="Keep sentences scoring at least this share of the best one."
    )
    duplicate_cosine: float = Field(
        0.93, ge=0, le=1, description="Cosine above which a sentence says the same as one already chosen."
    )
    section_bonus: float = Field(
        0.04, description="Score added to sentences in a section that matches the question's intent."
    )
    overlap_weight: float = Field(
        0.25, description="Weight of the share of the question's terms a sentence contains."
    )
    rank_penalty: float = Field(0.02, description="Score taken off per rank of the sentence's passage.")
    min_sentence_words: int = Field(3, ge=1, description="Shorter sentences are never quoted.")
    short_sentence_words: int = Field(6, ge=1, description="Sentences shorter than this are penalised.")
    short_sentence_penalty: float = Field(0.05, description="Score taken off a short sentence.")
    negative_best_margin: float = Field(
        0.1, description="When the best score is not positive, keep sentences within this of it."
    )


@dataclass
class Candidate:
    hit_rank: int
    hit: Hit
    row: int
    start: int
    end: int
    text: str
    vector: np.ndarray
    score: float
    bullet: bool
    intro_for_list: bool


@dataclass
class Draft:
    text: str
    citations: list[Citation]
    best_score: float
    sentences: list[Candidate] = field(default_factory=list)


_WORD = re.compile(r"[A-Za-z0-9']+")


def cite(chunk: ChunkRecord, n: int, quotes: list[str]) -> Citation:
    """Citation [n] of a passage, quoting the sentences of it that the answer uses."""
    return Citation(
        n=n,
        chunk_id=chunk.chunk_id,
        doc_id=chunk.doc_id,
        title=chunk.title,
        section=chunk.section,
        url=chunk.url,
        reviewed=chunk.reviewed,
        quote=" … ".join(quotes),
    )


def _words(text: str) -> int:
    return len(_WORD.findall(text))


class ExtractiveGenerator:
    """The default generator: quotes the sentences of the retrieved passages that answer the
    question, verbatim and in the page's order, and cites each passage once. Sentences are scored
    with the vectors ingest stored for them (no model call); `GeneratorConfig` names the knobs."""

    def __init__(self, version: IndexVersion, config: GeneratorConfig | None = None):
        self.version = version
        self.config = config or GeneratorConfig()

    def candidates(
        self, question: str, qvec: np.ndarray, hits: Sequence[Hit], intents: set[str]
    ) -> list[Candidate]:
        cfg = self.config
        terms = set(bm25_query_tokens(question))
        out: list[Candidate] = []
        for rank, hit in enumerate(hits):
            chunk = hit.chunk
            doc_text = self.version.document_text(chunk.doc_id)
            rows = self.version.sentences(chunk.first_sentence, chunk.n_sentences)
            if not rows:
                continue
            vectors = self.version.sentence_vectors(rows[0][0], rows[-1][0] + 1)
            sims = vectors @ qvec
            section_bonus = cfg.section_bonus if intents & section_intents(chunk.section) else 0.0
            for (row, start, end), vector, sim in zip(rows, vectors, sims, strict=True):
                text = doc_text[start:end]
                n_words = _words(text)
                if n_words < cfg.min_sentence_words or text.rstrip().endswith("?"):
                    continue
                stems = set(bm25_query_tokens(text))
                overlap = len(terms & stems) / len(terms) if terms else 0.0
                score = float(sim) + cfg.overlap_weight * overlap + section_bonus - cfg.rank_penalty * rank
                if n_words < cfg.short_sentence_words:
                    score -= cfg.short_sentence_penalty
                line_start = doc_text.rfind("\n", 0, start) + 1
                bullet = bool(re.match(r"[ \t]*([-*+•]|\d{1,3}[.)])[ \t]+$", doc_text[line_start:start]))
                out.append(
                    Candidate(
                        rank,
                        hit,
                        row,
                        start,
                        end,
                        text,
                        vector,
                        score,
                        bullet,
                        text.rstrip().endswith(":"),
                    )
                )
        return out

    def draft(self, retrieval: Retrieval, candidates: list[Candidate]) -> Draft:
        """The answer quoted from the candidates the pipeline scored (see `candidates`)."""
        return self.draft_from(candidates, topic_of(retrieval))

    def draft_from(self, cands: list[Candidate], topic: str | None) -> Draft:
        """The draft from candidates already scored (the pipeline scores them to decide whether
        to answer at all)."""
        if not cands:
            return Draft("", [], 0.0)
        chosen = self._select(cands)
        chosen = self._add_list_intros(chosen, cands)
        text, citations = self._render(chosen, topic)
        return Draft(text, citations, max(c.score for c in cands), chosen)

    def _select(self, cands: list[Candidate]) -> list[Candidate]:
        cfg = self.config
        pool = sorted(cands, key=lambda c: -c.score)
        best = pool[0].score
        floor = best * cfg.relative_cutoff if best > 0 else best - cfg.negative_best_margin
        chosen: list[Candidate] = []
        said: set[str] = set()
        words = 0
        while pool and len(chosen) < cfg.max_sentences:

            def mmr(c: Candidate) -> float:
                redundancy = max((float(c.vector @ s.vector) for s in chosen), default=0.0)
                return cfg.diversity * c.score - (1 - cfg.diversity) * redundancy

            pick = max(pool, key=mmr)
            pool.remove(pick)
            if pick.intro_for_list:
                continue  # added back only together with its list items
            if chosen and pick.score < floor and words >= cfg.min_words:
                break
            # Says the same as a sentence already chosen. The same words in two pages (one source
            # copied into another) can sit below the cosine bar: each sentence vector carries its
            # passage's context.
            wording = " ".join(pick.text.split()).casefold()
            if wording in said or (
                chosen and max(float(pick.vector @ s.vector) for s in chosen) > cfg.duplicate_cosine
            ):
                continue
            n = _words(pick.text)
            if chosen and words + n > cfg.max_words:
                continue
            chosen.append(pick)
            said.add(wording)
            words += n
            if words >= cfg.target_words:
                break
        return chosen

    def _add_list_intros(self, chosen: list[Candidate], cands: list[Candidate]) -> list[Candidate]:
        """A list item reads badly alone: bring in the sentence that introduces the list."""
        by_row = {c.row: c for c in cands}
        rows = {c.row for c in chosen}
        extra: list[Candidate] = []
        for c in chosen:
            if not c.bullet:
                continue
            row = c.row - 1
            while row in by_row and by_row[row].bullet:
                row -= 1
            intro = by_row.get(row)
            if intro is not None and intro.intro_for_list and row not in rows and intro.hit.row == c.hit.row:
                extra.append(intro)
                rows.add(row)
        return chosen + extra

    def _render(self, chosen: list[Candidate], topic: str | None) -> tuple[str, list[Citation]]:
        # Readable order: passages in order of their best sentence, sentences in document order.
        first_seen: dict[int, float] = {}
        for c in chosen:
            first_seen[c.hit.row] = max(first_seen.get(c.hit.row, -1e9), c.score)
        ordered = sorted(chosen, key=lambda c: (-first_seen[c.hit.row], c.hit.chunk.doc_id, c.start))
        numbers: dict[int, int] = {}
        quotes: dict[int, list[str]] = {}
        parts: list[str] = []
        for c in ordered:
            n = numbers.setdefault(c.hit.row, len(numbers) + 1)
            quotes.setdefault(n, []).append(c.text)
            sentence = " ".join(c.text.split())
            if c.bullet:
                parts.append(f"\n- {sentence} [{n}]")
            else:
                sep = "\n" if parts and parts[-1].startswith("\n- ") else " "
                parts.append(f"{sep}{sentence} [{n}]" if parts else f"{sentence} [{n}]")
        topic = topic or (ordered[0].hit.chunk.title if ordered else None)
        lead = prompts.message("lead_in", topic=topic) if topic else prompts.message("lead_in_generic")
        body = "".join(parts).strip()
        chunks = {c.hit.row: c.hit.chunk for c in chosen}
        citations = [cite(chunks[row], n, quotes[n]) for row, n in numbers.items()]
        return f"{lead}\n\n{body}", citations


def topic_of(retrieval: Retrieval) -> str | None:
    """The page the question names, if it is among the passages; else the generator uses the
    page of the first sentence it quotes."""
    titles = {h.chunk.title for h in retrieval.hits}
    return next((t for t in retrieval.expansion.matched_titles if t in titles), None)
