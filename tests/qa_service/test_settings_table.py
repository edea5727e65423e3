"""The README's configuration table is what scripts/settings_table.py prints from the settings."""

from __future__ import annotations

from scripts.settings_table import settings_table
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
    from qa_service.settings import Settings

    table = settings_table().splitlines()
    assert table[0] == HEADER
    assert len(table) == 2 + len(Settings.model_fields)
    for row, (name, field) in zip(table[2:], Settings.model_fields.items(), strict=True):
        default = field.default
        empty = (default.get_secret_value() if hasattr(default, "get_secret_value") else str(default)) == ""
        assert row.startswith(f"| `WISDOM_{name.upper()}` | " + ("(empty) |" if empty else "`"))
        assert field.description and row.endswith(f" | {field.description} |")
