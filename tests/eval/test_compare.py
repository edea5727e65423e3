"""Deltas and regressions between two runs, and the threshold gate, on hand-written metrics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eval import compare as cmp


def run(tmp_path: Path, name: str, suite: str, metrics: dict[str, Any], **info: Any) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    data = {"run": {"suite": suite, **info}, "metrics": metrics, "counts": {}, "by_qtype": {}}
    (folder / "metrics.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


def test_regressions_respect_direction_and_tolerance(tmp_path: Path) -> None:
    a = cmp.load_run(
        run(tmp_path, "a", "corpus", {
            "retrieval.hybrid.recall@5": 0.90, "answers.kind_accuracy": 0.95, "latency.p95_ms": 100.0,
            "answers.false_urgent_rate": 0.0, "answers.reading_grade": 9.0, "answers.rouge_l": 0.5,
        })
    )  # fmt: skip
    b = cmp.load_run(
        run(tmp_path, "b", "corpus", {
            "retrieval.hybrid.recall@5": 0.85, "answers.kind_accuracy": 0.945, "latency.p95_ms": 130.0,
            "answers.false_urgent_rate": 0.02, "answers.reading_grade": 8.0, "answers.rouge_l": None,
        })
    )  # fmt: skip
    deltas = {d.name: d for d in cmp.compare(a, b)}
    assert deltas["retrieval.hybrid.recall@5"].change == pytest.approx(-0.05)
    assert deltas["retrieval.hybrid.recall@5"].regression
    assert not deltas["answers.kind_accuracy"].regression  # -0.005 is within 0.01
    assert deltas["latency.p95_ms"].regression  # +30 % > 20 %
    assert deltas["answers.false_urgent_rate"].regression  # lower is better
    assert deltas["answers.reading_grade"].improvement and not deltas["answers.reading_grade"].regression
    assert deltas["answers.rouge_l"].change is None and not deltas["answers.rouge_l"].regression


def test_gate_checks_suite_and_all_tables(tmp_path: Path) -> None:
    toml = tmp_path / "gate.toml"
    toml.write_text(
        '[all]\n"answers.disclaimer_presence" = 1.0\n"answers.urgent_recall" = 1.0\n'
        '[safety]\n"answers.kind_accuracy" = 0.8\n"latency.p95_ms" = { max = 100 }\n'
        '"answers.support" = 0.9\n',
        encoding="utf-8",
    )
    bounds = cmp.load_thresholds(toml)
    assert bounds["safety"]["latency.p95_ms"] == {"max": 100.0}
    safety = cmp.load_run(
        run(tmp_path, "s", "safety", {
            "answers.disclaimer_presence": 1.0, "answers.urgent_recall": 0.9,
            "answers.kind_accuracy": 0.85, "latency.p95_ms": 120.0, "answers.support": None,
        })
    )  # fmt: skip
    checks = {c.name: c for c in cmp.gate(safety, bounds)}
    assert checks["answers.disclaimer_presence"].ok
    assert not checks["answers.urgent_recall"].ok
    assert checks["answers.kind_accuracy"].ok
    assert not checks["latency.p95_ms"].ok and checks["latency.p95_ms"].bound == "≤ 100"
    assert not checks["answers.support"].ok and checks["answers.support"].note == "not measured in this run"
    # a suite without emergencies: [all] urgent recall does not apply
    corpus = cmp.load_run(run(tmp_path, "c", "corpus", {"answers.disclaimer_presence": 1.0}))
    assert [c.name for c in cmp.gate(corpus, bounds)] == ["answers.disclaimer_presence"]
    skipped = cmp.load_run(run(tmp_path, "k", "medquad-gate", {}, skipped="no ../shared here"))
    assert [(c.ok, c.note) for c in cmp.gate(skipped, bounds)] == [(True, "skipped: no ../shared here")]
    stopped = cmp.load_run(run(tmp_path, "e", "corpus", {"answers.disclaimer_presence": 1.0}, error="gone"))
    assert not cmp.gate(stopped, bounds)[0].ok


def test_bad_inputs_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(cmp.CompareError, match=r"not an evaluation run: metrics\.json not found"):
        cmp.load_run(tmp_path)
    (tmp_path / "metrics.json").write_text("{", encoding="utf-8")
    with pytest.raises(cmp.CompareError, match="not valid JSON"):
        cmp.load_run(tmp_path)
    bad = tmp_path / "t.toml"
    bad.write_text('[safety]\n"x" = "high"\n', encoding="utf-8")
    with pytest.raises(cmp.CompareError, match=r"\[safety\] 'x' must be a number"):
        cmp.load_thresholds(bad)
    bad.write_text("[safety\n", encoding="utf-8")
    with pytest.raises(cmp.CompareError, match="not valid TOML"):
        cmp.load_thresholds(bad)
    with pytest.raises(cmp.CompareError, match="not found"):
        cmp.load_thresholds(tmp_path / "none.toml")


def test_the_shipped_gate_file_is_valid() -> None:
    from tests.conftest import REPO

    bounds = cmp.load_thresholds(REPO / "eval" / "suites" / "gate.toml")
    assert bounds["safety"]["answers.urgent_recall"] == {"min": 1.0}
    assert bounds["all"]["answers.disclaimer_presence"] == {"min": 1.0}
    assert {"safety", "corpus", "medquad-gate"} <= set(bounds)
