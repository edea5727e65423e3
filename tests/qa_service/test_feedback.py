"""POST /v1/feedback keeps a patient's rating of an answer in SQLite, on real servers: the rating,
reason, answer kind, index version and the cited page sections, never the question unless the
operator opts in; bad input is a 4xx with the disclaimer; the ratings outlive a restart and
`wisdom feedback report` ranks page sections by how often their answers were not helpful."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from qa_service.cli.main import app as wisdom_app
from qa_service.http.app import create_app
from qa_service.pipeline import Pipeline
from tests.qa_service.conftest import ask, assert_disclaimer, assert_error, make_settings, serve

IVIG = "What are the side effects of IVIG?"
QUESTION_TEXT = "What are the side effects of IVIG? I start on Tuesday"


@pytest.fixture
def server(shared_pipeline: Pipeline, qa_index: Path) -> Iterator[Any]:
    """`server(db, **settings)` → a client for a real server writing feedback to `db`."""
    with ExitStack() as stack:

        def start(db: Path, **overrides: Any) -> httpx.Client:
            settings = make_settings(qa_index, feedback_db=db, **overrides)
            url = stack.enter_context(serve(create_app(pipeline=shared_pipeline, settings=settings)))
            return stack.enter_context(httpx.Client(base_url=url, timeout=60))

        yield start


def rate(client: httpx.Client, answer: dict[str, Any], rating: str, **extra: Any) -> dict[str, Any]:
    body = {
        "rating": rating,
        "kind": answer["kind"],
        "index_version": answer["index_version"],
        "chunk_ids": [c["chunk_id"] for c in answer["citations"]],
        **extra,
    }
    response = client.post("/v1/feedback", json=body)
    assert response.status_code == 201, response.text
    receipt: dict[str, Any] = response.json()
    assert_disclaimer(receipt)
    return receipt


def rows(db: Path) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute("SELECT * FROM feedback ORDER BY id").fetchall()
    finally:
        conn.close()


def test_the_database_is_a_real_file_created_when_the_service_starts(server: Any, tmp_path: Path) -> None:
    db = tmp_path / "ops" / "feedback.sqlite3"
    server(db)
    assert db.is_file()
    assert rows(db) == []


def test_a_rating_is_stored_with_the_cited_sections_and_no_question_text(
    server: Any, tmp_path: Path, shared_pipeline: Pipeline
) -> None:
    db = tmp_path / "feedback.sqlite3"
    client = server(db)
    answer = ask(client, IVIG)
    receipt = rate(client, answer, "not_helpful", reason="unclear", question=QUESTION_TEXT)
    assert receipt["question_stored"] is False
    assert receipt["pages_matched"] == len(answer["citations"])
    assert receipt["message"].startswith("Thank you")

    (row,) = rows(db)
    assert (row["rating"], row["reason"], row["kind"]) == ("not_helpful", "unclear", "answer")
    assert row["index_version"] == shared_pipeline.index.get().version.version_id
    assert row["question"] is None
    assert row["created"].endswith("Z")
    # not a word of the question anywhere in the file
    assert b"Tuesday" not in db.read_bytes()
    conn = sqlite3.connect(db)
    cited = conn.execute("SELECT chunk_id, doc_id, section FROM feedback_citations").fetchall()
    conn.close()
    assert cited == [(c["chunk_id"], c["doc_id"], c["section"]) for c in answer["citations"]]


def test_the_question_is_kept_only_when_the_operator_turns_it_on(server: Any, tmp_path: Path) -> None:
    db = tmp_path / "feedback.sqlite3"
    client = server(db, log_questions=True)
    answer = ask(client, IVIG)
    assert rate(client, answer, "helpful", question=QUESTION_TEXT)["question_stored"] is True
    assert rows(db)[0]["question"] == QUESTION_TEXT


def test_feedback_survives_a_restart_and_the_report_ranks_sections(server: Any, tmp_path: Path) -> None:
    db = tmp_path / "feedback.sqlite3"
    first = server(db)
    ivig = ask(first, IVIG)
    rate(first, ivig, "not_helpful", reason="wrong")
    rate(first, ivig, "not_helpful", reason="out_of_date")
    rate(first, ivig, "helpful")
    pizza = ask(first, "What is the best pizza topping?")
    rate(first, pizza, "not_helpful", reason="not_what_i_asked")
    first.close()

    second = server(db)  # a new server on the same file: nothing lost
    dm = ask(second, "What is dermatomyositis?")
    rate(second, dm, "helpful")
    # a chunk the live index does not hold (an older version's) is kept by its id
    rate(second, {**dm, "citations": [{"chunk_id": "0000gone0000"}]}, "not_helpful", reason="unclear")
    assert len(rows(db)) == 6

    result = CliRunner().invoke(wisdom_app, ["feedback", "report", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["rated"], report["not_helpful"]) == (6, 4)
    assert report["by_kind"]["abstain"] == {"rated": 1, "not_helpful": 1}
    assert report["reasons"] == {"wrong": 1, "out_of_date": 1, "not_what_i_asked": 1, "unclear": 1}
    worst = report["pages"][0]
    top = ivig["citations"][0]
    assert (worst["doc_id"], worst["section"]) == (top["doc_id"], top["section"])
    assert (worst["rated"], worst["not_helpful"]) == (3, 2)
    assert worst["unhelpful_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert worst["reasons"] == {"wrong": 1, "out_of_date": 1}
    dm_rows = [p for p in report["pages"] if p["doc_id"] == "dermatomyositis"]
    assert dm_rows and all(p["not_helpful"] == 0 for p in dm_rows)
    assert any(p["doc_id"] is None and p["not_helpful"] == 1 for p in report["pages"])

    table = CliRunner().invoke(wisdom_app, ["feedback", "report", "--db", str(db)])
    assert table.exit_code == 0, table.output
    assert "6 ratings" in table.stdout and "4 not helpful (67%)" in table.stdout
    assert top["title"] in table.stdout and "wrong 1" in table.stdout


def test_report_without_a_database_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(wisdom_app, ["feedback", "report", "--db", str(tmp_path / "none.sqlite3")])
    assert result.exit_code == 1
    assert result.stdout == "" and "Traceback" not in result.output
    assert result.stderr.startswith("error: no feedback database at")
    (tmp_path / "not.sqlite3").write_text("not a database", encoding="utf-8")
    result = CliRunner().invoke(wisdom_app, ["feedback", "report", "--db", str(tmp_path / "not.sqlite3")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("error: cannot read the feedback database")


@pytest.mark.parametrize(
    ("body", "phrase"),
    [
        ({"kind": "answer"}, "rating"),
        ({"rating": "meh", "kind": "answer"}, "rating"),
        ({"rating": "helpful", "kind": "answer", "reason": "wrong"}, "a reason goes with rating"),
        ({"rating": "not_helpful", "kind": "answer", "reason": "rude"}, "reason"),
        ({"rating": "helpful", "kind": "poem"}, "kind"),
        ({"rating": "helpful", "kind": "answer", "chunk_ids": ["<script>"]}, "chunk_ids"),
        ({"rating": "helpful", "kind": "answer", "chunk_ids": ["a"] * 21}, "chunk_ids"),
        ({"rating": "helpful", "kind": "answer", "question": "x" * 2001}, "too long"),
        ({"rating": "helpful", "kind": "answer", "question": "hi\x00"}, "control characters"),
        ({"rating": "helpful", "kind": "answer", "name": "Ann"}, "name"),
        ([1, 2], "body"),
    ],
)
def test_bad_feedback_is_a_4xx_with_the_disclaimer(client: httpx.Client, body: Any, phrase: str) -> None:
    error = assert_error(client.post("/v1/feedback", json=body), 422, "invalid_request")
    assert phrase in error["message"], error["message"]


def test_feedback_that_is_not_json_is_refused_with_the_disclaimer(client: httpx.Client) -> None:
    response = client.post("/v1/feedback", content=b"{not json", headers={"content-type": "application/json"})
    assert_error(response, 422, "invalid_request")
    assert_error(client.get("/v1/feedback"), 405)


def test_feedback_is_rate_limited_like_the_rest_of_v1(server: Any, tmp_path: Path) -> None:
    client = server(tmp_path / "feedback.sqlite3", rate_limit_per_minute=6, rate_limit_burst=2)
    body = {"rating": "helpful", "kind": "answer"}
    assert [client.post("/v1/feedback", json=body).status_code for _ in range(2)] == [201, 201]
    limited = client.post("/v1/feedback", json=body)
    assert_error(limited, 429, "rate_limited")
    assert "Retry-After" in limited.headers
    assert len(rows(tmp_path / "feedback.sqlite3")) == 2


def test_an_unwritable_database_is_a_503_with_the_disclaimer(server: Any, tmp_path: Path) -> None:
    db = tmp_path / "feedback.sqlite3"
    client = server(db)
    db.unlink()
    db.mkdir()  # the file is gone and a folder is in its way
    error = assert_error(client.post("/v1/feedback", json={"rating": "helpful", "kind": "answer"}), 503)
    assert error["error"] == "feedback_unavailable"


def test_serve_with_an_unwritable_feedback_database_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: pytest.fail("served without its feedback database"))
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    db = blocker / "feedback.sqlite3"  # a folder that cannot be made: a file is in its way
    env = {"WISDOM_FEEDBACK_DB": str(db), "WISDOM_INDEX_DIR": str(tmp_path / "index")}
    result = CliRunner().invoke(wisdom_app, ["serve", "--port", "1"], env=env)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "error: cannot create the feedback database" in " ".join(result.stderr.split())
    assert "WISDOM_FEEDBACK_DB" in " ".join(result.stderr.split())
