"""manifest.json: what an index version holds, how it was built and from what, as one typed model.

Every reader goes through `Manifest` (ingest/store.py reads and checks it, `IndexVersion` carries
it); nothing reads the JSON with `.get(...)` chains. Fields a version written by an earlier build
may lack have defaults; fields this build does not know are kept (extra="allow"), so an older
program shows a newer manifest whole.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


class _Part(BaseModel):
    model_config = ConfigDict(extra="allow")


class ModelInfo(_Part):
    """The embedding model the vectors came from."""

    id: str
    sha256: str
    dim: int
    dtype: str | None = None
    backend: str = "torch"
    max_tokens: int | None = None


class Counts(_Part):
    """How many documents, chunks, sentences and section questions the version holds."""

    documents: int
    chunks: int
    sentences: int
    questions: int = 0


class DenseInfo(_Part):
    """The FAISS index: flat or HNSW, inner product over L2-normalised vectors."""

    kind: str = "flat"
    metric: str = "inner_product"
    hnsw_m: int | None = None


class Bm25Info(_Part):
    """How the BM25 index tokenises."""

    library: str = "bm25s"
    stemmer: str = "english"
    stopwords: str = "en"


class BuildInfo(_Part):
    """What the ingest that built the version did: the counts of its `IngestReport`, and the
    files it skipped with why."""

    added: int
    changed: int
    removed: int
    unchanged: int
    chunks_embedded: int
    chunks_reused: int
    full_rebuild: bool
    rebuild_reason: str | None
    skipped: list[str]


class Manifest(_Part):
    """An index version's manifest.json."""

    schema_version: int
    version_id: str
    created_at: str = "?"
    package_version: str = "0+unknown"
    settings_key: dict[str, Any] = Field(default_factory=dict)
    """Everything that changes the vectors or chunk boundaries (ingest/build.py `settings_key`)."""
    model: ModelInfo
    chunking: dict[str, Any] = Field(default_factory=dict)
    dense: DenseInfo = Field(default_factory=DenseInfo)
    bm25: Bm25Info = Field(default_factory=Bm25Info)
    corpus_digest: str = ""
    counts: Counts
    build: BuildInfo | None = None
    files: dict[str, int] = Field(default_factory=dict)
    """Relative path → size in bytes of every file of the version but the manifest."""

    def stored_key(self) -> dict[str, Any]:
        """The settings key the version was built with. Versions written before `dtype` joined the
        key recorded it only under `model`; it is read from there so they are reused, not rebuilt."""
        if "dtype" in self.settings_key:
            return dict(self.settings_key)
        return {**self.settings_key, "dtype": self.model.dtype}

    def to_json(self) -> str:
        """The manifest as written to disk (indented JSON)."""
        return self.model_dump_json(indent=2)
