"""Writing a new index version: the dense index, BM25, the chunk store, the sentence and section
question vectors and the manifest go into a temporary folder under versions/, which is fsynced,
renamed into place, and then named in CURRENT (ingest/store.py draws the layout)."""

from __future__ import annotations

import datetime as dt
import os
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import bm25s
import faiss
import numpy as np

from ingest.chunk_store import write_store
from ingest.chunking import Chunk
from ingest.documents import SourceDoc
from ingest.embedding import Embedder
from ingest.manifest import SCHEMA_VERSION, Bm25Info, BuildInfo, Counts, DenseInfo, Manifest, ModelInfo
from ingest.store import (
    MANIFEST,
    TMP_PREFIX,
    file_inventory,
    fsync_tree,
    new_version_id,
    versions_dir,
    write_current,
)
from ingest.text import bm25_tokenize

if TYPE_CHECKING:
    from ingest.build import IngestConfig, IngestReport


def write_version(
    index_dir: Path,
    chunks_by_doc: list[tuple[SourceDoc, list[Chunk]]],
    all_vectors: tuple[np.ndarray, list[np.ndarray], np.ndarray],
    key: dict[str, Any],
    digest: str,
    embedder: Embedder,
    config: IngestConfig,
    report: IngestReport,
) -> str:
    """Write and publish a new version; its id. `all_vectors`: the chunks' (in store order), each
    chunk's sentences', and the pages' section questions' (in store order)."""
    vectors, sentence_vectors, question_vectors = all_vectors
    version_id = new_version_id()
    tmp = versions_dir(index_dir) / f"{TMP_PREFIX}{version_id}"
    tmp.mkdir(parents=True)
    _write_dense(tmp / "dense.faiss", vectors, config)
    _write_bm25(tmp / "bm25", chunks_by_doc)
    n_sentences = write_store(tmp / "chunks.sqlite", chunks_by_doc)
    np.save(
        tmp / "sentences.npy",
        np.vstack(sentence_vectors).astype(np.float16),
        allow_pickle=False,
    )
    np.save(tmp / "questions.npy", np.asarray(question_vectors, dtype=np.float16), allow_pickle=False)
    report.sentences = n_sentences
    manifest = _manifest(version_id, key, digest, embedder, config, report, tmp)
    (tmp / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
    fsync_tree(tmp)
    final = versions_dir(index_dir) / version_id
    os.rename(tmp, final)
    write_current(index_dir, version_id)
    return version_id


def _write_dense(path: Path, vectors: np.ndarray, config: IngestConfig) -> None:
    dim = vectors.shape[1]
    index: Any
    if config.faiss_kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, config.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
    else:
        index = faiss.IndexFlatIP(dim)
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    faiss.write_index(index, str(path))


def bm25_text(doc: SourceDoc, chunk: Chunk) -> str:
    """What BM25 sees for a chunk: its words plus the page's title, section and other names."""
    return " ".join([doc.title, chunk.section, " ".join(doc.aliases), chunk.text])


def _write_bm25(path: Path, chunks_by_doc: list[tuple[SourceDoc, list[Chunk]]]) -> None:
    texts = [bm25_text(doc, c) for doc, cs in chunks_by_doc for c in cs]
    retriever = bm25s.BM25()
    retriever.index(bm25_tokenize(texts), show_progress=False)
    retriever.save(str(path))


def package_version() -> str:
    """The installed alike-wisdom version ("0+unknown" when not installed)."""
    try:
        return metadata.version("alike-wisdom")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _manifest(
    version_id: str,
    key: dict[str, Any],
    digest: str,
    embedder: Embedder,
    config: IngestConfig,
    report: IngestReport,
    folder: Path,
) -> Manifest:
    return Manifest(
        schema_version=SCHEMA_VERSION,
        version_id=version_id,
        created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        package_version=package_version(),
        settings_key=key,
        model=ModelInfo(
            id=embedder.model_id,
            sha256=embedder.weights_sha256(),
            dim=embedder.dim,
            dtype=embedder.dtype,
            backend=getattr(embedder, "backend", "torch"),  # same vectors either way
            max_tokens=embedder.max_tokens,
        ),
        chunking=config.chunking.key(),
        dense=DenseInfo(kind=config.faiss_kind, metric="inner_product", hnsw_m=config.hnsw_m),
        bm25=Bm25Info(library="bm25s", stemmer="english", stopwords="en"),
        corpus_digest=digest,
        counts=Counts(
            documents=report.documents,
            chunks=report.chunks,
            sentences=report.sentences,
            questions=report.questions,
        ),
        build=BuildInfo.model_validate(
            {name: getattr(report, name) for name in BuildInfo.model_fields if name != "skipped"}
            | {"skipped": [str(p) for p in report.problems]}
        ),
        files=file_inventory(folder),
    )
