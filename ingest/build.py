"""The ingest pipeline: sources → chunks → vectors → a new immutable index version → CURRENT.

Nothing is ever written into a published version. A new version is built in a temporary
folder, flushed to disk, renamed into place and only then named in CURRENT; a crash at any
point leaves the previous version live, and the next ingest removes the half-built folder.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import faiss
import numpy as np

from ingest.chunk_store import ChunkStore
from ingest.chunking import Chunk, ChunkingConfig, chunk_document
from ingest.documents import SourceDoc, SourceProblem
from ingest.embedding import Embedder, Progress
from ingest.errors import IndexLoadError, NothingToIndexError, StrictModeError
from ingest.loaders import load_sources
from ingest.manifest import Manifest
from ingest.publish import write_version
from ingest.store import (
    check_files,
    ingest_lock,
    read_current,
    read_manifest,
    remove_stale_builds,
    versions_dir,
)

FaissKind = Literal["flat", "hnsw"]


@dataclass(frozen=True)
class IngestConfig:
    """How to build: where the index lives, how to chunk, which FAISS index, what to refuse."""

    index_dir: Path
    chunking: ChunkingConfig = field(default_factory=ChunkingConfig)
    faiss_kind: FaissKind = "flat"
    hnsw_m: int = 32
    strict: bool = False
    rebuild: bool = False
    max_document_bytes: int = 5_000_000


@dataclass
class IngestReport:
    """What an ingest did: the version it published (or found up to date), document and chunk
    counts, what was reused, the files it skipped and why, and seconds per stage."""

    version_id: str | None = None
    published: bool = False
    up_to_date: bool = False
    full_rebuild: bool = False
    rebuild_reason: str | None = None
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    documents: int = 0
    chunks: int = 0
    chunks_embedded: int = 0
    chunks_reused: int = 0
    sentences: int = 0
    questions: int = 0
    problems: list[SourceProblem] = field(default_factory=list)
    stale_builds_removed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


class Reporter:
    """Hooks for progress display (the CLI draws bars; library code stays quiet)."""

    def stage(self, name: str) -> None:
        """A stage starts ("Reading sources", "Chunking", "Embedding N chunks", "Writing index")."""

    def embedding(self, total: int) -> Progress | None:
        """Embedding of `total` chunks starts: return a callable to advance by n, or None."""
        return None


def settings_key(embedder: Embedder, chunking: ChunkingConfig) -> dict[str, Any]:
    """Everything that changes the vectors or chunk boundaries; a difference forces a rebuild."""
    return {
        "model_id": embedder.model_id,
        "model_sha256": embedder.weights_sha256(),
        "dtype": embedder.dtype,
        "dim": embedder.dim,
        "model_max_tokens": embedder.max_tokens,
        **chunking.key(),
    }


def corpus_digest(docs: Sequence[SourceDoc]) -> str:
    """One digest of every document's id and content: equal digests, nothing to re-ingest."""
    digest = hashlib.sha256()
    for doc in sorted(docs, key=lambda d: d.doc_id):
        digest.update(f"{doc.doc_id}\x1f{doc.digest}\n".encode())
    return digest.hexdigest()


def run_ingest(
    paths: Sequence[Path],
    config: IngestConfig,
    embedder: Embedder,
    reporter: Reporter | None = None,
    now: Callable[[], float] = time.perf_counter,
) -> IngestReport:
    """Load the sources at `paths`, chunk and embed what changed (vectors of unchanged chunks are
    reused from the live version), write a new version in a temporary folder and publish it
    atomically. One ingest at a time per index folder; nothing is written into a published
    version. Raises `IngestError`s (StrictModeError, NothingToIndexError, IngestLockedError)."""
    reporter = reporter or Reporter()
    report = IngestReport()
    t0 = now()
    index_dir = config.index_dir
    with ingest_lock(index_dir):
        report.stale_builds_removed = remove_stale_builds(index_dir)
        reporter.stage("Reading sources")
        docs = _load(paths, config, report)
        report.seconds["load"] = now() - t0

        key = settings_key(embedder, config.chunking)
        digest = corpus_digest(docs)
        previous = _previous(index_dir)
        reuse: _Reuse | None = None
        if config.rebuild:
            report.full_rebuild, report.rebuild_reason = True, "--rebuild was given"
        elif previous is None:
            report.full_rebuild, report.rebuild_reason = True, "no live index version"
        elif previous.manifest.stored_key() != key:
            report.full_rebuild = True
            report.rebuild_reason = _describe_key_change(previous.manifest.stored_key(), key)
        else:
            reuse = previous
        if reuse is not None and reuse.manifest.corpus_digest == digest:
            report.up_to_date = True
            report.version_id = reuse.version_id
            report.unchanged = len(docs)
            report.chunks = reuse.manifest.counts.chunks
            report.chunks_reused = report.chunks
            report.seconds["total"] = now() - t0
            return report

        unchanged = _compare(docs, reuse, report)

        reporter.stage("Chunking")
        t1 = now()
        # Same text and same settings cut the same chunks: an unchanged document's are read back.
        stored = reuse.store.stored_chunks(unchanged) if reuse is not None and unchanged else {}
        chunks_by_doc = _chunk(docs, stored, config, embedder, report)
        if config.strict and report.problems:
            raise StrictModeError(_problem_list(report.problems))
        if not chunks_by_doc:
            raise NothingToIndexError("no document has any text to index. " + _problem_list(report.problems))
        all_chunks = [c for _, cs in chunks_by_doc for c in cs]
        report.documents = len(chunks_by_doc)
        report.chunks = len(all_chunks)
        report.seconds["chunk"] = now() - t1

        t2 = now()
        vectors, sentence_vectors = _vectors(all_chunks, embedder, reuse, reporter, report)
        question_vectors = _question_vectors(chunks_by_doc, embedder, reporter, report)
        report.seconds["embed"] = now() - t2
        if reuse is not None:
            reuse.close()

        reporter.stage("Writing index")
        t3 = now()
        version_id = write_version(
            index_dir, chunks_by_doc, (vectors, sentence_vectors, question_vectors), key, digest, embedder,
            config, report,
        )  # fmt: skip
        report.seconds["write"] = now() - t3
        report.version_id, report.published = version_id, True
        report.seconds["total"] = now() - t0
        return report


def _load(paths: Sequence[Path], config: IngestConfig, report: IngestReport) -> list[SourceDoc]:
    """The documents at `paths`; a problem is reported, or raised in strict mode or if none loads."""
    loaded = load_sources(paths, max_document_bytes=config.max_document_bytes)
    report.problems = list(loaded.problems)
    if loaded.problems and config.strict:
        raise StrictModeError(_problem_list(loaded.problems))
    if not loaded.docs:
        raise NothingToIndexError(
            "no usable document found in "
            + ", ".join(str(p) for p in paths)
            + ". Supported: .md with front matter, .txt, .html, .jsonl."
            + (" " + _problem_list(loaded.problems) if loaded.problems else "")
        )
    report.documents = len(loaded.docs)
    return list(loaded.docs)


def _compare(docs: Sequence[SourceDoc], reuse: _Reuse | None, report: IngestReport) -> dict[str, SourceDoc]:
    """Count added, changed, unchanged and removed documents; the unchanged ones, by id."""
    old_digests = reuse.store.digests() if reuse else {}
    unchanged: dict[str, SourceDoc] = {}
    for doc in docs:
        old = old_digests.get(doc.doc_id)
        if old is None:
            report.added += 1
        elif old != doc.digest:
            report.changed += 1
        else:
            unchanged[doc.doc_id] = doc
    report.unchanged = len(unchanged)
    report.removed = len(set(old_digests) - {d.doc_id for d in docs})
    return unchanged


def _chunk(
    docs: Sequence[SourceDoc],
    stored: dict[str, list[Chunk]],
    config: IngestConfig,
    embedder: Embedder,
    report: IngestReport,
) -> list[tuple[SourceDoc, list[Chunk]]]:
    """Each document's chunks (read back from `stored` when unchanged); one that cannot be
    chunked is reported and left out."""
    chunks_by_doc: list[tuple[SourceDoc, list[Chunk]]] = []
    for doc in docs:
        if doc.doc_id in stored:
            chunks_by_doc.append((doc, stored[doc.doc_id]))
            continue
        try:
            chunks = chunk_document(doc, config.chunking, embedder.count_tokens, embedder.max_tokens)
        except ValueError as exc:
            report.problems.append(SourceProblem(doc.path, str(exc)))
            continue
        if not chunks:
            report.problems.append(
                SourceProblem(doc.path, "has headings but no text under them; add text or remove the file.")
            )
            continue
        chunks_by_doc.append((doc, chunks))
    return chunks_by_doc


def _problem_list(problems: Sequence[SourceProblem]) -> str:
    listing = "\n".join(f"  - {p}" for p in problems)
    return f"{len(problems)} source problem(s); nothing was published:\n{listing}"


class _Reuse:
    """Read access to the live version, to reuse vectors of unchanged chunks."""

    def __init__(self, folder: Path, manifest: Manifest):
        self.folder = folder
        self.version_id = folder.name
        self.manifest = manifest
        self.store = ChunkStore(folder / "chunks.sqlite")

    def close(self) -> None:
        self.store.close()


def _previous(index_dir: Path) -> _Reuse | None:
    live = read_current(index_dir)
    if live is None:
        return None
    folder = versions_dir(index_dir) / live
    try:
        manifest = read_manifest(folder)
        check_files(folder, manifest)
        return _Reuse(folder, manifest)
    except (IndexLoadError, sqlite3.Error):
        return None  # an unusable live version: rebuild from scratch


def _describe_key_change(old: dict[str, Any], new: dict[str, Any]) -> str:
    if not old:
        return "the live version has no settings key"
    changed = [f"{k}: {old.get(k)!r} → {v!r}" for k, v in new.items() if old.get(k) != v]
    return "settings changed (" + "; ".join(changed) + ")"


def _vectors(
    chunks: list[Chunk],
    embedder: Embedder,
    reuse: _Reuse | None,
    reporter: Reporter,
    report: IngestReport,
) -> tuple[np.ndarray, list[np.ndarray]]:
    vectors = np.zeros((len(chunks), embedder.dim), dtype=np.float32)
    sentence_vectors: list[np.ndarray] = [np.zeros((0, embedder.dim), np.float32)] * len(chunks)
    todo = list(range(len(chunks)))
    if reuse is not None:
        known = reuse.store.chunk_rows()
        index = faiss.read_index(str(reuse.folder / "dense.faiss"))
        old_sentences = np.load(reuse.folder / "sentences.npy", mmap_mode="r", allow_pickle=False)
        todo = []
        for i, chunk in enumerate(chunks):
            hit = known.get(chunk.chunk_id)
            if hit is None or hit[2] != len(chunk.sentences):
                todo.append(i)
                continue
            row, first, n = hit
            vectors[i] = index.reconstruct(row)
            sentence_vectors[i] = np.asarray(old_sentences[first : first + n], dtype=np.float32)
        report.chunks_reused = len(chunks) - len(todo)
    report.chunks_embedded = len(todo)
    if todo:
        runtime = f"{getattr(embedder, 'backend', 'torch')}, {embedder.dtype}"
        reporter.stage(f"Embedding {len(todo)} chunks ({runtime})")
        progress = reporter.embedding(len(todo))
        new, spans = embedder.embed_with_spans(
            [chunks[i].embed_text for i in todo],
            [chunks[i].sentence_spans_in_embed_text() for i in todo],
            progress,
        )
        for j, i in enumerate(todo):
            vectors[i] = new[j]
            sentence_vectors[i] = spans[j]
    return vectors, sentence_vectors


def _question_vectors(
    chunks_by_doc: list[tuple[SourceDoc, list[Chunk]]],
    embedder: Embedder,
    reporter: Reporter,
    report: IngestReport,
) -> np.ndarray:
    """Vectors of every page's section questions, in store order (few and short: all embedded
    each time)."""
    questions = [q for doc, _ in chunks_by_doc for _, q in doc.questions]
    report.questions = len(questions)
    if not questions:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    reporter.stage(f"Embedding {len(questions)} section questions")
    return embedder.embed(questions)
