"""Hybrid retrieval: dense (FAISS) + BM25 (bm25s), fused by reciprocal rank fusion, with
priors from the question's intent and the pages it names, and near-duplicates collapsed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

import numpy as np

from ingest.embedding import Embedder
from ingest.index import ChunkRecord, IndexVersion
from ingest.text import bm25_query_tokens
from qa_service.answer.expansion import AliasIndex, Expansion, asked_part, expand
from qa_service.answer.intents import question_intents, section_intents
from qa_service.answer.retrieval_config import RetrievalConfig

if TYPE_CHECKING:
    from qa_service.answer.rerank import PassageRanker

Mode = Literal["hybrid", "dense", "bm25"]


@dataclass
class Hit:
    """One retrieved passage: its index row and chunk, its fused score, its cosine to the question,
    and its rank in each search and BM25 score (None where that search did not return it)."""

    row: int
    chunk: ChunkRecord
    score: float
    dense_score: float
    dense_rank: int | None
    bm25_score: float | None
    bm25_rank: int | None
    question_cosine: float = 0.0  # cosine of its section's nearest listed question (0 without)


@dataclass
class Retrieval:
    """What retrieval found for one question: its expansion, intents, query vector and hits, best first."""

    expansion: Expansion
    intents: set[str]
    query_vector: np.ndarray
    hits: list[Hit] = field(default_factory=list)
    subjects: dict[str, float] = field(default_factory=dict)
    """Pages the question names → how specific the name is (HybridRetriever.subjects)."""
    mentions: dict[int, set[str]] = field(default_factory=dict)
    """Per hit row, the named pages its passage speaks of (when the question names several)."""
    aliases: AliasIndex | None = None
    """The library's page names, to tell which page a quoted sentence speaks of."""
    question_match: float = 0.0
    """Cosine of the question to the nearest question a page lists for a section (0 without)."""
    question_page: str | None = None
    """The title of the page whose listed question is nearest (None without)."""
    related: dict[str, set[str]] = field(default_factory=dict)
    """Page title → the pages it is about or that are about it (HybridRetriever.related)."""


class Reranker(Protocol):
    """Reorders retrieved hits, e.g. with a cross-encoder where one is available. None by default."""

    def rerank(self, question: str, hits: list[Hit]) -> list[Hit]:
        """The `hits` in a new order for `question`, best first."""


class HybridRetriever:
    """Dense (FAISS) and BM25 rankings of one index version fused by reciprocal rank fusion, with
    priors for the question's intent and the pages it names, near-duplicates collapsed, and an
    optional `Reranker`. The question is first expanded (aliases, abbreviations, chat history)."""

    def __init__(
        self,
        version: IndexVersion,
        embedder: Embedder,
        config: RetrievalConfig | None = None,
        reranker: Reranker | None = None,
        ranker: PassageRanker | None = None,
    ):
        self.version = version
        self.embedder = embedder
        self.config = config or RetrievalConfig()
        self.reranker = reranker
        names = version.store.names()
        self.aliases = AliasIndex([(n, title) for title, aliases in names for n in (title, *aliases)])
        self._section_intent: dict[str, set[str]] = {}
        self._spoken: dict[
            int, set[str]
        ] = {}  # _speaks_of, per passage (read by the reranker, then the answer)
        self._name_share: dict[str, float] = {}
        self.related = self._related(version) if version.n_documents < self.config.small_library_pages else {}
        # The last reply read by reply_source and its page: a follow-up retried with the
        # conversation's topic (pipeline.py) asks again for the same reply.
        self._last_reply: tuple[str, str | None] | None = None
        small = self.small = version.n_documents < self.config.small_library_pages
        self.dense_weight = self.config.small_library_dense_weight if small else self.config.dense_weight
        self.rrf_k = self.config.small_library_rrf_k if small else self.config.rrf_k
        self.intent_prior = self.config.small_library_intent_prior if small else self.config.intent_prior
        self.bm25_weight = self.config.small_library_bm25_weight if small else self.config.bm25_weight
        self.title_prior = self.config.small_library_title_prior if small else self.config.title_prior
        self.ranker = ranker if small and self.config.small_library_rerank and version.n_questions else None

    def retrieve(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        k: int = 5,
        mode: Mode = "hybrid",
        in_context: bool = False,
    ) -> Retrieval:
        """The `k` best passages for `question` (a follow-up, or `in_context`, read with `history`):
        dense, BM25 or both fused with intent and named-page priors, duplicates dropped, reranked."""
        expansion = expand(question, history, self.aliases, in_context, lambda: self.reply_source(history))
        # A small library reads the intent from the part that asks, not the background (MedQuAD: whole).
        asking = asked_part(expansion.text)
        intents = question_intents(asking if self.small else expansion.text)
        qvec = self.embedder.embed([expansion.retrieval_text])[0]
        n = min(self.config.candidates, self.version.n_chunks)
        asked = self._asked(expansion, qvec) if mode == "hybrid" else {}
        dense = self._dense(qvec, n, asked) if mode in ("hybrid", "dense") else {}
        lexical: dict[int, tuple[int, float]] = {}
        if mode in ("hybrid", "bm25"):
            lexical = self._bm25(expansion.retrieval_text, n)
        fused = self._fuse(dense, lexical)
        if not fused:
            return Retrieval(expansion, intents, qvec)
        ranked = sorted(fused, key=lambda r: -fused[r])
        rows = ranked[: max(self.config.pool_per_k * k, self.config.min_pool)]
        subjects = self.subjects(expansion) if mode == "hybrid" else {}
        if self.small and any(v > 0 for v in subjects.values()) and len(ranked) > len(rows):
            # Passages of the pages the question names join the pool wherever they ranked.
            named = {t for t, v in subjects.items() if v > 0}
            rows += [c.row for c in self.version.chunks(ranked[len(rows) :]) if c.title in named]
        chunks = {c.row: c for c in self.version.chunks(rows)}
        vectors = self.version.chunk_vectors(rows)
        cosines = vectors @ qvec
        several = self._named_together(asking, subjects) if self.small else set()
        leading = set(list(dict.fromkeys(chunks[r].doc_id for r in rows))[: self.config.intent_pages])
        # Only with the mention prior on: finding names in every passage costs time on each question.
        mentions_count = self.small and self.config.mention_prior > 0 and any(subjects.values())
        # A prior counts as a first rank in a ranking of average weight.
        vote = (self.dense_weight + self.bm25_weight) / 2 / (self.rrf_k + 1)
        hits: list[Hit] = []
        for row, cosine in zip(rows, cosines, strict=True):
            chunk = chunks[row]
            score = fused[row]
            if mode == "hybrid":
                specific = subjects.get(chunk.title, 0.0)
                steer = not self.small or chunk.doc_id in leading or specific > 0
                if steer and intents & self._intents_of(chunk.section):
                    score += self.intent_prior * vote
                if mentions_count and specific == 0:
                    # Another page that speaks of a named page ("steroids" on the sleep page).
                    spoken = set(self.aliases.find(chunk.text)) & set(subjects)
                    specific = self.config.mention_prior * max((subjects[t] for t in spoken), default=0.0)
                score += specific * self.title_prior * vote
                if chunk.title in several:
                    # A passage of one named page that speaks of the others ("prednisone" and
                    # "IBM": the IBM page's treatment section, which names steroids) answers it.
                    covered = self._speaks_of(chunk) & several
                    both = self.dense_weight + self.bm25_weight  # as if first in both
                    score += (len(covered) - 1) * both / (self.rrf_k + 1)
            d_rank, _ = dense.get(row, (None, 0.0))
            b_rank, b_score = lexical.get(row, (None, None))
            hits.append(Hit(row, chunk, score, float(cosine), d_rank, b_score, b_rank, asked.get(row, 0.0)))
        hits.sort(key=lambda h: -h.score)
        hits = self._collapse(hits, vectors, rows)
        if self.ranker is not None and mode == "hybrid":
            depth = max(k, self.config.rerank_depth)
            told = {h.row: self._speaks_of(h.chunk) for h in hits[:depth]} if several else {}
            first = Retrieval(
                expansion, intents, qvec, hits[:depth], subjects, told, self.aliases, related=self.related
            )
            hits = self.ranker.rerank(first) + hits[depth:]
        if self.reranker is not None:
            hits = self.reranker.rerank(expansion.text, hits)
        hits = hits[:k]
        mentions = {h.row: self._speaks_of(h.chunk) for h in hits} if several else {}
        found = Retrieval(
            expansion, intents, qvec, hits, subjects, mentions, self.aliases, related=self.related
        )
        return self._with_nearest_question(found, asked)

    def _fuse(
        self, dense: dict[int, tuple[int, float]], lexical: dict[int, tuple[int, float]]
    ) -> dict[int, float]:
        """Reciprocal-rank fusion of the dense and BM25 rankings, each with its weight."""
        fused: dict[int, float] = {}
        for ranking, weight in ((dense, self.dense_weight), (lexical, self.bm25_weight)):
            for row, (rank, _) in ranking.items():
                fused[row] = fused.get(row, 0.0) + weight / (self.rrf_k + rank + 1)
        return fused

    def _related(self, version: IndexVersion) -> dict[str, set[str]]:
        """Page title → the pages whose names its title and summary give, and the pages whose title
        and summary give its name: "Steroid side effects" and the corticosteroids page, "Calcinosis"
        and juvenile dermatomyositis. A question naming one may be answered from the other."""
        related: dict[str, set[str]] = {}
        for title, summary in version.store.summaries().items():
            for other in set(self.aliases.find(f"{title}. {summary}")) - {title}:
                related.setdefault(title, set()).add(other)
                related.setdefault(other, set()).add(title)
        return related

    def reply_source(self, history: Sequence[tuple[str, str]]) -> str | None:
        """The title of the page whose passage is nearest the last reply, if near enough."""
        replies = [content for role, content in history if role == "assistant"]
        if not replies or self.config.reply_source_cosine > 1:
            return None
        last = self._last_reply
        if last is not None and last[0] == replies[-1]:
            return last[1]
        found = self.version.dense_search(self.embedder.embed([replies[-1]])[0], 1)
        near = bool(found) and found[0][1] >= self.config.reply_source_cosine
        title = self.version.chunks([found[0][0]])[0].title if near else None
        self._last_reply = (replies[-1], title)
        return title

    def _with_nearest_question(self, found: Retrieval, asked: dict[int, float]) -> Retrieval:
        """`found` with the cosine of the nearest listed question and the title of its page."""
        if asked:
            nearest = max(asked, key=lambda r: asked[r])
            found.question_match = asked[nearest]
            found.question_page = self.version.chunks([nearest])[0].title
        return found

    def _speaks_of(self, chunk: ChunkRecord) -> set[str]:
        """The pages a passage speaks of: its own, those it names, and those its page's title names
        (every passage of "Sun protection and skin care in dermatomyositis" is about dermatomyositis)."""
        if chunk.row not in self._spoken:
            found = {chunk.title} | set(self.aliases.find(chunk.text)) | self.aliases.within(chunk.title)
            self._spoken[chunk.row] = found
        return self._spoken[chunk.row]

    def _named_together(self, asking: str, subjects: dict[str, float]) -> set[str]:
        """The pages the question asks about together ("will prednisone help my dad's IBM?"): two
        or more named in `asking`, the part that asks (expansion.asked_part). A name in the
        background ("I take mycophenolate for my ILD. Is it a problem while pregnant?") does not
        make a passage naming both the answer."""
        named = {t for t, v in subjects.items() if v > 0}
        if len(named) < 2:
            return set()
        asked = set(self.aliases.find(asking)) & named
        return asked if len(asked) > 1 else set()

    def subjects(self, expansion: Expansion) -> dict[str, float]:
        """The pages the question names → how specific the name is (1 rare … 0 generic): the
        share of the library's passages that hold all of the name's words, against
        `generic_share`. "Inclusion body myositis" names its page; "myositis" names every page
        of a myositis library and so none."""
        out: dict[str, float] = {}
        for name, title in expansion.names:
            share = self._share(name)
            out[title] = max(out.get(title, 0.0), max(0.0, 1.0 - share / self.config.generic_share))
        return out

    def _share(self, name: str) -> float:
        found = self._name_share.get(name)
        if found is None:
            rows: set[int] | None = None
            for token in dict.fromkeys(bm25_query_tokens(name)):
                scores = self.version.bm25_scores([token])
                hit = set(np.flatnonzero(scores > 0).tolist()) if scores is not None else set()
                rows = hit if rows is None else rows & hit
            found = len(rows or ()) / max(1, self.version.n_chunks)
            self._name_share[name] = found
        return found

    def _intents_of(self, section: str) -> set[str]:
        found = self._section_intent.get(section)
        if found is None:
            found = self._section_intent[section] = section_intents(section)
        return found

    def _asked(self, expansion: Expansion, qvec: np.ndarray) -> dict[int, float]:
        """Row → cosine of its section's nearest listed question. A follow-up is matched on what it
        asks: "How is it treated?" plus the conversation's topic is nearest "What is <topic>?"."""
        if not self.version.n_questions:
            return {}
        if expansion.topic_terms:
            kept = [t for t in expansion.extra_terms if t not in expansion.topic_terms]
            qvec = self.embedder.embed([" ".join([expansion.text, *kept])])[0]
        return self.version.question_search(qvec, self.version.n_questions)

    def _dense(self, qvec: np.ndarray, n: int, asked: dict[int, float]) -> dict[int, tuple[int, float]]:
        """Row → (rank, score) of the `n` best passages by cosine, with `asked` (row → cosine of
        its section's nearest listed question) blended in."""
        found = self.version.dense_search(qvec, n)
        if asked and self.config.question_blend > 0:
            found = self._blend_questions(qvec, found, n, asked)
        return {row: (r, score) for r, (row, score) in enumerate(found)}

    def _blend_questions(
        self, qvec: np.ndarray, found: list[tuple[int, float]], n: int, asked: dict[int, float]
    ) -> list[tuple[int, float]]:
        """The dense ranking with each passage's cosine raised by `question_blend` × the cosine of
        its section's nearest listed question (or its own, for a section listing none); passages of
        the best-matching sections join it."""
        cosine = dict(found)
        extra = [r for r in sorted(asked, key=lambda r: -asked[r])[:n] if r not in cosine]
        if extra:
            cosine.update(zip(extra, (self.version.chunk_vectors(extra) @ qvec).tolist(), strict=True))
        blend = self.config.question_blend
        # A section that lists no questions (a page added without them) is matched on its own text.
        scored = [(row, c + blend * asked.get(row, c)) for row, c in cosine.items()]
        return sorted(scored, key=lambda x: -x[1])[:n]

    def _bm25(self, text: str, n: int) -> dict[int, tuple[int, float]]:
        tokens = bm25_query_tokens(text)
        if not tokens:
            return {}
        scores = self.version.bm25_scores(tokens)
        if scores is None:
            return {}
        top = np.argpartition(-scores, min(n, len(scores) - 1))[:n]
        top = top[np.argsort(-scores[top])]
        return {int(r): (rank, float(scores[r])) for rank, r in enumerate(top) if scores[r] > 0}

    def _collapse(self, hits: list[Hit], vectors: np.ndarray, rows: list[int]) -> list[Hit]:
        """Drop a passage that says nearly the same as a better-ranked one (copies of a page)."""
        position = {r: i for i, r in enumerate(rows)}
        kept: list[Hit] = []
        kept_vectors: list[np.ndarray] = []
        for hit in hits:
            vec = vectors[position[hit.row]]
            if kept_vectors and float(np.max(np.vstack(kept_vectors) @ vec)) >= self.config.duplicate_cosine:
                continue
            kept.append(hit)
            kept_vectors.append(vec)
        return kept
