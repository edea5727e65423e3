"""`wisdom eval run` end to end on the corpus index: in process and against a real HTTP server,
the reports it writes, `compare` and `gate` exit codes on two runs, and bad input (a malformed
dataset line, an unknown suite, an unreachable or failing server) with partial results written.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import Result
from typer.testing import CliRunner

from eval.datasets import load_suite
from eval.runner import run_eval
from eval.targets import HttpTarget
from ingest import TransformerEmbedder
from qa_service.http.app import create_app
from qa_service.models import AskRequest
from qa_service.pipeline import Pipeline, build_pipeline, pin_threads
from qa_service.settings import get_settings
from tests.conftest import CORPUS_PAGES, wisdom_app
from tests.qa_service.conftest import make_settings, serve

N = 10


def wisdom(*args: str) -> Result:
    return CliRunner().invoke(wisdom_app(), list(args))


def flat(text: str) -> str:
    return re.sub(r"[ \t]*\n[ \t]*", " ", text).strip()


def metrics(run_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((run_dir / "metrics.json").read_text(encoding="utf-8"))
    return data


def results(run_dir: Path) -> list[dict[str, Any]]:
    lines = (run_dir / "results.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def pipeline(qa_index: Path, embedder: TransformerEmbedder) -> Pipeline:
    pin_threads(1)  # as `wisdom serve` does (WISDOM_SERVICE_THREADS)
    return build_pipeline(make_settings(qa_index), embedder=embedder)


@pytest.fixture(scope="module")
def server(pipeline: Pipeline) -> Iterator[str]:
    with serve(create_app(pipeline=pipeline)) as url:
        yield url


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("runs")


@pytest.fixture(scope="module")
def local_run(qa_index: Path, runs: Path) -> Path:
    out = runs / "local"
    result = wisdom("eval", "run", "--suite", "corpus", "--limit", str(N), "--index-dir", str(qa_index),
                    "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"{N} questions: hybrid recall@5" in flat(result.stdout)
    return out


@pytest.fixture(scope="module")
def http_run(server: str, runs: Path) -> Path:
    out = runs / "http"
    result = wisdom("eval", "run", "--suite", "corpus", "--limit", str(N), "--target", server,
                    "--concurrency", "4", "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def test_local_run_reports_what_the_pipeline_does(local_run: Path, pipeline: Pipeline) -> None:
    rows = results(local_run)
    cases = load_suite("corpus", limit=N).cases
    assert [r["id"] for r in rows] == [c.id for c in cases]
    for case, row in list(zip(cases, rows, strict=True))[:4]:
        answer = pipeline.ask(AskRequest(question=case.question, history=case.history))
        assert (row["kind"], row["text"]) == (answer.kind, answer.text)
        retrieval, _ = pipeline.retrieve(case.question, 20, "bm25")
        assert row["retrieved"]["bm25"] == [[h.chunk.doc_id, h.chunk.section] for h in retrieval.hits]
        hybrid_docs = list(dict.fromkeys(doc for doc, _ in row["retrieved"]["hybrid"]))
        expected_rr = next((1 / (i + 1) for i, d in enumerate(hybrid_docs[:10]) if d in case.doc_ids), 0.0)
        assert row["scores"]["hybrid.mrr@10"] == pytest.approx(expected_rr)
    data = metrics(local_run)
    values, counts, run = data["metrics"], data["counts"], data["run"]
    assert run["suite"] == "corpus" and run["completed"] == N and run["error"] is None
    assert run["documents"] == len(CORPUS_PAGES) and run["index_version"] == pipeline.index.version_id
    assert values["questions"] == N
    for mode in ("hybrid", "bm25", "dense"):
        assert counts[f"retrieval.{mode}.recall@5"] == N
        assert 0.0 <= values[f"retrieval.{mode}.mrr@10"] <= 1.0
    assert values["retrieval.hybrid.recall@10"] >= 0.8
    mean_recall = sum(r["scores"]["hybrid.recall@5"] for r in rows) / N
    assert values["retrieval.hybrid.recall@5"] == pytest.approx(mean_recall)
    answered = [r for r in rows if r["kind"] == "answer"]
    assert answered and counts["answers.citation_validity"] == len(answered)
    assert values["answers.citation_validity"] == 1.0  # extractive quotes are verbatim
    assert values["answers.disclaimer_presence"] == 1.0
    assert values["answers.urgent_recall"] is None  # no emergencies in this suite
    assert 3 < values["answers.reading_grade"] < 20
    assert 0 < values["latency.p50_ms"] <= values["latency.p95_ms"]
    assert data["by_qtype"]["page_question"]["n"] == N


def test_summary_and_html_report(local_run: Path) -> None:
    summary = (local_run / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("# Evaluation: corpus")
    assert re.search(r"\| recall@5 \| [01]\.\d{3} \| [01]\.\d{3} \| [01]\.\d{3} \| [+-]\d\.\d{3} \|", summary)
    assert "| answers.disclaimer_presence | 1.000 | 10 |" in summary
    page = (local_run / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 3  # recall curves, latency histogram, per-type bars
    assert "<polyline" in page and "<rect" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)  # self-contained
    assert "<script" not in page and "<link" not in page
    rows = results(local_run)
    for row in rows:
        assert row["question"].replace("'", "&#x27;") in page
    first = rows[0]
    assert first["citations"][0]["doc_id"] in page
    classes = re.findall(r"<tr class='(ok|fail)'>", page)
    assert len(classes) == N and classes == sorted(classes, key=lambda c: c == "ok")  # failures first


def test_http_run_matches_the_local_run(local_run: Path, http_run: Path) -> None:
    local, remote = metrics(local_run), metrics(http_run)
    assert remote["run"]["target"].startswith("http://127.0.0.1:")
    assert remote["run"]["index_version"] == local["run"]["index_version"]
    assert [r["id"] for r in results(http_run)] == [r["id"] for r in results(local_run)]
    assert [r["kind"] for r in results(http_run)] == [r["kind"] for r in results(local_run)]
    for key in ("recall@1", "recall@5", "mrr@10", "ndcg@10"):
        assert remote["metrics"][f"retrieval.hybrid.{key}"] == local["metrics"][f"retrieval.hybrid.{key}"]
        # /v1/search takes no retrieval mode today: the baselines are then reported as unavailable
        assert remote["metrics"][f"retrieval.bm25.{key}"] in (None, local["metrics"][f"retrieval.bm25.{key}"])
    for key in ("answers.citation_validity", "answers.disclaimer_presence", "answers.kind_accuracy"):
        assert remote["metrics"][key] == local["metrics"][key]


def test_compare_and_gate_exit_codes(local_run: Path, http_run: Path, tmp_path: Path) -> None:
    result = wisdom("eval", "compare", str(local_run), str(http_run))
    assert result.exit_code == 0, result.output
    assert "retrieval.hybrid.recall@5" in result.stdout and "regression(s)" in result.stdout
    worse = tmp_path / "worse"
    worse.mkdir()
    data = metrics(local_run)
    data["metrics"]["answers.kind_accuracy"] -= 0.2
    (worse / "metrics.json").write_text(json.dumps(data), encoding="utf-8")
    result = wisdom("eval", "compare", str(local_run), str(worse))
    assert (
        "REGRESSION" in result.stdout
        and "answers.kind_accuracy" in flat(result.stdout).split("regression(s)")[1]
    )

    passing = tmp_path / "pass.toml"
    passing.write_text(
        '[all]\n"answers.disclaimer_presence" = 1.0\n[corpus]\n"retrieval.hybrid.recall@10" = 0.5\n'
    )
    failing = tmp_path / "fail.toml"
    failing.write_text('[corpus]\n"retrieval.hybrid.recall@10" = 0.5\n"latency.p95_ms" = { max = 0.001 }\n')
    result = wisdom("eval", "compare", str(local_run), str(http_run), "--gate", str(passing))
    assert result.exit_code == 0, result.output
    assert "gate: all 2 checks passed" in result.stdout
    result = wisdom("eval", "compare", str(local_run), str(http_run), "--gate", str(failing))
    assert result.exit_code == 1 and "FAIL" in result.stdout and "gate: 1 of 2 checks failed" in result.stdout
    result = wisdom("eval", "gate", str(local_run), str(http_run), "--thresholds", str(passing))
    assert result.exit_code == 0 and "gate: all 4 checks passed" in result.stdout
    result = wisdom("eval", "gate", str(local_run), str(tmp_path / "nothing"), "--thresholds", str(passing))
    assert result.exit_code == 1 and "metrics.json not found" in flat(result.stderr)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_target_names_the_url_and_writes_partial_output(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    out = tmp_path / "run"
    result = wisdom("eval", "run", "--suite", "corpus", "--limit", "3", "--target", url, "--out", str(out))
    assert result.exit_code == 1
    message = flat(result.stderr)
    assert f"error: cannot reach {url}" in message and "Check that the server is running" in message
    assert f"Partial results for 0 of 3 questions were written to {out}" in message
    data = metrics(out)
    assert data["run"]["error"].startswith(f"cannot reach {url}") and data["run"]["completed"] == 0
    assert results(out) == [] and (out / "report.html").is_file()


class DropsAfter(httpx.BaseTransport):
    """A real connection to the test server that goes away after `asks` questions."""

    def __init__(self, asks: int):
        self.inner = httpx.HTTPTransport()
        self.left = asks

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/ask":
            if self.left == 0:
                raise httpx.ConnectError("connection refused", request=request)
            self.left -= 1
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def test_a_server_lost_mid_run_leaves_the_finished_questions(
    server: str, embedder: TransformerEmbedder, tmp_path: Path
) -> None:
    dataset = load_suite("corpus", limit=8)
    target = HttpTarget(server, transport=DropsAfter(3))
    outcome = run_eval(dataset, target, tmp_path, embedder, concurrency=1)
    target.close()
    assert outcome.error is not None and outcome.error.startswith(f"cannot reach {server}")
    assert "POST /v1/ask" in outcome.error
    rows = results(tmp_path)
    assert [r["id"] for r in rows] == [c.id for c in dataset.cases[:3]]
    assert all(r["text"] for r in rows)
    data = metrics(tmp_path)
    assert data["run"]["completed"] == 3 and data["metrics"]["questions"] == 3
    assert "run stopped early" in (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "Partial results below" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_malformed_dataset_lines_are_named_and_skipped(qa_index: Path, tmp_path: Path) -> None:
    dataset = tmp_path / "mine.jsonl"
    good = {"id": "a", "question": "What is IVIG?", "doc_ids": ["ivig"], "expect_kind": "answer"}
    dataset.write_text(
        json.dumps(good) + "\n" + '{"id": "b", "question": 7}\n' + json.dumps({**good, "id": "c"}) + "\n"
    )
    out = tmp_path / "run"
    result = wisdom("eval", "run", "--dataset", str(dataset), "--index-dir", str(qa_index), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"skipped {dataset}, line 2: field 'question': Input should be a valid string" in flat(
        result.stderr
    )
    data = metrics(out)
    assert data["run"]["suite"] == "mine" and data["metrics"]["questions"] == 2
    assert data["run"]["skipped_lines"] == [f"{dataset}, line 2: field 'question': Input should be a valid "
                                            "string; line skipped."]  # fmt: skip
    assert "1 dataset line(s) skipped" in (out / "summary.md").read_text(encoding="utf-8")


def test_unknown_suite_and_bad_arguments(tmp_path: Path) -> None:
    result = wisdom("eval", "run", "--suite", "nope")
    assert result.exit_code == 1
    assert "unknown suite 'nope'; known suites: safety, triage-blind" in flat(result.stderr)
    assert "corpus, medquad-dev" in flat(result.stderr)
    result = wisdom("eval", "run")
    assert result.exit_code == 1 and "exactly one of --suite NAME or --dataset" in flat(result.stderr)
    result = wisdom("eval", "run", "--suite", "corpus", "--target", "ftp://x", "--out", str(tmp_path / "r"))
    assert result.exit_code == 1 and "--target must be 'local' or a URL" in flat(result.stderr)


def test_missing_shared_data_skips_the_suite(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WISDOM_EVAL_MEDQUAD_DIR", str(tmp_path / "absent"))
    get_settings.cache_clear()
    out = tmp_path / "run"
    result = wisdom("eval", "run", "--suite", "medquad-dev", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "skipped: suite 'medquad-dev' skipped" in flat(result.stderr)
    assert "skipped" in metrics(out)["run"]
    toml = tmp_path / "t.toml"
    toml.write_text('[medquad-dev]\n"retrieval.hybrid.recall@5" = 0.9\n')
    result = wisdom("eval", "gate", str(out), "--thresholds", str(toml))
    assert result.exit_code == 0 and "skipped" in result.stdout


def test_a_dataset_whose_documents_are_not_in_the_index_is_warned_about(
    qa_index: Path, tmp_path: Path
) -> None:
    dataset = tmp_path / "elsewhere.jsonl"
    rows = [
        {"id": f"q{i}", "question": "What are the symptoms of Kawasaki disease?", "doc_ids": ["medquad-0001"]}
        for i in range(2)
    ]
    dataset.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "run"
    result = wisdom("eval", "run", "--dataset", str(dataset), "--index-dir", str(qa_index), "--out", str(out))
    assert result.exit_code == 0, result.output
    text = flat(result.stderr)
    assert "only 0 of 2 questions have an expected document in the index" in text
    assert "wisdom ingest ../shared/data/medquad/corpus.jsonl" in text
    assert metrics(out)["metrics"]["questions"] == 2  # a warning: the run still goes on
