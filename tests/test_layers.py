"""Imports go one way: eval → qa_service → ingest (DESIGN.md), with no exception for the CLI.
Inside qa_service they follow a question's path: cli → http → the top-level modules (pipeline,
settings, models, ...) → the stages triage and answer, which never import each other.
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


# The groups inside qa_service and which others each may import ("top" is a module directly in
# qa_service/). The top level may import the stages: the pipeline runs them and settings holds
# their config classes (GeneratorConfig, RetrievalConfig). The stages may import the top level
# (models' Citation; langchain_adapter wraps the Pipeline), never each other, http or cli.
GROUPS: dict[str, set[str]] = {
    "triage": {"top"},
    "answer": {"top"},
    "top": {"triage", "answer"},
    "http": {"top", "triage", "answer"},
    "cli": {"top", "triage", "answer", "http"},
}


def group_of(module: str) -> str:
    """The group of a dotted name inside qa_service: its subpackage, or "top"."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in GROUPS else "top"


def qa_service_imports(path: Path, module: str) -> set[str]:
    """The dotted qa_service names `path` (the module `module`) imports, relative imports resolved."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".")[: -node.level]
                base = ".".join([*package, base] if base else package)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] == "qa_service"}


def group_violations(root: Path) -> list[str]:
    """Imports between qa_service's groups that GROUPS does not allow, for the tree under `root`."""
    problems = []
    for path in sorted((root / "qa_service").rglob("*.py")):
        relative = path.relative_to(root)
        module = ".".join(relative.with_suffix("").parts)
        source = group_of(module)
        for name in sorted(qa_service_imports(path, module)):
            target = group_of(name)
            if target != source and target not in GROUPS[source]:
                problems.append(f"{relative} ({source}) imports {name} ({target})")
    return problems


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_no_module_imports_a_layer_above_its_own(package: str) -> None:
    assert upward_imports(package) == []


def test_the_check_sees_an_import_hidden_inside_a_function(tmp_path: Path) -> None:
    module = tmp_path / "lazy.py"
    module.write_text("def run():\n    from eval import cli\n    import qa_service.pipeline\n")
    assert imported_packages(module) == {"eval", "qa_service"}


def test_the_groups_inside_qa_service_import_only_downwards() -> None:
    assert {path.name for path in (REPO / "qa_service").iterdir() if (path / "__init__.py").is_file()} == (
        set(GROUPS) - {"top"}
    )
    assert group_violations(REPO) == []


def test_the_group_check_sees_a_hidden_or_relative_import(tmp_path: Path) -> None:
    triage = tmp_path / "qa_service" / "triage"
    triage.mkdir(parents=True)
    (triage / "lazy.py").write_text(
        "from qa_service.models import Answer\n"
        "from . import rules\n"
        "def run():\n"
        "    from qa_service.http.app import create_app\n"
        "    from ..answer import retrieval\n"
    )
    (tmp_path / "qa_service" / "settings.py").write_text("import qa_service.cli.main\n")
    assert group_violations(tmp_path) == [
        "qa_service/settings.py (top) imports qa_service.cli.main (cli)",
        "qa_service/triage/lazy.py (triage) imports qa_service.answer.retrieval (answer)",
        "qa_service/triage/lazy.py (triage) imports qa_service.http.app.create_app (http)",
    ]


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
