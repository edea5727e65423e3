"""Evaluation datasets: JSONL files of questions, one JSON object per line, and the built-in suites.

The line format is the question format of ../shared/data/medquad (`id`, `question`, `doc_ids`,
`section`, `answer`, `answerable`, `qtype`; other fields are ignored), plus the optional
`history`, `expect_kind` (an answer kind, or `not_urgent`: any kind but urgent),
`must_include_any`, `must_not_include_any`, and for triage sets `category` (the red-flag category
of prompts/triage_taxonomy.yaml, reported per category) and `warning_sign` (a message that is not
urgent but names a warning sign, so its reply must carry the safety-net line).

Bad lines do not stop a run. Each one is reported as a `DatasetProblem` naming the file, the line
number and what is wrong, and skipped; the run goes on with the good lines and its reports list
the skipped lines. A file with no usable line at all is an error (`DatasetError`).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from eval.blind_suites import BLIND_SUITES
from qa_service.models import ChatTurn
from qa_service.settings import get_settings

ExpectedKind = Literal["answer", "abstain", "urgent", "refer", "not_urgent"]
"""An answer kind (qa_service.models.AnswerKind), or `not_urgent`: any kind but urgent."""

SUITES_DIR = Path(__file__).resolve().parent / "suites"


def medquad_dir() -> Path:
    """The MedQuAD folder: the `eval_medquad_dir` setting (WISDOM_EVAL_MEDQUAD_DIR, default
    ../shared/data/medquad beside the repository)."""
    return get_settings().eval_medquad_dir


class DatasetError(Exception):
    """A dataset or suite that cannot be used at all; the message says what to do."""


class SuiteUnavailable(DatasetError):
    """A built-in suite whose data is not on this machine (../shared is absent): skipped."""


class EvalCase(BaseModel):
    """One question of a dataset line. Unknown fields are ignored (the MedQuAD files carry more)."""

    model_config = ConfigDict(extra="ignore")
    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    doc_ids: list[str] = Field(default_factory=list)
    section: str | None = None
    answer: str | None = None
    answerable: bool | Literal["likely", "unknown"] = True
    qtype: str | None = None
    history: list[ChatTurn] = Field(default_factory=list)
    expect_kind: ExpectedKind | None = None
    red_flag: str | None = Field(default=None, validation_alias="category")
    """The red-flag category of a triage case (`category` in the file)."""
    warning_sign: bool = False
    must_include_any: list[str] = Field(default_factory=list)
    must_not_include_any: list[str] = Field(default_factory=list)

    @field_validator("id", "question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value

    @property
    def expected_kind(self) -> ExpectedKind | None:
        """`expect_kind` if given; else `answer` for answerable questions and `abstain` for
        unanswerable ones; None ("likely" / "unknown") when the dataset cannot say."""
        if self.expect_kind is not None:
            return self.expect_kind
        if self.answerable is True:
            return "answer"
        if self.answerable is False:
            return "abstain"
        return None

    @property
    def category(self) -> str:
        """The question type, for per-type figures: a triage case's red-flag category and expected
        kind ("urgent: stroke"), else `qtype`; datasets without one group by answerability."""
        if self.red_flag:
            return f"{self.expected_kind}: {self.red_flag}"
        if self.qtype:
            return self.qtype
        return f"answerable: {str(self.answerable).lower()}"


@dataclass(frozen=True)
class DatasetProblem:
    """A dataset line that was skipped, and why."""

    path: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.path}, line {self.line}: {self.problem}"


@dataclass
class Dataset:
    """Questions loaded from a JSONL file, with the lines that could not be used."""

    name: str
    path: Path
    cases: list[EvalCase]
    problems: list[DatasetProblem] = field(default_factory=list)
    description: str = ""


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ())) or "line"
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        if err.get("type") == "missing":
            msg = "required field is missing"
        parts.append(f"field {where!r}: {msg}")
    return "; ".join(parts)


def load_dataset(path: Path, *, name: str | None = None, limit: int | None = None) -> Dataset:
    """Read and validate a JSONL dataset; skip (and report) bad lines. `limit` keeps the first N
    good questions."""
    if not path.is_file():
        raise DatasetError(f"dataset {path} not found; pass a JSONL file (one question per line).")
    cases: list[EvalCase] = []
    problems: list[DatasetProblem] = []
    seen: dict[str, int] = {}
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise DatasetError(f"cannot read dataset {path}: {exc.strerror or exc}") from exc
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if limit is not None and len(cases) >= limit:
                    break
                if not line.strip():
                    continue
                problem = None
                try:
                    raw = json.loads(line)
                except json.JSONDecodeError as exc:
                    problem = f"not valid JSON ({exc.msg} at column {exc.colno})"
                else:
                    if not isinstance(raw, dict):
                        problem = f"expected a JSON object, got {type(raw).__name__}"
                    else:
                        try:
                            case = EvalCase.model_validate(raw)
                        except ValidationError as exc:
                            problem = _describe(exc)
                        else:
                            if case.id in seen:
                                problem = f"duplicate id {case.id!r} (first on line {seen[case.id]})"
                            else:
                                seen[case.id] = number
                                cases.append(case)
                if problem is not None:
                    problems.append(DatasetProblem(str(path), number, problem + "; line skipped."))
        except UnicodeDecodeError as exc:
            raise DatasetError(f"dataset {path} is not UTF-8 text ({exc.reason}); save it as UTF-8.") from exc
    if not cases:
        detail = f" First problem: {problems[0]}" if problems else ""
        raise DatasetError(f"dataset {path} has no usable question.{detail}")
    return Dataset(name or path.stem, path, cases, problems)


# ---- built-in suites ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Suite:
    """A built-in question set: its file under eval/suites or in the MedQuAD folder."""

    name: str
    description: str
    shared: bool  # read from ../shared/data/medquad
    relative: str  # file under eval/suites or the MedQuAD folder

    @property
    def path(self) -> Path:
        """Where the suite's questions are on this machine."""
        return (medquad_dir() if self.shared else SUITES_DIR) / self.relative


GATE_SEED = 20261125
GATE_QUESTIONS = 200
GATE_MAX_WORDS = 400

SUITES: dict[str, Suite] = {
    s.name: s
    for s in (
        Suite("safety", "triage, dosing, out-of-scope and prompt-injection cases (eval/suites)", False,
              "safety.jsonl"),
        *(Suite(name, description, False, file) for name, description, file in BLIND_SUITES),
        Suite("corpus", "patient questions about the corpus/ pages, with the expected page", False,
              "corpus.jsonl"),
        Suite("medquad-dev", "MedQuAD templated questions, one per document (dev sample of 1,000)", True,
              "dev/questions_medquad_sample1000.jsonl"),
        Suite("consumer-dev", "real consumer questions (MEDIQA 2019), strict doc_ids where known", True,
              "dev/questions_consumer.jsonl"),
        Suite("unanswerable-dev", "questions the MedQuAD library cannot answer (must abstain)", True,
              "dev/questions_unanswerable.jsonl"),
        Suite("medquad-gate", f"{GATE_QUESTIONS} MedQuAD dev questions on short documents, fixed seed "
              "(CI gate; run on the subset index from `wisdom eval subset-index`)", True,
              "dev/questions_medquad_sample1000.jsonl"),
    )
}  # fmt: skip


def load_suite(name: str, *, limit: int | None = None) -> Dataset:
    """A built-in suite by name; `SuiteUnavailable` when its data is not on this machine."""
    suite = SUITES.get(name)
    if suite is None:
        known = ", ".join(SUITES)
        raise DatasetError(f"unknown suite {name!r}; known suites: {known}. Or pass --dataset PATH.jsonl.")
    if suite.shared and not suite.path.is_file():
        raise SuiteUnavailable(
            f"suite {name!r} skipped: {suite.path} not found. It reads ../shared/data/medquad "
            "(or WISDOM_EVAL_MEDQUAD_DIR), which is not on this machine."
        )
    if name == "medquad-gate":
        dataset = load_dataset(suite.path, name=name)
        dataset.cases = gate_cases(dataset.cases, corpus_word_counts())[:limit]
    else:
        dataset = load_dataset(suite.path, name=name, limit=limit)
    dataset.description = suite.description
    return dataset


def corpus_word_counts() -> dict[str, int]:
    """Words per MedQuAD document (from corpus.jsonl), to pick small documents for the gate."""
    counts: dict[str, int] = {}
    with (medquad_dir() / "corpus.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            counts[row["id"]] = len(row["text"].split())
    return counts


def gate_cases(cases: list[EvalCase], words: dict[str, int]) -> list[EvalCase]:
    """The CI gate's MedQuAD questions: those whose (single) document has at most GATE_MAX_WORDS
    words, so that their subset index ingests in about a minute, sampled with a fixed seed."""
    small = [c for c in cases if c.doc_ids and all(0 < words.get(d, 0) <= GATE_MAX_WORDS for d in c.doc_ids)]
    picked = random.Random(GATE_SEED).sample(small, min(GATE_QUESTIONS, len(small)))
    return sorted(picked, key=lambda c: c.id)
