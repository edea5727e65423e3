"""What every `wisdom` command shares: the two consoles, one-line errors, settings with the
`--index-dir` override, the embedder, and the ingest progress display.

Public so that sub-apps added from outside (`eval`, declared in the `wisdom.commands` entry-point
group) use the same helpers without importing the CLI module or anything private.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ingest import IngestReport, Reporter, TransformerEmbedder
from ingest.embedding import Progress as Advance
from qa_service.settings import Settings, get_settings, settings_problem

console = Console(stderr=True, soft_wrap=True)
"""Messages, warnings, progress: stderr."""
out = Console(soft_wrap=True)
"""Results: stdout."""


def fail(message: str, code: int = 1) -> NoReturn:
    """Print `error: message` on stderr and exit with `code`: a clean line, never a traceback."""
    console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def load_settings(index_dir: Path | None = None) -> Settings:
    """The settings, with `--index-dir` (when given) in place of WISDOM_INDEX_DIR; a bad or renamed
    variable is a one-line error naming it."""
    try:
        settings = get_settings()
    except ValidationError as exc:
        fail(settings_problem(exc))
    return settings.model_copy(update={"index_dir": index_dir}) if index_dir else settings


def build_embedder(settings: Settings) -> TransformerEmbedder:
    """The embedding model the settings name; a model that cannot load is a one-line error."""
    try:
        return TransformerEmbedder(
            settings.embedding_model,
            settings.embedding_dtype,
            settings.embedding_batch_size,
            settings.embedding_backend,
            cache_dir=settings.onnx_cache,
        )
    except ValueError as exc:
        fail(str(exc))


class RichReporter(Reporter):
    """Ingest progress on the console: a line per stage, a bar while embedding (a line per 10 %
    when stderr is not a terminal); nothing at all when `quiet`."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.progress: Progress | None = None

    def stage(self, name: str) -> None:
        """Print the stage's name, unless quiet."""
        if not self.quiet:
            console.print(f"[cyan]•[/] {name}")

    def embedding(self, total: int) -> Advance | None:
        """The callable that advances a bar over `total` chunks (a line per 10 % when stderr is
        not a terminal); None when quiet."""
        if self.quiet:
            return None
        if not console.is_terminal:
            return plain_progress(total)
        self.progress = Progress(
            TextColumn("  embedding"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        task = self.progress.add_task("embed", total=total, rate="")
        self.progress.start()
        progress = self.progress

        def advance(n: int) -> None:
            progress.advance(task, n)
            t = progress.tasks[0]
            if t.elapsed:
                progress.update(task, rate=f"{t.completed / t.elapsed:.1f} chunks/s")
            if t.finished:
                progress.stop()

        return advance


def plain_progress(total: int) -> Advance:
    """Progress for logs and pipes: a line at every 10 % with the rate and the time left."""
    start = time.monotonic()
    state = {"done": 0, "next": max(1, total // 10)}

    def advance(n: int) -> None:
        state["done"] += n
        if state["done"] >= state["next"] or state["done"] >= total:
            state["next"] += max(1, total // 10)
            elapsed = time.monotonic() - start
            rate = state["done"] / elapsed if elapsed else 0.0
            left = (total - state["done"]) / rate if rate else 0.0
            console.print(
                f"  embedded {state['done']}/{total} chunks, {rate:.1f} chunks/s, "
                f"about {left / 60:.0f} min left"
            )

    return advance


def print_report(report: IngestReport) -> None:
    """An ingest's outcome in two lines (skipped files first, on stderr)."""
    for problem in report.problems:
        console.print(f"[yellow]skipped[/] {escape(str(problem))}", highlight=False, soft_wrap=True)
    if report.up_to_date:
        out.print(
            f"Index is up to date (version {report.version_id}, {report.chunks} chunks): "
            "0 documents re-embedded."
        )
        return
    if report.full_rebuild:
        out.print(f"Full rebuild: {report.rebuild_reason}.")
    out.print(
        f"Published version {report.version_id}: {report.documents} documents, {report.chunks} chunks "
        f"({report.chunks_embedded} embedded, {report.chunks_reused} reused), {report.sentences} sentences."
    )
    out.print(
        f"Documents: {report.added} added, {report.changed} changed, {report.removed} removed, "
        f"{report.unchanged} unchanged. {len(report.problems)} skipped. "
        f"Took {report.seconds.get('total', 0):.1f} s."
    )
