"""/healthz, /readyz, /v1/index and /v1/documents/{doc_id} against the live corpus index."""

from __future__ import annotations

import re

import httpx

from qa_service.pipeline import Pipeline
from tests.qa_service.conftest import CORPUS_PAGES, assert_disclaimer


def test_healthz(client: httpx.Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert_disclaimer(body)


def test_readyz_names_the_live_version_and_its_counts(
    client: httpx.Client, shared_pipeline: Pipeline
) -> None:
    body = client.get("/readyz").json()
    version = shared_pipeline.index.get().version
    n_chunks = version.store.count_chunks()
    assert body["ready"] is True
    assert body["index_version"] == version.version_id
    assert body["documents"] == len(CORPUS_PAGES) == 56
    assert body["chunks"] == n_chunks > len(CORPUS_PAGES)
    assert body["problem"] is None


def test_readyz_without_an_index_says_what_to_do(empty_client: httpx.Client) -> None:
    response = empty_client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["ready"] is False and body["index_version"] is None
    assert "Run: wisdom ingest" in body["problem"]
    assert_disclaimer(body)


def test_healthz_without_an_index_is_still_ok(empty_client: httpx.Client) -> None:
    assert empty_client.get("/healthz").json()["status"] == "ok"


def test_index_manifest(client: httpx.Client, shared_pipeline: Pipeline) -> None:
    response = client.get("/v1/index")
    assert response.status_code == 200
    manifest = response.json()
    assert manifest["version_id"] == shared_pipeline.index.version_id
    assert manifest["counts"]["documents"] == len(CORPUS_PAGES)
    assert manifest["model"]["id"] == shared_pipeline.embedder.model_id
    assert manifest["model"]["sha256"] == shared_pipeline.embedder.weights_sha256()
    assert "chunks.sqlite" in manifest["files"]
    assert_disclaimer(manifest)


def headings(markdown: str) -> list[tuple[str, int]]:
    """(heading, level) of the ## and deeper headings of a page, in order."""
    return [(m.group(2).strip(), len(m.group(1))) for m in re.finditer(r"(?m)^(#{2,6})\s+(.+)$", markdown)]


def test_document_lists_the_sections_of_the_page(client: httpx.Client) -> None:
    response = client.get("/v1/documents/dermatomyositis")
    assert response.status_code == 200
    doc = response.json()
    source = (CORPUS_PAGES[0].parent / "dermatomyositis.md").read_text(encoding="utf-8")
    assert doc["doc_id"] == "dermatomyositis"
    assert doc["title"] == "Dermatomyositis"
    assert doc["kind"] == "editorial"
    assert "DM" in doc["aliases"]
    assert doc["reviewed"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc["reviewed"])
    assert doc["sources"] and all(s["name"] and s["url"].startswith("https://") for s in doc["sources"])
    sections = [(s["heading"], s["level"]) for s in doc["sections"]]
    assert sections == headings(source)
    assert sections[:3] == [("What is it?", 2), ("Signs & symptoms", 2), ("Skin signs", 3)]
    treatment = next(s for s in doc["sections"] if s["heading"] == "Treatment")
    assert "Dermatomyositis is treated with medicines" in treatment["text"]
    assert "## Outlook" not in treatment["text"]
    for section in doc["sections"]:
        assert section["text"] in doc["text"]
    assert "title: Dermatomyositis" not in doc["text"]  # front matter is not part of the text
    assert_disclaimer(doc)


def test_every_corpus_page_can_be_fetched(client: httpx.Client) -> None:
    for page in CORPUS_PAGES:
        response = client.get(f"/v1/documents/{page.stem}")
        assert response.status_code == 200, page.stem
        doc = response.json()
        assert doc["sections"], page.stem
        assert doc["text"].strip()
