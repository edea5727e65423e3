"""chunks.sqlite: documents, chunks and sentences of an index version. The one module with SQL.

documents  doc_id, title, url, path, source, kind, reviewed, summary, aliases (JSON list),
           sources (JSON list of {title, url}), digest, text
chunks     row (= FAISS row), chunk_id, doc_id, ordinal, section, start, end (offsets into the
           document's text), n_tokens, first_sentence, n_sentences
sentences  row (= row of sentences.npy), chunk_row, start, end (offsets into the document's text)
questions  row (= row of questions.npy), doc_id, section (a heading of the page), text: the
           questions a page's front matter says each section answers (absent in older versions)

`write_store` creates it inside a version being built; `ChunkStore` reads a published one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.chunking import Chunk
from ingest.documents import SourceDoc

SCHEMA_SQL = """
CREATE TABLE documents (
    doc_id TEXT PRIMARY KEY, title TEXT NOT NULL, url TEXT, path TEXT, source TEXT,
    kind TEXT, reviewed TEXT, summary TEXT, aliases TEXT NOT NULL, sources TEXT NOT NULL,
    digest TEXT NOT NULL, text TEXT NOT NULL
);
CREATE TABLE chunks (
    row INTEGER PRIMARY KEY, chunk_id TEXT NOT NULL UNIQUE, doc_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL, section TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    n_tokens INTEGER NOT NULL, first_sentence INTEGER NOT NULL, n_sentences INTEGER NOT NULL
);
CREATE TABLE sentences (
    row INTEGER PRIMARY KEY, chunk_row INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL
);
CREATE TABLE questions (
    row INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, section TEXT NOT NULL, text TEXT NOT NULL
);
CREATE INDEX chunks_doc ON chunks(doc_id, ordinal);
"""

_DOC_TEXT_CACHE = 4096
"""Document texts kept in memory per store (chunk text is a slice of its document's)."""


@dataclass(frozen=True)
class ChunkRecord:
    """A stored chunk with its page's title, address and review date, and its text."""

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
    """A stored document (page) with its metadata and whole text."""

    doc_id: str
    title: str
    url: str | None
    kind: str | None
    reviewed: str | None
    summary: str | None
    aliases: list[str]
    sources: list[dict[str, str]]
    text: str


def write_store(path: Path, chunks_by_doc: Sequence[tuple[SourceDoc, Sequence[Chunk]]]) -> int:
    """Create the chunk store of a version being built; rows follow the order given (the FAISS
    and sentence-vector order). Returns the number of sentences."""
    conn = sqlite3.connect(path)
    try:
        conn.executescript(SCHEMA_SQL)
        doc_rows, chunk_rows, sentence_rows = [], [], []
        question_rows: list[tuple[int, str, str, str]] = []
        row = sentence_row = 0
        for doc, chunks in chunks_by_doc:
            doc_rows.append((
                doc.doc_id, doc.title, doc.url, doc.path, doc.source, doc.kind, doc.reviewed,
                doc.summary, json.dumps(list(doc.aliases)), json.dumps(list(doc.sources)),
                doc.digest, doc.text,
            ))  # fmt: skip
            for section, question in doc.questions:
                question_rows.append((len(question_rows), doc.doc_id, section, question))
            for chunk in chunks:
                chunk_rows.append((
                    row, chunk.chunk_id, chunk.doc_id, chunk.ordinal, chunk.section, chunk.start,
                    chunk.end, chunk.n_tokens, sentence_row, len(chunk.sentences),
                ))  # fmt: skip
                for s, e in chunk.sentences:
                    sentence_rows.append((sentence_row, row, s, e))
                    sentence_row += 1
                row += 1
        conn.executemany("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", doc_rows)
        conn.executemany("INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?)", chunk_rows)
        conn.executemany("INSERT INTO sentences VALUES (?,?,?,?)", sentence_rows)
        conn.executemany("INSERT INTO questions VALUES (?,?,?,?)", question_rows)
        conn.commit()
    finally:
        conn.close()
    return sentence_row


class ChunkStore:
    """Read-only access to a published version's chunks.sqlite (safe to share between threads:
    the file is immutable once published)."""

    def __init__(self, path: Path):
        self.conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self._doc_text: dict[str, str] = {}

    def count_chunks(self) -> int:
        """Rows of the chunks table."""
        return int(self.conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    def chunks(self, rows: Sequence[int]) -> list[ChunkRecord]:
        """The chunks at these rows, in the order given, with their text."""
        if not rows:
            return []
        marks = ",".join("?" * len(rows))
        found = self.conn.execute(
            f"""SELECT c.row, c.chunk_id, c.doc_id, d.title, c.section, d.url, d.reviewed, c.start,
                       c."end", c.first_sentence, c.n_sentences
                FROM chunks c JOIN documents d USING (doc_id) WHERE c.row IN ({marks})""",
            list(rows),
        ).fetchall()
        by_row = {r["row"]: r for r in found}
        out = []
        for row in rows:
            r = by_row[row]
            text = self.document_text(r["doc_id"])[r["start"] : r["end"]]
            out.append(
                ChunkRecord(
                    r["row"], r["chunk_id"], r["doc_id"], r["title"], r["section"], r["url"],
                    r["reviewed"], r["start"], r["end"], text, r["first_sentence"], r["n_sentences"],
                )
            )  # fmt: skip
        return out

    def chunk_by_id(self, chunk_id: str) -> ChunkRecord | None:
        """A chunk by its id, or None when the version has no such chunk."""
        row = self.conn.execute("SELECT row FROM chunks WHERE chunk_id = ?", (chunk_id,)).fetchone()
        return None if row is None else self.chunks([row[0]])[0]

    def chunks_by_id(self, chunk_ids: Sequence[str]) -> list[ChunkRecord]:
        """The chunks with these ids (unknown ids are left out)."""
        if not chunk_ids:
            return []
        marks = ",".join("?" * len(chunk_ids))
        rows = self.conn.execute(f"SELECT row FROM chunks WHERE chunk_id IN ({marks})", list(chunk_ids))
        return self.chunks([r[0] for r in rows])

    def chunk_location(self, chunk_id: str) -> tuple[str, int, int] | None:
        """(doc_id, start, end) of a chunk by its id, or None when the version has no such chunk."""
        row = self.conn.execute(
            'SELECT doc_id, start, "end" FROM chunks WHERE chunk_id = ?', (chunk_id,)
        ).fetchone()
        return None if row is None else (row[0], row[1], row[2])

    def document_text(self, doc_id: str) -> str:
        """A document's whole text ("" when absent), cached."""
        text = self._doc_text.get(doc_id)
        if text is None:
            row = self.conn.execute("SELECT text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
            text = row[0] if row else ""
            if len(self._doc_text) > _DOC_TEXT_CACHE:
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
        """A whole document with its metadata, or None."""
        r = self.conn.execute(
            "SELECT doc_id, title, url, kind, reviewed, summary, aliases, sources, text "
            "FROM documents WHERE doc_id = ?",
            (doc_id,),
        ).fetchone()
        if r is None:
            return None
        return DocumentRecord(
            r["doc_id"], r["title"], r["url"], r["kind"], r["reviewed"], r["summary"],
            json.loads(r["aliases"]), json.loads(r["sources"]), r["text"],
        )  # fmt: skip

    def document_ids(self) -> list[str]:
        """Every document id, sorted."""
        return [r[0] for r in self.conn.execute("SELECT doc_id FROM documents ORDER BY doc_id")]

    def titles(self) -> dict[str, str]:
        """doc_id → title of every document."""
        return {r[0]: r[1] for r in self.conn.execute("SELECT doc_id, title FROM documents")}

    def names(self) -> list[tuple[str, list[str]]]:
        """(title, other names) of every document: what query expansion recognises."""
        return [(r[0], _json_list(r[1])) for r in self.conn.execute("SELECT title, aliases FROM documents")]

    def summaries(self) -> dict[str, str]:
        """title → summary of every document that has one."""
        rows = self.conn.execute("SELECT title, summary FROM documents WHERE summary IS NOT NULL")
        return {r[0]: r[1] for r in rows}

    def chunk_sections(self) -> list[tuple[int, str, str]]:
        """(row, doc_id, section label) of every chunk."""
        return [(r[0], r[1], r[2]) for r in self.conn.execute("SELECT row, doc_id, section FROM chunks")]

    def questions(self) -> list[tuple[str, str, str]]:
        """(doc_id, section heading, question) of every stored question, in row order; none in a
        version written before questions were stored."""
        try:
            rows = self.conn.execute("SELECT doc_id, section, text FROM questions ORDER BY row").fetchall()
        except sqlite3.OperationalError:
            return []
        return [(r[0], r[1], r[2]) for r in rows]

    def digests(self) -> dict[str, str]:
        """doc_id → digest of the text it was built from (to find changed documents)."""
        return {r[0]: r[1] for r in self.conn.execute("SELECT doc_id, digest FROM documents")}

    def chunk_rows(self) -> dict[str, tuple[int, int, int]]:
        """chunk_id → (row, first sentence row, number of sentences)."""
        rows = self.conn.execute("SELECT chunk_id, row, first_sentence, n_sentences FROM chunks")
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def stored_chunks(self, docs: dict[str, SourceDoc]) -> dict[str, list[Chunk]]:
        """The chunks this version holds for these (unchanged) documents, in order, rebuilt as
        `Chunk`s with their text cut from the given documents."""
        spans: dict[int, list[tuple[int, int]]] = {}
        for chunk_row, start, end in self.conn.execute(
            'SELECT chunk_row, start, "end" FROM sentences ORDER BY row'
        ):
            spans.setdefault(chunk_row, []).append((start, end))
        found: dict[str, list[Chunk]] = {}
        rows = self.conn.execute(
            'SELECT row, chunk_id, doc_id, ordinal, section, start, "end", n_tokens FROM chunks'
            " ORDER BY doc_id, ordinal"
        )
        for row, chunk_id, doc_id, ordinal, section, start, end, n_tokens in rows:
            doc = docs.get(doc_id)
            if doc is not None:
                found.setdefault(doc_id, []).append(
                    Chunk(
                        chunk_id=chunk_id,
                        doc_id=doc_id,
                        ordinal=ordinal,
                        title=doc.title,
                        section=section,
                        start=start,
                        end=end,
                        text=doc.text[start:end],
                        sentences=tuple(spans.get(row, ())),
                        n_tokens=n_tokens,
                    )
                )
        return found

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def _json_list(raw: str) -> list[str]:
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return []
    return [str(v) for v in value] if isinstance(value, list) else []
