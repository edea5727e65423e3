"""Section questions: a page's front matter lists the questions each section answers; ingest
checks them against the page's headings, embeds and stores them, and the index version finds the
section whose questions are nearest a patient's question."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ingest import IngestConfig, TransformerEmbedder, run_ingest
from ingest.index import IndexVersion
from ingest.loaders import load_sources
from tests.ingest.conftest import TINY_PAGES, page_text, sqlite_count, write_pages

WITH_QUESTIONS = """\
    ---
    title: Alpha myopathy
    questions:
      Diagnosis:
        - what blood test do they do first for alpha myopathy?
        - how do doctors find out it is alpha myopathy
      Muscle Biopsy:
        - do they cut a bit of muscle out to check?
      Treatment:
        - what medicine helps alpha myopathy
    ---

    ## Overview

    Alpha myopathy is a rare muscle disease. It causes weakness in the hips and shoulders.

    ## Diagnosis

    Doctors start with a CK blood test. A high CK level points to muscle damage.

    ### Muscle Biopsy

    A small piece of muscle is taken with a needle. The sample is examined under a microscope.

    ## Treatment

    Most people start with corticosteroids. Exercise helps keep the muscles strong.
    """


def test_questions_are_read_per_section_and_change_the_digest(tmp_path: Path) -> None:
    (page,) = write_pages(tmp_path / "a", {"alpha-myopathy": WITH_QUESTIONS}).glob("*.md")
    (doc,) = load_sources([page], max_document_bytes=100_000).docs
    assert doc.questions == (
        ("Diagnosis", "what blood test do they do first for alpha myopathy?"),
        ("Diagnosis", "how do doctors find out it is alpha myopathy"),
        ("Muscle Biopsy", "do they cut a bit of muscle out to check?"),
        ("Treatment", "what medicine helps alpha myopathy"),
    )
    plain = page_text(WITH_QUESTIONS).split("---\n", 2)
    without = "---\ntitle: Alpha myopathy\n---\n" + plain[2]
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "alpha-myopathy.md").write_text(without, encoding="utf-8")
    (other,) = load_sources([tmp_path / "b"], max_document_bytes=100_000).docs
    assert other.questions == () and other.text == doc.text
    assert other.digest != doc.digest


def test_a_question_for_a_heading_the_page_lacks_is_refused_with_the_headings(tmp_path: Path) -> None:
    bad = WITH_QUESTIONS.replace("  Treatment:\n", "  Treatments:\n")
    write_pages(tmp_path, {"alpha-myopathy": bad, "beta-blood-test": TINY_PAGES["beta-blood-test"]})
    loaded = load_sources([tmp_path], max_document_bytes=100_000)
    assert [d.doc_id for d in loaded.docs] == ["beta-blood-test"]
    (problem,) = loaded.problems
    assert problem.where.endswith("alpha-myopathy.md")
    assert "'Treatments', which is not a heading of this page" in problem.problem
    assert "Diagnosis, Muscle Biopsy, Overview, Treatment" in problem.problem


def test_empty_question_lists_are_refused(tmp_path: Path) -> None:
    bad = WITH_QUESTIONS.replace(
        "  Treatment:\n        - what medicine helps alpha myopathy\n", "  Treatment: []\n"
    )
    assert "Treatment: []" in page_text(bad)
    write_pages(tmp_path, {"alpha-myopathy": bad})
    loaded = load_sources([tmp_path], max_document_bytes=100_000)
    assert not loaded.docs
    assert "questions" in loaded.problems[0].problem


def test_questions_are_stored_embedded_and_find_their_section(
    tmp_path: Path, embedder: TransformerEmbedder
) -> None:
    pages = dict(TINY_PAGES, **{"alpha-myopathy": WITH_QUESTIONS})
    corpus = write_pages(tmp_path / "corpus", pages)
    index_dir = tmp_path / "index"
    report = run_ingest([corpus], IngestConfig(index_dir=index_dir), embedder)
    assert report.questions == 4
    version = IndexVersion.open(index_dir)
    try:
        assert version.manifest.counts.questions == version.n_questions == 4
        assert sqlite_count(version.folder, "questions") == 4
        vector = embedder.embed(["is there a blood test to find out if I have alpha myopathy"])[0]
        found = version.question_search(vector, k=4)
        best = max(found, key=lambda row: found[row])
        (chunk,) = version.chunks([best])
        assert chunk.doc_id == "alpha-myopathy" and chunk.section.startswith("Diagnosis")
        assert "CK blood test" in chunk.text
        # The Diagnosis questions cover the biopsy subsection too; the biopsy question only it.
        labels = {c.section for c in version.chunks(list(found))}
        assert {"Diagnosis", "Diagnosis > Muscle Biopsy", "Treatment"} <= labels
        assert all(c.doc_id == "alpha-myopathy" for c in version.chunks(list(found)))
        stored = np.load(version.folder / "questions.npy")
        assert stored.shape == (4, embedder.dim)
    finally:
        version.close()
    # Nothing changed: the same questions are up to date; a changed question re-publishes.
    assert run_ingest([corpus], IngestConfig(index_dir=index_dir), embedder).up_to_date
    page = corpus / "alpha-myopathy.md"
    page.write_text(page.read_text().replace("what medicine helps", "which drugs treat"), encoding="utf-8")
    again = run_ingest([corpus], IngestConfig(index_dir=index_dir), embedder)
    assert again.published and again.changed == 1 and again.questions == 4
