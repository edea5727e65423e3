"""Learned sentence weights: which sentence of the retrieved sections answers the question.

The extractive generator scores a sentence with a hand-set sum (its cosine to the question, the
share of the question's words it holds, its section's intent, its passage's rank). Blind graders
named "the wrong sentence of the right section" as the commonest fault of the answers; that sum
cannot weigh what a reader uses to find the answering sentence: whether its section's listed
questions are near the question, whether it opens the section, whether it introduces a list or
leans on the sentence before it, whether its neighbours answer too; nor which of the embedding's
dimensions tell an answer from a sentence that merely shares the topic.

`SentenceModel` adds those to the hand-set score: each of FEATURES with a learned weight, and a
learned weighting of the cosine (one weight per embedding dimension, applied to question[d] ×
sentence[d]). The weights are in units of the hand-set score (the model is fitted with the score
as one feature and divided by its weight), and every feature is centred on its training mean, so
the adjusted score keeps roughly the scale the composer's thresholds were set on. Trained by
scripts/train_sentences.py on the team's spent blind answer sets (a sentence is a positive when
it holds one of the question's `must_include_any` phrases) as a conditional logit: the sentences
of one question compete, so only differences within a question are learned. The weights live in
`sentences.json` next to this module. Only a library whose pages list their sections' questions
uses them (GeneratorConfig.learned_sentences), as the training library's do.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

from ingest.index import ChunkRecord, IndexVersion
from ingest.text import adds_to_previous, bm25_query_tokens, leans_on_previous
from qa_service.answer.expansion import asked_words, beyond_names
from qa_service.answer.intents import section_intents
from qa_service.answer.retrieval import Retrieval

if TYPE_CHECKING:
    from qa_service.answer.generate import Candidate

MODEL_FILE = "sentences.json"

FEATURES = (
    "score",  # the hand-set score (ExtractiveGenerator.candidates, after sections.whole_sections)
    "similarity",  # the sentence's cosine to the question
    "neighbour",  # the best cosine of the sentences just before and after it in its passage
    "question_cosine",  # cosine of its section's nearest listed question
    "heading_overlap",  # share of its heading's words in the part of the message that asks
    "intent",  # its section's intent matches the question's
    "opening",  # it opens its section
    "definition_opening",  # it opens its section and the question asks what something is
    "position",  # where it stands in its passage, 0 first to 1 last
    "bullet",  # it is a list item
    "list_intro",  # it ends with a colon (introduces a list)
    "leans",  # it leans on the sentence before it or adds to it ("It…", "Also…")
    "words",  # log of its words
    "unretrieved",  # its passage was not returned by retrieval (read with its section)
    "first_page",  # it is on the page of the first passage
    "named",  # how specifically the question names its page
    "asked_idf_overlap",  # share of the asked words (beyond pages' names) it holds, rare ones weighing more
    "section_best",  # it is the sentence of its section nearest the question
)


@dataclass(frozen=True)
class SentenceModel:
    """A linear adjustment of the hand-set score: sum of weight × (feature − mean) over FEATURES,
    plus a learned weighting of the cosine: sum over the embedding's dimensions of
    vector_weight × question[d] × sentence[d] (`products`)."""

    features: tuple[str, ...]
    mean: np.ndarray
    weights: np.ndarray  # in units of the hand-set score; the "score" weight is 1 and unused
    vector_weights: np.ndarray  # one per embedding dimension, same units
    meta: dict[str, Any]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SentenceModel:
        """The model as sentences.json stores it; other feature names than FEATURES are a ValueError."""
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"sentence model features {data['features']} are not {list(FEATURES)}")
        meta = {k: v for k, v in data.items() if k not in _NUMBERS}
        return cls(
            FEATURES,
            np.asarray(data["mean"], float),
            np.asarray(data["weights"], float),
            np.asarray(data["vector_weights"], float),
            meta,
        )

    def to_dict(self) -> dict[str, Any]:
        """The model as sentences.json stores it, numbers rounded to six places."""
        return {
            "features": list(self.features),
            "mean": np.round(self.mean, 6).tolist(),
            "weights": np.round(self.weights, 6).tolist(),
            "vector_weights": np.round(self.vector_weights, 6).tolist(),
            **self.meta,
        }

    def adjust(self, x: np.ndarray, products: np.ndarray) -> np.ndarray:
        """What each sentence adds to its hand-set score: `x` (sentences × FEATURES) and
        `products` (sentences × embedding dimensions, see `products`)."""
        named = (x[:, 1:] - self.mean[1:]) @ self.weights[1:]
        if products.shape[1] != len(self.vector_weights):
            raise ValueError(
                f"sentence model has {len(self.vector_weights)} vector weights, the embedding "
                f"{products.shape[1]} dimensions: retrain it (scripts/train_sentences.py)"
            )
        return np.asarray(named + products @ self.vector_weights, dtype=np.float64).reshape(-1)


_NUMBERS = {"features", "mean", "weights", "vector_weights"}


def default_model() -> SentenceModel:
    """The model shipped in the package (qa_service/answer/sentences.json)."""
    text = resources.files("qa_service.answer").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return SentenceModel.from_dict(json.loads(text))


def features(version: IndexVersion, retrieval: Retrieval, pool: Sequence[Candidate]) -> np.ndarray:
    """The FEATURES of each candidate sentence (sentences × features)."""
    if not pool:
        return np.zeros((0, len(FEATURES)))
    qvec = retrieval.query_vector
    sims = {c.row: float(c.vector @ qvec) for c in pool}
    asking, names = asked_words(retrieval.expansion)
    focus = beyond_names(asking, names)
    weight = {t: version.idf(t) for t in focus}
    total = sum(weight.values()) or 1.0
    best_in_section: dict[tuple[str, str], float] = {}
    for c in pool:
        key = (_own(c).doc_id, _own(c).section)
        best_in_section[key] = max(best_in_section.get(key, -1.0), sims[c.row])
    definition = "definition" in retrieval.intents
    first_page = retrieval.hits[0].chunk.doc_id if retrieval.hits else None
    opens = _opening_rows(version, [_own(c) for c in pool])
    rows = []
    for c in pool:
        chunk = _own(c)
        sim = sims[c.row]
        near = [sims[r] for r in (c.row - 1, c.row + 1) if r in sims and _same_passage(r, chunk)]
        heading = set(bm25_query_tokens(chunk.section.split(" > ")[-1]))
        opening = float(c.row == chunk.first_sentence and chunk.row in opens)
        last = max(1, chunk.n_sentences - 1)
        rows.append(
            [
                c.score,
                sim,
                max(near, default=sim),
                c.hit.question_cosine,
                len(asking & heading) / max(1, len(heading)),
                float(bool(retrieval.intents & section_intents(chunk.section))),
                opening,
                opening * definition,
                (c.row - chunk.first_sentence) / last,
                float(c.bullet),
                float(c.intro_for_list),
                float(leans_on_previous(c.text) or adds_to_previous(c.text)),
                math.log(max(1, len(c.text.split()))),
                float(c.passage is not None and c.passage.row != c.hit.row),
                float(chunk.doc_id == first_page),
                retrieval.subjects.get(chunk.title, 0.0),
                sum(weight[t] for t in focus & set(bm25_query_tokens(c.text))) / total,
                float(sim >= best_in_section[(chunk.doc_id, chunk.section)]),
            ]
        )
    return np.asarray(rows, dtype=np.float64)


def products(retrieval: Retrieval, pool: Sequence[Candidate]) -> np.ndarray:
    """question[d] × sentence[d] for each candidate (sentences × embedding dimensions): their sum
    is the cosine, and the model weighs each dimension."""
    if not pool:
        return np.zeros((0, len(retrieval.query_vector)))
    vectors = np.vstack([c.vector for c in pool]).astype(np.float64)
    return np.asarray(vectors * retrieval.query_vector[None, :], dtype=np.float64)


def rescore(
    version: IndexVersion, retrieval: Retrieval, pool: list[Candidate], model: SentenceModel
) -> list[Candidate]:
    """`pool` with each score adjusted by the model."""
    if not pool:
        return pool
    extra = model.adjust(features(version, retrieval, pool), products(retrieval, pool))
    return [replace(c, score=c.score + float(d)) for c, d in zip(pool, extra, strict=True)]


def _own(c: Candidate) -> ChunkRecord:
    return c.passage if c.passage is not None else c.hit.chunk


def _same_passage(row: int, chunk: ChunkRecord) -> bool:
    return chunk.first_sentence <= row < chunk.first_sentence + chunk.n_sentences


def _opening_rows(version: IndexVersion, chunks: Sequence[ChunkRecord]) -> set[int]:
    """The rows of `chunks` that open their section."""
    unique = {c.row: c for c in chunks}
    before = {c.row: c for c in version.chunks([r - 1 for r in unique if r > 0])}
    out = set()
    for row, chunk in unique.items():
        prev = before.get(row - 1)
        if prev is None or (prev.doc_id, prev.section) != (chunk.doc_id, chunk.section):
            out.add(row)
    return out
