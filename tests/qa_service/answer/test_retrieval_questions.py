"""qa_service/answer/retrieval.py with section questions: a section is found through the questions
its page lists, and a page added without any is still found on its own text (it is not buried
under pages that list questions)."""

from __future__ import annotations

import pytest

from ingest import IngestConfig, TransformerEmbedder, run_ingest
from ingest.index import IndexVersion
from qa_service.answer.retrieval import HybridRetriever
from qa_service.answer.retrieval_config import RetrievalConfig
from tests.ingest.conftest import TINY_PAGES, write_pages

WITH_QUESTIONS = TINY_PAGES["alpha-myopathy"].replace(
    "        kind: editorial\n",
    "        kind: editorial\n"
    "        questions:\n"
    "          Treatment:\n"
    "            - is there any medicine for alpha myopathy\n"
    "            - does working out help with AM\n"
    "          Diagnosis:\n"
    "            - what blood work shows alpha myopathy\n",
)


BETA_WITH_QUESTIONS = TINY_PAGES["beta-blood-test"].replace(
    "        summary: A blood test that measures the beta enzyme.\n",
    "        summary: A blood test that measures the beta enzyme.\n"
    "        questions:\n"
    "          Preparing:\n"
    "            - are there side effects of the beta test, like a headache after it\n"
    "            - what side effects should I expect after my therapy blood test\n",
)
DELTA_WITH_QUESTIONS = TINY_PAGES["delta-exercise"].replace(
    "        kind: community\n",
    "        kind: community\n"
    "        questions:\n"
    "          Building up:\n"
    "            - what are the side effects of exercise therapy, can it cause a headache\n",
)


@pytest.fixture(scope="module")
def version(tmp_path_factory: pytest.TempPathFactory, embedder: TransformerEmbedder) -> IndexVersion:
    root = tmp_path_factory.mktemp("questions")
    corpus = write_pages(
        root / "corpus",
        dict(
            TINY_PAGES,
            **{
                "alpha-myopathy": WITH_QUESTIONS,
                "beta-blood-test": BETA_WITH_QUESTIONS,
                "delta-exercise": DELTA_WITH_QUESTIONS,
            },
        ),
    )
    run_ingest([corpus], IngestConfig(index_dir=root / "index"), embedder)
    return IndexVersion.open(root / "index")


def test_the_listed_questions_steer_to_their_section(
    version: IndexVersion, embedder: TransformerEmbedder
) -> None:
    assert version.n_questions == 6
    retriever = HybridRetriever(version, embedder)
    hit = retriever.retrieve("is there something I can take for alpha myopathy?", k=3).hits[0]
    assert (hit.chunk.doc_id, hit.chunk.section) == ("alpha-myopathy", "Treatment")
    assert "corticosteroids" in hit.chunk.text


def test_a_page_without_listed_questions_is_found_on_its_own_text(
    version: IndexVersion, embedder: TransformerEmbedder
) -> None:
    retriever = HybridRetriever(version, embedder, RetrievalConfig(question_blend=1.0))
    retrieval = retriever.retrieve("What are the side effects of gamma therapy?", k=3)
    assert retrieval.hits[0].chunk.doc_id == "gamma-therapy"
    assert "Headache on the day of the infusion" in retrieval.hits[0].chunk.text
    assert retrieval.question_match < 0.7  # no listed question is near it
