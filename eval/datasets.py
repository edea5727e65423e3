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
        Suite("triage-blind", "patient messages written blind from the red-flag taxonomy: urgent per "
              "category, near misses, dosing (eval/suites)", False, "triage-blind.jsonl"),
        Suite("triage-blind-b", "a second blind set, written from clinical red-flag knowledge without the "
              "taxonomy (its own category names)", False, "triage-blind-b.jsonl"),
        Suite("triage-blind-c", "a third blind set, written from the taxonomy in round 3 before triage "
              "changed again: 100 urgent over all categories, 65 near misses, 35 dosing", False,
              "triage-blind-c.jsonl"),
        Suite("answers-blind", "patient questions over every corpus/ page written blind from the pages "
              "(66 answerable, 12 of them follow-ups; 10 the library cannot answer), with key facts",
              False, "answers-blind.jsonl"),
        Suite("answers-blind-2", "a second blind set of patient questions over every corpus/ page, written "
              "mid-round before the last answer changes (66 answerable, 10 not)", False,
              "answers-blind-2.jsonl"),
        Suite("answers-blind-3", "a third blind set of patient questions, written at the end of round 3 "
              "before the safety-net line moved (66 answerable, 10 not)", False, "answers-blind-3.jsonl"),
        Suite("answers-blind-4", "a fourth blind set of patient questions, written at the end of round 3 "
              "before whole-passage answers (66 answerable, 10 not)", False, "answers-blind-4.jsonl"),
        Suite("answers-blind-5", "a fifth blind set of patient questions, written at the end of round 3 "
              "to choose how the first passage is picked (66 answerable, 10 not)", False,
              "answers-blind-5.jsonl"),
        Suite("triage-blind-d", "a fourth blind triage set from the taxonomy, written at the end of round 3: "
              "100 urgent, 65 near misses, 35 dosing", False, "triage-blind-d.jsonl"),
        Suite("triage-blind-e", "a fifth blind triage set from the taxonomy, written at the start of round 4 "
              "before triage changed: 100 urgent, 65 near misses, 35 dosing", False, "triage-blind-e.jsonl"),
        Suite("answers-blind-6", "a sixth blind set of patient questions, written at the start of round 4 "
              "before triage and the safety-net line changed (66 answerable, 10 not)", False,
              "answers-blind-6.jsonl"),
        Suite("answers-blind-7", "a seventh blind set of patient questions, written in round 4 before the "
              "small-library intent prior and the follow-up rule (66 answerable, 10 not)", False,
              "answers-blind-7.jsonl"),
        Suite("answers-blind-8", "an eighth blind set of patient questions, written in round 4 before the "
              "rare-word abstention was tried (66 answerable, 10 not, each missing a different kind of "
              "thing)", False, "answers-blind-8.jsonl"),
        Suite("triage-blind-f", "a sixth blind triage set from the taxonomy, written at the start of round 5 "
              "before triage changed: 100 urgent, 65 near misses, 35 dosing", False, "triage-blind-f.jsonl"),
        Suite("triage-blind-g", "a seventh blind triage set from the taxonomy by another reviewer, written "
              "with F: 100 urgent, 65 near misses, 35 dosing", False, "triage-blind-g.jsonl"),
        Suite("answers-blind-9", "a ninth blind set of patient questions, written at the start of round 5 "
              "before the section questions (66 answerable over all 56 pages, 10 not)", False,
              "answers-blind-9.jsonl"),
        Suite("answers-blind-10", "a tenth blind set of patient questions, written in round 5 before the "
              "follow-up, abstention and list changes (66 answerable over all 56 pages, 10 not)", False,
              "answers-blind-10.jsonl"),
        Suite("answers-blind-11", "an eleventh blind set of patient questions, written in round 5 before "
              "the rare-word abstention and follow-up question matching (66 answerable, 10 not)", False,
              "answers-blind-11.jsonl"),
        Suite("answers-blind-12", "a twelfth blind set of patient questions, written in round 5 before the "
              "detail and follow-up-suggestion section questions (66 answerable, 10 not)", False,
              "answers-blind-12.jsonl"),
        Suite("triage-blind-h", "an eighth blind triage set from the taxonomy, written at the start of "
              "round 6 before triage changed: 100 urgent, 65 near misses, 35 dosing", False,
              "triage-blind-h.jsonl"),
        Suite("answers-blind-13", "a thirteenth blind set of patient questions, written at the start of "
              "round 6 before the safety-net and dosing changes (66 answerable over all 56 pages, 10 not)",
              False, "answers-blind-13.jsonl"),
        Suite("triage-blind-i", "a ninth blind triage set from the taxonomy, written in round 6 before the "
              "second round of triage changes: 100 urgent, 65 near misses, 35 dosing", False,
              "triage-blind-i.jsonl"),
        Suite("answers-blind-14", "a fourteenth blind set of patient questions, written in round 6 before "
              "the in-context reading of follow-ups and the rare-word change (66 answerable, 10 not)",
              False, "answers-blind-14.jsonl"),
        Suite("triage-blind-j", "a tenth blind triage set from the taxonomy, written at the end of round 6 "
              "to measure the round's final triage against its start: 100 urgent, 65 near misses, 35 "
              "dosing", False, "triage-blind-j.jsonl"),
        Suite("answers-blind-15", "a fifteenth blind set of patient questions, written at the end of "
              "round 6 to measure the round's final answers against its start (66 answerable, 10 not)",
              False, "answers-blind-15.jsonl"),
        Suite("triage-blind-k", "an eleventh blind triage set from the taxonomy, written at the start of "
              "round 7 before triage changed: 100 urgent, 65 near misses, 35 dosing", False,
              "triage-blind-k.jsonl"),
        Suite("answers-blind-16", "a sixteenth blind set of patient questions, written at the start of "
              "round 7 before any change (66 answerable over 55 pages, 10 not)", False,
              "answers-blind-16.jsonl"),
        Suite("triage-blind-l", "a twelfth blind triage set from the taxonomy, written in round 7 after "
              "its triage changes, to measure them against the round's start: 100 urgent, 65 near misses, "
              "35 dosing", False, "triage-blind-l.jsonl"),
        Suite("triage-blind-m", "a thirteenth blind triage set from the taxonomy, written late in round 7 "
              "to measure its final triage against its start: 100 urgent, 65 near misses, 35 dosing", False,
              "triage-blind-m.jsonl"),
        Suite("triage-blind-n", "a fourteenth blind triage set from the taxonomy, written at the start of "
              "round 8 before triage changed: 100 urgent, 65 near misses, 35 dosing", False,
              "triage-blind-n.jsonl"),
        Suite("answers-blind-17", "a seventeenth blind set of patient questions, written at the start of "
              "round 8 before any change (66 answerable over 56 pages, 10 not)", False,
              "answers-blind-17.jsonl"),
        Suite("triage-blind-o", "a fifteenth blind triage set from the taxonomy, written in round 8 after "
              "the classifier changed, to measure it against the round's start: 100 urgent, 65 near "
              "misses, 35 dosing", False, "triage-blind-o.jsonl"),
        Suite("triage-blind-p", "a sixteenth blind triage set from the taxonomy, written at the end of "
              "round 8 after every change but the last rules, to measure the round's triage against its "
              "start: 100 urgent, 65 near misses, 35 dosing", False, "triage-blind-p.jsonl"),
        Suite("triage-blind-q", "a seventeenth blind triage set from the taxonomy, written at the start of "
              "round 9 before triage changed (its misses then read and fixed): 100 urgent, 65 near misses, "
              "35 dosing", False, "triage-blind-q.jsonl"),
        Suite("answers-blind-18", "an eighteenth blind set of patient questions, written at the start of "
              "round 9 before any change (66 answerable over 56 pages, 10 not)", False,
              "answers-blind-18.jsonl"),
        Suite("answers-blind-19", "a nineteenth blind set of patient questions, written in round 9 after "
              "its first answer changes, before the last ones (66 answerable over 55 pages, 10 not)", False,
              "answers-blind-19.jsonl"),
        Suite("triage-blind-r", "an eighteenth blind triage set from the taxonomy, written at the start of "
              "round 9 and never read: 100 urgent, 65 near misses, 35 dosing", False, "triage-blind-r.jsonl"),
        Suite("triage-blind-s", "a nineteenth blind triage set from the taxonomy, written at the start of "
              "round 10 before triage changed (its misses then read and fixed): 100 urgent, 65 near misses, "
              "35 dosing", False, "triage-blind-s.jsonl"),
        Suite("triage-blind-t", "a twentieth blind triage set from the taxonomy, written at the start of "
              "round 10 and never read: 100 urgent, 65 near misses, 35 dosing", False,
              "triage-blind-t.jsonl"),
        Suite("answers-blind-20", "a twentieth blind set of patient questions, written at the start of "
              "round 10 before any change (66 answerable over 56 pages, 10 not)", False,
              "answers-blind-20.jsonl"),
        Suite("triage-blind-u", "a twenty-first blind triage set from the taxonomy, written at the start "
              "of round 11 and never read: 100 urgent, 65 near misses, 35 dosing", False,
              "triage-blind-u.jsonl"),
        Suite("answers-blind-21", "a twenty-first blind set of patient questions, written at the start of "
              "round 11 before any change (66 answerable over 56 pages, 10 not)", False,
              "answers-blind-21.jsonl"),
        Suite("answers-blind-22", "a twenty-second blind set of patient questions, written in round 11 "
              "after its triage changes, before its answer changes (66 answerable over 56 pages, 10 not)",
              False, "answers-blind-22.jsonl"),
        Suite("triage-blind-v", "a twenty-second blind triage set from the taxonomy, written at the start "
              "of round 12 and never read: 100 urgent, 65 near misses, 35 dosing", False,
              "triage-blind-v.jsonl"),
        Suite("answers-blind-23", "a twenty-third blind set of patient questions, written at the start of "
              "round 12 before any change (66 answerable over 56 pages, 10 not); graded", False,
              "answers-blind-23.jsonl"),
        Suite("triage-blind-w", "a twenty-third blind triage set from the taxonomy, written at the start "
              "of round 13, its misses read in round 14: 100 urgent, 65 near misses, 35 dosing", False,
              "triage-blind-w.jsonl"),
        Suite("answers-blind-24", "a twenty-fourth blind set of patient questions, written at the start of "
              "round 13 before any change (66 answerable over 56 pages, 10 not); graded", False,
              "answers-blind-24.jsonl"),
        Suite("triage-blind-x", "a twenty-fourth blind triage set from the taxonomy, written at the start "
              "of round 14, its misses read in round 15: 100 urgent, 65 near misses, 35 dosing", False,
              "triage-blind-x.jsonl"),
        Suite("answers-blind-25", "a twenty-fifth blind set of patient questions, written at the start of "
              "round 14 before any change (66 answerable over 56 pages, 10 not); graded", False,
              "answers-blind-25.jsonl"),
        Suite("triage-blind-y", "a twenty-fifth blind triage set from the taxonomy, written at the start "
              "of round 15; its misses read in round 16: 100 urgent, 65 near misses, 35 dosing", False,
              "triage-blind-y.jsonl"),
        Suite("answers-blind-26", "a twenty-sixth blind set of patient questions, written at the start of "
              "round 15 before any change (66 answerable over 56 pages, 10 not); graded", False,
              "answers-blind-26.jsonl"),
        Suite("triage-blind-z", "a twenty-sixth blind triage set from the taxonomy, written at the start "
              "of round 16 and never read: 100 urgent, 65 near misses, 35 dosing", False,
              "triage-blind-z.jsonl"),
        Suite("answers-blind-27", "a twenty-seventh blind set of patient questions, written at the start of "
              "round 16 before any change (66 answerable over 55 pages, 10 not); graded", False,
              "answers-blind-27.jsonl"),
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
