"""Index versions on disk.

<index_dir>/
  CURRENT                      the live version's id (replaced atomically)
  .lock                        held by a running ingest (flock: released if it dies)
  versions/<id>/               immutable once published
    manifest.json              what was built, how, from what; sizes of every file
    dense.faiss                FAISS index over chunk vectors (row = chunk row)
    bm25/                      bm25s index over chunk text with title, section and aliases
    chunks.sqlite              documents, chunks and sentences (offsets into document text)
    sentences.npy              float16 sentence vectors (row = sentence row)
  versions/.tmp-<id>/          a version being built; never read; removed by the next ingest
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import secrets
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.errors import IndexCorruptError, IngestLockedError, NoIndexError

SCHEMA_VERSION = 1
MANIFEST = "manifest.json"
CURRENT = "CURRENT"
VERSIONS = "versions"
TMP_PREFIX = ".tmp-"

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
CREATE INDEX chunks_doc ON chunks(doc_id, ordinal);
"""


def new_version_id(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%d-%H%M%S-%f}-{secrets.token_hex(2)}"


def versions_dir(index_dir: Path) -> Path:
    return index_dir / VERSIONS


def read_current(index_dir: Path) -> str | None:
    try:
        value = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return value or None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(path: Path) -> None:
    """Flush every file and folder under `path` to disk."""
    for root, _dirs, files in os.walk(path):
        for name in files:
            fd = os.open(Path(root) / name, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(root))


def write_current(index_dir: Path, version_id: str) -> None:
    """Point CURRENT at `version_id`: temp file, fsync, os.replace, fsync the folder."""
    if not (versions_dir(index_dir) / version_id / MANIFEST).is_file():
        raise NoIndexError(f"no index version {version_id!r} in {index_dir}")
    tmp = index_dir / f"{CURRENT}.tmp-{os.getpid()}"
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(version_id + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)


@contextlib.contextmanager
def ingest_lock(index_dir: Path) -> Iterator[None]:
    """One ingest at a time per index folder. flock is released by the kernel if we die."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".lock").open("a") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IngestLockedError(
                f"another ingest is running on {index_dir}; wait for it to finish."
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def remove_stale_builds(index_dir: Path) -> int:
    """Delete half-built versions left by an ingest that died. Call with the lock held."""
    removed = 0
    root = versions_dir(index_dir)
    if root.is_dir():
        for entry in root.iterdir():
            if entry.name.startswith(TMP_PREFIX):
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
    return removed


def file_inventory(folder: Path) -> dict[str, int]:
    """Relative path → size of every file of a version (the manifest itself excluded)."""
    sizes: dict[str, int] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != MANIFEST:
            sizes[str(path.relative_to(folder))] = path.stat().st_size
    return sizes


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise IndexCorruptError(
            f"{folder} has no {MANIFEST}; it is not a complete index version. Run: wisdom ingest"
        ) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IndexCorruptError(f"{path} is not valid JSON ({exc}). Run: wisdom ingest") from exc
    found = manifest.get("schema_version") if isinstance(manifest, dict) else None
    if found != SCHEMA_VERSION:
        raise IndexCorruptError(
            f"{path} has schema version {found}, this program reads {SCHEMA_VERSION}. "
            "Run: wisdom ingest --rebuild"
        )
    checked: dict[str, Any] = manifest
    return checked


def check_files(folder: Path, manifest: dict[str, Any]) -> None:
    """Every file the manifest lists is there with its recorded size."""
    expected: dict[str, int] = manifest.get("files", {})
    for name, size in expected.items():
        path = folder / name
        if not path.is_file():
            raise IndexCorruptError(
                f"index version {folder.name} is missing {name}. "
                "Roll back (wisdom index rollback ID) or run: wisdom ingest --rebuild"
            )
        actual = path.stat().st_size
        if actual != size:
            raise IndexCorruptError(
                f"index version {folder.name}: {name} is {actual} bytes, the manifest says {size} "
                "(truncated or changed). Roll back or run: wisdom ingest --rebuild"
            )


@dataclass(frozen=True)
class VersionInfo:
    version_id: str
    path: Path
    live: bool
    manifest: dict[str, Any] | None
    problem: str | None

    @property
    def created(self) -> str:
        return str((self.manifest or {}).get("created_at", "?"))


def list_versions(index_dir: Path) -> list[VersionInfo]:
    root = versions_dir(index_dir)
    live = read_current(index_dir)
    infos: list[VersionInfo] = []
    if not root.is_dir():
        return infos
    for entry in sorted(root.iterdir()):
        if not entry.is_dir() or entry.name.startswith(TMP_PREFIX):
            continue
        try:
            manifest: dict[str, Any] | None = read_manifest(entry)
            check_files(entry, manifest or {})
            problem = None
        except IndexCorruptError as exc:
            manifest, problem = None, str(exc)
        infos.append(VersionInfo(entry.name, entry, entry.name == live, manifest, problem))
    return infos


def rollback(index_dir: Path, version_id: str) -> None:
    folder = versions_dir(index_dir) / version_id
    if not folder.is_dir():
        known = ", ".join(v.version_id for v in list_versions(index_dir)) or "none"
        raise NoIndexError(f"no index version {version_id!r}; known versions: {known}")
    check_files(folder, read_manifest(folder))
    write_current(index_dir, version_id)


def prune(index_dir: Path, keep: int) -> list[str]:
    """Delete all but the `keep` newest versions; the live version is always kept."""
    if keep < 1:
        raise ValueError("--keep must be at least 1")
    live = read_current(index_dir)
    versions = [v.version_id for v in list_versions(index_dir)]
    doomed = [v for v in versions[:-keep] if v != live]
    for version_id in doomed:
        shutil.rmtree(versions_dir(index_dir) / version_id)
    return doomed


def connect_readonly(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn
