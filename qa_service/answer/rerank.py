"""The learned passage reranker of a small library: after fusion, the best passages are put in a
new order by a network with one hidden layer over what retrieval already knows of each one (its
fused score and ranks, its cosine and its section's nearest listed question, whether its page is
the one the question names, its intent, its best sentence's score, its heading's words, how many
of the asked words it holds and how many sentences it has). Fusion
ranks passages by rules tuned one weight at a time; the network weighs them together, and so picks
the answering section among passages the fusion already found (on patient questions the section
is first in about 65 % of them and among the first five in about 91 %; reranked, held out, 77 %).

Trained by scripts/train_reranker.py on the team's spent blind answer sets (questions written
from the pages by reviewers, each with its answering page and section); the weights live in
`reranker.json` next to this module. Only a library of fewer than `small_library_pages` pages
uses it (RetrievalConfig.small_library_rerank), and only when its pages list their sections'
questions, as the training library's do: MedQuAD's pages list none and its fusion is tuned on it
(round 12: on the 200-question MedQuAD gate subset, a library of under 1,000 pages, the network
lowered the answers' embedding similarity to the reference answers from 0.842 to 0.770)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from ingest.index import IndexVersion
from ingest.text import bm25_query_tokens
from qa_service.answer.expansion import asked_words, beyond_names
from qa_service.answer.intents import section_intents
from qa_service.answer.retrieval import Hit, Retrieval

MODEL_FILE = "reranker.json"

FEATURES = (
    "fused_share",  # fused score / the first passage's
    "fused_rank",  # 1 / (rank + 1) in the fusion
    "cosine",  # passage cosine to the question
    "dense_rank",  # 1 / (rank + 1) in the dense ranking, 0 when absent
    "bm25_rank",  # 1 / (rank + 1) in the BM25 ranking, 0 when absent
    "question_cosine",  # cosine of its section's nearest listed question
    "question_gap",  # that cosine minus the best of the passages ranked
    "named",  # how specifically the question names the passage's page (HybridRetriever.subjects)
    "other_page_named",  # the question names a page, and not this one
    "intent",  # the section's intent matches the question's
    "best_sentence",  # the best score of its sentences (ExtractiveGenerator.candidates)
    "heading_overlap",  # share of the heading's words in the part that asks
    "section_start",  # the passage opens its section
    "follow_up",  # the question follows an earlier reply
    "asked_overlap",  # share of the asking part's words (other than the pages' names) in the passage
    "sentences",  # sentences in the passage (a short one is often a list's tail or a lone remark)
)

SentenceScore = Callable[[Retrieval, Hit], float]
"""The score of a passage's best sentence for the question (the extractive generator's)."""


@dataclass(frozen=True)
class RankerModel:
    """Standardise, one ReLU layer, one output: higher is more likely the answering section."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    hidden_weights: np.ndarray
    hidden_bias: np.ndarray
    out_weights: np.ndarray
    out_bias: float
    meta: dict[str, Any]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RankerModel:
        """The model as reranker.json stores it; other feature names than FEATURES are a ValueError."""
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"reranker model features {data['features']} are not {list(FEATURES)}")
        return cls(
            FEATURES,
            np.asarray(data["mean"], dtype=np.float64),
            np.asarray(data["scale"], dtype=np.float64),
            np.asarray(data["hidden_weights"], dtype=np.float64),
            np.asarray(data["hidden_bias"], dtype=np.float64),
            np.asarray(data["out_weights"], dtype=np.float64),
            float(data["out_bias"]),
            {k: v for k, v in data.items() if k not in _NUMBERS},
        )

    def to_dict(self) -> dict[str, Any]:
        """The model as reranker.json stores it, numbers rounded to six places."""

        def r(a: np.ndarray) -> Any:
            return np.round(a, 6).tolist()

        return {
            "features": list(self.features),
            "mean": r(self.mean),
            "scale": r(self.scale),
            "hidden_weights": r(self.hidden_weights),
            "hidden_bias": r(self.hidden_bias),
            "out_weights": r(self.out_weights),
            "out_bias": round(self.out_bias, 6),
            **self.meta,
        }

    def score(self, x: np.ndarray) -> np.ndarray:
        """One score per row of `x` (passages × FEATURES)."""
        z = (x - self.mean) / self.scale
        hidden = np.maximum(z @ self.hidden_weights + self.hidden_bias, 0.0)
        return np.asarray(hidden @ self.out_weights + self.out_bias, dtype=np.float64).reshape(-1)


_NUMBERS = {"features", "mean", "scale", "hidden_weights", "hidden_bias", "out_weights", "out_bias"}


def default_model() -> RankerModel:
    """The model shipped in the package (qa_service/answer/reranker.json)."""
    text = resources.files("qa_service.answer").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return RankerModel.from_dict(json.loads(text))


class PassageRanker:
    """Puts retrieved passages in the order `model` scores them (ties keep the fusion's order).
    Without a model (scripts/train_reranker.py, which fits one) it only computes features."""

    def __init__(self, version: IndexVersion, sentence_score: SentenceScore, model: RankerModel | None):
        self.version = version
        self.sentence_score = sentence_score
        self.model = model

    def rerank(self, retrieval: Retrieval) -> list[Hit]:
        """`retrieval.hits` reordered, best first."""
        hits = retrieval.hits
        if len(hits) < 2 or self.model is None:
            return list(hits)
        words = asked_words(retrieval.expansion)
        scores = self.model.score(self.features(retrieval, words))
        order = sorted(range(len(hits)), key=lambda i: (-scores[i], i))
        allowed = self._by_heading(retrieval, self._may_lead(retrieval), words)
        first = next((i for i in order if i in allowed), order[0])
        return [hits[first]] + [hits[i] for i in order if i != first]

    def _may_lead(self, retrieval: Retrieval) -> set[int]:
        """The hits that may come first. When the fusion led with a page the question names: a
        passage of a named page, or of a page or section whose title or heading shares a word with
        the name as the question wrote it ("steroids": "Steroid side effects", "CK": "Exercise and
        the CK blood test"); of those, when it asks about several pages together ("is IBM treated
        with steroids?"), the ones that speak of the most of them. The network weighs each passage
        on its own and can let a neighbouring page outscore the named one ("calcium deposits in
        kids with JDM" led by the calcinosis page)."""
        hits = retrieval.hits
        named = {t for t, v in retrieval.subjects.items() if v > 0}
        if hits[0].chunk.title not in named:
            return set(range(len(hits)))
        written = {
            t for name, title in retrieval.expansion.names if title in named for t in bm25_query_tokens(name)
        }
        allowed = {
            i
            for i, h in enumerate(hits)
            if h.chunk.title in named
            or written & set(bm25_query_tokens(f"{h.chunk.title} {h.chunk.section}"))
        }
        if retrieval.mentions:
            cover = {i: len(retrieval.mentions.get(hits[i].row, set()) & named) for i in allowed}
            allowed = {i for i in allowed if cover[i] == max(cover.values())}
        return allowed

    @staticmethod
    def _by_heading(retrieval: Retrieval, allowed: set[int], words: tuple[set[str], set[str]]) -> set[int]:
        """Of the `allowed` hits, those whose section heading the asking part spells out most
        fully, when one spells out two words or more and not only the pages' names the question
        uses ("How is the Zorbax muscle score measured?": the section of that name, not "What is
        the Zorbax muscle score?"; a "Muscle biopsy" heading does not answer "how do I look after
        the cut after my muscle biopsy?"); else all of them. `words`: `expansion.asked_words`."""
        asking, names = words
        spelled: dict[int, int] = {}
        for i in allowed:
            heading = set(bm25_query_tokens(retrieval.hits[i].chunk.section.split(" > ")[-1]))
            if len(heading) >= 2 and heading <= asking and heading - names:
                spelled[i] = len(heading)
        if not spelled:
            return allowed
        most = max(spelled.values())
        return {i for i, n in spelled.items() if n == most}

    def features(self, retrieval: Retrieval, asked: tuple[set[str], set[str]] | None = None) -> np.ndarray:
        """The FEATURES of each of `retrieval.hits` (passages × features), as the model reads them
        (`asked`: `expansion.asked_words`, when the caller has them already)."""
        hits: Sequence[Hit] = retrieval.hits
        asking, page_names = asked or asked_words(retrieval.expansion)
        focus = beyond_names(asking, page_names)
        named = {t for t, v in retrieval.subjects.items() if v > 0}
        top = hits[0].score or 1.0
        best_question = max(h.question_cosine for h in hits)
        follow_up = float(bool(retrieval.expansion.said))
        previous = {c.row: c for c in self.version.chunks([h.row - 1 for h in hits if h.row > 0])}
        rows = []
        for rank, hit in enumerate(hits):
            chunk = hit.chunk
            heading = set(bm25_query_tokens(chunk.section))
            words = set(bm25_query_tokens(f"{chunk.section}\n{chunk.text}"))
            before = previous.get(hit.row - 1)
            opens = before is None or (before.doc_id, before.section) != (chunk.doc_id, chunk.section)
            rows.append(
                [
                    hit.score / top,
                    1.0 / (rank + 1),
                    hit.dense_score,
                    0.0 if hit.dense_rank is None else 1.0 / (hit.dense_rank + 1),
                    0.0 if hit.bm25_rank is None else 1.0 / (hit.bm25_rank + 1),
                    hit.question_cosine,
                    hit.question_cosine - best_question,
                    retrieval.subjects.get(chunk.title, 0.0),
                    float(bool(named) and chunk.title not in named),
                    float(bool(retrieval.intents & section_intents(chunk.section))),
                    self.sentence_score(retrieval, hit),
                    len(asking & heading) / max(1, len(heading)),
                    float(opens),
                    follow_up,
                    len(focus & words) / max(1, len(focus)),
                    float(chunk.n_sentences),
                ]
            )
        return np.asarray(rows, dtype=np.float64)
