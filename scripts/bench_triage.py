"""Safety-triage benchmark: how long triage takes, and how often it cries wolf on ordinary questions.

    .venv/bin/python scripts/bench_triage.py [--limit N]

Runs in one process, on the same questions, two contenders and a floor:
- `triage`: the service's triage (rules + classifier, per clause; qa_service/triage/safety.py);
- `rules only`: the same without the classifier (the named baseline for the false-urgent rate);
- `one embedding`: a single model call on the question, the least any embedding-based triage costs
  (the baseline for time: triage's p50 is printed as a ratio of it).
Questions: MedQuAD sample1000 (../shared/data/medquad/dev, skipped with a message when absent) and
the `corpus` suite. Prints the CPU model and flags, p50/p95 ms per question, the false-urgent rate
(none of these questions describes an emergency) and how often the safety-net line would be added.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from eval.datasets import SUITES, load_suite, medquad_dir  # noqa: E402
from eval.metrics import percentile  # noqa: E402
from ingest import TransformerEmbedder  # noqa: E402
from ingest.dtype_probe import cpu_description  # noqa: E402
from qa_service.triage.safety import SafetyTriage  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=1000, help="MedQuAD questions to use")
    args = parser.parse_args()
    print(f"CPU: {cpu_description()}")
    sets: dict[str, list[str]] = {"corpus suite": [c.question for c in load_suite("corpus").cases]}
    sample = medquad_dir() / SUITES["medquad-dev"].relative
    if sample.is_file():
        with sample.open(encoding="utf-8") as handle:
            sets["MedQuAD sample1000"] = [json.loads(line)["question"] for line in handle][: args.limit]
    else:
        print(f"MedQuAD skipped: {sample} not found (../shared/data/medquad is not on this machine)")

    embedder = TransformerEmbedder(threads=1)
    print(f"embedder: {embedder.model_id}, {embedder.dtype}, 1 thread (as the service)")
    contenders = {"triage": SafetyTriage(embedder), "rules only": SafetyTriage(embedder, model=None)}
    for triage in contenders.values():
        triage.triage("warm up the model and the example bank")
    print(
        "\n| questions | contender | n | p50 ms | p95 ms | p50 vs one embedding | urgent | "
        "safety-net line | refer |\n|---|---|---|---|---|---|---|---|---|"
    )
    for name, questions in sets.items():
        floor: list[float] = []
        for q in questions:
            t = time.perf_counter()
            embedder.embed([q])
            floor.append((time.perf_counter() - t) * 1000)
        base = percentile(floor, 0.5) or 1.0
        print(
            f"| {name} | one embedding | {len(questions)} | {base:.2f} | "
            f"{percentile(floor, 0.95) or 0.0:.2f} | 1.00× | | | |"
        )
        for label, triage in contenders.items():
            times: list[float] = []
            kinds: list[str] = []
            nets = 0
            for q in questions:
                t = time.perf_counter()
                decision = triage.triage(q)
                times.append((time.perf_counter() - t) * 1000)
                kinds.append(decision.kind)
                nets += decision.warning is not None and decision.kind != "urgent"
            n = len(questions)
            p50, p95 = percentile(times, 0.5) or 0.0, percentile(times, 0.95) or 0.0
            print(
                f"| {name} | {label} | {n} | {p50:.2f} | {p95:.2f} | {p50 / base:.2f}× | "
                f"{kinds.count('urgent') / n:.2%} | {nets / n:.1%} | {kinds.count('refer') / n:.1%} |"
            )


if __name__ == "__main__":
    main()
