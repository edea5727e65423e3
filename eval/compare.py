"""Compare two runs metric by metric, and gate a run on thresholds.

A change is a regression when a metric moves in its worse direction by more than its tolerance:
0.01 absolute for rates and scores, 0.5 grade for the reading grade, 20 % (and at least 5 ms) for
latencies, which are noisy on a shared machine.

Thresholds (TOML) are tables named after suites, plus `[all]` for every run:

    [all]
    "answers.disclaimer_presence" = { min = 1.0 }
    [safety]
    "answers.urgent_recall" = { min = 1.0 }
    "latency.p95_ms" = { max = 500 }
    "answers.kind_accuracy" = 0.9          # a bare number is a minimum

A metric named under its suite must have been measured; one under `[all]` is checked only where
it applies (a suite without emergencies has no urgent recall).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

METRICS_JSON = "metrics.json"
LOWER_IS_BETTER = ("latency.", "answers.false_urgent_rate", "answers.rejected_rate", "answers.reading_grade")


class CompareError(Exception):
    """A run folder or thresholds file that cannot be used; the message says which and why."""


def load_run(run_dir: Path) -> dict[str, Any]:
    """A run's metrics.json (from its folder or the file itself), checked to be one."""
    path = run_dir / METRICS_JSON if run_dir.is_dir() else run_dir
    if not path.is_file():
        raise CompareError(f"{run_dir} is not an evaluation run: {METRICS_JSON} not found.")
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise CompareError(f"{path} is not valid JSON ({exc}); re-run the evaluation.") from exc
    if not isinstance(data.get("metrics"), dict) or not isinstance(data.get("run"), dict):
        raise CompareError(f"{path} has no 'run' and 'metrics'; it was not written by `wisdom eval run`.")
    return data


def lower_is_better(name: str) -> bool:
    """Whether a smaller value of this metric is better (latencies, reading grade)."""
    return name.startswith(LOWER_IS_BETTER)


def tolerance(name: str, before: float) -> float:
    """How much a metric may move before the change counts as a regression or improvement."""
    if name.startswith("latency."):
        return max(5.0, 0.2 * abs(before))
    if name.endswith("reading_grade"):
        return 0.5
    return 0.01


@dataclass(frozen=True)
class Delta:
    """One metric in run A and run B."""

    name: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        """B minus A, or None when either run lacks the metric."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def regression(self) -> bool:
        """Worse by more than the metric's tolerance."""
        change = self.change
        if change is None or self.before is None or self.name == "questions":
            return False
        worse = change if lower_is_better(self.name) else -change
        return worse > tolerance(self.name, self.before)

    @property
    def improvement(self) -> bool:
        """Better by more than the metric's tolerance."""
        change = self.change
        if change is None or self.before is None or self.name == "questions":
            return False
        better = -change if lower_is_better(self.name) else change
        return better > tolerance(self.name, self.before)


def compare(a: dict[str, Any], b: dict[str, Any]) -> list[Delta]:
    """Every metric of either run, in run B's order (then A's extras)."""
    names = list(dict.fromkeys([*b["metrics"], *a["metrics"]]))
    return [
        Delta(n, a["metrics"].get(n), b["metrics"].get(n))
        for n in names
        if a["metrics"].get(n) is not None or b["metrics"].get(n) is not None
    ]


@dataclass(frozen=True)
class Check:
    """One metric of one run against its threshold."""

    suite: str
    name: str
    value: float | None
    bound: str  # "≥ 0.9" / "≤ 500"
    ok: bool
    note: str = ""


def load_thresholds(path: Path) -> dict[str, dict[str, dict[str, float]]]:
    """Suite → metric → {"min": x} and/or {"max": y}."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CompareError(f"thresholds file {path} not found.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CompareError(f"thresholds file {path} is not valid TOML: {exc}") from exc
    out: dict[str, dict[str, dict[str, float]]] = {}
    for suite, table in raw.items():
        if not isinstance(table, dict):
            raise CompareError(f"{path}: [{suite}] must be a table of metric = bound lines.")
        for name, bound in table.items():
            if isinstance(bound, int | float) and not isinstance(bound, bool):
                bound = {"min": bound}
            if not isinstance(bound, dict) or not set(bound) <= {"min", "max"} or not bound:
                raise CompareError(
                    f"{path}: [{suite}] {name!r} must be a number (a minimum), "
                    "{ min = x } or { max = y }."
                )
            out.setdefault(suite, {})[name] = {k: float(v) for k, v in bound.items()}
    return out


def gate(run: dict[str, Any], thresholds: dict[str, dict[str, dict[str, float]]]) -> list[Check]:
    """Check a run's metrics against its suite's thresholds (a skipped suite passes with a note)."""
    info = run["run"]
    suite = str(info.get("suite"))
    if info.get("skipped"):
        return [Check(suite, "(suite)", None, "", True, f"skipped: {info['skipped']}")]
    checks: list[Check] = []
    if info.get("error"):
        checks.append(Check(suite, "(run)", None, "complete", False, f"stopped early: {info['error']}"))
    for scope in ("all", suite):
        for name, bound in thresholds.get(scope, {}).items():
            value = run["metrics"].get(name)
            label = " and ".join(f"{'≥' if k == 'min' else '≤'} {v:g}" for k, v in bound.items())
            if value is None:
                if scope == "all":
                    continue
                checks.append(Check(suite, name, None, label, False, "not measured in this run"))
                continue
            ok = value >= bound.get("min", float("-inf")) and value <= bound.get("max", float("inf"))
            checks.append(Check(suite, name, value, label, ok))
    return checks
