"""Print the README's configuration table from the settings' own descriptions.

.venv/bin/python scripts/settings_table.py > /tmp/table.md   (tests/qa_service checks the README)
"""

from __future__ import annotations

import os
from pathlib import Path

from qa_service.settings import REPO, Settings


def settings_table() -> str:
    lines = ["| variable | default | what it does |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = field.default
        if isinstance(default, Path) and default.is_absolute():
            default = Path(os.path.relpath(default, REPO))
        if isinstance(default, list):
            default = [str(item) for item in default]
        if hasattr(default, "get_secret_value"):
            default = default.get_secret_value()
        shown = f"`{default}`" if str(default) != "" else "(empty)"
        if isinstance(field.json_schema_extra, dict) and "shown_default" in field.json_schema_extra:
            shown = f"`{field.json_schema_extra['shown_default']}`"  # computed on the machine
        lines.append(f"| `WISDOM_{name.upper()}` | {shown} | {field.description} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(settings_table())
