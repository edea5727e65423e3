"""Fixtures for the ingest tests: tiny corpora in temp folders, and indexes built once per session.

Building an index with the real model costs about a second per dozen chunks here, so the tiny
corpus is built once (`tiny_built`) and each test that changes it gets a private copy (`tiny`);
the 41 real pages of corpus/ are ingested once (`corpus_index`) for all tests that need them.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest import IngestConfig, IngestReport, TransformerEmbedder, run_ingest
from ingest.store import MANIFEST, versions_dir, write_current
from tests.conftest import CORPUS

TINY_PAGES: dict[str, str] = {
    "alpha-myopathy": """\
        ---
        title: Alpha myopathy
        aliases: [AM, alpha muscle disease]
        summary: What alpha myopathy is, how it is found and how it is treated.
        reviewed: 2026-01-15
        sources:
          - name: Example Myositis Society
            url: https://example.org/alpha-myopathy
        kind: editorial
        ---

        # Alpha myopathy

        ## Overview

        Alpha myopathy is a rare muscle disease. It causes weakness in the hips and shoulders.

        ## Diagnosis

        Doctors start with a CK blood test. A high CK level points to muscle damage.

        ### Muscle Biopsy

        A small piece of muscle is taken with a needle. The sample is examined under a microscope.

        ## Treatment

        Most people start with corticosteroids. Exercise helps keep the muscles strong.
        """,
    "beta-blood-test": """\
        ---
        title: Beta blood test
        summary: A blood test that measures the beta enzyme.
        ---

        ## What is it?

        The beta test measures an enzyme that leaks out of damaged muscle.

        ## Preparing

        Avoid hard exercise for two days before the test. Tell the nurse about your medicines.
        """,
    "gamma-therapy": """\
        ---
        title: Gamma therapy
        aliases: [GT]
        ---

        ## How it works

        Gamma therapy calms the immune system. It is given as a drip in hospital.

        ## Side effects

        - Headache on the day of the infusion
        - Tiredness for a day or two
        - Rarely, a skin rash
        """,
    "delta-exercise": """\
        ---
        title: Delta exercise plan
        kind: community
        ---

        ## Getting started

        Start with five minutes of gentle walking. Rest when your legs feel heavy.

        ## Building up

        Add one minute each week. Stop and call your doctor if the weakness gets worse.
        """,
}


def page_text(source: str) -> str:
    return textwrap.dedent(source)


def write_pages(folder: Path, pages: dict[str, str] = TINY_PAGES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, source in pages.items():
        (folder / f"{stem}.md").write_text(page_text(source), encoding="utf-8")
    return folder


@dataclass(frozen=True)
class Built:
    """A corpus folder and the index folder built from it."""

    corpus: Path
    index_dir: Path
    version_id: str
    report: IngestReport

    @property
    def version_dir(self) -> Path:
        return versions_dir(self.index_dir) / self.version_id


def sqlite_count(version_dir: Path, table: str) -> int:
    conn = sqlite3.connect(f"file:{version_dir / 'chunks.sqlite'}?mode=ro", uri=True)
    try:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def chunk_ids(version_dir: Path, doc_id: str | None = None) -> set[str]:
    conn = sqlite3.connect(f"file:{version_dir / 'chunks.sqlite'}?mode=ro", uri=True)
    try:
        if doc_id is None:
            rows = conn.execute("SELECT chunk_id FROM chunks").fetchall()
        else:
            rows = conn.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,)).fetchall()
        return {r[0] for r in rows}
    finally:
        conn.close()


def make_versions(index_dir: Path, source_version: Path, ids: list[str]) -> list[str]:
    """Copies of a real built version under chosen ids (oldest first); the last one is live."""
    for version_id in ids:
        target = versions_dir(index_dir) / version_id
        shutil.copytree(source_version, target)
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
        manifest["version_id"] = version_id
        (target / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    write_current(index_dir, ids[-1])
    return ids


@pytest.fixture(scope="session")
def tiny_built(tmp_path_factory: pytest.TempPathFactory, embedder: TransformerEmbedder) -> Built:
    """The four tiny pages, ingested once with the real model. Do not modify: use `tiny`."""
    root = tmp_path_factory.mktemp("tiny-built")
    corpus = write_pages(root / "corpus")
    index_dir = root / "index"
    report = run_ingest([corpus], IngestConfig(index_dir=index_dir), embedder)
    assert report.published and report.version_id
    return Built(corpus, index_dir, report.version_id, report)


@pytest.fixture
def tiny(tmp_path: Path, tiny_built: Built) -> Built:
    """A private copy of the tiny corpus and its live index, to change freely."""
    corpus = Path(shutil.copytree(tiny_built.corpus, tmp_path / "corpus"))
    index_dir = Path(shutil.copytree(tiny_built.index_dir, tmp_path / "index"))
    return Built(corpus, index_dir, tiny_built.version_id, tiny_built.report)


@pytest.fixture
def three_versions(tmp_path: Path, tiny_built: Built) -> tuple[Path, list[str]]:
    """An index folder with three valid versions (copies of the tiny build), the newest live."""
    index_dir = tmp_path / "index"
    ids = ["20260101-000000-aaaaaa", "20260102-000000-bbbbbb", "20260103-000000-cccccc"]
    return index_dir, make_versions(index_dir, tiny_built.version_dir, ids)


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory, embedder: TransformerEmbedder) -> Built:
    """The 41 real pages of corpus/, ingested once (30-50 s) and shared; do not modify."""
    root = tmp_path_factory.mktemp("corpus-index")
    index_dir = root / "index"
    report = run_ingest([CORPUS], IngestConfig(index_dir=index_dir), embedder)
    assert report.published and report.version_id
    return Built(CORPUS, index_dir, report.version_id, report)
