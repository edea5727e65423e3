"""Question → Answer. Safety first, then retrieval, then a cited extractive answer or an honest
abstention. The live index version is held by `IndexHolder` (index_holder.py, re-exported here),
which swaps in a newly published version between requests; a request keeps the version it
started with."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import prompts
from ingest import TransformerEmbedder
from ingest.embedding import Embedder
from qa_service.answer import abstention as ab
from qa_service.answer.expansion import asked_part
from qa_service.answer.generate import Candidate
from qa_service.answer.retrieval import Mode, Reranker, Retrieval
from qa_service.index_holder import Generator as Generator
from qa_service.index_holder import GeneratorFactory as GeneratorFactory
from qa_service.index_holder import IndexHolder as IndexHolder
from qa_service.index_holder import Loaded as Loaded
from qa_service.index_holder import NoIndexAvailable as NoIndexAvailable
from qa_service.index_holder import RefreshResult as RefreshResult
from qa_service.index_holder import settings_generator as settings_generator
from qa_service.models import Answer, AskRequest
from qa_service.settings import Settings
from qa_service.triage.safety import SafetyTriage, Triage


class Triager(Protocol):
    """Decides, before any retrieval, whether a question is urgent, a referral, out of scope or
    one to answer (`SafetyTriage`)."""

    def triage(self, question: str) -> Triage:
        """The triage decision for one question."""


@dataclass(frozen=True)
class Assessment:
    """Whether the retrieved evidence is strong enough to answer from (see answer/abstention.py)."""

    features: dict[str, float]
    score: float  # the abstention model's score; 0 when a floor already failed
    answerable: bool
    candidates: list[Candidate] = field(default_factory=list, repr=False)
    unknown: list[str] = field(default_factory=list)  # the question's words the library never uses


class Pipeline:
    """Question → Answer: safety triage, then hybrid retrieval on the live index version, the
    abstention decision, and a cited answer from the configured generator. Built from its parts
    (see `build_pipeline`); the index version is swapped by `IndexHolder`."""

    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embedder,
        triage: Triager,
        index: IndexHolder,
        abstention: ab.AbstentionModel | None = None,
    ):
        self.settings = settings
        self.embedder = embedder
        self.index = index
        self.triage = triage
        self.abstention: ab.AbstentionModel = abstention or ab.default_model()

    def _locale(self) -> dict[str, str]:
        s = self.settings
        return {
            "emergency_number": s.emergency_number,
            "crisis_line": s.crisis_line,
            "poison_line": s.poison_line,
        }

    def ask(self, request: AskRequest) -> Answer:
        """Triage the question, then answer it: urgent, refer, abstain or a cited answer, with timings."""
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        decision = self.triage.triage(request.question)
        timings["triage_ms"] = (time.perf_counter() - t0) * 1000
        answer = self._answer(request, decision, t0, timings)
        warned = (
            (decision.abstain_warning or decision.warning) if answer.kind == "abstain" else decision.warning
        )
        if warned and answer.kind != "urgent":
            # A warning sign that was not judged an emergency is never answered without the line
            # that says to call now if it is happening (an abstention at the head's lower bar).
            answer.text = prompts.with_safety_net(answer.text, self.settings.emergency_number)
        return answer

    def _answer(self, request: AskRequest, decision: Triage, t0: float, timings: dict[str, float]) -> Answer:
        if decision.kind == "urgent":
            text = prompts.message(f"urgent.{decision.category or 'general'}", **self._locale())
            timings["total_ms"] = (time.perf_counter() - t0) * 1000
            return Answer(kind="urgent", text=text, index_version=self.index.version_id, timings=timings)
        if decision.kind == "out_of_scope":
            timings["total_ms"] = (time.perf_counter() - t0) * 1000
            return Answer(kind="abstain", text=prompts.message("abstain.out_of_scope"),
                          index_version=self.index.version_id, timings=timings)  # fmt: skip
        loaded = self.index.get()
        history = [(t.role, t.content) for t in request.history]
        t1 = time.perf_counter()
        retrieval = loaded.retriever.retrieve(request.question, history, k=request.k)
        assessment = None
        if history and not retrieval.expansion.topic_terms:
            # A message the library cannot answer alone, or that names no page, is read with the
            # conversation's topic ("how long till the results come back?" after a biopsy).
            strict = decision.kind == "refer"
            assessment = self.assess(loaded, retrieval, strict)
            if not assessment.answerable or not retrieval.expansion.names:
                again = loaded.retriever.retrieve(request.question, history, k=request.k, in_context=True)
                judged = self.assess(loaded, again, strict)
                if again.expansion.topic_terms and judged.answerable:
                    retrieval, assessment = again, judged
        timings["retrieve_ms"] = (time.perf_counter() - t1) * 1000
        t2 = time.perf_counter()
        answer = self._compose(loaded, retrieval, decision.kind == "refer", assessment)
        timings["generate_ms"] = (time.perf_counter() - t2) * 1000
        timings["total_ms"] = (time.perf_counter() - t0) * 1000
        answer.timings = timings
        return answer

    def assess(self, loaded: Loaded, retrieval: Retrieval, strict: bool = False) -> Assessment:
        """Answer when the best passage and sentence clear the floors of `settings.abstention` (or
        a section's listed question is as near as `min_question_similarity`) and, in a library of
        `model_min_documents` pages or more, the abstention model's score reaches `min_confidence`.
        `strict` (a referral's information) keeps `min_similarity` in a small library too: "Should
        I double my dose?" names no medicine, and its nearest passages are other medicines' doses."""
        s = self.settings.abstention
        names = [name for name, _ in retrieval.expansion.names]
        text, qvec = retrieval.expansion.text, retrieval.query_vector
        cands = loaded.scorer.candidates(text, qvec, retrieval.hits, retrieval.intents, names)
        best = max((c.score for c in cands), default=0.0)  # as the abstention model was calibrated
        if loaded.retriever.ranker is not None:
            # Reranked: the floor reads how well a sentence answers, not where its passage was put.
            penalty = self.settings.generation.rank_penalty
            floor = max((c.score + penalty * c.hit_rank for c in cands), default=0.0)
        else:
            floor = best
        values = ab.features(retrieval, best)
        if s.on_unknown_terms or s.rare_unknown_zipf > 0:
            version = loaded.version
            unknown = ab.unknown_terms(
                asked_part(retrieval.expansion.text, referents=True, remarks=s.unknown_in_remarks),
                version.mentions_term,
                ab.misspelt_in(version),
            )
            if not s.on_unknown_terms:
                unknown = ab.rare_terms(unknown, s.rare_unknown_zipf)
            if unknown:
                return Assessment(values, 0.0, False, cands, unknown)
        small = loaded.version.n_documents < s.model_min_documents and not strict
        if small and s.small_library_min_similarity <= values["cos_max"] < s.min_similarity:
            # Passages far from the patient's words: a sentence must answer clearly.
            low = floor < s.small_library_min_sentence_score
        else:
            low = values["cos_max"] < s.min_similarity or floor < s.min_sentence_score
        # A question as near as min_question_similarity to one a page the question names lists
        # ("grapefruit juice on tacrolimus?") is answered though its passages score low; a listed
        # question of a page it does not name is not enough ("What is the treatment for glaucoma?"
        # is near "can steroids cause glaucoma?").
        named = retrieval.subjects.get(retrieval.question_page or "", 0.0) > 0
        near = named and retrieval.question_match >= s.min_question_similarity
        if not cands or (low and not near):
            return Assessment(values, 0.0, False, cands)
        score = self.abstention.score(values)
        if loaded.version.n_documents < s.model_min_documents:
            return Assessment(values, score, True, cands)
        return Assessment(values, score, score >= s.min_confidence, cands)

    def _compose(
        self, loaded: Loaded, retrieval: Retrieval, refer: bool, assessment: Assessment | None = None
    ) -> Answer:
        version = loaded.version.version_id
        draft = None
        if assessment is None and retrieval.hits:
            assessment = self.assess(loaded, retrieval, strict=refer)
        if assessment is not None and assessment.answerable:
            draft = loaded.generator.draft(retrieval, assessment.candidates)
            if not draft.citations:
                draft = None
        if refer:
            if draft is None:
                text = prompts.message("refer.dosing_no_info")
                return Answer(kind="refer", text=text, index_version=version)
            text = prompts.message("refer.dosing") + "\n\n" + prompts.without_lead_in(draft.text)
            return Answer(kind="refer", text=text, citations=draft.citations, index_version=version)
        if draft is None:
            text = prompts.message("abstain.weak_evidence")
            return Answer(kind="abstain", text=text, index_version=version)
        return Answer(kind="answer", text=draft.text, citations=draft.citations, index_version=version)

    def retrieve(
        self, query: str, k: int, mode: Mode = "hybrid", history: Sequence[tuple[str, str]] = ()
    ) -> tuple[Retrieval, str]:
        """The retrieval for `query` (in `mode`, after `history`) on the live version, and its id."""
        loaded = self.index.get()
        return loaded.retriever.retrieve(query, history, k=k, mode=mode), loaded.version.version_id


def build_pipeline(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    triage: Triager | None = None,
    reranker: Reranker | None = None,
    generator_factory: GeneratorFactory | None = None,
) -> Pipeline:
    """The pipeline the settings describe; a part passed in replaces the one they would build
    (tests share one embedder; an operator plugs in a reranker or another generator)."""
    embedder = embedder or TransformerEmbedder(
        settings.embedding_model,
        settings.embedding_dtype,
        settings.embedding_batch_size,
        settings.embedding_backend,
        threads=settings.service_threads,
        cache_dir=settings.onnx_cache,
    )
    index = IndexHolder(settings, embedder, generator_factory=generator_factory, reranker=reranker)
    triage = triage or SafetyTriage(embedder, config=settings.triage)
    return Pipeline(settings, embedder=embedder, triage=triage, index=index)


def pin_threads(threads: int) -> None:
    """Torch and FAISS threads for a serving process. One per request is right for the model and
    the vector search: small inputs gain nothing from more, and concurrent requests would otherwise
    oversubscribe the cores (10-20x slower under load; FAISS's OpenMP threads spin while they
    wait). Called by the entry points (`wisdom serve`, `wisdom ask`, `wisdom eval`), not by
    library code."""
    import faiss
    import torch

    torch.set_num_threads(threads)
    faiss.omp_set_num_threads(threads)
