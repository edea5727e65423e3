"""`wisdom eval`: run a suite or dataset, compare two runs, gate runs on thresholds.

Declared in the `wisdom.commands` entry-point group (pyproject.toml); the `wisdom` command adds it
at start-up, so qa_service never imports eval. The helpers shared with the rest of the CLI
(consoles, one-line errors, settings, embedder, ingest progress) come from qa_service.cli.console.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from eval import compare as cmp
from eval.datasets import SUITES, Dataset, DatasetError, SuiteUnavailable, load_dataset, load_suite
from qa_service.cli.console import (
    RichReporter,
    build_embedder,
    console,
    fail,
    load_settings,
    out,
    print_report,
)

if TYPE_CHECKING:
    from eval.targets import Target
    from ingest.embedding import Embedder

eval_app = typer.Typer(
    help="Evaluate answer quality: run suites, compare runs, gate on thresholds.", no_args_is_help=True
)


def _progress(total: int) -> tuple[Callable[[], None], Callable[[], None]]:
    """(advance, finish): a bar on a terminal, a line per 10 % otherwise."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    if console.is_terminal:
        progress = Progress(
            TextColumn("  questions"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
        )
        task = progress.add_task("eval", total=total)
        progress.start()
        return (lambda: progress.advance(task)), progress.stop
    state = {"done": 0, "next": max(1, total // 10)}
    start = time.monotonic()

    def advance() -> None:
        state["done"] += 1
        if state["done"] >= state["next"] or state["done"] == total:
            state["next"] += max(1, total // 10)
            console.print(f"  {state['done']}/{total} questions, {time.monotonic() - start:.0f} s")

    return advance, lambda: None


def _dataset(suite: str | None, dataset: Path | None, limit: int | None) -> Dataset:
    if (suite is None) == (dataset is None):
        raise DatasetError("pass exactly one of --suite NAME or --dataset PATH.jsonl")
    if suite is not None:
        return load_suite(suite, limit=limit)
    assert dataset is not None
    return load_dataset(dataset, limit=limit)


def _target(target: str, index_dir: Path | None, timeout: float) -> tuple[Target, Embedder]:
    from qa_service.pipeline import build_pipeline, pin_threads

    settings = load_settings(index_dir)
    embedder = build_embedder(settings)
    if target == "local":
        from eval.targets import LocalTarget

        pin_threads(settings.service_threads)
        return LocalTarget(build_pipeline(settings, embedder=embedder)), embedder
    if target.startswith(("http://", "https://")):
        from eval.targets import HttpTarget

        return HttpTarget(target, timeout=timeout), embedder
    raise DatasetError(f"--target must be 'local' or a URL like http://127.0.0.1:8000, not {target!r}.")


def _coverage_warning(data: Dataset, tgt: Target) -> str | None:
    """A run against an index that lacks the questions' documents scores near zero for reasons
    that have nothing to do with the assistant: say so before it starts (local target only)."""
    from eval.targets import LocalTarget

    expected = [set(c.doc_ids) for c in data.cases if c.doc_ids]
    if not expected or not isinstance(tgt, LocalTarget):
        return None
    try:
        version = tgt.pipeline.index.get().version
    except Exception:  # no index: the run itself reports it
        return None
    present = set(version.document_ids())
    covered = sum(bool(ids & present) for ids in expected)
    if covered >= 0.5 * len(expected):
        return None
    return (
        f"only {covered} of {len(expected)} questions have an expected document in the index at "
        f"{tgt.pipeline.settings.index_dir} (version {version.version_id}, {len(present)} documents), so "
        "retrieval scores will be near zero. For the MedQuAD suites, build an index of "
        "../shared/data/medquad/corpus.jsonl (`wisdom ingest ../shared/data/medquad/corpus.jsonl "
        "--index-dir DIR`, about 25 min on 2 cores) and pass --index-dir DIR."
    )


@eval_app.command("run")
def run(
    suite: Annotated[str | None, typer.Option(help=f"Built-in suite: {', '.join(SUITES)}.")] = None,
    dataset: Annotated[Path | None, typer.Option(help="A JSONL dataset instead of a suite.")] = None,
    target: Annotated[str, typer.Option(help="'local' (this process) or http://HOST:PORT.")] = "local",
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default runs/SUITE-TIME).")
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N questions.")] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Questions in flight at once.")] = 1,
    index_dir: Annotated[Path | None, typer.Option(help="Index folder for --target local.")] = None,
    timeout: Annotated[float, typer.Option(help="Seconds per HTTP request.")] = 60.0,
) -> None:
    """Ask every question of a suite, score answers and retrieval (hybrid vs BM25 vs dense), write
    results.jsonl, metrics.json, summary.md and report.html."""
    from eval.report import write_skipped
    from eval.runner import run_eval

    name = suite or (dataset.stem if dataset else "eval")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out_dir = out_dir or Path("runs") / f"{name}-{stamp}"
    try:
        data = _dataset(suite, dataset, limit)
    except SuiteUnavailable as exc:
        console.print(f"[yellow]skipped:[/] {escape(str(exc))}", highlight=False)
        write_skipped(out_dir, {"suite": name, "skipped": str(exc)})
        return
    except DatasetError as exc:
        fail(str(exc))
        return
    for problem in data.problems:
        console.print(f"[yellow]skipped[/] {escape(str(problem))}", highlight=False)
    try:
        tgt, embedder = _target(target, index_dir, timeout)
    except DatasetError as exc:
        fail(str(exc))
        return
    console.print(f"[cyan]•[/] {len(data.cases)} questions from {data.name} against {tgt.label} → {out_dir}")
    warning = _coverage_warning(data, tgt)
    if warning:
        console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
    advance, finish = _progress(len(data.cases))
    try:
        outcome = run_eval(data, tgt, out_dir, embedder, concurrency=concurrency, advance=advance)
    finally:
        finish()
        tgt.close()
    values = outcome.metrics
    lines = [
        ("hybrid recall@5", "retrieval.hybrid.recall@5"),
        ("bm25 recall@5", "retrieval.bm25.recall@5"),
        ("dense recall@5", "retrieval.dense.recall@5"),
        ("kind accuracy", "answers.kind_accuracy"),
        ("urgent recall", "answers.urgent_recall"),
        ("citation validity", "answers.citation_validity"),
        ("disclaimer presence", "answers.disclaimer_presence"),
        ("pass rate", "answers.pass_rate"),
        ("latency p50 ms", "latency.p50_ms"),
    ]
    shown = ", ".join(f"{label} {values[key]:.3g}" for label, key in lines if values.get(key) is not None)
    if outcome.results:
        out.print(f"{len(outcome.results)} questions: {shown}", highlight=False)
    out.print(
        f"Reports: {out_dir}/summary.md, {out_dir}/report.html, {out_dir}/metrics.json", highlight=False
    )
    if outcome.error:
        stop = "" if outcome.error.rstrip().endswith((".", "!", "?")) else "."
        fail(
            f"{outcome.error}{stop} Partial results for {len(outcome.results)} of {len(data.cases)} "
            f"questions were written to {out_dir}."
        )


def _print_checks(checks: list[cmp.Check]) -> bool:
    table = Table("suite", "metric", "value", "threshold", "result")
    for c in checks:
        value = "–" if c.value is None else f"{c.value:.4g}"
        result = ("[green]ok[/]" if c.ok else "[bold red]FAIL[/]") + (f" {escape(c.note)}" if c.note else "")
        table.add_row(c.suite, c.name, value, c.bound, result)
    out.print(table)
    failed = [c for c in checks if not c.ok]
    out.print(
        f"gate: {len(failed)} of {len(checks)} checks failed"
        if failed
        else f"gate: all {len(checks)} checks passed"
    )
    return not failed


@eval_app.command("compare")
def compare(
    run_a: Annotated[Path, typer.Argument(help="The baseline run folder.")],
    run_b: Annotated[Path, typer.Argument(help="The new run folder.")],
    gate: Annotated[
        Path | None, typer.Option("--gate", help="Thresholds TOML; exit 1 if run B fails.")
    ] = None,
) -> None:
    """Deltas per metric from RUN_A to RUN_B, regressions flagged; optionally gate RUN_B."""
    try:
        a, b = cmp.load_run(run_a), cmp.load_run(run_b)
        thresholds = cmp.load_thresholds(gate) if gate else None
    except cmp.CompareError as exc:
        fail(str(exc))
        return
    if a["run"].get("suite") != b["run"].get("suite"):
        out.print(
            f"[yellow]note:[/] comparing different suites ({a['run'].get('suite')} → {b['run'].get('suite')})"
        )
    table = Table("metric", "A", "B", "change", "")
    deltas = cmp.compare(a, b)
    for d in deltas:
        change = "–" if d.change is None else f"{d.change:+.4g}"
        flag = "[bold red]REGRESSION[/]" if d.regression else "[green]better[/]" if d.improvement else ""
        table.add_row(
            d.name,
            "–" if d.before is None else f"{d.before:.4g}",
            "–" if d.after is None else f"{d.after:.4g}",
            change,
            flag,
        )
    out.print(table)
    regressions = [d.name for d in deltas if d.regression]
    out.print(f"{len(regressions)} regression(s)" + (": " + ", ".join(regressions) if regressions else ""))
    if thresholds is not None and not _print_checks(cmp.gate(b, thresholds)):
        raise typer.Exit(1)


@eval_app.command("gate")
def gate_command(
    runs: Annotated[list[Path], typer.Argument(help="Run folders (each checked against its suite's table).")],
    thresholds: Annotated[Path, typer.Option("--thresholds", help="Thresholds TOML.")] = Path(
        "eval/suites/gate.toml"
    ),
) -> None:
    """Exit 1 when a metric of any run is outside its threshold (skipped suites pass with a note)."""
    try:
        bounds = cmp.load_thresholds(thresholds)
        checks = [c for run_dir in runs for c in cmp.gate(cmp.load_run(run_dir), bounds)]
    except cmp.CompareError as exc:
        fail(str(exc))
        return
    if not _print_checks(checks):
        raise typer.Exit(1)


@eval_app.command("subset-index")
def subset_index(
    index_dir: Annotated[Path, typer.Option(help="Where to build (or update) the subset index.")],
) -> None:
    """Build the MedQuAD subset index the `medquad-gate` suite runs on (incremental; ~1 min)."""
    from eval.subset import build_subset_index
    from ingest import IngestError

    settings = load_settings(index_dir)
    try:
        report = build_subset_index(settings.ingest_config(), build_embedder(settings), RichReporter())
    except SuiteUnavailable as exc:
        console.print(f"[yellow]skipped:[/] {escape(str(exc))}", highlight=False)
        return
    except (IngestError, ValueError) as exc:
        fail(str(exc))
        return
    print_report(report)


@eval_app.command("suites")
def suites() -> None:
    """List the built-in suites and whether their data is on this machine."""
    table = Table("suite", "questions from", "available", "what")
    for s in SUITES.values():
        table.add_row(s.name, str(s.path), "yes" if s.path.is_file() else "no", s.description)
    out.print(table)
