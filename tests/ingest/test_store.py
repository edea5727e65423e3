"""Index versions on disk: CURRENT, rollback, prune, broken versions, model checks, locks."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from ingest import (
    IndexCorruptError,
    IngestConfig,
    IngestLockedError,
    ModelMismatchError,
    NoIndexError,
    TransformerEmbedder,
    run_ingest,
    store,
)
from ingest.index import IndexVersion
from ingest.store import (
    CURRENT,
    MANIFEST,
    ingest_lock,
    list_versions,
    new_version_id,
    prune,
    read_current,
    rollback,
    versions_dir,
    write_current,
)
from tests.ingest.conftest import Built

Versions = tuple[Path, list[str]]


def open_id(index_dir: Path, version_id: str | None = None, **kwargs: str) -> str:
    version = IndexVersion.open(index_dir, version_id, **kwargs)
    try:
        return version.version_id
    finally:
        version.close()


def stray_files(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith(f"{CURRENT}."))


# --- CURRENT -----------------------------------------------------------------------------------


def test_current_is_an_id_and_a_newline_with_no_temp_file_left(three_versions: Versions) -> None:
    index_dir, (v1, _, v3) = three_versions
    assert (index_dir / CURRENT).read_bytes() == f"{v3}\n".encode()
    write_current(index_dir, v1)
    assert (index_dir / CURRENT).read_bytes() == f"{v1}\n".encode()
    assert read_current(index_dir) == v1
    assert stray_files(index_dir) == []


def test_current_is_replaced_never_rewritten_in_place(
    three_versions: Versions, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir, (v1, _, v3) = three_versions

    def crash(src: object, dst: object) -> None:
        raise OSError("simulated crash before the rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="simulated crash"):
        write_current(index_dir, v1)
    monkeypatch.undo()
    # A crash before the rename leaves the old CURRENT whole.
    assert (index_dir / CURRENT).read_bytes() == f"{v3}\n".encode()


def test_current_cannot_name_a_missing_version(three_versions: Versions) -> None:
    index_dir, (_, _, v3) = three_versions
    with pytest.raises(NoIndexError, match="no index version 'nope'"):
        write_current(index_dir, "nope")
    assert read_current(index_dir) == v3


# --- rollback and prune ------------------------------------------------------------------------


def test_rollback_makes_an_earlier_version_live(three_versions: Versions) -> None:
    index_dir, (v1, v2, v3) = three_versions
    rollback(index_dir, v1)
    assert read_current(index_dir) == v1
    assert open_id(index_dir) == v1
    assert [(v.version_id, v.live) for v in list_versions(index_dir)] == [
        (v1, True),
        (v2, False),
        (v3, False),
    ]
    rollback(index_dir, v3)
    assert open_id(index_dir) == v3


def test_rollback_to_an_unknown_version_lists_the_known_ones(three_versions: Versions) -> None:
    index_dir, ids = three_versions
    with pytest.raises(NoIndexError) as info:
        rollback(index_dir, "20250101-000000-ffffff")
    assert str(info.value) == (f"no index version '20250101-000000-ffffff'; known versions: {', '.join(ids)}")
    assert read_current(index_dir) == ids[-1]


def test_rollback_to_a_broken_version_is_refused(three_versions: Versions) -> None:
    index_dir, (v1, _, v3) = three_versions
    (versions_dir(index_dir) / v1 / "sentences.npy").unlink()
    with pytest.raises(IndexCorruptError, match=f"index version {v1} is missing sentences.npy"):
        rollback(index_dir, v1)
    assert read_current(index_dir) == v3


def test_prune_keeps_the_newest_and_the_live_version(three_versions: Versions) -> None:
    index_dir, (v1, v2, v3) = three_versions
    rollback(index_dir, v1)
    assert prune(index_dir, keep=1) == [v2]
    assert sorted(p.name for p in versions_dir(index_dir).iterdir()) == [v1, v3]
    assert open_id(index_dir) == v1
    assert prune(index_dir, keep=1) == []


def test_prune_with_the_newest_live(three_versions: Versions) -> None:
    index_dir, (v1, v2, v3) = three_versions
    assert prune(index_dir, keep=2) == [v1]
    assert prune(index_dir, keep=1) == [v2]
    assert [v.version_id for v in list_versions(index_dir)] == [v3]
    with pytest.raises(ValueError, match="at least 1"):
        prune(index_dir, keep=0)


def test_versions_made_in_the_same_second_sort_in_creation_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = dt.datetime(2026, 5, 1, 12, 0, 0, tzinfo=dt.UTC)
    ticks = iter(base + dt.timedelta(milliseconds=100 * i) for i in range(3))
    suffixes = iter(["ffffff", "888888", "000000"])  # what secrets.token_hex might return

    clock = types.SimpleNamespace(now=lambda tz=None: next(ticks))
    monkeypatch.setattr(store, "dt", types.SimpleNamespace(datetime=clock, UTC=dt.UTC))
    monkeypatch.setattr(store, "secrets", types.SimpleNamespace(token_hex=lambda n: next(suffixes)))
    ids = [new_version_id() for _ in range(3)]
    assert ids == sorted(ids)


# --- broken versions ---------------------------------------------------------------------------


def _truncate_dense(folder: Path) -> str:
    path = folder / "dense.faiss"
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)
    return "dense.faiss is .* bytes, the manifest says .* \\(truncated or changed\\)"


def _remove_sqlite(folder: Path) -> str:
    (folder / "chunks.sqlite").unlink()
    return "is missing chunks.sqlite"


def _remove_bm25_file(folder: Path) -> str:
    (folder / "bm25" / "vocab.index.json").unlink()
    return "is missing bm25/vocab.index.json"


def _break_manifest(folder: Path) -> str:
    (folder / MANIFEST).write_text('{"schema_version": 1, "files": ', encoding="utf-8")
    return "manifest.json is not valid JSON"


def _future_schema(folder: Path) -> str:
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    manifest["schema_version"] = 99
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return "schema version 99, this program reads 1"


BREAKAGES: dict[str, Callable[[Path], str]] = {
    "truncated-dense": _truncate_dense,
    "missing-sqlite": _remove_sqlite,
    "missing-bm25-file": _remove_bm25_file,
    "invalid-manifest": _break_manifest,
    "future-schema": _future_schema,
}


@pytest.mark.parametrize("breakage", BREAKAGES.values(), ids=BREAKAGES.keys())
def test_a_broken_version_is_listed_as_broken_and_refused(
    three_versions: Versions, breakage: Callable[[Path], str]
) -> None:
    index_dir, (v1, v2, v3) = three_versions
    says = breakage(versions_dir(index_dir) / v2)

    infos = {v.version_id: v for v in list_versions(index_dir)}
    assert infos[v1].problem is None and infos[v3].problem is None
    problem = infos[v2].problem
    assert problem is not None and re.search(says, problem)
    assert infos[v2].manifest is None

    with pytest.raises(IndexCorruptError) as info:
        IndexVersion.open(index_dir, v2)
    message = str(info.value)
    assert re.search(says, message)
    assert re.search(r"(?i)run: wisdom ingest", message)  # says what to do
    # The live version is not affected.
    assert open_id(index_dir) == v3


def test_a_version_whose_files_disagree_with_its_counts_is_refused(three_versions: Versions) -> None:
    index_dir, (_, v2, _) = three_versions
    path = versions_dir(index_dir) / v2 / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["counts"]["chunks"] += 1
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexCorruptError, match=r"is inconsistent: .*Run: wisdom ingest --rebuild"):
        IndexVersion.open(index_dir, v2)


def test_no_index_and_missing_version_errors(tmp_path: Path, three_versions: Versions) -> None:
    with pytest.raises(NoIndexError, match=r"no index in .*empty\. Run: wisdom ingest"):
        IndexVersion.open(tmp_path / "empty")
    assert list_versions(tmp_path / "empty") == []
    index_dir, _ = three_versions
    with pytest.raises(NoIndexError, match="'nope' is missing"):
        IndexVersion.open(index_dir, "nope")


def test_a_manifest_for_another_model_is_refused(
    three_versions: Versions, embedder: TransformerEmbedder
) -> None:
    index_dir, (_, _, v3) = three_versions
    expected = {"expected_model_sha256": embedder.weights_sha256(), "expected_model_id": "all-MiniLM-L6-v2"}
    assert open_id(index_dir, **expected) == v3

    path = versions_dir(index_dir) / v3 / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["model"]["sha256"] = "0" * 64
    manifest["model"]["id"] = "bge-small-en-v1.5"
    path.write_text(json.dumps(manifest), encoding="utf-8")

    with pytest.raises(ModelMismatchError) as info:
        IndexVersion.open(index_dir, **expected)
    assert str(info.value) == (
        f"index version {v3} was built with 'bge-small-en-v1.5' but settings ask for "
        "'all-MiniLM-L6-v2' (different weights). Run: wisdom ingest --rebuild"
    )
    assert open_id(index_dir) == v3  # without a model to check, it still opens


# --- ingest and the folder ---------------------------------------------------------------------


def test_a_leftover_temp_build_is_removed_by_the_next_ingest(
    tiny: Built, embedder: TransformerEmbedder
) -> None:
    leftover = versions_dir(tiny.index_dir) / ".tmp-20260101-000000-dead00"
    (leftover / "bm25").mkdir(parents=True)
    (leftover / "dense.faiss").write_bytes(b"\x00" * 100)
    assert [v.version_id for v in list_versions(tiny.index_dir)] == [tiny.version_id]

    page = tiny.corpus / "beta-blood-test.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nBring a list of questions.\n")
    report = run_ingest([tiny.corpus], IngestConfig(index_dir=tiny.index_dir), embedder)

    assert report.stale_builds_removed == 1
    assert not leftover.exists()
    assert report.published and report.chunks_reused > 0
    assert sorted(p.name for p in versions_dir(tiny.index_dir).iterdir()) == sorted(
        [tiny.version_id, str(report.version_id)]
    )
    assert open_id(tiny.index_dir) == report.version_id


def test_a_held_lock_stops_a_second_ingest(tiny: Built, embedder: TransformerEmbedder) -> None:
    config = IngestConfig(index_dir=tiny.index_dir)
    with ingest_lock(tiny.index_dir), pytest.raises(IngestLockedError) as info:
        run_ingest([tiny.corpus], config, embedder)
    assert str(info.value) == (f"another ingest is running on {tiny.index_dir}; wait for it to finish.")
    assert read_current(tiny.index_dir) == tiny.version_id
    # Released on exit: the next ingest runs.
    assert run_ingest([tiny.corpus], config, embedder).up_to_date
