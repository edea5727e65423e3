"""The abstention and triage knobs are settings groups (`WISDOM_ABSTENTION__<NAME>`,
`WISDOM_TRIAGE__<NAME>`) with the defaults they had, and the triage's reach the pipeline's
SafetyTriage."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ingest import TransformerEmbedder
from qa_service.answer.abstention import AbstentionConfig
from qa_service.pipeline import build_pipeline
from qa_service.settings import Settings
from qa_service.triage.config import TriageConfig
from qa_service.triage.safety import SafetyTriage


def test_the_groups_keep_the_flat_settings_defaults() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.abstention == AbstentionConfig(
        min_similarity=0.45,
        min_sentence_score=0.50,
        on_unknown_terms=False,
        min_confidence=0.5,
        model_min_documents=1000,
    )
    assert settings.triage == TriageConfig(
        refer_similarity=0.80, out_of_scope_similarity=0.70, margin=0.05, urgent_without_sign=0.85
    )


def test_every_group_knob_is_read_from_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in AbstentionConfig.model_fields:
        monkeypatch.setenv(f"WISDOM_ABSTENTION__{name.upper()}", "1")
    for name in TriageConfig.model_fields:
        monkeypatch.setenv(f"WISDOM_TRIAGE__{name.upper()}", "0.5")
    settings = Settings()
    assert settings.abstention.model_dump() == {
        "min_similarity": 1.0,
        "min_sentence_score": 1.0,
        "on_unknown_terms": True,
        "min_confidence": 1.0,
        "model_min_documents": 1,
    }
    assert set(settings.triage.model_dump().values()) == {0.5}


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
