"""The abstention and triage knobs are settings groups (`WISDOM_ABSTENTION__<NAME>`,
`WISDOM_TRIAGE__<NAME>`) with the defaults they had; the abstention knobs' old flat names
(`WISDOM_ABSTAIN_<NAME>`) are an error that names the new one, never silently ignored."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from ingest import TransformerEmbedder
from qa_service.answer.abstention import AbstentionConfig
from qa_service.pipeline import build_pipeline
from qa_service.settings import RENAMED, Settings, settings_problem
from qa_service.triage.config import TriageConfig
from qa_service.triage.safety import SafetyTriage
from tests.conftest import wisdom_app
from tests.qa_service.cli.test_cli import assert_one_line_error, flat
from tests.qa_service.conftest import make_settings

OLD = {
    "WISDOM_ABSTAIN_MIN_SIMILARITY": "WISDOM_ABSTENTION__MIN_SIMILARITY",
    "WISDOM_ABSTAIN_MIN_SENTENCE_SCORE": "WISDOM_ABSTENTION__MIN_SENTENCE_SCORE",
    "WISDOM_ABSTAIN_ON_UNKNOWN_TERMS": "WISDOM_ABSTENTION__ON_UNKNOWN_TERMS",
    "WISDOM_ABSTAIN_MIN_CONFIDENCE": "WISDOM_ABSTENTION__MIN_CONFIDENCE",
    "WISDOM_ABSTAIN_MODEL_MIN_DOCUMENTS": "WISDOM_ABSTENTION__MODEL_MIN_DOCUMENTS",
}


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
    assert {f"WISDOM_{old.upper()}" for old in RENAMED} == set(OLD)


def test_every_group_knob_is_read_from_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in AbstentionConfig.model_fields:
        monkeypatch.setenv(f"WISDOM_ABSTENTION__{name.upper()}", "1")
    for name in TriageConfig.model_fields:
        monkeypatch.setenv(f"WISDOM_TRIAGE__{name.upper()}", "0.5")
    settings = Settings()
    assert settings.abstention.model_dump() == {
        "min_similarity": 1.0,
        "small_library_min_similarity": 1.0,
        "small_library_min_sentence_score": 1.0,
        "min_sentence_score": 1.0,
        "on_unknown_terms": True,
        "unknown_in_remarks": True,
        "rare_unknown_zipf": 1.0,
        "min_question_similarity": 1.0,
        "min_confidence": 1.0,
        "model_min_documents": 1,
    }
    assert set(settings.triage.model_dump().values()) == {0.5}


def test_a_group_knob_keeps_its_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WISDOM_TRIAGE__URGENT_WITHOUT_SIGN", "1.5")
    with pytest.raises(ValidationError) as caught:
        Settings()
    assert settings_problem(caught.value) == (
        "WISDOM_TRIAGE__URGENT_WITHOUT_SIGN: Input should be less than or equal to 1"
    )


@pytest.mark.parametrize("old", sorted(OLD))
def test_an_old_abstention_variable_is_an_error_naming_its_new_name(
    monkeypatch: pytest.MonkeyPatch, old: str
) -> None:
    monkeypatch.setenv(old, "0.5")
    with pytest.raises(ValidationError) as caught:
        Settings()
    assert settings_problem(caught.value) == (
        f"{old} was renamed {OLD[old]}; rename it in your environment or .env file"
    )


def test_an_old_variable_in_dotenv_or_lower_case_is_an_error_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("WISDOM_ABSTAIN_MIN_CONFIDENCE=0.7\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="WISDOM_ABSTAIN_MIN_CONFIDENCE was renamed"):
        Settings()  # the tests run in tmp_path, so this reads the .env above
    monkeypatch.setenv("wisdom_abstain_on_unknown_terms", "true")
    with pytest.raises(ValidationError) as caught:
        Settings()
    assert settings_problem(caught.value) == (
        "WISDOM_ABSTAIN_ON_UNKNOWN_TERMS was renamed WISDOM_ABSTENTION__ON_UNKNOWN_TERMS, "
        "WISDOM_ABSTAIN_MIN_CONFIDENCE was renamed WISDOM_ABSTENTION__MIN_CONFIDENCE; "
        "rename them in your environment or .env file"
    )


def test_an_old_name_as_an_argument_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="WISDOM_ABSTAIN_MODEL_MIN_DOCUMENTS was renamed"):
        make_settings(tmp_path, abstain_model_min_documents=0)


def test_the_error_shows_no_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WISDOM_ADMIN_TOKEN", "do-not-print-me")
    monkeypatch.setenv("WISDOM_ABSTAIN_MIN_SIMILARITY", "0.5")
    monkeypatch.setenv("WISDOM_PORT", "do-not-print-me-either")
    with pytest.raises(ValidationError) as caught:
        Settings()
    assert "do-not-print-me" not in settings_problem(caught.value)
    assert "do-not-print-me" not in str(caught.value)  # nor in a traceback


@pytest.mark.parametrize("command", [["ask", "What is CK?"], ["index", "list"], ["feedback", "report"]])
def test_the_cli_reports_an_old_variable_in_one_line(
    monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.setenv("WISDOM_ABSTAIN_MIN_SIMILARITY", "0.5")
    result = CliRunner().invoke(wisdom_app(), command)
    assert_one_line_error(
        result,
        "WISDOM_ABSTAIN_MIN_SIMILARITY was renamed WISDOM_ABSTENTION__MIN_SIMILARITY; "
        "rename it in your environment or .env file",
    )
    assert flat(result.stderr).startswith("error: WISDOM_ABSTAIN_MIN_SIMILARITY was renamed")


def test_the_triage_group_reaches_the_pipelines_triage(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, embedder: TransformerEmbedder
) -> None:
    monkeypatch.setenv("WISDOM_TRIAGE__URGENT_WITHOUT_SIGN", "0.9")
    pipeline = build_pipeline(Settings(), embedder=embedder)
    assert isinstance(pipeline.triage, SafetyTriage)
    assert pipeline.triage.config.urgent_without_sign == 0.9
    assert pipeline.triage.config == TriageConfig(urgent_without_sign=0.9)
    assert SafetyTriage(embedder).config == TriageConfig()  # no config: the defaults
