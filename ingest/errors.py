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
    """--strict was given and some source files had problems; nothing was published."""


class NothingToIndexError(IngestError):
    """No usable document in the given paths."""


class IngestLockedError(IngestError):
    """Another ingest holds the index folder's lock."""


class IndexLoadError(IngestError):
    """An index version cannot be used."""


class NoIndexError(IndexLoadError):
    """No CURRENT version, or the named version is missing."""


class IndexCorruptError(IndexLoadError):
    """A version's files are missing, truncated or do not match its manifest."""


class ModelMismatchError(IndexLoadError):
    """The version was built with another embedding model than the one configured."""
