"""Every public class, function and method of ingest/, qa_service/ and eval/ says what it is for."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO


def undocumented(path: Path) -> list[str]:
    missing: list[str] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                if child.name.startswith("_"):
                    continue
                if ast.get_docstring(child) is None:
                    missing.append(f"{path.relative_to(REPO)}:{child.lineno} {prefix}{child.name}")
                if isinstance(child, ast.ClassDef):
                    visit(child, f"{prefix}{child.name}.")

    visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return missing


@pytest.mark.parametrize("package", ["ingest", "qa_service", "eval"])
def test_every_public_name_has_a_docstring(package: str) -> None:
    assert [m for path in sorted((REPO / package).rglob("*.py")) for m in undocumented(path)] == []
