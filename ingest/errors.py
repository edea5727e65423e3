"""Errors raised by ingest.

    IngestError                 base of everything below
    ├── StrictModeError         --strict and some source files had problems
    ├── NothingToIndexError     no usable document in the given paths
    ├── IngestLockedError       another ingest holds the index directory's lock
    └── IndexLoadError          an index version cannot be used
        ├── NoIndexError        no CURRENT version (or the named one is missing)
        ├── IndexCorruptError   files missing, truncated or not matching the manifest
        └── ModelMismatchError  built with another embedding model than the one configured

Problems with single source files (not UTF-8, broken front matter, too large, ...) are not
exceptions: they are collected as `SourceProblem`s, listed in the summary, and the file is skipped.
Every message says what happened and what to do.
"""

from __future__ import annotations


class IngestError(Exception):
    """Base class of ingest errors."""


class StrictModeError(IngestError):
    pass


class NothingToIndexError(IngestError):
    pass


class IngestLockedError(IngestError):
    pass


class IndexLoadError(IngestError):
    pass


class NoIndexError(IndexLoadError):
    pass


class IndexCorruptError(IndexLoadError):
    pass


class ModelMismatchError(IndexLoadError):
    pass
