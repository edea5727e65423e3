"""run_ingest with the real model: manifest, incremental rebuilds, strict mode, the real corpus."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import sqlite3
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ingest import (
    ChunkingConfig,
    IngestConfig,
    IngestReport,
    NothingToIndexError,
    StrictModeError,
    TransformerEmbedder,
    build,
    run_ingest,
)
from ingest.build import corpus_digest
from ingest.chunking import CHUNKER_VERSION, chunk_document
from ingest.index import IndexVersion
from ingest.loaders import load_sources
from ingest.store import MANIFEST, SCHEMA_VERSION, read_current, versions_dir
from ingest.text import bm25_query_tokens
from tests.conftest import CORPUS_PAGES
from tests.ingest.conftest import Built, chunk_ids, sqlite_count, write_pages

ALPHA = "alpha-myopathy"


def ingest(corpus: Path, index_dir: Path, embedder: TransformerEmbedder, **config: Any) -> IngestReport:
    return run_ingest([corpus], IngestConfig(index_dir=index_dir, **config), embedder)


@contextlib.contextmanager
def opened(index_dir: Path, version_id: str | None = None) -> Iterator[IndexVersion]:
    version = IndexVersion.open(index_dir, version_id)
    try:
        yield version
    finally:
        version.close()


def folder_of(index_dir: Path, version_id: str | None) -> Path:
    assert version_id is not None
    return versions_dir(index_dir) / version_id


def manifest_of(index_dir: Path, version_id: str | None) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((folder_of(index_dir, version_id) / MANIFEST).read_text("utf-8"))
    return manifest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def published_versions(index_dir: Path) -> list[str]:
    return sorted(p.name for p in versions_dir(index_dir).iterdir())


# --- first build -------------------------------------------------------------------------------


def test_first_ingest_publishes_a_complete_manifest(tiny_built: Built, embedder: TransformerEmbedder) -> None:
    report = tiny_built.report
    assert report.published and not report.up_to_date
    assert report.full_rebuild and report.rebuild_reason == "no live index version"
    assert (report.added, report.changed, report.removed, report.unchanged) == (4, 0, 0, 0)
    assert report.problems == []
    assert report.chunks_embedded == report.chunks >= 10 and report.chunks_reused == 0
    assert read_current(tiny_built.index_dir) == tiny_built.version_id

    folder = tiny_built.version_dir
    manifest = manifest_of(tiny_built.index_dir, tiny_built.version_id)
    assert manifest["schema_version"] == SCHEMA_VERSION == 1
    assert manifest["version_id"] == tiny_built.version_id
    model = manifest["model"]
    assert model["id"] == embedder.model_id == "all-MiniLM-L6-v2"
    assert model["sha256"] == embedder.weights_sha256()
    assert re.fullmatch(r"[0-9a-f]{64}", model["sha256"])
    assert model["dim"] == 384
    assert model["dtype"] == embedder.dtype and model["dtype"] in ("fp32", "bf16", "int8")
    assert model["max_tokens"] == 256
    assert manifest["chunking"] == {"chunker_version": CHUNKER_VERSION, "max_tokens": 200}
    assert manifest["settings_key"]["model_sha256"] == model["sha256"]
    docs = load_sources([tiny_built.corpus], max_document_bytes=5_000_000).docs
    assert manifest["corpus_digest"] == corpus_digest(docs)
    assert manifest["counts"] == {
        "documents": sqlite_count(folder, "documents"),
        "chunks": sqlite_count(folder, "chunks"),
        "sentences": sqlite_count(folder, "sentences"),
        "questions": sqlite_count(folder, "questions"),
    }
    assert manifest["counts"] == {
        "documents": 4,
        "chunks": report.chunks,
        "sentences": report.sentences,
        "questions": 0,
    }
    created = dt.datetime.fromisoformat(manifest["created_at"])
    now = dt.datetime.now(dt.UTC)
    assert created.tzinfo is not None and now - dt.timedelta(days=1) < created <= now
    assert manifest["package_version"] == metadata.version("alike-wisdom")
    on_disk = {
        str(p.relative_to(folder)): p.stat().st_size
        for p in folder.rglob("*")
        if p.is_file() and p.name != MANIFEST
    }
    assert manifest["files"] == on_disk
    assert {"dense.faiss", "chunks.sqlite", "sentences.npy", "questions.npy"} <= set(on_disk)
    assert any(name.startswith("bm25/") for name in on_disk)
    assert manifest["build"]["chunks_embedded"] == report.chunks
    assert manifest["build"]["skipped"] == []

    with opened(tiny_built.index_dir) as version:
        assert version.n_chunks == report.chunks
        assert version.sentence_vectors(0, version.n_sentences).shape == (report.sentences, 384)


def test_index_holds_the_documents_chunks_and_sentences(tiny_built: Built) -> None:
    with opened(tiny_built.index_dir) as version:
        assert version.document_ids() == sorted(
            ["alpha-myopathy", "beta-blood-test", "delta-exercise", "gamma-therapy"]
        )
        alpha = version.document(ALPHA)
        assert alpha is not None
        assert alpha.title == "Alpha myopathy" and alpha.kind == "editorial"
        assert alpha.aliases == ["AM", "alpha muscle disease"]
        assert alpha.sources == [
            {"name": "Example Myositis Society", "url": "https://example.org/alpha-myopathy"}
        ]
        assert alpha.reviewed == "2026-01-15"
        records = version.chunks(list(range(version.n_chunks)))
        biopsy = [r for r in records if r.section == "Diagnosis > Muscle Biopsy"]
        assert [(r.doc_id, r.text) for r in biopsy] == [
            (
                ALPHA,
                "A small piece of muscle is taken with a needle. The sample is examined under a microscope.",
            )
        ]
        for record in records:
            text = version.document_text(record.doc_id)
            assert record.text == text[record.start : record.end]
            sentences = version.sentences(record.first_sentence, record.n_sentences)
            assert len(sentences) == record.n_sentences >= 1
            assert all(record.start <= s < e <= record.end for _, s, e in sentences)
        effects = next(r for r in records if r.section == "Side effects")
        sentences = version.sentences(effects.first_sentence, effects.n_sentences)
        assert [version.document_text("gamma-therapy")[s:e] for _, s, e in sentences] == [
            "Headache on the day of the infusion",
            "Tiredness for a day or two",
            "Rarely, a skin rash",
        ]


# --- incremental -------------------------------------------------------------------------------


def test_second_identical_run_is_up_to_date(tiny: Built, embedder: TransformerEmbedder) -> None:
    report = ingest(tiny.corpus, tiny.index_dir, embedder)
    assert report.up_to_date and not report.published
    assert report.version_id == tiny.version_id
    assert report.chunks_embedded == 0
    assert report.chunks_reused == report.chunks == tiny.report.chunks
    assert (report.added, report.changed, report.removed, report.unchanged) == (0, 0, 0, 4)
    assert published_versions(tiny.index_dir) == [tiny.version_id]
    assert read_current(tiny.index_dir) == tiny.version_id


def test_editing_one_section_reembeds_only_that_chunk(tiny: Built, embedder: TransformerEmbedder) -> None:
    old_ids = chunk_ids(tiny.version_dir)
    old_alpha = chunk_ids(tiny.version_dir, ALPHA)
    edit(
        tiny.corpus / f"{ALPHA}.md",
        "Most people start with corticosteroids.",
        "Most people start with corticosteroids such as prednisone.",
    )
    report = ingest(tiny.corpus, tiny.index_dir, embedder)

    assert report.published and not report.full_rebuild and not report.up_to_date
    assert report.version_id != tiny.version_id
    assert (report.added, report.changed, report.removed, report.unchanged) == (0, 1, 0, 3)
    new_folder = folder_of(tiny.index_dir, report.version_id)
    new_ids = chunk_ids(new_folder)
    assert len(new_ids - old_ids) == 1 and len(old_ids - new_ids) == 1
    assert len(chunk_ids(new_folder, ALPHA) & old_alpha) == len(old_alpha) - 1
    assert report.chunks_embedded == 1
    assert report.chunks_reused == report.chunks - 1 == len(old_ids) - 1
    assert read_current(tiny.index_dir) == report.version_id
    build = manifest_of(tiny.index_dir, report.version_id)["build"]
    assert (build["changed"], build["chunks_embedded"], build["full_rebuild"]) == (1, 1, False)
    with opened(tiny.index_dir) as version:
        treatment = [r for r in version.chunks(list(range(version.n_chunks))) if r.section == "Treatment"]
        assert any("such as prednisone" in r.text for r in treatment)
    # The previous version is untouched and can still be opened.
    with opened(tiny.index_dir, tiny.version_id) as previous:
        assert previous.n_chunks == tiny.report.chunks


def test_adding_a_page_embeds_only_its_chunks(tiny: Built, embedder: TransformerEmbedder) -> None:
    write_pages(
        tiny.corpus,
        {"epsilon-sleep": "---\ntitle: Epsilon sleep\n---\n\n## Tips\n\nGo to bed early.\n"},
    )
    report = ingest(tiny.corpus, tiny.index_dir, embedder)
    assert (report.added, report.changed, report.removed, report.unchanged) == (1, 0, 0, 4)
    assert (report.chunks_embedded, report.chunks_reused) == (1, tiny.report.chunks)
    with opened(tiny.index_dir) as version:
        assert "epsilon-sleep" in version.document_ids()


def test_a_version_from_before_dtype_joined_the_settings_key_is_still_reused(
    tiny: Built, embedder: TransformerEmbedder
) -> None:
    path = versions_dir(tiny.index_dir) / tiny.version_id / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    del manifest["settings_key"]["dtype"]  # as written by the first releases
    path.write_text(json.dumps(manifest), encoding="utf-8")
    write_pages(tiny.corpus, {"zeta-rest": "---\ntitle: Zeta rest\n---\n\n## Tips\n\nRest between tasks.\n"})
    report = ingest(tiny.corpus, tiny.index_dir, embedder)
    assert not report.full_rebuild, report.rebuild_reason
    assert (report.chunks_embedded, report.chunks_reused) == (1, tiny.report.chunks)


def test_deleting_a_file_removes_its_chunks(tiny: Built, embedder: TransformerEmbedder) -> None:
    gamma_ids = chunk_ids(tiny.version_dir, "gamma-therapy")
    assert gamma_ids
    (tiny.corpus / "gamma-therapy.md").unlink()

    report = ingest(tiny.corpus, tiny.index_dir, embedder)

    assert report.published
    assert (report.added, report.changed, report.removed, report.unchanged) == (0, 0, 1, 3)
    assert report.chunks_embedded == 0
    assert report.chunks == tiny.report.chunks - len(gamma_ids)
    new_folder = folder_of(tiny.index_dir, report.version_id)
    assert not chunk_ids(new_folder) & gamma_ids
    assert sqlite_count(new_folder, "documents") == 3
    with opened(tiny.index_dir) as version:
        assert "gamma-therapy" not in version.document_ids()
        assert version.n_chunks == report.chunks
        assert version.n_sentences == report.sentences


def _vectors_by_chunk(version: IndexVersion) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    out = {}
    for record in version.chunks(list(range(version.n_chunks))):
        dense = version.chunk_vectors([record.row])[0]
        first, n = record.first_sentence, record.n_sentences
        out[record.chunk_id] = (dense, version.sentence_vectors(first, first + n))
    return out


def _cuts(folder: Path) -> list[tuple[Any, ...]]:
    """Every chunk as stored, with its sentences' offsets: what the chunker decided."""
    conn = sqlite3.connect(folder / "chunks.sqlite")
    try:
        chunks = conn.execute(
            'SELECT row, chunk_id, doc_id, ordinal, section, start, "end", n_tokens FROM chunks'
            " ORDER BY doc_id, ordinal"
        ).fetchall()
        sentences: dict[int, list[tuple[int, int]]] = {}
        for chunk_row, start, end in conn.execute(
            'SELECT chunk_row, start, "end" FROM sentences ORDER BY row'
        ):
            sentences.setdefault(chunk_row, []).append((start, end))
    finally:
        conn.close()
    return [(*c[1:], sentences.get(c[0], [])) for c in chunks]


def test_unchanged_documents_keep_the_chunks_a_fresh_chunking_cuts(
    tiny: Built, embedder: TransformerEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Re-ingest reads an unchanged document's chunks back from the live version instead of
    # cutting it again; they must be exactly what cutting it again gives.
    cut: list[str] = []
    real_chunker = chunk_document

    def counting_chunker(doc: Any, *args: Any) -> Any:
        cut.append(doc.doc_id)
        return real_chunker(doc, *args)

    edit(tiny.corpus / "beta-blood-test.md", "two days", "three days")
    with monkeypatch.context() as patch:
        patch.setattr(build, "chunk_document", counting_chunker)  # what run_ingest calls
        incremental = ingest(tiny.corpus, tiny.index_dir, embedder)
    assert cut == ["beta-blood-test"]
    assert (incremental.changed, incremental.unchanged) == (1, tiny.report.documents - 1)
    rebuilt = ingest(tiny.corpus, tiny.index_dir, embedder, rebuild=True)
    kept = _cuts(folder_of(tiny.index_dir, incremental.version_id))
    assert kept == _cuts(folder_of(tiny.index_dir, rebuilt.version_id))
    assert len({c[1] for c in kept}) == tiny.report.documents
    assert all(c[-1] for c in kept)  # every chunk keeps its sentences


def test_reused_vectors_equal_a_fresh_rebuild(tiny: Built, embedder: TransformerEmbedder) -> None:
    edit(tiny.corpus / "beta-blood-test.md", "two days", "three days")
    incremental = ingest(tiny.corpus, tiny.index_dir, embedder)
    assert incremental.chunks_reused == incremental.chunks - 1 > 0

    rebuilt = ingest(tiny.corpus, tiny.index_dir, embedder, rebuild=True)
    assert rebuilt.published and rebuilt.full_rebuild
    assert rebuilt.rebuild_reason == "--rebuild was given"
    assert (rebuilt.chunks_embedded, rebuilt.chunks_reused) == (rebuilt.chunks, 0)
    assert rebuilt.version_id not in (incremental.version_id, tiny.version_id)
    assert read_current(tiny.index_dir) == rebuilt.version_id

    with (
        opened(tiny.index_dir, incremental.version_id) as old,
        opened(tiny.index_dir, rebuilt.version_id) as fresh,
    ):
        reused, recomputed = _vectors_by_chunk(old), _vectors_by_chunk(fresh)
    assert reused.keys() == recomputed.keys()
    for chunk_id, (dense, sentences) in reused.items():
        fresh_dense, fresh_sentences = recomputed[chunk_id]
        np.testing.assert_allclose(dense, fresh_dense, atol=1e-5, err_msg=chunk_id)
        # Sentence vectors are stored as float16.
        np.testing.assert_allclose(sentences, fresh_sentences, atol=2e-3, err_msg=chunk_id)


def test_changing_chunk_tokens_forces_a_full_rebuild(tiny: Built, embedder: TransformerEmbedder) -> None:
    small = ChunkingConfig(max_tokens=32)
    report = ingest(tiny.corpus, tiny.index_dir, embedder, chunking=small)

    assert report.published and report.full_rebuild
    assert report.rebuild_reason is not None
    assert "max_tokens: 200 → 32" in report.rebuild_reason
    assert (report.chunks_embedded, report.chunks_reused) == (report.chunks, 0)
    assert report.chunks > tiny.report.chunks
    assert manifest_of(tiny.index_dir, report.version_id)["chunking"]["max_tokens"] == 32

    again = ingest(tiny.corpus, tiny.index_dir, embedder, chunking=small)
    assert again.up_to_date and again.version_id == report.version_id


# --- bad sources -------------------------------------------------------------------------------


def _add_bad_files(corpus: Path) -> tuple[Path, Path]:
    broken = corpus / "broken-yaml.md"
    broken.write_text("---\ntitle: Broken\n  aliases: [a\n---\n\nText.\n", encoding="utf-8")
    latin1 = corpus / "latin1.md"
    latin1.write_bytes("---\ntitle: Café\n---\n\nText.\n".encode("latin-1"))
    return broken, latin1


def test_strict_mode_raises_and_keeps_the_live_version(tiny: Built, embedder: TransformerEmbedder) -> None:
    edit(tiny.corpus / "delta-exercise.md", "five minutes", "ten minutes")
    broken, latin1 = _add_bad_files(tiny.corpus)

    with pytest.raises(StrictModeError) as info:
        ingest(tiny.corpus, tiny.index_dir, embedder, strict=True)

    message = str(info.value)
    assert message.startswith("2 source problem(s); nothing was published:")
    assert f"{broken}: broken YAML front matter" in message
    assert f"{latin1}: not valid UTF-8" in message
    assert read_current(tiny.index_dir) == tiny.version_id
    assert published_versions(tiny.index_dir) == [tiny.version_id]
    with opened(tiny.index_dir) as version:
        assert version.version_id == tiny.version_id


def test_without_strict_bad_files_are_listed_and_good_ones_published(
    tiny: Built, embedder: TransformerEmbedder
) -> None:
    edit(tiny.corpus / "delta-exercise.md", "five minutes", "ten minutes")
    broken, latin1 = _add_bad_files(tiny.corpus)

    report = ingest(tiny.corpus, tiny.index_dir, embedder)

    assert report.published
    assert sorted(p.where for p in report.problems) == sorted([str(broken), str(latin1)])
    assert (report.changed, report.unchanged, report.documents) == (1, 3, 4)
    assert manifest_of(tiny.index_dir, report.version_id)["build"]["skipped"] == [
        str(p) for p in report.problems
    ]
    with opened(tiny.index_dir) as version:
        assert version.document_ids() == sorted(
            ["alpha-myopathy", "beta-blood-test", "delta-exercise", "gamma-therapy"]
        )


def test_no_usable_document_is_an_error(tmp_path: Path, embedder: TransformerEmbedder) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.md").write_text("---\ntitle: Empty\n---\n", encoding="utf-8")
    with pytest.raises(
        NothingToIndexError,
        match=r"(?s)no usable document found in .*corpus.*1 source problem.*empty\.md: empty document",
    ):
        ingest(corpus, tmp_path / "index", embedder)
    assert read_current(tmp_path / "index") is None


def test_a_change_to_sources_only_updates_the_index(tiny: Built, embedder: TransformerEmbedder) -> None:
    edit(
        tiny.corpus / f"{ALPHA}.md",
        "https://example.org/alpha-myopathy",
        "https://example.org/alpha-myopathy-2027",
    )
    report = ingest(tiny.corpus, tiny.index_dir, embedder)
    assert not report.up_to_date
    assert (report.changed, report.chunks_embedded) == (1, 0)
    with opened(tiny.index_dir) as version:
        alpha = version.document(ALPHA)
        assert alpha is not None
        assert alpha.sources[0]["url"] == "https://example.org/alpha-myopathy-2027"


def test_changing_the_embedding_dtype_forces_a_full_rebuild(
    tiny: Built, embedder: TransformerEmbedder
) -> None:
    other = TransformerEmbedder(dtype="bf16" if embedder.dtype == "fp32" else "fp32")
    report = ingest(tiny.corpus, tiny.index_dir, other)
    assert report.full_rebuild
    assert report.rebuild_reason is not None and "dtype" in report.rebuild_reason


def test_strict_mode_also_fails_on_a_document_that_cannot_be_chunked(
    tiny: Built, embedder: TransformerEmbedder
) -> None:
    heading = " ".join(["word"] * 250)
    write_pages(tiny.corpus, {"long-heading": f"---\ntitle: Long\n---\n\n## {heading}\n\nText.\n"})
    with pytest.raises(StrictModeError, match=r"long-heading\.md"):
        ingest(tiny.corpus, tiny.index_dir, embedder, strict=True)
    assert read_current(tiny.index_dir) == tiny.version_id


def test_pages_with_only_headings_are_nothing_to_index(tmp_path: Path, embedder: TransformerEmbedder) -> None:
    corpus = write_pages(tmp_path / "corpus", {"headings": "---\ntitle: Headings\n---\n\n## One\n\n## Two\n"})
    with pytest.raises(NothingToIndexError):
        ingest(corpus, tmp_path / "index", embedder)


# --- the real corpus ---------------------------------------------------------------------------

QUESTION = "How is a muscle biopsy done for IMNM?"


def _is_imnm_biopsy(doc_id: str, section: str) -> bool:
    return doc_id == "necrotizing-autoimmune-myopathy" and "Muscle Biopsy" in section


def test_real_corpus_ingests_cleanly(corpus_index: Built) -> None:
    report = corpus_index.report
    assert report.problems == []
    assert report.documents == len(CORPUS_PAGES)
    assert report.chunks > 300
    folder = corpus_index.version_dir
    assert sqlite_count(folder, "documents") == len(CORPUS_PAGES)
    assert sqlite_count(folder, "chunks") == report.chunks
    assert sqlite_count(folder, "sentences") == report.sentences


def test_biopsy_question_finds_the_imnm_biopsy_section(
    corpus_index: Built, embedder: TransformerEmbedder
) -> None:
    with opened(corpus_index.index_dir) as version:
        dense_rows = [row for row, _ in version.dense_search(embedder.embed([QUESTION])[0], 3)]
        dense = [(r.doc_id, r.section) for r in version.chunks(dense_rows)]
        scores = version.bm25_scores(bm25_query_tokens(QUESTION))
        assert scores is not None
        bm25 = [(r.doc_id, r.section) for r in version.chunks([int(i) for i in np.argsort(-scores)[:3]])]
    assert any(_is_imnm_biopsy(*hit) for hit in dense), dense
    assert any(_is_imnm_biopsy(*hit) for hit in bm25), bm25


def test_sentence_vectors_match_standalone_sentence_embeddings(
    corpus_index: Built, embedder: TransformerEmbedder
) -> None:
    with opened(corpus_index.index_dir) as version:
        records = version.chunks(list(range(version.n_chunks)))
        [biopsy] = [r for r in records if _is_imnm_biopsy(r.doc_id, r.section)]
        text = version.document_text(biopsy.doc_id)
        sentences = version.sentences(biopsy.first_sentence, biopsy.n_sentences)
        stored = version.sentence_vectors(sentences[0][0], sentences[-1][0] + 1)
    assert len(sentences) >= 3
    standalone = embedder.embed([text[s:e] for _, s, e in sentences])
    similarity = stored @ standalone.T
    assert np.all(np.diag(similarity) > 0.6), np.diag(similarity)
    # Rows are not shifted: pairing each stored row with its own sentence scores better than any
    # shifted pairing. (Row by row, an in-context vector of a short sentence may sit closer to a
    # neighbour's standalone one: in int8 one of the five does, in bf16 none.)
    own = float(np.trace(similarity))
    for shift in range(1, len(sentences)):
        assert own > float(np.trace(np.roll(similarity, shift, axis=1))), shift
    assert int(np.sum(similarity.argmax(axis=1) == np.arange(len(sentences)))) >= len(sentences) - 1
