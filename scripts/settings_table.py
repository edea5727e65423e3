"""Print the README's configuration table from the settings' own descriptions.

.venv/bin/python scripts/settings_table.py > /tmp/table.md   (tests/qa_service checks the README)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from qa_service.settings import REPO, Settings


def _group(field: FieldInfo) -> type[BaseModel] | None:
    group = field.annotation
    return group if isinstance(group, type) and issubclass(group, BaseModel) else None


def settings_rows() -> Iterator[tuple[str, FieldInfo]]:
    """(environment variable, field) for every setting, a group's fields after the group's own row."""
    for name, field in Settings.model_fields.items():
        yield f"WISDOM_{name.upper()}", field
        group = _group(field)
        if group is not None:
            for sub, sub_field in group.model_fields.items():
                yield f"WISDOM_{name.upper()}__{sub.upper()}", sub_field


def settings_table() -> str:
    lines = ["| variable | default | what it does |", "|---|---|---|"]
    for variable, field in settings_rows():
        default = field.default
        if isinstance(default, Path) and default.is_absolute():
            default = Path(os.path.relpath(default, REPO))
        if isinstance(default, list):
            default = [str(item) for item in default]
        if hasattr(default, "get_secret_value"):
            default = default.get_secret_value()
        shown = f"`{default}`" if str(default) != "" else "(empty)"
        if _group(field) is not None:
            shown = "(group)"
        if isinstance(field.json_schema_extra, dict) and "shown_default" in field.json_schema_extra:
            shown = f"`{field.json_schema_extra['shown_default']}`"  # computed on the machine
        lines.append(f"| `{variable}` | {shown} | {field.description} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(settings_table())
