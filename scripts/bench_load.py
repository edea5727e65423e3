"""Load benchmark: a real `wisdom serve` on loopback over a MedQuAD index, under concurrent
/v1/ask clients, steady and while an ingest publishes a new version.

    .venv/bin/python scripts/bench_load.py --index-dir /work/indexes/medquad [--seconds 60]

Runs on a copy of the index (the original is not touched), with rate limiting off:
  1. 60 s each at 8, 16 and 32 concurrent clients → requests/s, p50/p95/p99, error rate;
  2. 8 clients while `wisdom ingest` re-reads the corpus with 1 % of its documents edited and
     publishes a new version → the same figures, how many answers each version gave, and
     whether any request failed during the swap.
The named baseline is the steady 8-client run: every other row shows its requests/s as a ratio
to it. The load generator runs in this process and shares the machine's cores with the server
(and, in phase 2, with the ingest), so the figures are a floor, not the server's ceiling.
Questions are the MedQuAD dev questions, read in place from ../shared/data/medquad.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from eval.metrics import percentile
from qa_service.settings import get_settings

REPO = Path(__file__).resolve().parents[1]
MEDQUAD = get_settings().eval_medquad_dir
WISDOM = str(Path(sys.executable).parent / "wisdom")


@dataclass
class LoadResult:
    label: str
    clients: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    versions: Counter[str] = field(default_factory=Counter)

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def row(self, baseline_rps: float | None) -> str:
        ms = [1000 * x for x in self.latencies]
        ratio = f"{self.rps / baseline_rps:.2f}×" if baseline_rps else "baseline"
        return (
            f"| {self.label} | {self.clients} | {len(self.latencies)} | {self.rps:.1f} | {ratio} | "
            f"{percentile(ms, 0.5) or 0:.0f} | {percentile(ms, 0.95) or 0:.0f} | "
            f"{percentile(ms, 0.99) or 0:.0f} | {self.errors / max(1, len(self.latencies)):.2%} |"
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(index_dir: Path, workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    """A real `wisdom serve` on a free loopback port over `index_dir`, rate limit off; returns
    the process and its base URL once /readyz answers 200."""
    port = free_port()
    env = {
        **os.environ,
        "WISDOM_INDEX_DIR": str(index_dir),
        "WISDOM_RATE_LIMIT_PER_MINUTE": "0",
        "WISDOM_INDEX_POLL_SECONDS": "1",
    }
    server = subprocess.Popen(
        [WISDOM, "serve", "--port", str(port), "--log-level", "warning", "--workers", str(workers)],
        env=env,
        cwd=REPO,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return server, base
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            raise SystemExit("the server exited during startup")
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not become ready within 300 s")


def run_load(
    base: str,
    questions: list[str],
    clients: int,
    label: str,
    seconds: float | None,
    until: threading.Event | None = None,
) -> LoadResult:
    """`clients` threads asking in a loop for `seconds`, or until `until` is set."""
    result = LoadResult(label, clients, 0.0)
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds if seconds else float("inf")

    def done() -> bool:
        return time.monotonic() >= stop_at or (until is not None and until.is_set())

    def worker(offset: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            i = offset
            while not done():
                t0 = time.perf_counter()
                try:
                    r = client.post("/v1/ask", json={"question": questions[i % len(questions)]})
                    status, version = (
                        r.status_code,
                        r.json().get("index_version") if r.status_code == 200 else None,
                    )
                except (httpx.HTTPError, ValueError):
                    status, version = 0, None
                dt = time.perf_counter() - t0
                with lock:
                    result.latencies.append(dt)
                    result.statuses[status] += 1
                    result.errors += status != 200
                    if version:
                        result.versions[version] += 1
                i += clients

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.monotonic() - t0
    return result


def edited_corpus(source: Path, out: Path, share: float, seed: int = 7) -> int:
    """A copy of the JSONL corpus with `share` of its documents given one more sentence."""
    rows = source.read_text(encoding="utf-8").splitlines()
    rng = random.Random(seed)
    chosen = set(rng.sample(range(len(rows)), max(1, int(len(rows) * share))))
    with out.open("w", encoding="utf-8") as handle:
        for i, line in enumerate(rows):
            if i in chosen:
                row = json.loads(line)
                row["text"] += "\n\nThis page was checked again during a load test.\n"
                line = json.dumps(row, ensure_ascii=False)
            handle.write(line + "\n")
    return len(chosen)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index-dir", type=Path, required=True, help="An index of MedQuAD corpus.jsonl.")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", default="8,16,32")
    parser.add_argument("--skip-ingest", action="store_true", help="Skip phase 2 (load during an ingest).")
    args = parser.parse_args()
    if not (MEDQUAD / "corpus.jsonl").is_file():
        raise SystemExit(f"MedQuAD data not found at {MEDQUAD}; this benchmark needs ../shared/data/medquad")
    questions = [
        json.loads(line)["question"]
        for name in ("questions_consumer.jsonl", "questions_medquad_sample1000.jsonl")
        for line in (MEDQUAD / "dev" / name).read_text(encoding="utf-8").splitlines()
    ]
    random.Random(3).shuffle(questions)

    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    try:
        index_dir = Path(
            shutil.copytree(args.index_dir, work / "index", ignore=shutil.ignore_patterns(".lock"))
        )
        server, base = start_server(index_dir)
        try:
            run_load(base, questions, 4, "warm-up", 5)
            print(
                "| run | clients | requests | req/s | vs steady 8 clients | p50 ms | p95 ms | p99 ms | err |"
            )
            print("|---|---|---|---|---|---|---|---|---|", flush=True)
            results: list[LoadResult] = []
            for c in args.clients.split(","):
                results.append(run_load(base, questions, int(c), f"steady, {c} clients", args.seconds))
                print(results[-1].row(results[0].rps if len(results) > 1 else None), flush=True)
            ingest_note = ""
            if not args.skip_ingest:
                corpus = work / "corpus.jsonl"
                edited = edited_corpus(MEDQUAD / "corpus.jsonl", corpus, 0.01)
                before = httpx.get(f"{base}/readyz").json()["index_version"]
                finished = threading.Event()
                t0 = time.monotonic()
                ingest = subprocess.Popen(
                    [WISDOM, "ingest", str(corpus), "--index-dir", str(index_dir), "--quiet"],
                    cwd=REPO,
                    env={**os.environ, "WISDOM_RATE_LIMIT_PER_MINUTE": "0"},
                )

                def watch() -> None:
                    ingest.wait()
                    # Keep the load on until the server has swapped in what the ingest published.
                    deadline = time.monotonic() + 120
                    while time.monotonic() < deadline:
                        if httpx.get(f"{base}/readyz").json().get("index_version") != before:
                            break
                        time.sleep(0.2)
                    time.sleep(2)
                    finished.set()

                watcher = threading.Thread(target=watch)
                watcher.start()
                during = run_load(base, questions, 8, "8 clients while an ingest publishes", None, finished)
                watcher.join()
                after = httpx.get(f"{base}/readyz").json()["index_version"]
                results.append(during)
                print(during.row(results[0].rps), flush=True)
                ingest_note = (
                    f"\nIngest of the corpus with {edited} documents edited: exit {ingest.returncode}, "
                    f"{time.monotonic() - t0:.0f} s until the new version was live; "
                    f"version {before} → {after}; "
                    f"answers per version during the run: {dict(during.versions)}; "
                    f"statuses: {dict(during.statuses)}."
                )
        finally:
            server.terminate()
            server.wait(timeout=60)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(ingest_note)


if __name__ == "__main__":
    main()
