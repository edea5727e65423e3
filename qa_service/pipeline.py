"""Question → Answer. Safety first, then retrieval, then a cited extractive answer or an honest
abstention. The live index version is held by `IndexHolder`, which swaps in a newly published
version between requests; a request keeps the version it started with."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

import prompts
from ingest import IndexLoadError, TransformerEmbedder
from ingest.embedding import Embedder
from ingest.index import IndexVersion
from ingest.store import read_current
from qa_service.answer import abstention as ab
from qa_service.answer.generate import Candidate, Draft, ExtractiveGenerator
from qa_service.answer.retrieval import HybridRetriever, Mode, Reranker, Retrieval
from qa_service.models import Answer, AskRequest
from qa_service.settings import Settings
from qa_service.triage.safety import SafetyTriage, Triage

log = logging.getLogger("wisdom.pipeline")


class NoIndexAvailable(Exception):
    """No usable index version: the service answers 503 with what to do."""


class Generator(Protocol):
    """Writes the answer from one question's retrieval and the sentences the pipeline scored
    from it (it scores them to decide whether to answer at all)."""

    def draft(self, retrieval: Retrieval, candidates: list[Candidate]) -> Draft:
        """The answer written from the retrieval, using the sentences the pipeline scored."""


class Triager(Protocol):
    """Decides, before any retrieval, whether a question is urgent, a referral, out of scope or
    one to answer (`SafetyTriage`)."""

    def triage(self, question: str) -> Triage:
        """The triage decision for one question."""


GeneratorFactory = Callable[[IndexVersion, ExtractiveGenerator], Generator]
"""Builds the generator for a newly loaded index version, given that version's extractive
generator (which also scores sentences, and is the fallback of any other generator)."""


@dataclass
class Loaded:
    """A loaded index version with its retriever, its generator and the sentence scorer."""

    version: IndexVersion
    retriever: HybridRetriever
    generator: Generator
    scorer: ExtractiveGenerator  # scores sentences for the abstention decision, whatever generates


@dataclass(frozen=True)
class Assessment:
    """Whether the retrieved evidence is strong enough to answer from (see answer/abstention.py)."""

    features: dict[str, float]
    score: float  # the abstention model's score; 0 when a floor already failed
    answerable: bool
    candidates: list[Candidate] = field(default_factory=list, repr=False)
    unknown: list[str] = field(default_factory=list)  # the question's words the library never uses


@dataclass(frozen=True)
class RefreshResult:
    """What one look at CURRENT did: `swapped` in a new version, found it `unchanged`, `refused`
    a version that failed its checks (the previous one stays live), or found `no_index`."""

    status: Literal["swapped", "unchanged", "refused", "no_index"]
    index_version: str | None
    previous: str | None = None
    problem: str | None = None


class IndexHolder:
    """The live index version.

    A watcher thread (`start_watching`) looks at CURRENT every `index_poll_seconds`, opens and
    checks a newly published version in the background and swaps it in with one assignment, so
    requests never wait for a load; a request keeps the `Loaded` it started with. Without a
    watcher (the CLI), `get()` looks at CURRENT itself at most every `index_poll_seconds`.
    A version that fails its checks is refused once and not retried until CURRENT names another
    version or an operator asks for a reload."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        *,
        generator_factory: GeneratorFactory | None = None,
        reranker: Reranker | None = None,
    ):
        self.index_dir = settings.index_dir
        self.embedder = embedder
        self.settings = settings
        self.generator_factory = generator_factory or settings_generator(settings, embedder)
        self.reranker = reranker
        self._loaded: Loaded | None = None
        self._lock = threading.Lock()
        self._checked = 0.0
        self._refused: str | None = None
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None
        self.problem: str | None = None
        self.swaps = 0
        self.refusals = 0

    def get(self) -> Loaded:
        """The live version, looked at CURRENT first if none is loaded (or, with no watcher, when due)."""
        loaded = self._loaded
        now = time.monotonic()
        if loaded is None or (
            self._watcher is None and now - self._checked >= self.settings.index_poll_seconds
        ):
            self._checked = now
            self.refresh()
            loaded = self._loaded
        if loaded is None:
            raise NoIndexAvailable(self.problem or prompts.message("errors.no_index"))
        return loaded

    def start_watching(self) -> None:
        """Start the background watcher (idempotent)."""
        with self._lock:
            if self._watcher is not None and self._watcher.is_alive():
                return
            self._stop.clear()
            self._watcher = threading.Thread(target=self._watch, name="index-watcher", daemon=True)
            self._watcher.start()

    def stop_watching(self) -> None:
        """Stop the background watcher and wait for it."""
        self._stop.set()
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.join(timeout=30)

    def _watch(self) -> None:
        interval = max(self.settings.index_poll_seconds, 0.05)
        while not self._stop.wait(interval):
            try:
                self.refresh()
            except Exception:  # the watcher must outlive any one bad version
                log.exception("index watcher: refresh failed")

    def refresh(self, force: bool = False) -> RefreshResult:
        """Load the version CURRENT names if it is not the one being served.

        `force` (the admin reload) also retries a version refused earlier."""
        with self._lock:
            live = read_current(self.index_dir)
            current = self._loaded.version.version_id if self._loaded else None
            if live is None:
                if self._loaded is None:
                    self.problem = f"no index in {self.index_dir}. Run: wisdom ingest"
                return RefreshResult("no_index" if current is None else "unchanged", current,
                                     problem=self.problem)  # fmt: skip
            if live == current:  # (again, after a rollback past a refused version: all is well)
                self._refused = self.problem = None
                return RefreshResult("unchanged", current)
            if live == self._refused and not force:
                return RefreshResult("refused", current, problem=self.problem)
            try:
                loaded = self._load(live)
            except IndexLoadError as exc:
                self._refused = live
                self.refusals += 1
                self.problem = f"version {live} refused: {exc}"
                log.error(
                    "index version refused", extra={"version": live, "reason": str(exc), "serving": current}
                )
                return RefreshResult("refused", current, problem=self.problem)
            self._loaded = loaded  # the swap: one reference assignment
            self._refused = None
            self.problem = None
            self.swaps += 1
            log.info("index version live", extra={"version": live, "previous": current})
            return RefreshResult("swapped", live, previous=current)

    def _load(self, version_id: str) -> Loaded:
        version = IndexVersion.open(
            self.index_dir,
            version_id,
            expected_model_sha256=self.embedder.weights_sha256(),
            expected_model_id=self.embedder.model_id,
        )
        built_with = version.manifest.model.dtype
        if built_with and built_with != self.embedder.dtype:
            log.warning(
                "index and service embed in different dtypes: vectors differ slightly",
                extra={
                    "version": version_id,
                    "index_dtype": built_with,
                    "service_dtype": self.embedder.dtype,
                },
            )
        retriever = HybridRetriever(version, self.embedder, self.settings.retrieval, self.reranker)
        extractive = ExtractiveGenerator(version, self.settings.generation)
        generator = self.generator_factory(version, extractive)
        return Loaded(version, retriever, generator, extractive)

    @property
    def current(self) -> Loaded | None:
        """The version being served, without looking at CURRENT (None before the first load)."""
        return self._loaded

    @property
    def version_id(self) -> str | None:
        """The id of the version being served (None before the first load)."""
        loaded = self._loaded
        return loaded.version.version_id if loaded else None


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
        if decision.warning and answer.kind != "urgent":
            # A warning sign that was not judged an emergency is never answered without the line
            # that says to call now if it is happening.
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
        if history and not retrieval.expansion.topic_terms and not self.assess(loaded, retrieval).answerable:
            # The library cannot answer the message alone: read it with the conversation's topic.
            again = loaded.retriever.retrieve(request.question, history, k=request.k, in_context=True)
            if again.expansion.topic_terms and self.assess(loaded, again).answerable:
                retrieval = again
        timings["retrieve_ms"] = (time.perf_counter() - t1) * 1000
        t2 = time.perf_counter()
        answer = self._compose(loaded, retrieval, decision.kind == "refer")
        timings["generate_ms"] = (time.perf_counter() - t2) * 1000
        timings["total_ms"] = (time.perf_counter() - t0) * 1000
        answer.timings = timings
        return answer

    def assess(self, loaded: Loaded, retrieval: Retrieval) -> Assessment:
        """Answer when the best passage and sentence clear the floors of `settings.abstention` (or
        a section's listed question is as near as `min_question_similarity`) and, in a library of
        `model_min_documents` pages or more, the abstention model's score reaches `min_confidence`."""
        s = self.settings.abstention
        names = [name for name, _ in retrieval.expansion.names]
        text, qvec = retrieval.expansion.text, retrieval.query_vector
        cands = loaded.scorer.candidates(text, qvec, retrieval.hits, retrieval.intents, names)
        best = max((c.score for c in cands), default=0.0)
        values = ab.features(retrieval, best)
        if s.on_unknown_terms or s.rare_unknown_zipf > 0:
            version = loaded.version
            unknown = ab.unknown_terms(
                ab.asked_part(retrieval.expansion.text), version.mentions_term, version.terms_like
            )
            if not s.on_unknown_terms:
                unknown = ab.rare_terms(unknown, s.rare_unknown_zipf)
            if unknown:
                return Assessment(values, 0.0, False, cands, unknown)
        low = values["cos_max"] < s.min_similarity or best < s.min_sentence_score
        if not cands or (low and retrieval.question_match < s.min_question_similarity):
            return Assessment(values, 0.0, False, cands)
        score = self.abstention.score(values)
        if loaded.version.n_documents < s.model_min_documents:
            return Assessment(values, score, True, cands)
        return Assessment(values, score, score >= s.min_confidence, cands)

    def _compose(self, loaded: Loaded, retrieval: Retrieval, refer: bool) -> Answer:
        version = loaded.version.version_id
        hits = retrieval.hits
        draft = None
        assessment = self.assess(loaded, retrieval) if hits else None
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
            return Answer(
                kind="abstain", text=prompts.message("abstain.weak_evidence"), index_version=version
            )
        return Answer(kind="answer", text=draft.text, citations=draft.citations, index_version=version)

    def retrieve(
        self, query: str, k: int, mode: Mode = "hybrid", history: Sequence[tuple[str, str]] = ()
    ) -> tuple[Retrieval, str]:
        """The retrieval for `query` (in `mode`, after `history`) on the live version, and its id."""
        loaded = self.index.get()
        return loaded.retriever.retrieve(query, history, k=k, mode=mode), loaded.version.version_id


def settings_generator(settings: Settings, embedder: Embedder) -> GeneratorFactory:
    """The generator the settings name: extractive, or an LLM that falls back to it."""

    def build(version: IndexVersion, extractive: ExtractiveGenerator) -> Generator:
        if settings.generator != "llm":
            return extractive
        from qa_service.answer.llm import LLMConfig, LLMGenerator

        config = LLMConfig(
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            api_key=settings.llm_api_key.get_secret_value(),
            timeout_s=settings.llm_timeout_s,
        )
        return LLMGenerator(version, embedder, config, fallback=extractive)

    return build


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
