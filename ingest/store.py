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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ingest.errors import IndexCorruptError, IngestLockedError, NoIndexError
from ingest.manifest import SCHEMA_VERSION, Manifest

__all__ = ["CURRENT", "MANIFEST", "SCHEMA_VERSION", "TMP_PREFIX", "VERSIONS", "Manifest", "VersionInfo"]

MANIFEST = "manifest.json"
CURRENT = "CURRENT"
VERSIONS = "versions"
TMP_PREFIX = ".tmp-"


def new_version_id(now: dt.datetime | None = None) -> str:
    """A new version's id: UTC time to the microsecond, then 4 random hex digits."""
    now = now or dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%d-%H%M%S-%f}-{secrets.token_hex(2)}"


def versions_dir(index_dir: Path) -> Path:
    """The folder holding an index folder's versions."""
    return index_dir / VERSIONS


def read_current(index_dir: Path) -> str | None:
    """The live version's id, or None when nothing was published."""
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


def read_manifest(folder: Path) -> Manifest:
    """A version's manifest, checked: valid JSON, this program's schema version, every field typed."""
    path = folder / MANIFEST
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise IndexCorruptError(
            f"{folder} has no {MANIFEST}; it is not a complete index version. Run: wisdom ingest"
        ) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IndexCorruptError(f"{path} is not valid JSON ({exc}). Run: wisdom ingest") from exc
    found = raw.get("schema_version") if isinstance(raw, dict) else None
    if found != SCHEMA_VERSION:
        raise IndexCorruptError(
            f"{path} has schema version {found}, this program reads {SCHEMA_VERSION}. "
            "Run: wisdom ingest --rebuild"
        )
    try:
        return Manifest.model_validate(raw)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        raise IndexCorruptError(f"{path}: {where}: {problem['msg']}. Run: wisdom ingest --rebuild") from exc


def check_files(folder: Path, manifest: Manifest) -> None:
    """Every file the manifest lists is there with its recorded size."""
    for name, size in manifest.files.items():
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
    """A version in the index folder: its manifest, or the problem that makes it unusable."""

    version_id: str
    path: Path
    live: bool
    manifest: Manifest | None
    problem: str | None

    @property
    def created(self) -> str:
        """When it was built (ISO 8601, UTC), "?" when unknown."""
        return self.manifest.created_at if self.manifest else "?"


def list_versions(index_dir: Path) -> list[VersionInfo]:
    """Every published version, oldest first, each checked against its manifest."""
    root = versions_dir(index_dir)
    live = read_current(index_dir)
    infos: list[VersionInfo] = []
    if not root.is_dir():
        return infos
    for entry in sorted(root.iterdir()):
        if not entry.is_dir() or entry.name.startswith(TMP_PREFIX):
            continue
        manifest: Manifest | None
        try:
            manifest = read_manifest(entry)
            check_files(entry, manifest)
            problem = None
        except IndexCorruptError as exc:
            manifest, problem = None, str(exc)
        infos.append(VersionInfo(entry.name, entry, entry.name == live, manifest, problem))
    return infos


def rollback(index_dir: Path, version_id: str) -> None:
    """Make an earlier (intact) version live again."""
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
