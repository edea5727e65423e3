"""Read a published index version: verified against its manifest before anything is served.

`IndexVersion` is the only way into a version's files: dense search and vectors (FAISS), BM25
scores (bm25s), sentence vectors (sentences.npy), section question vectors (questions.npy) and the
chunk store (ingest/chunk_store.py).
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import bm25s
import faiss
import numpy as np

from ingest.chunk_store import ChunkRecord, ChunkStore, DocumentRecord
from ingest.errors import IndexCorruptError, ModelMismatchError, NoIndexError
from ingest.manifest import Manifest
from ingest.store import check_files, read_current, read_manifest, versions_dir
from ingest.text import bm25_query_tokens

__all__ = ["ChunkRecord", "DocumentRecord", "IndexVersion"]


class IndexVersion:
    """One immutable version: dense index, BM25 index, chunk store and sentence vectors, checked
    for consistency with each other and with the manifest when opened."""

    def __init__(self, folder: Path, manifest: Manifest):
        self.folder = folder
        self.version_id: str = folder.name
        self.manifest = manifest
        counts = manifest.counts
        try:
            self._dense: Any = faiss.read_index(str(folder / "dense.faiss"))
            self._bm25 = bm25s.BM25.load(str(folder / "bm25"), load_corpus=False)
            self._sentence_vectors = np.load(folder / "sentences.npy", allow_pickle=False)
            self.store = ChunkStore(folder / "chunks.sqlite")
            n_chunks = self.store.count_chunks()
            self._question_vectors = (
                np.asarray(np.load(folder / "questions.npy", allow_pickle=False), dtype=np.float32)
                if counts.questions
                else np.zeros((0, self._dense.d), dtype=np.float32)
            )
            self._question_terms: set[str] | None = None
            self._title_rows: dict[str, list[int]] | None = None
            self._questions = self.store.questions() if counts.questions else []
            n_questions = len(self._questions)
        except (RuntimeError, OSError, ValueError, KeyError, sqlite3.Error) as exc:
            raise IndexCorruptError(
                f"index version {folder.name} cannot be read ({type(exc).__name__}: {exc}). "
                "Roll back (wisdom index rollback ID) or run: wisdom ingest --rebuild"
            ) from exc
        if (
            not (self._dense.ntotal == n_chunks == counts.chunks)
            or len(self._sentence_vectors) != counts.sentences
            or not (len(self._question_vectors) == n_questions == counts.questions)
        ):
            raise IndexCorruptError(
                f"index version {folder.name} is inconsistent: {self._dense.ntotal} vectors, "
                f"{n_chunks} chunks, manifest says {counts.chunks}; {len(self._question_vectors)} question "
                f"vectors, {n_questions} questions, manifest says {counts.questions}. "
                "Run: wisdom ingest --rebuild"
            )
        self._index_questions()

    @classmethod
    def open(
        cls,
        index_dir: Path,
        version_id: str | None = None,
        *,
        expected_model_sha256: str | None = None,
        expected_model_id: str | None = None,
    ) -> IndexVersion:
        """The live version (or `version_id`), its files checked against the manifest; with
        `expected_model_sha256`, refused when it was built with other weights."""
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
        model = manifest.model
        if expected_model_sha256 and model.sha256 != expected_model_sha256:
            raise ModelMismatchError(
                f"index version {version_id} was built with {model.id!r} but settings ask for "
                f"{expected_model_id!r} (different weights). Run: wisdom ingest --rebuild"
            )
        return cls(folder, manifest)

    @property
    def n_chunks(self) -> int:
        """Chunks (and dense vectors) in the version."""
        return int(self._dense.ntotal)

    @property
    def n_documents(self) -> int:
        """Documents in the version."""
        return self.manifest.counts.documents

    def dense_search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The `k` chunk rows nearest to `vector` (inner product), best first, with their scores."""
        scores, ids = self._dense.search(np.asarray(vector, dtype=np.float32).reshape(1, -1), k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def _index_questions(self) -> None:
        """Index the stored questions by section: each question's section number, and for each
        chunk row the sections it belongs to (its heading and the headings above it), padded with
        a section that has no question."""
        sections: dict[tuple[str, str], int] = {}
        of_row: dict[int, list[int]] = {}
        for row, doc_id, label in self.store.chunk_sections():
            of_row[row] = [sections.setdefault((doc_id, h), len(sections)) for h in label.split(" > ")]
        self._question_section = np.array(
            [sections.get((doc_id, heading), -1) for doc_id, heading, _ in self._questions], dtype=np.int64
        )
        empty = len(sections)
        depth = max((len(s) for s in of_row.values()), default=1)
        self._row_sections = np.full((self.n_chunks, depth), empty, dtype=np.int64)
        for row, secs in of_row.items():
            self._row_sections[row, : len(secs)] = secs
        self._n_sections = len(sections)

    @property
    def n_questions(self) -> int:
        """Section questions (and their vectors) in the version; 0 when the pages have none."""
        return len(self._question_vectors)

    def question_search(self, vector: np.ndarray, k: int) -> dict[int, float]:
        """Chunk row → cosine of `vector` to the nearest of the section questions of that
        chunk's section, over the `k` nearest questions (empty when the version has none)."""
        if not len(self._question_vectors):
            return {}
        cosines = self._question_vectors @ np.asarray(vector, dtype=np.float32)
        if k < len(cosines):
            cosines[np.argpartition(-cosines, k - 1)[k:]] = -np.inf
        known = self._question_section >= 0
        best = np.full(self._n_sections + 1, -np.inf, dtype=np.float32)
        np.maximum.at(best, self._question_section[known], cosines[known])
        per_row = best[self._row_sections].max(axis=1)
        rows = np.flatnonzero(np.isfinite(per_row))
        return dict(zip(rows.tolist(), per_row[rows].tolist(), strict=True))

    def chunk_vectors(self, rows: Sequence[int]) -> np.ndarray:
        """(len(rows), dim) float32 dense vectors of these chunk rows."""
        if not rows:
            return np.zeros((0, self._dense.d), dtype=np.float32)
        return np.vstack([self._dense.reconstruct(int(r)) for r in rows]).astype(np.float32)

    def has_term(self, token: str) -> bool:
        """The (stemmed) BM25 token occurs in some passage of this version."""
        return token in self._bm25.vocab_dict

    def mentions_term(self, token: str) -> bool:
        """The (stemmed) token occurs in some passage or in some question a page lists for a
        section (patients' words the passages may not use: "pee", "rheumy")."""
        if token in self._bm25.vocab_dict:
            return True
        if self._question_terms is None:
            self._question_terms = {t for _, _, q in self._questions for t in bm25_query_tokens(q)}
        return token in self._question_terms

    def idf(self, token: str) -> float:
        """log((passages + 1) / (passages holding the stemmed token + 0.5)); a token no passage
        holds weighs as one held by a single passage."""
        n = self.n_chunks
        tid = self._bm25.vocab_dict.get(token)
        indptr = self._bm25.scores["indptr"]
        held = 1
        if tid is not None and tid + 1 < len(indptr):
            held = max(1, int(indptr[tid + 1] - indptr[tid]))
        return math.log((n + 1) / (held + 0.5))

    def terms_like(self, token: str, cutoff: float = 0.85) -> list[str]:
        """Stemmed tokens of this version spelled like `token` (a misspelling's intended word)."""
        import difflib

        near = [t for t in self._bm25.vocab_dict if abs(len(t) - len(token)) <= 2 and t[:1] == token[:1]]
        return difflib.get_close_matches(token, near, n=1, cutoff=cutoff)

    def bm25_scores(self, tokens: Sequence[str]) -> np.ndarray | None:
        """BM25 score of every chunk row for these query tokens; None when no token is in the
        vocabulary."""
        ids = self._bm25.get_tokens_ids(list(tokens)) if tokens else []
        if not ids:
            return None
        scores: np.ndarray = self._bm25.get_scores_from_ids(ids)
        return scores

    def sentence_vectors(self, first: int, stop: int) -> np.ndarray:
        """Sentence vectors of rows first..stop-1, float32 (stored as float16)."""
        return np.asarray(self._sentence_vectors[first:stop], dtype=np.float32)

    @property
    def n_sentences(self) -> int:
        """Sentences (and sentence vectors) in the version."""
        return len(self._sentence_vectors)

    def chunks(self, rows: list[int]) -> list[ChunkRecord]:
        """The chunks at these rows, in the order given."""
        return self.store.chunks(rows)

    def document_text(self, doc_id: str) -> str:
        """A document's whole text ("" when absent)."""
        return self.store.document_text(doc_id)

    def sentences(self, first: int, count: int) -> list[tuple[int, int, int]]:
        """(sentence row, start, end) with document offsets."""
        return self.store.sentences(first, count)

    def title_rows(self, title: str) -> list[int]:
        """The rows of the passages of the page(s) with this title, in page order (the map is read
        from the store once per version)."""
        if self._title_rows is None:
            titles = self.store.titles()
            rows: dict[str, list[int]] = {}
            for row, doc_id, _ in sorted(self.store.chunk_sections()):
                rows.setdefault(titles[doc_id], []).append(row)
            self._title_rows = rows
        return self._title_rows.get(title, [])

    def document(self, doc_id: str) -> DocumentRecord | None:
        """A whole document with its metadata, or None."""
        return self.store.document(doc_id)

    def chunks_by_id(self, chunk_ids: list[str]) -> list[ChunkRecord]:
        """The chunks with these ids that this version holds (unknown ids are left out)."""
        return self.store.chunks_by_id(chunk_ids)

    def document_ids(self) -> list[str]:
        """Every document id, sorted."""
        return self.store.document_ids()

    def close(self) -> None:
        """Release the chunk store's connection."""
        self.store.close()
