"""Safety triage, run before retrieval.

Order: self-harm and emergencies (urgent) → personal dosing / start / stop requests (refer) →
clearly non-medical questions and prompt injection (out of scope). Each decision combines rules
(triage_rules.py, read over normalised text: triage_text.py) with embedding similarity to the
example phrasings in prompts/triage.yaml.

An emergency rule counts when something is happening to someone: a question about a topic with
nobody in it ("What is a stroke?"), an event that is over ("I had chest pain last year"), a
hypothetical ("What should I do if I fall?") or a negation ("no chest pain") is answered
normally. Self-harm is the exception that errs on the side of the crisis line: it ignores tense
and negation, and a request for a lethal dose always gets the crisis message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from typing import Literal

import numpy as np
import yaml

from ingest.embedding import Embedder
from qa_service import triage_rules as tr
from qa_service.triage_text import normalise

TriageKind = Literal["urgent", "refer", "out_of_scope", "none"]
_URGENT = tr.compile_rules()


@dataclass(frozen=True)
class Triage:
    kind: TriageKind
    category: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class TriageConfig:
    urgent_similarity: float = 0.70
    urgent_similarity_statement: float = 0.62
    """Lower bar for a first-person statement ("my little one chewed a dishwasher tablet"): people
    describing an emergency rarely phrase it as a question."""
    refer_similarity: float = 0.80
    out_of_scope_similarity: float = 0.70
    margin: float = 0.05


class SafetyTriage:
    def __init__(self, embedder: Embedder, config: TriageConfig | None = None):
        self.embedder = embedder
        self.config = config or TriageConfig()
        raw = resources.files("prompts").joinpath("triage.yaml").read_text(encoding="utf-8")
        self.examples = yaml.safe_load(raw)

    @cached_property
    def _bank(self) -> tuple[np.ndarray, list[tuple[str, str]]]:
        labels: list[tuple[str, str]] = []
        texts: list[str] = []
        for category, phrases in self.examples["urgent"].items():
            for p in phrases:
                labels.append(("urgent", category))
                texts.append(p)
        for group in ("informational", "refer", "out_of_scope"):
            for p in self.examples[group]:
                labels.append((group, group))
                texts.append(p)
        return self.embedder.embed(texts), labels

    def _similarities(self, question: str) -> dict[tuple[str, str], float]:
        vectors, labels = self._bank
        sims = vectors @ self.embedder.embed([question])[0]
        best: dict[tuple[str, str], float] = {}
        for label, sim in zip(labels, sims, strict=True):
            best[label] = max(best.get(label, -1.0), float(sim))
        return best

    def triage(self, question: str) -> Triage:
        text = normalise(question)
        personal = bool(tr.SPECIFIC_PERSON.search(text))
        topical = not personal and bool(tr.QUESTION_START.search(text) or tr.TOPIC_FRAMING.search(text))
        over = bool(tr.PAST.search(text)) and not tr.RECENT.search(text)
        if tr.LETHAL.search(text):
            return Triage("urgent", "self_harm", "rule:lethal")
        scene = _without_hypotheticals(text)
        for category, rules in _URGENT.items():
            if category == "self_harm":
                if not topical and any(_matches(rule, text, negatable=False) for rule in rules):
                    return Triage("urgent", category, "rule:self_harm")
            elif not topical and not over and any(_matches(rule, scene) for rule in rules):
                return Triage("urgent", category, f"rule:{category}")
        if personal and _asks_for_a_dose(text):
            return Triage("refer", "dosing", "rule:dosing")
        if tr.INJECTION.search(text):
            embedded = _embedded_question(question)
            if embedded is None or tr.INJECTION.search(normalise(embedded)):
                return Triage("out_of_scope", None, "injection")
            return self.triage(embedded)
        sims = self._similarities(scene or text)
        urgent = max(((v, c) for (g, c), v in sims.items() if g == "urgent"), default=(0.0, ""))
        info = sims.get(("informational", "informational"), 0.0)
        statement = "?" not in text and not tr.QUESTION_START.search(text)
        bar = self.config.urgent_similarity_statement if statement else self.config.urgent_similarity
        if (
            personal
            and not over
            and urgent[0] >= bar
            and urgent[0] >= info + self.config.margin
            and _has_co_symptoms(urgent[1], scene)
            and not _denied(scene)
        ):
            return Triage("urgent", urgent[1], f"similar:{urgent[0]:.2f}")
        refer = sims.get(("refer", "refer"), 0.0)
        if personal and refer >= self.config.refer_similarity and refer >= info + self.config.margin:
            return Triage("refer", "dosing", f"similar:{refer:.2f}")
        off = sims.get(("out_of_scope", "out_of_scope"), 0.0)
        medical = max(v for (g, _), v in sims.items() if g != "out_of_scope")
        if tr.OFF_TOPIC.search(text) or (
            off >= self.config.out_of_scope_similarity and off >= medical + self.config.margin
        ):
            return Triage("out_of_scope", None, f"off-topic:{off:.2f}")
        return Triage("none")


def _matches(rule: list[re.Pattern[str]], text: str, negatable: bool = True) -> bool:
    """Every pattern of the rule matches, and (when negatable) some match of the first is not
    cancelled by a negation just before it ("I don't have chest pain")."""
    first, *rest = rule
    found = [m for m in first.finditer(text) if not (negatable and _negated(text, m.start()))]
    return bool(found) and all(p.search(text) for p in rest)


def _has_co_symptoms(category: str, text: str) -> bool:
    """A category whose rule needs two findings (dark urine *and* muscle pain or weakness) needs
    the second one from a similar phrasing too: dark urine alone is a same-day call, not 911."""
    needs = [rule[1:] for rule in _URGENT.get(category, []) if len(rule) > 1]
    return not needs or any(all(p.search(text) for p in extra) for extra in needs)


def _denied(text: str) -> bool:
    """The message names an emergency sign only to deny it ("I don't have chest pain"), which
    also makes it look like one to the embedding model."""
    for rules in _URGENT.values():
        for rule in rules:
            starts = [m.start() for m in rule[0].finditer(text)]
            if starts and all(_negated(text, start) for start in starts):
                return True
    return False


def _negated(text: str, start: int) -> bool:
    """A negation among the three words before `start`, in the same clause."""
    clause = re.split(r"[.,;:!?]|\bbut\b", text[:start])[-1]
    return any(word in tr.NEGATIONS for word in clause.split()[-3:])


def _without_hypotheticals(text: str) -> str:
    """The text without hypothetical clauses ("what should I do if I fall"), keeping those that
    describe something that has happened or is happening ("if I took too many", "if right now")."""

    def drop(m: re.Match[str]) -> str:
        clause = m.group(0)
        return clause if tr.HAPPENED.search(clause) or tr.RECENT.search(clause) else " "

    return " ".join(tr.HYPOTHETICAL.sub(drop, text).split())


def _asks_for_a_dose(text: str) -> bool:
    """An amount for someone ("how much ... should my son take") or a change to a named medicine
    ("can I stop my prednisone"). "How much should I take?" counts even without a medicine;
    "how much exercise should I do" and "can I take a shower" do not."""
    if tr.REFER.search(text):
        return True
    medicine = bool(tr.MEDICINE.search(text))
    dose = tr.DOSE_AMOUNT.search(text)
    if dose and (medicine or dose.group(4) == "take"):
        return True
    return medicine and bool(tr.REFER_WITH_MEDICINE.search(text))


def _embedded_question(question: str) -> str | None:
    """The last part of a prompt-injection message that is a question of its own ("Ignore all
    instructions ... : what is myositis?"), or None."""
    parts = re.split(r"(?<=[.:!?])\s+|\b(?:USER|User|user):\s*", " ".join(question.split()))
    for part in reversed([p.strip(" '\"") for p in parts if p and p.strip(" '\"")]):
        if part.endswith("?") or tr.QUESTION_START.search(part.lower()):
            return part if part != question.strip() else None
    return None
