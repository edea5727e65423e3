"""Shared fixtures: the real bundled embedding model, loaded once, and paths to shared data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from ingest import TransformerEmbedder

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
MEDQUAD = REPO.parent / "shared" / "data" / "medquad"


@pytest.fixture(scope="session")
def embedder() -> TransformerEmbedder:
    """The real bundled all-MiniLM-L6-v2, fp32/bf16 as the CPU allows."""
    return TransformerEmbedder()


@pytest.fixture(scope="session")
def medquad() -> Path:
    if not (MEDQUAD / "corpus.jsonl").is_file():
        pytest.skip(f"MedQuAD data not found at {MEDQUAD}; these tests need ../shared/data/medquad")
    return MEDQUAD


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's .env or writes into ./index."""
    from qa_service.settings import get_settings

    monkeypatch.setenv("WISDOM_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
