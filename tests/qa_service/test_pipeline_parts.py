"""The pipeline is built from its parts: a reranker or a generator passed to `build_pipeline`
is the one that runs, without patching anything."""

from __future__ import annotations

from pathlib import Path

from ingest import TransformerEmbedder
from ingest.index import IndexVersion
from qa_service.answer.generate import Candidate, Draft, ExtractiveGenerator
from qa_service.answer.retrieval import Hit, Retrieval
from qa_service.models import AskRequest
from qa_service.pipeline import Generator, build_pipeline
from tests.qa_service.conftest import make_settings


class ReversingReranker:
    def __init__(self) -> None:
        self.questions: list[str] = []

    def rerank(self, question: str, hits: list[Hit]) -> list[Hit]:
        self.questions.append(question)
        return hits[::-1]


class BestSentenceGenerator:
    """Quotes only the best-scored sentence (through the extractive generator, so that its
    citation is real), to show that the pipeline used this generator."""

    def __init__(self, extractive: ExtractiveGenerator) -> None:
        self.extractive = extractive
        self.calls = 0

    def draft(self, retrieval: Retrieval, candidates: list[Candidate]) -> Draft:
        self.calls += 1
        return self.extractive.draft(retrieval, [max(candidates, key=lambda c: c.score)])


def test_a_reranker_passed_in_reorders_the_hits(qa_index: Path, embedder: TransformerEmbedder) -> None:
    plain = build_pipeline(make_settings(qa_index), embedder=embedder)
    reranker = ReversingReranker()
    reranked = build_pipeline(make_settings(qa_index), embedder=embedder, reranker=reranker)
    question = "How is inclusion body myositis treated?"
    before, _ = plain.retrieve(question, 5)
    after, _ = reranked.retrieve(question, 5)
    assert reranker.questions
    assert [h.chunk.chunk_id for h in after.hits] != [h.chunk.chunk_id for h in before.hits]


def test_a_generator_factory_passed_in_writes_the_answer(
    qa_index: Path, embedder: TransformerEmbedder
) -> None:
    built: list[BestSentenceGenerator] = []

    def factory(version: IndexVersion, extractive: ExtractiveGenerator) -> Generator:
        built.append(BestSentenceGenerator(extractive))
        return built[-1]

    pipeline = build_pipeline(make_settings(qa_index), embedder=embedder, generator_factory=factory)
    answer = pipeline.ask(AskRequest(question="What is dermatomyositis?"))
    assert answer.kind == "answer"
    assert len(built) == 1 and built[0].calls == 1
    assert len(answer.citations) == 1
    assert answer.citations[0].quote in answer.text
