"""Live index swaps: ingests publish while patients are asking; broken versions are refused.

Each test works on its own copy of the corpus index, with a real server whose background
watcher polls CURRENT every 0.1 s. An "edition" page changes with every ingest, so an answer
about it shows which version composed it: it must be the version the answer names."""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from ingest import IngestConfig, TransformerEmbedder, run_ingest
from ingest.index import IndexVersion
from ingest.store import new_version_id, read_current, versions_dir, write_current
from qa_service.http.app import create_app
from qa_service.pipeline import Pipeline, build_pipeline
from tests.conftest import CORPUS
from tests.qa_service.conftest import assert_disclaimer, make_settings, serve

EDITION_QUESTION = "What do the library edition notes say to bring to a clinic visit?"
TOKEN = "admin-token-for-swap-tests-000"


def write_edition_page(corpus: Path, edition: int) -> None:
    (corpus / "library-edition-notes.md").write_text(
        "---\ntitle: Library edition notes\n---\n\n## What to bring\n\n"
        f"Edition {edition} of the library edition notes says to bring your medicine list to "
        f"every clinic visit. The edition {edition} notes also say to bring a short list of "
        "questions for your care team.\n",
        encoding="utf-8",
    )


@dataclass
class Live:
    corpus: Path
    index_dir: Path
    pipeline: Pipeline
    url: str
    editions: dict[str, int] = field(default_factory=dict)  # version id → edition

    def publish(self, edition: int, embedder: TransformerEmbedder) -> str:
        write_edition_page(self.corpus, edition)
        report = run_ingest([self.corpus], IngestConfig(index_dir=self.index_dir), embedder)
        assert report.published and report.version_id and report.chunks_embedded >= 1
        assert report.chunks_reused > 0  # only the edited page was embedded again
        self.editions[report.version_id] = edition
        return report.version_id


def wait_for(predicate: Any, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.fixture
def live(tmp_path: Path, qa_index: Path, embedder: TransformerEmbedder) -> Iterator[Live]:
    corpus = Path(shutil.copytree(CORPUS, tmp_path / "corpus"))
    index_dir = Path(shutil.copytree(qa_index, tmp_path / "index"))
    pipeline = build_pipeline(
        make_settings(index_dir, index_poll_seconds=0.1, admin_token=TOKEN, corpus_paths=[corpus]),
        embedder=embedder,
    )
    with serve(create_app(pipeline=pipeline)) as url:
        state = Live(corpus, index_dir, pipeline, url)
        first = state.publish(1, embedder)
        wait_for(lambda: pipeline.index.version_id == first, "the first edition to go live")
        yield state
        pipeline.index.stop_watching()


def _chunk_text(versions: dict[str, IndexVersion], index_dir: Path, version_id: str, chunk_id: str) -> str:
    version = versions.get(version_id)
    if version is None:
        version = versions[version_id] = IndexVersion.open(index_dir, version_id)
    found = version.store.chunk_location(chunk_id)
    assert found is not None, f"chunk {chunk_id} is not in version {version_id}"
    doc_id, start, end = found
    return version.document_text(doc_id)[start:end]


def test_three_ingests_under_load_fail_no_request(live: Live, embedder: TransformerEmbedder) -> None:
    questions = [EDITION_QUESTION, "What are the side effects of IVIG?", "What is dermatomyositis?"]
    results: list[tuple[int, dict[str, Any]]] = []
    failures: list[str] = []
    stop = threading.Event()

    def client_loop(offset: int) -> None:
        with httpx.Client(base_url=live.url, timeout=120) as client:
            i = offset
            while not stop.is_set():
                question = questions[i % len(questions)]
                i += 1
                try:
                    response = client.post("/v1/ask", json={"question": question})
                    results.append((response.status_code, {**response.json(), "_q": question}))
                except Exception as exc:  # a dropped connection is a failed request too
                    failures.append(repr(exc))

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    try:
        for edition in (2, 3, 4):
            before = len(results)
            version = live.publish(edition, embedder)
            wait_for(lambda v=version: live.pipeline.index.version_id == v, f"edition {edition} to go live")
            count = len(results)
            wait_for(lambda n=count: len(results) >= n + 6, "answers from the new version")
            assert len(results) > before
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=120)

    assert failures == []
    assert results and all(status == 200 for status, _ in results), [b for s, b in results if s != 200][:3]
    versions: dict[str, IndexVersion] = {}
    seen_versions = set()
    try:
        for _, body in results:
            assert_disclaimer({k: v for k, v in body.items() if k != "_q"})
            version_id = body["index_version"]
            assert version_id in live.editions, f"answer names an unknown version {version_id}"
            seen_versions.add(version_id)
            assert body["kind"] == "answer", body
            for citation in body["citations"]:
                chunk = _chunk_text(versions, live.index_dir, version_id, citation["chunk_id"])
                for part in citation["quote"].split(" … "):
                    assert part in chunk, (version_id, citation)
                if citation["title"] == "Library edition notes":
                    editions = {int(n) for n in re.findall(r"[Ee]dition (\d+)", citation["quote"])}
                    assert editions == {live.editions[version_id]}, (version_id, citation["quote"])
            if body["_q"] == EDITION_QUESTION:
                assert any(c["title"] == "Library edition notes" for c in body["citations"]), body
    finally:
        for v in versions.values():
            v.close()
    assert len(seen_versions) >= 3, seen_versions  # every new version answered under load


def _broken_copy(index_dir: Path, how: str) -> str:
    """A new version folder copied from the live one, then broken; returns its id."""
    live_id = read_current(index_dir)
    assert live_id is not None
    new_id = new_version_id()
    folder = Path(shutil.copytree(versions_dir(index_dir) / live_id, versions_dir(index_dir) / new_id))
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["version_id"] = new_id
    if how == "truncated FAISS file":
        faiss_file = next(folder.glob("*.faiss"))
        faiss_file.write_bytes(faiss_file.read_bytes()[: faiss_file.stat().st_size // 2])
    elif how == "manifest for another model":
        manifest["model"]["id"] = "bge-small-en-v1.5"
        manifest["model"]["sha256"] = "0" * 64
    elif how == "missing chunk store":
        (folder / "chunks.sqlite").unlink()
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    return new_id


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        ("truncated FAISS file", r"dense\.faiss"),
        ("manifest for another model", r"built with 'bge-small-en-v1\.5'.*wisdom ingest --rebuild"),
        ("missing chunk store", r"chunks\.sqlite"),
    ],
)
def test_a_broken_version_is_refused_and_the_previous_stays_live(
    live: Live, how: str, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    good = live.pipeline.index.version_id
    assert good is not None
    broken = _broken_copy(live.index_dir, how)
    write_current(live.index_dir, broken)
    with httpx.Client(base_url=live.url, timeout=60) as client:
        wait_for(lambda: (client.get("/readyz").json().get("problem") or "").startswith(f"version {broken}"),
                 "the refusal")  # fmt: skip
        ready = client.get("/readyz").json()
        assert ready["ready"] is True and ready["index_version"] == good
        assert re.search(reason, ready["problem"]), ready["problem"]

        answer = client.post("/v1/ask", json={"question": EDITION_QUESTION}).json()
        assert answer["kind"] == "answer" and answer["index_version"] == good

        # The logs say why, and /metrics counts it.
        refused = [r for r in caplog.records if r.getMessage() == "index version refused"]
        assert refused and getattr(refused[0], "version", None) == broken
        assert re.search(reason, getattr(refused[0], "reason", "")), refused[0].__dict__
        assert "wisdom_index_refusals 1.0" in client.get("/metrics").text

        # An operator's reload tries again, and says why it still refuses.
        auth = {"Authorization": f"Bearer {TOKEN}"}
        reload = client.post("/v1/admin/reload", headers=auth).json()
        assert reload["status"] == "refused" and reload["index_version"] == good
        assert re.search(reason, reload["problem"])

        # Rolling CURRENT back to the good version clears the problem.
        write_current(live.index_dir, good)
        wait_for(lambda: client.get("/readyz").json()["problem"] is None, "the problem to clear")
        assert client.post("/v1/admin/reload", headers=auth).json()["status"] == "unchanged"


def test_admin_ingest_runs_in_the_background_and_goes_live(live: Live) -> None:
    write_edition_page(live.corpus, 7)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=live.url, timeout=60) as client:
        started = client.post("/v1/admin/ingest", headers=auth, json={})
        assert started.status_code == 202, started.text
        job = started.json()
        assert job["status"] == "running"
        assert_disclaimer(job)

        def finished() -> bool:
            nonlocal job
            job = client.get(f"/v1/admin/jobs/{job['id']}", headers=auth).json()
            return bool(job["status"] != "running")

        wait_for(finished, "the ingest job", timeout=120)
        assert job["status"] == "succeeded", job
        assert job["published"] and job["report"]["chunks_embedded"] >= 1 and job["report"]["changed"] == 1
        assert job["to_embed"] == job["embedded"] == job["report"]["chunks_embedded"]
        assert live.pipeline.index.version_id == job["version_id"]
        answer = client.post("/v1/ask", json={"question": EDITION_QUESTION}).json()
        assert answer["index_version"] == job["version_id"]
        assert any("Edition 7" in c["quote"] or "edition 7" in c["quote"] for c in answer["citations"]), (
            answer
        )
        metrics = client.get("/metrics").text
        assert 'wisdom_admin_ingests_total{outcome="succeeded"} 1.0' in metrics
        assert "wisdom_ingest_duration_seconds_count 1.0" in metrics
