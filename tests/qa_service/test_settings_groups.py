"""The safety triage's knobs are a settings group (`WISDOM_TRIAGE__<NAME>`) with the defaults
TriageConfig had, and they reach the pipeline's SafetyTriage."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ingest import TransformerEmbedder
from qa_service.pipeline import build_pipeline
from qa_service.settings import Settings
from qa_service.triage.config import TriageConfig
from qa_service.triage.safety import SafetyTriage


def test_the_triage_group_keeps_its_defaults() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.triage == TriageConfig(
        refer_similarity=0.80, out_of_scope_similarity=0.70, margin=0.05, urgent_without_sign=0.85
    )


def test_a_group_knob_keeps_its_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WISDOM_TRIAGE__URGENT_WITHOUT_SIGN", "1.5")
    with pytest.raises(ValidationError, match="less than or equal to 1"):
        Settings()


def test_the_triage_group_reaches_the_pipelines_triage(
    monkeypatch: pytest.MonkeyPatch, embedder: TransformerEmbedder
) -> None:
    monkeypatch.setenv("WISDOM_TRIAGE__URGENT_WITHOUT_SIGN", "0.9")
    pipeline = build_pipeline(Settings(), embedder=embedder)
    assert isinstance(pipeline.triage, SafetyTriage)
    assert pipeline.triage.config.urgent_without_sign == 0.9
    assert pipeline.triage.config == TriageConfig(urgent_without_sign=0.9)
    assert SafetyTriage(embedder).config == TriageConfig()  # no config: the defaults
