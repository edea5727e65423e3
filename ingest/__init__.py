"""Turn source documents into a versioned, searchable index (FAISS + BM25 + chunk store)."""

from ingest.build import IngestConfig, IngestReport, Reporter, run_ingest
from ingest.chunking import Chunk, ChunkingConfig, chunk_document
from ingest.documents import SourceDoc, SourceProblem
from ingest.embedding import BUNDLED_MODEL, Embedder, TransformerEmbedder
from ingest.errors import (
    IndexCorruptError,
    IndexLoadError,
    IngestError,
    IngestLockedError,
    ModelMismatchError,
    NoIndexError,
    NothingToIndexError,
    StrictModeError,
)
from ingest.loaders import load_sources

__all__ = [
    "BUNDLED_MODEL",
    "Chunk",
    "ChunkingConfig",
    "Embedder",
    "IndexCorruptError",
    "IndexLoadError",
    "IngestConfig",
    "IngestError",
    "IngestLockedError",
    "IngestReport",
    "ModelMismatchError",
    "NoIndexError",
    "NothingToIndexError",
    "Reporter",
    "SourceDoc",
    "SourceProblem",
    "StrictModeError",
    "TransformerEmbedder",
    "chunk_document",
    "load_sources",
    "run_ingest",
]
