"""Fixtures for the qa_service tests: one shared `Pipeline` over the corpus index (`qa_index`, in
tests/conftest.py, which tests/eval uses too), and real uvicorn servers on loopback that httpx (and
the openai client) talk to.

Session fixtures use absolute paths: tests/conftest.py changes into a fresh tmp_path for every test.
The helpers at the bottom hold the checks several test modules share, above all `assert_grounded`:
every quote of an answer is found, verbatim, in the chunk it cites.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

import prompts
from ingest import TransformerEmbedder
from qa_service.http.app import create_app
from qa_service.pipeline import Pipeline, build_pipeline, pin_threads
from qa_service.settings import Settings
from tests.conftest import CORPUS_PAGES  # noqa: F401  (re-exported for the tests of this folder)


def make_settings(index_dir: Path, **overrides: Any) -> Settings:
    """Settings for a test: no .env file, an absolute index folder, defaults otherwise, except
    that rate limiting is off unless asked for (the shared server takes every test's requests
    from one address; test_security.py tests the limit on servers of its own), and ratings go
    beside the index, not into the working directory."""
    overrides.setdefault("rate_limit_per_minute", 0)
    overrides.setdefault("feedback_db", index_dir.parent / "feedback.sqlite3")  # not in the checkout
    return Settings(_env_file=None, index_dir=index_dir, **overrides)  # type: ignore[call-arg]


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run `app` under uvicorn in a background thread on a free loopback port; yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        http="h11",
        ws="none",
        lifespan="on",
        log_config=None,
        # Long enough that a client thread starved of CPU by a test's in-process ingest never
        # reuses a connection at the instant the server closes it as idle (a reset, not a failure
        # of the service).
        timeout_keep_alive=60,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"uvicorn-{port}")
    thread.daemon = True
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if not thread.is_alive():
                raise RuntimeError("the test server exited during startup")
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the test server did not answer /healthz within 60 s")
            time.sleep(0.05)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


@pytest.fixture(scope="session")
def shared_pipeline(qa_index: Path, embedder: TransformerEmbedder) -> Pipeline:
    """One pipeline over the corpus index, shared by every test and by the test server."""
    pin_threads(1)  # as `wisdom serve` does (WISDOM_SERVICE_THREADS)
    pipeline = build_pipeline(make_settings(qa_index), embedder=embedder)
    pipeline.index.get()
    return pipeline


@pytest.fixture(scope="session")
def base_url(shared_pipeline: Pipeline) -> Iterator[str]:
    """A real HTTP server for `create_app(pipeline=shared_pipeline)`."""
    with serve(create_app(pipeline=shared_pipeline)) as url:
        yield url


@pytest.fixture(scope="session")
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=120) as c:
        yield c


@pytest.fixture(scope="session")
def empty_pipeline(tmp_path_factory: pytest.TempPathFactory, embedder: TransformerEmbedder) -> Pipeline:
    """A pipeline over an index folder where nothing was ever ingested."""
    return build_pipeline(make_settings(tmp_path_factory.mktemp("empty") / "index"), embedder=embedder)


@pytest.fixture(scope="session")
def empty_client(empty_pipeline: Pipeline) -> Iterator[httpx.Client]:
    """A second server, over the empty index: questions that need the library get 503."""
    with serve(create_app(pipeline=empty_pipeline)) as url, httpx.Client(base_url=url, timeout=120) as c:
        yield c


# --- shared checks -------------------------------------------------------------------------------


def assert_disclaimer(body: dict[str, Any]) -> None:
    """The body carries the real, non-empty disclaimer."""
    expected = prompts.disclaimer()
    assert expected.strip()
    assert body.get("disclaimer") == expected, body


def assert_error(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """A JSON error with a message and the disclaimer; returns the body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == {"error", "message", "disclaimer"}, body
    if code is not None:
        assert body["error"] == code
    assert body["message"].strip()
    assert "Traceback" not in body["message"]
    assert_disclaimer(body)
    return body


def ask(client: httpx.Client, question: str, **extra: Any) -> dict[str, Any]:
    response = client.post("/v1/ask", json={"question": question, **extra})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert_disclaimer(body)
    return body


def flat(text: str) -> str:
    return " ".join(text.split())


def lead_in_topic(text: str) -> str | None:
    """The topic named by the answer's lead-in line (after the safety-net line, if any), or None for
    the generic lead-in."""
    first = text.partition("\n\n")[0]
    if first == prompts.message("lead_in_generic"):
        return None
    assert prompts.is_lead_in(first), f"no lead-in: {first!r}"
    titles = re.findall(r"\u201c([^\u201d]+)\u201d", first)
    assert titles, f"a lead-in that names no page: {first!r}"
    return titles[0]


def answer_body(answer: dict[str, Any]) -> str:
    """The cited part of an answer: after the refer message (if any), the safety-net line (if
    any) and the lead-in line (an answer has one; a referral has its own preamble instead)."""
    text: str = answer["text"]
    if answer["kind"] == "refer":
        prefix = prompts.message("refer.dosing") + "\n\n"
        assert text.startswith(prefix), text
        text = text[len(prefix) :]
    head, sep, last = text.rpartition("\n\n")
    if sep and prompts.is_safety_net(last):
        text = head  # the safety-net line closes the reply
    if answer["kind"] == "refer":
        assert lead_in_topic_or_none(text) is None, f"two preambles: {text[:200]!r}"
        return text
    lead_in_topic(text)
    return text.split("\n\n", 1)[1]


def lead_in_topic_or_none(text: str) -> str | None:
    """The lead-in's topic if `text` opens with a lead-in line, else None."""
    try:
        return lead_in_topic(text) or "(generic)"
    except AssertionError:
        return None


def words(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9']+", re.sub(r"\[\d+\]", " ", text)))


def assert_grounded(client: httpx.Client, pipeline: Pipeline, answer: dict[str, Any]) -> None:
    """Markers and citations agree; every quote is verbatim in the answer, in the cited page and in
    the cited chunk of the live index (by the chunk's document offsets)."""
    assert answer["kind"] in ("answer", "refer")
    body = answer_body(answer)
    citations = answer["citations"]
    assert citations, answer
    numbers = [c["n"] for c in citations]
    assert numbers == list(range(1, len(citations) + 1))
    assert {int(n) for n in re.findall(r"\[(\d+)\]", body)} == set(numbers)
    assert 20 <= words(body) <= 200, body
    version = pipeline.index.get().version
    assert answer["index_version"] == version.version_id
    documents: dict[str, dict[str, Any]] = {}
    for c in citations:
        doc = documents.get(c["doc_id"])
        if doc is None:
            response = client.get(f"/v1/documents/{c['doc_id']}")
            assert response.status_code == 200, response.text
            doc = documents[c["doc_id"]] = response.json()
        assert c["title"] == doc["title"]
        chunk = version.store.chunk_by_id(c["chunk_id"])
        assert chunk is not None, f"citation [{c['n']}] names chunk {c['chunk_id']} not in the live index"
        assert (chunk.doc_id, chunk.section) == (c["doc_id"], c["section"])
        chunk_text = doc["text"][chunk.start : chunk.end]
        parts = c["quote"].split(" … ")
        # The text the marker [n] closes: the passage's span, list bullets removed.
        pieces = re.split(r"\s*\[(\d+)\]", body)
        cited = " ".join(
            flat(re.sub(r"(?m)^\s*-\s+", "", pieces[i]))
            for i in range(0, len(pieces) - 1, 2)
            if pieces[i + 1] == str(c["n"])
        )
        at = 0
        for part in parts:
            assert part.strip(), c
            assert part in doc["text"], f"[{c['n']}] quote not in {c['doc_id']}: {part!r}"
            assert part in chunk_text, f"[{c['n']}] quote not in chunk {c['chunk_id']}: {part!r}"
            found = cited.find(flat(part), at)
            assert found >= 0, f"[{c['n']}] quote not in the answer before its marker: {part!r}"
            at = found + len(flat(part))


def parse_sse(raw: str) -> list[tuple[str, str]]:
    """(event, data) pairs of a Server-Sent Events body; comments (pings) are left out."""
    events = []
    for block in re.split(r"\r\n\r\n|\n\n|\r\r", raw):
        name, data = "message", []
        for line in re.split(r"\r\n|\n|\r", block):
            if not line or line.startswith(":"):
                continue
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)
        if data:
            events.append((name, "\n".join(data)))
    return events


@dataclass(frozen=True)
class Stream:
    status: int
    content_type: str
    events: list[tuple[str, str]]

    def names(self) -> list[str]:
        return [name for name, _ in self.events]

    def data(self, name: str) -> list[Any]:
        return [json.loads(data) for n, data in self.events if n == name]


def post_stream(client: httpx.Client, path: str, body: dict[str, Any]) -> Stream:
    """POST and read a whole event stream with httpx's streaming API."""
    with client.stream("POST", path, json=body) as response:
        raw = "".join(response.iter_text())
        return Stream(response.status_code, response.headers.get("content-type", ""), parse_sse(raw))
