"""`wisdom ask`: the answer, its numbered citations and the disclaimer; `--json` prints an Answer;
bad input and a missing index are one-line errors with exit code 1, never a traceback.

Each `ask` that gets past validation loads the model (a few seconds), so there are few of them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

import prompts
from qa_service.cli.main import app
from qa_service.models import Answer, AskRequest
from qa_service.pipeline import Pipeline

IVIG = "What are the side effects of IVIG?"


def wisdom(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def flat(text: str) -> str:
    """Output with Rich's line wrapping undone."""
    return re.sub(r"[ \t]*\n[ \t]*", " ", text).strip()


def assert_one_line_error(result: Result, *phrases: str) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.stdout == ""
    assert "Traceback" not in result.output
    # one message; Rich may wrap it at 80 columns when stderr is not a terminal
    assert result.stderr.startswith("error: ") and result.stderr.count("error:") == 1, result.stderr
    assert "\n\n" not in result.stderr.strip()
    message = flat(result.stderr)
    for phrase in phrases:
        assert phrase in message


def test_ask_prints_answer_citations_and_disclaimer(qa_index: Path, shared_pipeline: Pipeline) -> None:
    result = wisdom("ask", IVIG, "--index-dir", str(qa_index))
    assert result.exit_code == 0, result.output
    expected = shared_pipeline.ask(AskRequest(question=IVIG))
    out = result.stdout
    assert out.startswith(expected.text + "\n")
    assert out.startswith("From our page \u201cIntravenous immunoglobulin (IVIG)\u201d")
    listed = re.findall(r"(?m)^\[(\d+)\] (.+?)$", out.split(expected.text, 1)[1])
    assert [int(n) for n, _ in listed] == [c.n for c in expected.citations]
    for (_, line), c in zip(listed, expected.citations, strict=True):
        assert line.startswith(f"{c.title} › {c.section}")
    assert listed[0][1].startswith("Intravenous immunoglobulin (IVIG) › ")
    assert flat(out).endswith(prompts.disclaimer())
    assert "Traceback" not in result.output


def test_ask_json_prints_a_valid_answer(qa_index: Path, shared_pipeline: Pipeline) -> None:
    result = wisdom("ask", IVIG, "--index-dir", str(qa_index), "--json", "--k", "3")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    answer = Answer.model_validate(data)
    assert data["disclaimer"] == prompts.disclaimer()
    expected = shared_pipeline.ask(AskRequest(question=IVIG, k=3))
    assert answer.kind == "answer"
    assert answer.text == expected.text
    assert answer.citations == expected.citations
    assert answer.index_version == shared_pipeline.index.version_id
    assert {c.doc_id for c in answer.citations} == {"ivig"}


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("", "at least 1 character"),
        ("   ", "the question is empty"),
        ("x" * 2001, "at most 2000 characters"),
        ("¿Qué es la miositis y cómo se trata?", "does not look like English"),
    ],
)
def test_invalid_question_is_a_one_line_error(qa_index: Path, question: str, phrase: str) -> None:
    assert_one_line_error(wisdom("ask", question, "--index-dir", str(qa_index)), phrase)


def test_k_out_of_range_is_a_usage_error(qa_index: Path) -> None:
    result = wisdom("ask", IVIG, "--index-dir", str(qa_index), "--k", "0")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_no_index_says_to_run_ingest(tmp_path: Path) -> None:
    result = wisdom("ask", "What is the CK test?", "--index-dir", "nothing-here")
    assert_one_line_error(result, "no index in nothing-here", "Run: wisdom ingest")
