"""The `wisdom` command. Errors are one clear line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ingest import IngestError, NoIndexError, run_ingest, store
from qa_service.cli.console import RichReporter as _RichReporter
from qa_service.cli.console import build_embedder, console, out, print_report
from qa_service.cli.console import fail as _fail
from qa_service.cli.console import load_settings as _settings
from qa_service.cli.feedback import feedback_app

COMMANDS_GROUP = "wisdom.commands"
"""Entry-point group of the sub-apps other packages add (`eval`, see pyproject.toml)."""

app = typer.Typer(help="Alike Wisdom: cited answers from a curated medical library.", no_args_is_help=True)
index_app = typer.Typer(help="List, inspect, roll back and prune index versions.", no_args_is_help=True)
app.add_typer(index_app, name="index")
app.add_typer(feedback_app, name="feedback")

IndexDir = Annotated[
    Path | None,
    typer.Option("--index-dir", help="Index folder (default: WISDOM_INDEX_DIR or ./index)."),
]

__all__ = ["app", "build_embedder", "console", "main", "out", "print_report"]


def add_commands(target: typer.Typer, entry_points: Iterable[metadata.EntryPoint] | None = None) -> None:
    """Add the sub-apps declared in the `wisdom.commands` entry-point group (each a `typer.Typer`,
    named by its entry point) to `target`, once each. Tests pass the entry points in."""
    found = metadata.entry_points(group=COMMANDS_GROUP) if entry_points is None else entry_points
    present = {group.name for group in target.registered_groups}
    for entry_point in found:
        if entry_point.name not in present:
            target.add_typer(entry_point.load(), name=entry_point.name)
            present.add(entry_point.name)


@app.command()
def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: corpus/).")] = None,
    index_dir: IndexDir = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-embed everything.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Fail if any file has a problem.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Build a new index version from documents and make it live."""
    settings = _settings(index_dir)
    embedder = build_embedder(settings)
    try:
        report = run_ingest(
            paths or settings.corpus_paths,
            settings.ingest_config(strict=strict, rebuild=rebuild),
            embedder,
            _RichReporter(quiet or as_json),
        )
    except IngestError as exc:
        _fail(str(exc))
        return
    if as_json:
        data = {k: v for k, v in report.__dict__.items() if k != "problems"}
        data["problems"] = [str(p) for p in report.problems]
        out.print_json(json.dumps(data))
    else:
        print_report(report)


@index_app.command("list")
def index_list(index_dir: IndexDir = None) -> None:
    """Index versions, oldest first; the live one is marked."""
    settings = _settings(index_dir)
    versions = store.list_versions(settings.index_dir)
    if not versions:
        _fail(f"no index versions in {settings.index_dir}. Run: wisdom ingest")
    table = Table("live")
    table.add_column("version", no_wrap=True, min_width=30)
    for name in ("created", "documents", "chunks", "model", "status"):
        table.add_column(name)
    for v in versions:
        m = v.manifest
        table.add_row(
            "*" if v.live else "",
            v.version_id,
            v.created,
            str(m.counts.documents) if m else "?",
            str(m.counts.chunks) if m else "?",
            m.model.id if m else "?",
            v.problem or "ok",
        )
    out.print(table)


@index_app.command("show")
def index_show(
    version: Annotated[str | None, typer.Argument(help="Version id (default: the live one).")] = None,
    index_dir: IndexDir = None,
) -> None:
    """Print a version's manifest."""
    settings = _settings(index_dir)
    version = version or store.read_current(settings.index_dir)
    if version is None:
        _fail(f"no live index in {settings.index_dir}. Run: wisdom ingest")
        return
    try:
        folder = store.versions_dir(settings.index_dir) / version
        if not folder.is_dir():
            known = ", ".join(v.version_id for v in store.list_versions(settings.index_dir)) or "none"
            raise NoIndexError(f"no index version {version!r}; known versions: {known}")
        manifest = store.read_manifest(folder)
    except IngestError as exc:
        _fail(str(exc))
        return
    out.print_json(manifest.model_dump_json())


@index_app.command("rollback")
def index_rollback(
    version: Annotated[str, typer.Argument(help="Version id to make live.")],
    index_dir: IndexDir = None,
) -> None:
    """Make an earlier version live again."""
    settings = _settings(index_dir)
    try:
        store.rollback(settings.index_dir, version)
    except IngestError as exc:
        _fail(str(exc))
    out.print(f"Version {version} is live.")


@index_app.command("prune")
def index_prune(
    keep: Annotated[int, typer.Option("--keep", min=1, help="How many newest versions to keep.")],
    index_dir: IndexDir = None,
) -> None:
    """Delete old versions (the live one is always kept)."""
    settings = _settings(index_dir)
    removed = store.prune(settings.index_dir, keep)
    out.print(f"Removed {len(removed)} version(s)" + (": " + ", ".join(removed) if removed else "."))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address (default: WISDOM_HOST or 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: WISDOM_PORT or 8000).")] = None,
    index_dir: IndexDir = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
    workers: Annotated[
        int | None, typer.Option(min=1, max=64, help="Worker processes (default: WISDOM_WORKERS or 1).")
    ] = None,
) -> None:
    """Serve the API and the web chat."""
    import uvicorn

    from qa_service.feedback import FeedbackStore, FeedbackUnavailable
    from qa_service.http.app import create_app
    from qa_service.observability import logging_config
    from qa_service.pipeline import pin_threads

    settings = _settings(index_dir)
    if store.read_current(settings.index_dir) is None:
        console.print(
            f"[yellow]warning:[/] no index in {settings.index_dir}; answers will say to run "
            "`wisdom ingest` until one is published."
        )
    try:  # the feedback database is created at start; say plainly if it cannot be
        FeedbackStore(settings.feedback_db).open()
    except FeedbackUnavailable as exc:
        _fail(str(exc))
    log_config = logging_config(settings.log_format, log_level)
    workers = workers or settings.workers
    if workers > 1:
        # Each worker is its own process (model and index loaded once per worker); they read
        # their settings from the environment, so pass the index folder on through it.
        os.environ["WISDOM_INDEX_DIR"] = str(settings.index_dir.resolve())
        uvicorn.run(
            "qa_service.http.app:create_worker_app",
            factory=True,
            host=host or settings.host,
            port=port or settings.port,
            log_level=log_level,
            log_config=log_config,
            workers=workers,
        )
        return
    pin_threads(settings.service_threads)
    uvicorn.run(
        create_app(settings=settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level=log_level,
        log_config=log_config,
    )


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    index_dir: IndexDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the Answer as JSON.")] = False,
    k: Annotated[int, typer.Option(min=1, max=20, help="Passages to draw from.")] = 5,
) -> None:
    """Answer one question from the live index."""
    from pydantic import ValidationError

    from qa_service.models import AskRequest
    from qa_service.pipeline import NoIndexAvailable, build_pipeline, pin_threads

    settings = _settings(index_dir)
    try:
        request = AskRequest(question=question, k=k)
    except ValidationError as exc:
        _fail(exc.errors()[0]["msg"].removeprefix("Value error, "))
        return
    try:
        pin_threads(settings.service_threads)
        answer = build_pipeline(settings, embedder=build_embedder(settings)).ask(request)
    except NoIndexAvailable as exc:
        _fail(str(exc))
        return
    if as_json:
        out.print_json(answer.model_dump_json())
        return
    out.print(answer.text, highlight=False, soft_wrap=True)
    if answer.citations:
        out.print()
        for c in answer.citations:
            where = f"{c.title}" + (f" › {c.section}" if c.section else "")
            out.print(f"[{c.n}] {where}" + (f"  {c.url}" if c.url else ""), highlight=False)
    out.print()
    out.print(f"[dim]{answer.disclaimer}[/]", highlight=False, soft_wrap=True)


def main() -> None:
    """The `wisdom` command: this app plus the sub-apps installed packages declare."""
    add_commands(app)
    try:
        app()
    except KeyboardInterrupt:
        console.print("interrupted")
        sys.exit(130)
