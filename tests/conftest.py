"""Shared fixtures: the real bundled embedding model, loaded once, the corpus/ index built once with
it, and paths to shared data."""

from __future__ import annotations

import os
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import typer

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# The suite embeds in one dtype everywhere (fixtures, the CLI, the servers it starts): fp32 in ONNX
# Runtime gives torch's vectors to ~1e-6 on any CPU, so answers and their scores do not depend on
# the path `auto` measured fastest on the machine running the tests (int8's vectors differ slightly
# between AVX2 and AVX-512 VNNI kernels: on a Zen 5, "What is a stroke?" then falls 0.01 under the
# sentence floor). `auto`, the probe and each path have their own tests
# (tests/ingest/test_embedder_backends.py); tests that clear WISDOM_* run `auto`.
os.environ.setdefault("WISDOM_EMBEDDING_DTYPE", "fp32")

from ingest import IngestConfig, TransformerEmbedder, run_ingest
from ingest.loaders import IGNORED_NAMES
from qa_service.settings import Settings

TEST_DTYPE = os.environ["WISDOM_EMBEDDING_DTYPE"]
REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
MEDQUAD = Settings().eval_medquad_dir  # WISDOM_EVAL_MEDQUAD_DIR, else ../shared/data/medquad
CORPUS_PAGES = sorted(p for p in CORPUS.glob("*.md") if p.name.lower() not in IGNORED_NAMES)


@pytest.fixture(scope="session")
def embedder() -> TransformerEmbedder:
    """The real bundled all-MiniLM-L6-v2, in the suite's dtype (`TEST_DTYPE`)."""
    return TransformerEmbedder(dtype=TEST_DTYPE)


@pytest.fixture(scope="session")
def qa_index(tmp_path_factory: pytest.TempPathFactory, embedder: TransformerEmbedder) -> Path:
    """corpus/ ingested once (30-40 s) into an absolute index folder. Do not modify."""
    index_dir = tmp_path_factory.mktemp("qa-index") / "index"
    report = run_ingest([CORPUS], IngestConfig(index_dir=index_dir), embedder)
    assert report.published and report.version_id
    assert report.documents == len(CORPUS_PAGES)
    return index_dir


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


def declared_commands() -> list[metadata.EntryPoint]:
    """The `wisdom.commands` entry points pyproject.toml declares: what an install of this checkout
    registers, even when the environment's installed metadata is older."""
    table = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    group = table["project"]["entry-points"]["wisdom.commands"]
    return [metadata.EntryPoint(name, value, "wisdom.commands") for name, value in group.items()]


def wisdom_app() -> typer.Typer:
    """The whole `wisdom` command as `main()` assembles it: qa_service's app plus the sub-apps."""
    from qa_service.cli.main import add_commands, app

    add_commands(app, declared_commands())
    return app
