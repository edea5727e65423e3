"""Modules stay readable: none of ingest/, qa_service/ or eval/ over 400 lines, no function over
80 (DESIGN.md: "a module does one job; 100–400 lines is a good size"). The web page's script
(qa_service/http/static/) is not Python and is not counted."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGES = ("ingest", "qa_service", "eval")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def modules() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (REPO / package).rglob("*.py")
        if "static" not in path.relative_to(REPO).parts
    )


def long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = (node.end_lineno or node.lineno) - first + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_the_check_sees_every_package() -> None:
    seen = {path.relative_to(REPO).parts[0] for path in modules()}
    assert seen == set(PACKAGES)


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_module_is_over_400_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(REPO)} has {lines} lines; split it by job"


def test_no_function_is_over_80_lines() -> None:
    assert [problem for path in modules() for problem in long_functions(path)] == []
