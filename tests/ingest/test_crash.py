"""Crash safety: `kill -9` a real `wisdom ingest` at many points; the live version must survive.

The previous version is the corpus/ index (built once per session); the killed ingest
reads those pages plus generated extra pages, so it loads the model (~8 s), embeds only the
extra chunks (a few seconds) and writes a new version. Kill points are tied to what the process
prints and writes (stage lines on stderr, the temp folder's manifest), not only to wall time, so
they land in the same phase on a fast or a slow machine.
"""

from __future__ import annotations

import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx
import pytest

from ingest import IngestConfig, IngestReport, TransformerEmbedder, run_ingest
from ingest.index import IndexVersion
from ingest.store import CURRENT, ingest_lock, list_versions, read_current, versions_dir
from qa_service.http.app import create_app
from qa_service.pipeline import build_pipeline, pin_threads
from tests.conftest import CORPUS_PAGES
from tests.ingest.conftest import Built
from tests.qa_service.conftest import make_settings, serve

WISDOM = Path(sys.executable).parent / "wisdom"
EXTRA_PAGES = 12
TOPICS = ["grip strength", "stairs", "sleep", "meals"]


@dataclass(frozen=True)
class KillPoint:
    label: str
    after_start: float | None = None  # seconds after the process starts
    stage: str | None = None  # or when a stderr line contains this...
    delay: float = 0.0  # ...plus this many seconds
    file_glob: str | None = None  # or as soon as a file matching this exists under the index


@dataclass
class Outcome:
    returncode: int | None = None
    lines: list[str] = field(default_factory=list)

    def saw(self, text: str) -> bool:
        return any(text in line for line in self.lines)


def write_extra_pages(corpus: Path, count: int = EXTRA_PAGES, edition: int = 0) -> None:
    for i in range(count):
        sections = []
        for topic in TOPICS:
            sentences = " ".join(
                f"Extra page {i} (edition {edition}) gives tip {k} about {topic} for people "
                "with myositis, in plain words that fill one short sentence."
                for k in range(3)
            )
            sections.append(f"## Tips on {topic}\n\n{sentences}\n")
        text = f"---\ntitle: Extra page {i}\n---\n\n" + "\n".join(sections)
        (corpus / f"extra-{i:02d}.md").write_text(text, encoding="utf-8")


def _pump(stream: IO[str], lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))


def run_and_kill(corpus: Path, index_dir: Path, point: KillPoint, timeout: float = 300) -> Outcome:
    """Start `wisdom ingest`, SIGKILL it at `point` (unless it ends first), and reap it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WISDOM_")}
    env.update(PYTHONUNBUFFERED="1", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    outcome = Outcome()
    lines: queue.Queue[str] = queue.Queue()
    with subprocess.Popen(
        [str(WISDOM), "ingest", str(corpus), "--index-dir", str(index_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as proc:
        assert proc.stderr is not None
        reader = threading.Thread(target=_pump, args=(proc.stderr, lines), daemon=True)
        reader.start()
        start = time.monotonic()
        stage_seen: float | None = None
        # Leftovers of an earlier killed run do not count: only files this run creates.
        old_files = set(index_dir.glob(point.file_glob)) if point.file_glob else set()
        try:
            while True:
                now = time.monotonic()
                assert now - start < timeout, f"{point.label}: not reached in {timeout} s"
                while not lines.empty():
                    outcome.lines.append(line := lines.get())
                    if point.stage and stage_seen is None and point.stage in line:
                        stage_seen = time.monotonic()
                if proc.poll() is not None:
                    break  # finished before the kill point
                if point.after_start is not None and now - start >= point.after_start:
                    break
                if stage_seen is not None and now - stage_seen >= point.delay:
                    break
                if point.file_glob and set(index_dir.glob(point.file_glob)) - old_files:
                    break
                time.sleep(0.002)
        finally:
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)
            reader.join(timeout=30)
        while not lines.empty():
            outcome.lines.append(lines.get())
        outcome.returncode = proc.returncode
    return outcome


def check_live_version(index_dir: Path, previous: str, outcome: Outcome, point: KillPoint) -> str:
    """CURRENT names the previous version, or (if the kill came after the switch) a complete new
    one; either way it opens, and the lock is free. Returns the live version id."""
    live = read_current(index_dir)
    assert live is not None
    assert (index_dir / CURRENT).read_text(encoding="utf-8") == f"{live}\n"
    if live != previous:
        # Only possible when the process got past write_current before the signal landed.
        assert outcome.saw("Writing index"), f"{point.label}: CURRENT changed before writing"
    version = IndexVersion.open(index_dir)
    try:
        assert version.version_id == live
        assert version.n_chunks == version.manifest.counts.chunks > 0
    finally:
        version.close()
    # Every published (non-temp) version folder is complete: a crash never leaves a half one.
    assert [v.problem for v in list_versions(index_dir) if v.problem] == []
    with ingest_lock(index_dir):  # released by the kernel when the process died
        pass
    return live


def temp_builds(index_dir: Path) -> list[Path]:
    return sorted(versions_dir(index_dir).glob(".tmp-*"))


@pytest.fixture
def crash_setup(tmp_path: Path, corpus_index: Built) -> tuple[Path, Path]:
    corpus = Path(shutil.copytree(corpus_index.corpus, tmp_path / "corpus"))
    write_extra_pages(corpus)
    index_dir = Path(shutil.copytree(corpus_index.index_dir, tmp_path / "index"))
    return corpus, index_dir


@pytest.fixture
def service(crash_setup: tuple[Path, Path], embedder: TransformerEmbedder) -> Iterator[httpx.Client]:
    """A real server over the index being crashed into, watching CURRENT every 0.1 s."""
    _, index_dir = crash_setup
    pin_threads(1)  # as `wisdom serve` does (WISDOM_SERVICE_THREADS)
    pipeline = build_pipeline(make_settings(index_dir, index_poll_seconds=0.1), embedder=embedder)
    with serve(create_app(pipeline=pipeline)) as url, httpx.Client(base_url=url, timeout=120) as client:
        yield client
        pipeline.index.stop_watching()


def assert_service_answers_from(client: httpx.Client, live: str) -> None:
    """After a kill, the service serves the live version (the watcher may need a moment to load
    one that the killed run published) and answers from it."""
    deadline = time.monotonic() + 60
    while client.get("/readyz").json().get("index_version") != live:
        assert time.monotonic() < deadline, f"the service did not move to {live}"
        time.sleep(0.05)
    response = client.post("/v1/ask", json={"question": "What can help with grip strength in myositis?"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["index_version"] == live and body["kind"] == "answer" and body["citations"], body


def finish_normally(
    corpus: Path, index_dir: Path, embedder: TransformerEmbedder, live: str, previous: str
) -> IngestReport:
    leftovers = temp_builds(index_dir)
    report = run_ingest([corpus], IngestConfig(index_dir=index_dir), embedder)
    assert report.stale_builds_removed == len(leftovers)
    assert temp_builds(index_dir) == []
    if live == previous:
        assert report.published and not report.full_rebuild
        assert report.added >= 1 and report.chunks_embedded >= 1 and report.chunks_reused > 0
        assert read_current(index_dir) == report.version_id != previous
    else:  # a killed run had already published everything
        assert report.up_to_date and report.version_id == live
    version = IndexVersion.open(index_dir)
    try:
        assert len(version.document_ids()) == len(CORPUS_PAGES) + EXTRA_PAGES
    finally:
        version.close()
    return report


def test_kill_9_at_four_points_never_breaks_the_live_version(
    crash_setup: tuple[Path, Path], corpus_index: Built, embedder: TransformerEmbedder, service: httpx.Client
) -> None:
    corpus, index_dir = crash_setup
    previous = live = corpus_index.version_id
    points = [
        KillPoint("1 s after start (loading the model)", after_start=1.0),
        KillPoint("as embedding starts", stage="Embedding"),
        KillPoint("as writing starts", stage="Writing index"),
        KillPoint(
            "temp version complete, about to be published",
            file_glob="versions/.tmp-*/manifest.json",
        ),
    ]
    outcomes = []
    for point in points:
        outcome = run_and_kill(corpus, index_dir, point)
        outcomes.append(outcome)
        assert outcome.returncode == -signal.SIGKILL, (point.label, outcome.lines)
        live = check_live_version(index_dir, live, outcome, point)
        assert_service_answers_from(service, live)

    # The early kills certainly came before anything was published.
    loading, embedding = outcomes[0], outcomes[1]
    assert not loading.saw("Writing index")
    assert embedding.saw("Embedding") and not embedding.saw("Writing index")
    assert outcomes[2].saw("Writing index") and outcomes[3].saw("Writing index")

    report = finish_normally(corpus, index_dir, embedder, live, previous)
    assert_service_answers_from(service, report.version_id or live)


@pytest.mark.slow
def test_kill_9_at_twenty_random_points(
    crash_setup: tuple[Path, Path], corpus_index: Built, embedder: TransformerEmbedder, service: httpx.Client
) -> None:
    corpus, index_dir = crash_setup
    seed = int(os.environ.get("CRASH_SEED", time.time()))
    rng = random.Random(seed)
    live = corpus_index.version_id
    writing_at = 15.0  # refined from what the runs print
    edition = 0
    for n in range(20):
        kind = rng.choice(["time", "embedding", "writing", "manifest"])
        if kind == "time":
            point = KillPoint(f"#{n} at random time", after_start=rng.uniform(0.1, writing_at + 0.3))
        elif kind == "embedding":
            point = KillPoint(f"#{n} in embedding", stage="Embedding", delay=rng.uniform(0, 3))
        elif kind == "writing":
            point = KillPoint(f"#{n} in writing", stage="Writing index", delay=rng.uniform(0, 0.3))
        else:
            point = KillPoint(f"#{n} at temp manifest", file_glob="versions/.tmp-*/manifest.json")
        started = time.monotonic()
        outcome = run_and_kill(corpus, index_dir, point)
        if outcome.saw("Writing index"):
            writing_at = time.monotonic() - started
        now_live = check_live_version(index_dir, live, outcome, point)
        assert_service_answers_from(service, now_live)
        if now_live != live:  # that run won the race; give the next one work to do again
            edition += 1
            write_extra_pages(corpus, edition=edition)
        live = now_live
    print(f"CRASH_SEED={seed}")

    leftovers = temp_builds(index_dir)
    report = run_ingest([corpus], IngestConfig(index_dir=index_dir), embedder)
    assert report.stale_builds_removed == len(leftovers)
    assert temp_builds(index_dir) == []
    assert report.published or report.up_to_date
    assert read_current(index_dir) == report.version_id
    assert_service_answers_from(service, report.version_id)
    version = IndexVersion.open(index_dir)
    try:
        assert len(version.document_ids()) == len(CORPUS_PAGES) + EXTRA_PAGES
    finally:
        version.close()
