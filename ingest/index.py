"""Read a published index version: verified against its manifest before anything is served."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import faiss
import numpy as np

from ingest.errors import IndexCorruptError, ModelMismatchError, NoIndexError
from ingest.store import check_files, connect_readonly, read_current, read_manifest, versions_dir


@dataclass(frozen=True)
class ChunkRecord:
    row: int
    chunk_id: str
    doc_id: str
    title: str
    section: str
    url: str | None
    reviewed: str | None
    start: int
    end: int
    text: str
    first_sentence: int
    n_sentences: int


@dataclass(frozen=True)
class DocumentRecord:
    doc_id: str
    title: str
    url: str | None
    kind: str | None
    reviewed: str | None
    summary: str | None
    aliases: list[str]
    sources: list[dict[str, str]]
    text: str


class IndexVersion:
    """One immutable version: dense index, BM25 index, chunk store and sentence vectors."""

    def __init__(self, folder: Path, manifest: dict[str, Any]):
        self.folder = folder
        self.version_id: str = folder.name
        self.manifest = manifest
        try:
            self.dense: Any = faiss.read_index(str(folder / "dense.faiss"))
            self.bm25 = bm25s.BM25.load(str(folder / "bm25"), load_corpus=False)
            self.sentence_vectors = np.load(folder / "sentences.npy", allow_pickle=False)
            self.conn: sqlite3.Connection = connect_readonly(folder / "chunks.sqlite")
            counts = manifest["counts"]
            n_chunks = self.conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        except (RuntimeError, OSError, ValueError, KeyError, sqlite3.Error) as exc:
            raise IndexCorruptError(
                f"index version {folder.name} cannot be read ({type(exc).__name__}: {exc}). "
                "Roll back (wisdom index rollback ID) or run: wisdom ingest --rebuild"
            ) from exc
        if (
            not (self.dense.ntotal == n_chunks == counts["chunks"])
            or len(self.sentence_vectors) != counts["sentences"]
        ):
            raise IndexCorruptError(
                f"index version {folder.name} is inconsistent: {self.dense.ntotal} vectors, "
                f"{n_chunks} chunks, manifest says {counts['chunks']}. Run: wisdom ingest --rebuild"
            )
        self._doc_text: dict[str, str] = {}

    @classmethod
    def open(
        cls,
        index_dir: Path,
        version_id: str | None = None,
        *,
        expected_model_sha256: str | None = None,
        expected_model_id: str | None = None,
    ) -> IndexVersion:
        version_id = version_id or read_current(index_dir)
        if version_id is None:
            raise NoIndexError(f"no index in {index_dir}. Run: wisdom ingest")
        folder = versions_dir(index_dir) / version_id
        if not folder.is_dir():
            raise NoIndexError(
                f"index version {version_id!r} is missing from {index_dir}. Run: wisdom ingest"
            )
        manifest = read_manifest(folder)
        check_files(folder, manifest)
        model = manifest.get("model", {})
        if expected_model_sha256 and model.get("sha256") != expected_model_sha256:
            raise ModelMismatchError(
                f"index version {version_id} was built with {model.get('id')!r} but settings ask for "
                f"{expected_model_id!r} (different weights). Run: wisdom ingest --rebuild"
            )
        return cls(folder, manifest)

    @property
    def n_chunks(self) -> int:
        return int(self.dense.ntotal)

    @property
    def n_documents(self) -> int:
        return int(self.manifest["counts"]["documents"])

    def chunks(self, rows: list[int]) -> list[ChunkRecord]:
        if not rows:
            return []
        marks = ",".join("?" * len(rows))
        found = self.conn.execute(
            f"""SELECT c.row, c.chunk_id, c.doc_id, d.title, c.section, d.url, d.reviewed, c.start,
                       c."end", c.first_sentence, c.n_sentences
                FROM chunks c JOIN documents d USING (doc_id) WHERE c.row IN ({marks})""",
            rows,
        ).fetchall()
        by_row = {r["row"]: r for r in found}
        out = []
        for row in rows:
            r = by_row[row]
            text = self.document_text(r["doc_id"])[r["start"] : r["end"]]
            out.append(
                ChunkRecord(
                    r["row"],
                    r["chunk_id"],
                    r["doc_id"],
                    r["title"],
                    r["section"],
                    r["url"],
                    r["reviewed"],
                    r["start"],
                    r["end"],
                    text,
                    r["first_sentence"],
                    r["n_sentences"],
                )
            )
        return out

    def document_text(self, doc_id: str) -> str:
        text = self._doc_text.get(doc_id)
        if text is None:
            row = self.conn.execute("SELECT text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
            text = row[0] if row else ""
            if len(self._doc_text) > 4096:
                self._doc_text.clear()
            self._doc_text[doc_id] = text
        return text

    def sentences(self, first: int, count: int) -> list[tuple[int, int, int]]:
        """(sentence row, start, end) with document offsets."""
        rows = self.conn.execute(
            'SELECT row, start, "end" FROM sentences WHERE row >= ? AND row < ? ORDER BY row',
            (first, first + count),
        ).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    def document(self, doc_id: str) -> DocumentRecord | None:
        r = self.conn.execute(
            "SELECT doc_id, title, url, kind, reviewed, summary, aliases, sources, text "
            "FROM documents WHERE doc_id = ?",
            (doc_id,),
        ).fetchone()
        if r is None:
            return None
        return DocumentRecord(
            r["doc_id"],
            r["title"],
            r["url"],
            r["kind"],
            r["reviewed"],
            r["summary"],
            json.loads(r["aliases"]),
            json.loads(r["sources"]),
            r["text"],
        )

    def chunks_by_id(self, chunk_ids: list[str]) -> list[ChunkRecord]:
        """The chunks with these ids that this version holds (unknown ids are left out)."""
        if not chunk_ids:
            return []
        marks = ",".join("?" * len(chunk_ids))
        rows = self.conn.execute(f"SELECT row FROM chunks WHERE chunk_id IN ({marks})", chunk_ids)
        return self.chunks([r[0] for r in rows])

    def document_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT doc_id FROM documents ORDER BY doc_id")]

    def close(self) -> None:
        self.conn.close()
