"""Imports go one way: eval → qa_service → ingest (DESIGN.md), with no exception for the CLI.
Every import statement of every module is read, at any depth (inside functions and
TYPE_CHECKING blocks too), so a lazy import cannot hide an upward one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qa_service.cli.main import add_commands
from tests.conftest import REPO, declared_commands

ALLOWED: dict[str, set[str]] = {
    "ingest": set(),
    "prompts": set(),
    "qa_service": {"ingest", "prompts"},
    "eval": {"qa_service", "ingest", "prompts"},
}


def imported_packages(path: Path) -> set[str]:
    """The top-level names of every module `path` imports (relative imports stay in the package)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def upward_imports(package: str) -> list[str]:
    ours = set(ALLOWED)
    problems = []
    for path in sorted((REPO / package).rglob("*.py")):
        for name in sorted(imported_packages(path) & (ours - {package} - ALLOWED[package])):
            problems.append(f"{path.relative_to(REPO)} imports {name}")
    return problems


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_no_module_imports_a_layer_above_its_own(package: str) -> None:
    assert upward_imports(package) == []


def test_the_check_sees_an_import_hidden_inside_a_function(tmp_path: Path) -> None:
    module = tmp_path / "lazy.py"
    module.write_text("def run():\n    from eval import cli\n    import qa_service.pipeline\n")
    assert imported_packages(module) == {"eval", "qa_service"}


def test_eval_is_added_to_wisdom_from_its_entry_point_not_by_qa_service() -> None:
    import typer

    app = typer.Typer(no_args_is_help=True)

    @app.command()
    def ask() -> None:
        """Answer one question."""

    assert [e.name for e in declared_commands()] == ["eval"]
    add_commands(app, declared_commands())
    add_commands(app, declared_commands())  # once, however often it is asked
    assert [g.name for g in app.registered_groups] == ["eval"]
    result = CliRunner().invoke(app, ["eval", "suites"])
    assert result.exit_code == 0, result.output
    assert "medquad-gate" in result.output
