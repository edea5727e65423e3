"""The live index version: `IndexHolder` loads the version CURRENT names with its retriever and
generator (`Loaded`), swaps in a newly published version between requests, and refuses one that
fails its checks (the previous version stays live). A request keeps the version it started with."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

import prompts
from ingest import IndexLoadError
from ingest.embedding import Embedder
from ingest.index import IndexVersion
from ingest.store import read_current
from qa_service.answer.generate import Candidate, Draft, ExtractiveGenerator
from qa_service.answer.rerank import PassageRanker
from qa_service.answer.rerank import default_model as default_ranker
from qa_service.answer.retrieval import HybridRetriever, Reranker, Retrieval
from qa_service.answer.sentence_model import default_model as default_sentences
from qa_service.settings import Settings

log = logging.getLogger("wisdom.pipeline")


class NoIndexAvailable(Exception):
    """No usable index version: the service answers 503 with what to do."""


class Generator(Protocol):
    """Writes the answer from one question's retrieval and the sentences the pipeline scored
    from it (it scores them to decide whether to answer at all)."""

    def draft(self, retrieval: Retrieval, candidates: list[Candidate]) -> Draft:
        """The answer written from the retrieval, using the sentences the pipeline scored."""


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
        generation = self.settings.generation
        sentences = default_sentences() if generation.learned_sentences else None
        extractive = ExtractiveGenerator(version, generation, sentences)
        ranker = None
        if self.settings.retrieval.small_library_rerank:
            ranker = PassageRanker(version, extractive.best_score, default_ranker())
        retriever = HybridRetriever(version, self.embedder, self.settings.retrieval, self.reranker, ranker)
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
