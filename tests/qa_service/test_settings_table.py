"""The README's configuration table is what scripts/settings_table.py prints from the settings."""

from __future__ import annotations

import pytest

from scripts.settings_table import settings_rows, settings_table
from tests.conftest import REPO

HEADER = "| variable | default | what it does |"


def readme_table() -> str:
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(HEADER)
    table = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        table.append(line)
    return "\n".join(table)


def test_readme_settings_table_is_generated_from_the_settings() -> None:
    assert readme_table() == settings_table(), (
        "README.md's configuration table is out of date. Regenerate it with: "
        ".venv/bin/python scripts/settings_table.py"
    )


def test_table_lists_every_setting_with_its_description() -> None:
    from qa_service.answer.abstention import AbstentionConfig
    from qa_service.answer.generate import GeneratorConfig
    from qa_service.answer.retrieval_config import RetrievalConfig
    from qa_service.settings import Settings
    from qa_service.triage.config import TriageConfig

    groups = (RetrievalConfig, GeneratorConfig, AbstentionConfig, TriageConfig)

    table = settings_table().splitlines()
    assert table[0] == HEADER
    rows = list(settings_rows())
    assert {variable for variable, _ in rows} >= {f"WISDOM_{name.upper()}" for name in Settings.model_fields}
    variables = {variable for variable, _ in rows}
    assert {"WISDOM_RETRIEVAL__RRF_K", "WISDOM_ABSTENTION__MIN_SIMILARITY"} <= variables
    assert "WISDOM_TRIAGE__URGENT_WITHOUT_SIGN" in variables
    assert not any(variable.startswith("WISDOM_ABSTAIN_") for variable in variables)
    assert len(table) == 2 + len(rows)
    for row, (variable, field) in zip(table[2:], rows, strict=True):
        default = field.default
        empty = (default.get_secret_value() if hasattr(default, "get_secret_value") else str(default)) == ""
        shown = "(group) |" if field.default_factory in groups else "`"
        assert row.startswith(f"| `{variable}` | " + ("(empty) |" if empty else shown))
        assert field.description and row.endswith(f" | {field.description} |")


def test_a_nested_setting_is_read_from_its_double_underscore_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from qa_service.settings import Settings

    monkeypatch.setenv("WISDOM_RETRIEVAL__RRF_K", "30")
    monkeypatch.setenv("WISDOM_GENERATION__MAX_WORDS", "150")
    monkeypatch.setenv("WISDOM_ABSTENTION__MIN_SIMILARITY", "0.5")
    monkeypatch.setenv("WISDOM_TRIAGE__MARGIN", "0.1")
    settings = Settings()
    assert settings.retrieval.rrf_k == 30
    assert settings.retrieval.candidates == 50  # the rest of the group keeps its defaults
    assert settings.generation.max_words == 150
    assert settings.abstention.min_similarity == 0.5
    assert settings.abstention.min_sentence_score == 0.50
    assert settings.triage.margin == 0.1
    assert settings.triage.urgent_without_sign == 0.85
