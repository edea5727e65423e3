"""Run a dataset against a target: every question asked (and its retrieval scored for hybrid,
BM25-only and dense-only), in parallel, each result appended to results.jsonl as it completes
(and the file put in dataset order at the end); then metrics.json, summary.md and report.html.

A target that fails mid-run (an unreachable server, a lost index) stops the run: the questions
finished so far stay in results.jsonl, the reports are written from them and name the problem.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.datasets import SUITES, Dataset, EvalCase, medquad_dir
from eval.report import write_reports
from eval.scoring import CaseResult, aggregate, by_qtype, score_case
from eval.targets import MODES, Retrieved, Target, TargetError
from ingest.embedding import Embedder

RESULTS = "results.jsonl"
RETRIEVE_K = 20
"""Chunks retrieved per mode; their distinct documents form the ranking scored at k ≤ 10."""


@dataclass
class RunOutcome:
    """What a run produced: per-question results, metrics, the error that stopped it, if any."""

    out_dir: Path
    results: list[CaseResult]
    metrics: dict[str, float | None]
    error: str | None = None
    info: dict[str, Any] = field(default_factory=dict)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def evaluate_case(case: EvalCase, target: Target, embedder: Embedder) -> CaseResult:
    """Ask one question, retrieve in each mode when it names documents, and score it."""
    reply = target.ask(case)
    retrieved: dict[str, list[Retrieved]] = {}
    if case.doc_ids:
        for mode in MODES:
            hits = target.search(case, RETRIEVE_K, mode)
            if hits is not None:
                retrieved[mode] = hits
    return score_case(case, reply, retrieved, target.passage, embedder)


def _index_note(dataset: Dataset, info: dict[str, Any]) -> str | None:
    """Say so when a MedQuAD suite ran on an index with fewer documents than the full corpus."""
    suite = SUITES.get(dataset.name)
    corpus = medquad_dir() / "corpus.jsonl"
    if suite is None or not suite.shared or not corpus.is_file() or not info.get("documents"):
        return None
    with corpus.open(encoding="utf-8") as handle:
        total = sum(1 for _ in handle)
    if int(info["documents"]) < total:
        return (
            f"subset index: {info['documents']} of the {total:,} MedQuAD documents, so retrieval has far "
            "fewer distractors than on the full library and its figures are optimistic."
        )
    return None


def run_eval(
    dataset: Dataset,
    target: Target,
    out_dir: Path,
    embedder: Embedder,
    *,
    concurrency: int = 1,
    advance: Callable[[], None] | None = None,
) -> RunOutcome:
    """Run every question of `dataset` against `target` (`concurrency` at a time), score them, and write
    the reports into `out_dir`; partial results are written if the target fails."""
    out_dir.mkdir(parents=True, exist_ok=True)
    info: dict[str, Any] = {
        "suite": dataset.name,
        "description": dataset.description,
        "dataset": str(dataset.path),
        "questions": len(dataset.cases),
        "skipped_lines": [str(p) for p in dataset.problems],
        "target": target.label,
        "concurrency": concurrency,
        "started": _now(),
    }
    results: list[CaseResult] = []
    error: str | None = None
    try:
        info.update(target.describe())
        info["index_note"] = _index_note(dataset, info)
    except TargetError as exc:
        error = str(exc)
    if error is None:
        error = _ask_all(dataset, target, embedder, out_dir / RESULTS, concurrency, results, advance)
    order = {c.id: i for i, c in enumerate(dataset.cases)}
    results.sort(key=lambda r: order[r.id])
    _write_results(out_dir / RESULTS, results)
    info["finished"] = _now()
    info["completed"] = len(results)
    info["error"] = error
    values, counts = aggregate(results)
    write_reports(out_dir, info, values, counts, by_qtype(results), results)
    return RunOutcome(out_dir, results, values, error, info)


def _ask_all(
    dataset: Dataset,
    target: Target,
    embedder: Embedder,
    path: Path,
    concurrency: int,
    results: list[CaseResult],
    advance: Callable[[], None] | None,
) -> str | None:
    """Ask every question; append each result to `path` as it completes. Returns the error that
    stopped the run, if any (the questions not yet started are not asked)."""
    lock = threading.Lock()
    stop = threading.Event()
    with path.open("w", encoding="utf-8") as handle:

        def one(case: EvalCase) -> None:
            if stop.is_set():
                return
            result = evaluate_case(case, target, embedder)
            with lock:
                results.append(result)
                handle.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
                handle.flush()
            if advance is not None:
                advance()

        with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="eval") as pool:
            futures: list[Future[None]] = [pool.submit(one, case) for case in dataset.cases]
            done, _ = wait(futures, return_when=FIRST_EXCEPTION)
            failed = next((f for f in done if f.exception() is not None), None)
            if failed is not None:
                stop.set()
                for f in futures:
                    f.cancel()
                exc = failed.exception()
                if isinstance(exc, TargetError):
                    return str(exc)
                raise exc  # type: ignore[misc]
    return None


def _write_results(path: Path, results: list[CaseResult]) -> None:
    """Rewrite results.jsonl in dataset order (it was appended to in completion order)."""
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in results)
    tmp.replace(path)
