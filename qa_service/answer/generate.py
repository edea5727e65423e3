"""The default generator: an extractive answer quoted verbatim from the retrieved passages
(compose.py picks the spans, lead.py puts the answering sentence first, render.py writes them with one
[n] per section); a citation can only point at the passage that holds the sentence, by construction."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ingest.index import ChunkRecord, IndexVersion
from ingest.text import bm25_query_tokens
from qa_service.answer.compare import other_sides
from qa_service.answer.compose import MIN_WORDS, Span, compose, grow
from qa_service.answer.expansion import beyond_names, name_words
from qa_service.answer.intents import section_intents
from qa_service.answer.lead import lead_section
from qa_service.answer.render import cite as cite
from qa_service.answer.render import lead_in as lead_in
from qa_service.answer.render import render as render
from qa_service.answer.retrieval import Hit, Retrieval
from qa_service.answer.sections import by_passage, whole_sections
from qa_service.answer.sentence_model import SentenceModel, rescore
from qa_service.models import Citation


class GeneratorConfig(BaseModel):
    """Extractive answer knobs: `WISDOM_GENERATION__<NAME>` in the environment."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    target_words: int = Field(
        120, ge=1, description="Words an answer grows to (a definition: half; a list question: max_words)."
    )
    max_words: int = Field(180, ge=1, description="Words a list answer may reach (its list quoted whole).")
    relative_cutoff: float = Field(
        0.72,
        ge=0,
        le=1,
        description="A span grows with the next sentence if it scores this share of the best.",
    )
    duplicate_cosine: float = Field(
        0.93, ge=0, le=1, description="Cosine above which a sentence says the same as one already chosen."
    )
    section_bonus: float = Field(
        0.08, description="Score added to sentences in a section that matches the question's intent."
    )
    overlap_weight: float = Field(
        0.25, description="Weight of the share of the question's terms a sentence contains."
    )
    rank_penalty: float = Field(0.04, description="Score taken off per rank of the sentence's passage.")
    min_sentence_words: int = Field(3, ge=1, description="Shorter sentences are never quoted.")
    short_sentence_words: int = Field(6, ge=1, description="Sentences shorter than this are penalised.")
    short_sentence_penalty: float = Field(0.05, description="Score taken off a short sentence.")
    continue_words: int = Field(
        80,
        ge=0,
        description="Words a first span that ends its passage with fewer than 35 words (compose.MIN_WORDS) "
        "may take from the next passage of the same section (a long section is stored as several).",
    )
    definition_min_words: int = Field(
        40,
        ge=1,
        description="Fewest words a definition answer may reach (it otherwise gets half of target_words).",
    )
    opening_margin: float = Field(
        0.05,
        description="A span that starts at a section's second sentence takes the opening one too "
        "if it scores within this of it.",
    )
    definition_opening_bonus: float = Field(
        0.05,
        description="Score added to a section's opening sentence when the question asks what a thing is.",
    )
    list_overflow: float = Field(
        1.5,
        ge=0,
        description="A list joins a span only if the span then stays within this multiple of its words.",
    )
    leaning_share: float = Field(
        0.5,
        ge=0,
        description="A sentence that leans on the one before joins a span below this share of its words, "
        "whatever its score.",
    )
    named_page_bonus: float = Field(
        0.2,
        description="Score added to a named page's passage for each other named page it also names.",
    )
    other_page_bonus: float = Field(
        -1.0,
        lt=0,
        description="Score of a passage that neither is nor names a page the question names "
        "(below zero: never quoted).",
    )
    subject_tolerance: float = Field(
        0.12,
        ge=0,
        description="The answer is drawn from the named pages (or pages about them) if their best "
        "sentence scores within this of the best.",
    )
    list_passage_bonus: float = Field(
        0.04, description="Score added to a passage with a list when a list answers the question."
    )
    nonpositive_floor_margin: float = Field(
        0.1,
        ge=0,
        description="When the best passage scores zero or less, a span grows with sentences "
        "within this of it.",
    )
    max_passages_tried: int = Field(
        4, ge=1, description="Passages, best first, tried for the answer's spans."
    )
    second_passage_margin: float = Field(
        0.04,
        ge=0,
        description="A second passage is quoted only if it scores within this of the best passage.",
    )
    second_passage_room: float = Field(
        0.4,
        ge=0,
        description="A second passage is tried only while the answer has used less than this "
        "share of its words.",
    )
    whole_passage_lead: float = Field(
        0.05,
        ge=0,
        description="A first passage that fits the answer is quoted whole, in the page's order, unless "
        "its best sentence outscores every sentence before it by this much: then the answer starts "
        "at that sentence (with what it leans on). With the learned sentence weights, on 24 spent "
        "blind sets (1,584 answerable, weights fitted on the other half of the sets) 0.05 put a key "
        "fact in the first two sentences in 70.7 % against 68.2 % at 0.1, key fact anywhere 85.1 % "
        "against 85.0 %, 76 words against 81.",
    )
    answer_lead: float = Field(
        0.05,
        ge=0,
        description="The first section quoted opens with its best sentence (qa_service/answer/lead.py) when "
        "it stands third or later and outscores every sentence before it by this much; 0: the page's order.",
    )
    max_pages: int = Field(2, ge=1, description="Pages an answer may quote.")
    compare_margin: float = Field(
        0.16,
        ge=0.0,
        description="A page a comparing question names ('IVIG vs rituximab') that the answer does not quote"
        " joins it if its best sentence scores within this of the answer's best (qa_service/answer/"
        "compare.py); 0: off.",
    )
    later_span_margin: float = Field(
        0.04,
        ge=0,
        description="A later span of the first passage joins it if its best sentence scores "
        "within this of the best.",
    )
    later_span_room: float = Field(
        0.6,
        ge=0,
        description="A later span of the first passage joins it only if the first used less "
        "than this share of the words.",
    )
    span_slack_words: int = Field(
        20, ge=0, description="Words a second span may run over what is left of the answer's words."
    )
    whole_sections: int = Field(
        3,
        ge=0,
        description="Sections, best-ranked first, whose other passages' sentences may be quoted though "
        "retrieval did not return them (a long section is stored as several passages), in a library "
        "whose pages list their sections' questions; 0: only the passages retrieved.",
    )
    section_penalty: float = Field(
        0.05,
        ge=0,
        description="Score taken off a sentence of a passage retrieval did not return (whole_sections): it "
        "joins a span freely but leads one only when it clearly answers better.",
    )
    section_reach: int = Field(
        3,
        ge=0,
        description="Passages before and after a retrieved one read as its section's (whole_sections).",
    )
    learned_sentences: bool = Field(
        True,
        description="Add the learned sentence weights (qa_service/answer/sentences.json) to the scores "
        "of the sentences an answer is quoted from, in a library whose pages list their sections' "
        "questions (the library they were trained on).",
    )


@dataclass
class Candidate:
    """A sentence of a retrieved passage, scored against the question."""

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
    line: int = 0  # offset of the line the sentence is on (a list item's sentences share one)
    passage: ChunkRecord | None = None  # the passage holding it, when grouped under another (sections.py)

    @property
    def passage_row(self) -> int:
        """The index row of the passage that holds the sentence."""
        return self.hit.row if self.passage is None else self.passage.row


@dataclass
class Draft:
    """An extractive answer: its text, its citations and the sentences it quotes."""

    text: str
    citations: list[Citation]
    best_score: float
    sentences: list[Candidate] = field(default_factory=list)


_WORD = re.compile(r"[A-Za-z0-9']+")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


class ExtractiveGenerator:
    """The default generator: quotes the sentences of the retrieved passages that answer the
    question, verbatim and in the page's order, and cites each section once. Sentences are scored
    with the vectors ingest stored for them (no model call); `GeneratorConfig` names the knobs."""

    def __init__(
        self,
        version: IndexVersion,
        config: GeneratorConfig | None = None,
        sentence_model: SentenceModel | None = None,
    ):
        self.version = version
        self.config = config or GeneratorConfig()
        self.sentence_model = sentence_model

    def candidates(
        self,
        question: str,
        qvec: np.ndarray,
        hits: Sequence[Hit],
        intents: set[str],
        names: Sequence[str] = (),
    ) -> list[Candidate]:
        """Every sentence of the hits, scored against the question. Word overlap counts the
        question's words other than the `names` of the pages it names: the name picks the page,
        the rest ("treated") picks the sentence."""
        cfg = self.config
        terms = beyond_names(set(bm25_query_tokens(question)), name_words(names))
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
                        line_start,
                    )
                )
        return out

    def best_score(self, retrieval: Retrieval, hit: Hit) -> float:
        """The score of the passage's best sentence for the question, as if it were the first hit
        (the learned reranker's `best_sentence`)."""
        names = [name for name, _ in retrieval.expansion.names]
        cands = self.candidates(
            retrieval.expansion.text, retrieval.query_vector, [hit], retrieval.intents, names
        )
        return max((c.score for c in cands), default=0.0)

    def draft(self, retrieval: Retrieval, candidates: list[Candidate]) -> Draft:
        """The answer quoted from the candidates the pipeline scored (see `candidates`): the
        best span(s) of the passages that answer (qa_service/answer/compose.py)."""
        if not candidates:
            return Draft("", [], 0.0)
        pool = self.pool(retrieval, candidates)
        spans = by_passage(compose(retrieval, pool, self.config))
        if spans:
            spans = self._continue_section(retrieval, spans)
            spans = self._start_of_section(retrieval, spans)
            spans = lead_section(spans, self.config.answer_lead, retrieval.expansion.text)
        if spans and self.config.compare_margin > 0 and self.version.n_questions:
            # A comparison quotes each page it compares (compare.py), in the library it was measured on.
            spans += other_sides(
                retrieval, spans, self.version, lambda c: self._sentences_of(retrieval, c), self.config
            )
        text, citations = render(spans)
        chosen = [c for span in spans for c in span.sentences]
        return Draft(text, citations, max(c.score for c in candidates), chosen)

    def pool(self, retrieval: Retrieval, candidates: list[Candidate]) -> list[Candidate]:
        """The sentences an answer is quoted from: the candidates, their sections read whole
        (sections.py) and their scores adjusted by the learned sentence weights
        (sentence_model.py), both only in a library whose pages list their sections' questions."""
        cfg = self.config
        # Sections read whole only in a library whose pages list their sections' questions, the
        # library it was measured on: on the MedQuAD gate subset (pages list none, a section is a
        # long reference answer) it lowered the answers' similarity to the references 0.844 -> 0.796.
        if not self.version.n_questions:
            return candidates
        pool = candidates
        if cfg.whole_sections:
            names = [name for name, _ in retrieval.expansion.names]

            def score(hit: Hit) -> list[Candidate]:
                q, v = retrieval.expansion.text, retrieval.query_vector
                return self.candidates(q, v, [hit], retrieval.intents, names)

            pool = whole_sections(
                self.version, candidates, score, cfg.rank_penalty,
                cfg.whole_sections, cfg.section_reach, cfg.section_penalty,
            )  # fmt: skip
        if cfg.learned_sentences and self.sentence_model is not None:
            pool = rescore(self.version, retrieval, pool, self.sentence_model)
        return pool

    def _sentences_of(self, retrieval: Retrieval, chunk: ChunkRecord) -> list[Candidate]:
        """The scored sentences of a passage retrieval did not return (a neighbour in its
        section), in page order."""
        hit = Hit(chunk.row, chunk, 0.0, 0.0, None, None, None)
        cands = self.candidates(retrieval.expansion.text, retrieval.query_vector, [hit], retrieval.intents)
        return sorted(cands, key=lambda c: c.start)

    def _start_of_section(self, retrieval: Retrieval, spans: list[Span]) -> list[Span]:
        """A first span that is a whole passage from the middle of a section is read with the
        passage before it when both fit (the section's opening gives the context)."""
        first = spans[0]
        chunk = first.hit.chunk
        whole = len(first.sentences) == chunk.n_sentences
        if not whole or chunk.row == 0 or (len(spans) > 1 and spans[1].hit.chunk.row == chunk.row - 1):
            return spans
        prev = self.version.chunks([chunk.row - 1])[0]
        if (prev.doc_id, prev.section) != (chunk.doc_id, chunk.section):
            return spans
        cands = self._sentences_of(retrieval, prev)
        words = sum(len(c.text.split()) for c in cands)
        if not cands or len(cands) != prev.n_sentences or words + first.words > self.config.max_words:
            return spans
        return [Span(cands, first.score), *spans]

    def _continue_section(self, retrieval: Retrieval, spans: list[Span]) -> list[Span]:
        """A first span that ends its passage short of an answer goes on into the next passage of
        the same section (a long section is stored as several passages)."""
        first = spans[0]
        last = first.sentences[-1]
        chunk = first.hit.chunk
        if first.words >= MIN_WORDS or last.row != chunk.first_sentence + chunk.n_sentences - 1:
            return spans
        if chunk.row + 1 >= self.version.n_chunks:
            return spans
        nxt = self.version.chunks([chunk.row + 1])[0]
        cited = {s.hit.row for s in spans}
        if (nxt.doc_id, nxt.section) != (chunk.doc_id, chunk.section) or nxt.row in cited:
            return spans
        cands = self._sentences_of(retrieval, nxt)
        if not cands:
            return spans
        lo, hi = grow(cands, 0, floor=first.score * self.config.relative_cutoff,
                      words_allowed=self.config.continue_words,
                      list_answer=True, config=self.config, min_words=MIN_WORDS - first.words)  # fmt: skip
        return [first, Span(cands[lo : hi + 1], first.score), *spans[1:]]
