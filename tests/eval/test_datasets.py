"""Dataset validation (bad lines named by file and line, then skipped), the built-in suites, and
the content rules of the team's safety and corpus suites."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from eval.datasets import (
    SUITES,
    DatasetError,
    SuiteUnavailable,
    gate_cases,
    load_dataset,
    load_suite,
)
from ingest.chunking import split_sections
from ingest.loaders import load_sources
from qa_service.settings import get_settings
from tests.conftest import CORPUS, MEDQUAD


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = json.dumps({"id": "q1", "question": "What is IVIG?", "doc_ids": ["ivig"], "answerable": True})


def test_bad_lines_are_named_and_skipped(tmp_path: Path) -> None:
    path = write(
        tmp_path / "set.jsonl",
        GOOD,
        '{"id": "q2", "question": "unterminated',
        json.dumps({"id": "q3"}),
        json.dumps({"id": "q4", "question": "Is it rare?", "doc_ids": "ivig"}),
        "",
        json.dumps({"id": "q5", "question": "Fine?", "expect_kind": "maybe"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "q1", "question": "Same id again?"}),
        json.dumps({"id": "q6", "question": "   "}),
        json.dumps({"id": "q7", "question": "What is CK?", "history": [{"role": "user", "content": "hi"}]}),
    )
    data = load_dataset(path)
    assert [c.id for c in data.cases] == ["q1", "q7"]
    problems = {p.line: p.problem for p in data.problems}
    assert sorted(problems) == [2, 3, 4, 6, 7, 8, 9]
    assert all(str(p).startswith(f"{path}, line {p.line}: ") for p in data.problems)
    assert "not valid JSON" in problems[2]
    assert "field 'question': required field is missing" in problems[3]
    assert "field 'doc_ids'" in problems[4] and "list" in problems[4]
    assert "field 'expect_kind'" in problems[6] and "'urgent'" in problems[6]
    assert "expected a JSON object, got list" in problems[7]
    assert "duplicate id 'q1' (first on line 1)" in problems[8]
    assert "must not be blank" in problems[9]
    assert all(p.endswith("line skipped.") for p in problems.values())
    assert data.cases[1].history[0].content == "hi"


def test_limit_counts_good_questions(tmp_path: Path) -> None:
    path = write(tmp_path / "set.jsonl", "oops", GOOD, GOOD.replace("q1", "q2"), GOOD.replace("q1", "q3"))
    data = load_dataset(path, limit=2)
    assert [c.id for c in data.cases] == ["q1", "q2"]
    assert [p.line for p in data.problems] == [1]


def test_a_dataset_without_any_usable_line_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"no usable question. First problem: .*line 1: not valid JSON"):
        load_dataset(write(tmp_path / "bad.jsonl", "{", "[1]"))
    with pytest.raises(DatasetError, match="not found"):
        load_dataset(tmp_path / "missing.jsonl")
    (tmp_path / "latin1.jsonl").write_bytes(b'{"id": "q", "question": "caf\xe9"}\n')
    with pytest.raises(DatasetError, match="not UTF-8"):
        load_dataset(tmp_path / "latin1.jsonl")


def test_expected_kind_follows_answerable_unless_given(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "question": "q?", "answerable": True},
        {"id": "b", "question": "q?", "answerable": False},
        {"id": "c", "question": "q?", "answerable": "likely"},
        {"id": "d", "question": "q?", "answerable": False, "expect_kind": "refer"},
    ]
    data = load_dataset(write(tmp_path / "k.jsonl", *map(json.dumps, rows)))
    assert [c.expected_kind for c in data.cases] == ["answer", "abstain", None, "refer"]


def test_unknown_suite_lists_the_known_ones() -> None:
    with pytest.raises(DatasetError) as info:
        load_suite("medquad-test")
    message = str(info.value)
    assert "unknown suite 'medquad-test'" in message
    for name in SUITES:
        assert name in message


def test_shared_suites_are_skipped_when_the_data_is_absent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WISDOM_EVAL_MEDQUAD_DIR", str(tmp_path / "nowhere"))
    get_settings.cache_clear()
    for name in ("medquad-dev", "consumer-dev", "unanswerable-dev", "medquad-gate"):
        with pytest.raises(SuiteUnavailable, match=f"suite '{name}' skipped: .*nowhere.* not found"):
            load_suite(name)
    assert load_suite("safety").cases  # the team's suites need nothing from ../shared


def test_gate_questions_are_fixed_and_on_short_documents() -> None:
    if not (MEDQUAD / "corpus.jsonl").is_file():
        pytest.skip(f"MedQuAD data not found at {MEDQUAD}")
    first = [c.id for c in load_suite("medquad-gate").cases]
    assert len(first) == 200 == len(set(first))
    assert first == [c.id for c in load_suite("medquad-gate").cases]
    sample = {c.id for c in load_suite("medquad-dev").cases}
    assert set(first) <= sample


def test_gate_cases_prefer_small_documents() -> None:
    from eval.datasets import EvalCase

    cases = [EvalCase(id=f"q{i}", question="q?", doc_ids=[f"d{i}"]) for i in range(10)]
    words = {f"d{i}": 100 * i for i in range(10)}  # d0 has 0 words (unknown): never picked
    picked = gate_cases(cases, words)
    assert [c.id for c in picked] == ["q1", "q2", "q3", "q4"]


# ---- the team's suites --------------------------------------------------------------------------


def test_safety_suite_covers_every_category() -> None:
    data = load_suite("safety")
    assert not data.problems
    assert len(data.cases) >= 80
    kinds = Counter(c.expected_kind for c in data.cases)
    types = Counter(c.qtype for c in data.cases)
    assert kinds["urgent"] >= 30 and kinds["refer"] >= 10 and kinds["abstain"] >= 10
    assert set(types) == {"emergency", "informational", "dosing", "out_of_scope", "prompt_injection"}
    # informational questions that mention emergencies must not be expected to be urgent
    informational = [c for c in data.cases if c.qtype == "informational"]
    assert len(informational) >= 15 and all(c.expected_kind != "urgent" for c in informational)
    assert any("rhabdomyolysis" in c.question.lower() for c in informational)
    # every emergency names the number the urgent message must carry
    for case in data.cases:
        if case.expected_kind == "urgent":
            assert case.must_include_any, case.id
    # no expected text gives a personal dose
    for case in data.cases:
        assert not re.search(r"\d+\s*mg", " ".join(case.must_include_any)), case.id
    injections = [c for c in data.cases if c.qtype == "prompt_injection"]
    assert all(c.must_not_include_any or c.expected_kind == "urgent" for c in injections)


def test_corpus_suite_points_at_real_pages_and_sections() -> None:
    data = load_suite("corpus")
    assert not data.problems
    assert len(data.cases) >= 40
    loaded = load_sources([CORPUS], max_document_bytes=5_000_000)
    docs = {d.doc_id: d for d in loaded.docs}
    labels = {d.doc_id: [s.label.lower() for s in split_sections(d)] for d in docs.values()}
    covered = set()
    for case in data.cases:
        assert case.doc_ids and all(d in docs for d in case.doc_ids), case.id
        covered.update(case.doc_ids)
        if case.section:
            assert any(case.section.lower() in label for label in labels[case.doc_ids[0]]), case.id
    assert len(covered) >= 35  # nearly every page is asked about
    assert sum(bool(c.history) for c in data.cases) >= 3  # follow-ups that need the chat history
