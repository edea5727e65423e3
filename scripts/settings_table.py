"""Print the README's configuration table from the settings' own descriptions.

.venv/bin/python scripts/settings_table.py > /tmp/table.md   (tests/qa_service checks the README)
"""

from __future__ import annotations

from qa_service.settings import Settings


def settings_table() -> str:
    lines = ["| variable | default | what it does |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = field.default
        if isinstance(default, list):
            default = [str(item) for item in default]
        if hasattr(default, "get_secret_value"):
            default = default.get_secret_value()
        shown = f"`{default}`" if str(default) != "" else "(empty)"
        lines.append(f"| `WISDOM_{name.upper()}` | {shown} | {field.description} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(settings_table())
