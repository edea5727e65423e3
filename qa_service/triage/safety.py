"""Safety triage, run before retrieval.

Order: self-harm and emergencies (urgent) → personal dose, timing, start or stop requests (refer)
→ clearly non-medical questions and prompt injection (out of scope). What counts as an emergency
is written down in prompts/triage_taxonomy.yaml (21 red-flag categories, each flag with its
clinical reason and source).

Two judges read the message, and either can make it urgent:
- rules (rules.py) over normalised text (text.py): high-precision phrasings of the
  taxonomy's flags;
- a classifier over the embedding model's vectors (model.py), trained on thousands of
  labelled patient messages written by the team (scripts/train_triage.py).
Both judge the message per unit (clauses.py): the whole message, each sentence and each
clause, so an emergency in one clause is never diluted by background in the others.

Urgency is lowered only by framing: a question about a topic with nobody in it ("What is a
stroke?"), a unit that places the event in the past with nothing recent ("I had chest pain last
year"), a hypothetical clause ("what should I do if I fall", dropped before judging) or a
negation just before a rule's finding ("no chest pain"). A framed message is urgent only when the
classifier is very sure of the whole message. Self-harm errs on the side of the crisis line: it
ignores tense and negation, and a lethal-dose request or a wish to die asked as a topic
(rules.LETHAL, rules.CRISIS) always gets the crisis message.

A message that names a warning sign but is not judged urgent carries `warning` (its category), and
its reply gets the safety-net line ("if this is happening now or getting worse, call ...").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from typing import Literal

import numpy as np
import yaml

from ingest.embedding import Embedder
from qa_service.triage import rules as tr
from qa_service.triage.clauses import (
    co_finding_denied,
    is_denied,
    only_asks_how,
    recent,
    without_hypotheticals,
)
from qa_service.triage.config import TriageConfig
from qa_service.triage.dosing import asks_for_a_dose, asks_of_a_planned_change, talks_of_a_change
from qa_service.triage.framing import Unit, framed_units
from qa_service.triage.model import REFER, TriageModel, UnitScores, default_model
from qa_service.triage.replies import most_specific
from qa_service.triage.text import normalise
from qa_service.triage.warning import WarningHead, default_warning_head

log = logging.getLogger("wisdom.safety")

TriageKind = Literal["urgent", "refer", "out_of_scope", "none"]
_URGENT = tr.compile_rules()


@dataclass(frozen=True)
class Triage:
    """Safety triage's decision on a question: its kind, the urgent category, and why."""

    kind: TriageKind
    category: str | None = None
    reason: str = ""
    warning: str | None = None
    """A warning sign's category when the message names one but is not urgent: the reply carries
    the safety-net line."""
    abstain_warning: str | None = None
    """The same at the lower bar for an abstention (`WarningHead.bar_abstain`): a message that may
    name a warning sign never gets a bare abstain."""


_AUTO: Literal["default"] = "default"
MIN_JUDGED_WORDS = 5
"""A sentence or clause shorter than this is judged by the rules only, not by the classifier."""


class SafetyTriage:
    """Decides, before retrieval, whether a message is an emergency, a personal medicine question
    to refer, out of scope, or a question to answer (see the module docstring)."""

    def __init__(
        self,
        embedder: Embedder,
        config: TriageConfig | None = None,
        model: TriageModel | Literal["default"] | None = _AUTO,
        warning_head: WarningHead | Literal["default"] | None = _AUTO,
    ):
        self.embedder = embedder
        self.config = config if config is not None else TriageConfig()
        raw = resources.files("prompts").joinpath("triage.yaml").read_text(encoding="utf-8")
        self.examples = yaml.safe_load(raw)
        chosen = default_model() if model == _AUTO else model
        if chosen is not None and chosen.model_id != getattr(embedder, "model_id", chosen.model_id):
            log.warning(
                "triage classifier skipped: trained on another embedding model (rules only)",
                extra={"trained_on": chosen.model_id, "embedder": embedder.model_id},
            )
            chosen = None
        self.model = chosen
        head = default_warning_head() if warning_head == _AUTO else warning_head
        self.warning_head = (
            head if head is None or head.model_id == getattr(embedder, "model_id", "") else None
        )

    @cached_property
    def _bank(self) -> tuple[np.ndarray, list[str]]:
        labels: list[str] = []
        texts: list[str] = []
        for group in ("informational", "refer", "out_of_scope"):
            for p in self.examples[group]:
                labels.append(group)
                texts.append(p)
        return self.embedder.embed(texts), labels

    def _similarities(self, vector: np.ndarray) -> dict[str, float]:
        vectors, labels = self._bank
        best: dict[str, float] = {}
        for label, sim in zip(labels, vectors @ vector, strict=True):
            best[label] = max(best.get(label, -1.0), float(sim))
        return best

    def triage(self, question: str) -> Triage:
        """The triage decision for one message."""
        text = normalise(question)
        if tr.LETHAL.search(text) or tr.CRISIS.search(text):
            return Triage("urgent", "self_harm", "rule:lethal")
        personal = bool(tr.SPECIFIC_PERSON.search(text)) and not only_asks_how(text)
        topical = not personal and bool(tr.QUESTION_START.search(text) or tr.TOPIC_FRAMING.search(text))
        undenied = tr.SELF_HARM_DENIAL.sub(" ", text)
        if not topical and any(_matches(rule, undenied, negatable=False) for rule in _URGENT["self_harm"]):
            return Triage("urgent", "self_harm", "rule:self_harm")
        # Preparing or learning ("I want to be ready") frames it like a topic question (not self-harm).
        preparing = bool(tr.PREPARE.search(text)) and not recent(text)
        scene = without_hypotheticals(text)
        pieces = framed_units(scene, topical or preparing, hypothetical=scene != text)
        by_rule = _by_rules(pieces, scene)
        if by_rule is not None:
            return by_rule
        if tr.INJECTION.search(text):
            embedded = tr.embedded_question(question)
            if embedded is None or tr.INJECTION.search(normalise(embedded)):
                return Triage("out_of_scope", None, "injection")
            return self.triage(embedded)
        vectors = self.embedder.embed([p.text for p in pieces] or [text])
        scores = UnitScores.of(self.model, vectors) if self.model is not None else None
        # The stricter bar: no warning sign and nothing happening now (an ordinary question).
        sign = _sign_in(text, denied=False)
        # "Why can't I just stop my pred?" asks a reason, like "is that normal?".
        why_not = bool(tr.WHY_NOT.search(text)) and bool(tr.DOSE_TALK.search(text))
        # "If I ever bang my head, what should I do? Just want to be prepared": not for the classifier.
        ready = preparing and scene != text
        judged = self._classify(
            pieces if not ready else [],
            scores,
            signless=sign is None and (why_not or not recent(scene)),
            asks_why=why_not or bool(tr.ASKS_WHY.search(text) or tr.ADAPTING.search(text)),
        )
        judged = _standing(judged, scores, text)
        # A personal dose, timing or stop question the classifier alone calls urgent ("missed my
        # pred, take 2 tomorrow?") is referred unless the message really names a warning sign (with
        # its co-findings: "8 weeks pregnant, should I stop my hydroxychloroquine?" is referred). A
        # terse note naming nobody is the writer's own.
        dose = asks_for_a_dose(text)
        asks_dose = (personal or not topical) and dose and talks_of_a_change(text)
        if judged is not None and not (
            asks_dose and (judged.category == "overdose" or _sign_in(text, whole=True) is None)
        ):
            return judged
        head = self.warning_head.probability(vectors[0]) if self.warning_head is not None else 0.0
        warning = self._warning(text, scores, head) or (judged.category if judged else None)
        # A terse dose change names nobody ("pred 10 -> 7.5 from tomorrow"): still the writer's own.
        if (
            personal
            and self._refers(scores)
            and tr.MEDICINE.search(text)
            and not tr.NO_CHANGE.search(text)
            and not asks_of_a_planned_change(text)
        ) or (
            dose
            and (personal or tr.SELF_INSTRUCTION.search(text) or (not topical and tr.MEDICINE.search(text)))
        ):
            return Triage("refer", "dosing", "rule:dosing", warning)
        sims = self._similarities(vectors[0])
        refer = sims.get("refer", 0.0)
        info = sims.get("informational", 0.0)
        if personal and refer >= self.config.refer_similarity and refer >= info + self.config.margin:
            return Triage("refer", "dosing", f"similar:{refer:.2f}", warning)
        off = sims.get("out_of_scope", 0.0)
        medical = max(v for g, v in sims.items() if g != "out_of_scope")
        similar_off = off >= self.config.out_of_scope_similarity and off >= medical + self.config.margin
        # A message naming a warning sign is never out of scope ("bumped his head at football").
        if warning is None and (tr.OFF_TOPIC.search(text) or similar_off):
            return Triage("out_of_scope", None, f"off-topic:{off:.2f}")
        weak = head >= self.warning_head.bar_abstain if self.warning_head is not None else False
        return Triage(
            "none", warning=warning, abstain_warning=warning or (_sign_category(scores) if weak else None)
        )

    def _classify(
        self, pieces: list[Unit], scores: UnitScores | None, signless: bool = False, asks_why: bool = False
    ) -> Triage | None:
        """Urgent when the classifier's binary head finds an emergency in the whole message or in
        one unframed sentence or clause, or is very sure of a framed whole message."""
        if scores is None or not pieces:
            return None
        t = scores.model.thresholds
        for i, unit in enumerate(pieces):
            if unit.settled or (unit.framed and i > 0):
                continue
            # The classifier learnt from whole messages: a short clause ("is it my meds?") is not judged
            # alone, nor is a sentence or clause of a message that names no warning sign at all.
            alone = signless or len(unit.text.split()) < MIN_JUDGED_WORDS or tr.ASKS_WHY.search(unit.text)
            if i > 0 and alone:
                continue
            bars = (self.config.urgent_without_sign * signless, self.config.urgent_when_asking_why * asks_why)
            whole = max(t.urgent, *bars)  # stricter for an ordinary question, or one asking why
            bar = t.urgent_framed if unit.framed else (whole if i == 0 else t.urgent_unit)
            if scores.urgent[i] >= bar:
                return Triage("urgent", scores.category(i), f"model:{scores.urgent[i]:.2f}:unit{i}")
        return None

    def _refers(self, scores: UnitScores | None) -> bool:
        """The classifier reads the whole message as a personal medicine question."""
        if scores is None:
            return False
        refer = scores.probs[0, scores.model.classes.index(REFER)]
        return float(refer) >= scores.model.thresholds.refer

    def _warning(self, text: str, scores: UnitScores | None, head: float) -> str | None:
        """A warning sign's category, the message not urgent: rules or taxonomy (_sign_in), everyday
        words (rules.net_cue), a nearly urgent classifier (`warning_from_model`), the warning head."""
        sign = _sign_in(text, whole=True) or tr.net_cue(text)
        if sign is not None:
            return sign
        if scores is not None and scores.urgent[0] >= self.config.warning_from_model:
            return scores.category(0)
        if self.warning_head is not None and head >= self.warning_head.bar:
            return _sign_category(scores)
        return None


def _standing(judged: Triage | None, scores: UnitScores | None, text: str) -> Triage | None:
    """The classifier's urgent call if it stands (rules.model_call_stands): for someone who feels
    well, none; for "poisoning" with nothing swallowed named, or a head injury with no blow or fall,
    the whole message's next category, if its own call would stand."""
    if judged is None or tr.model_call_stands(judged.category or "", text):
        return judged
    evidenced = scores is not None and judged.category in tr.CALL_EVIDENCE
    nxt = scores.next_category(judged.category or "") if scores is not None and evidenced else None
    stands = nxt is not None and tr.model_call_stands(nxt, text)
    return Triage("urgent", nxt, f"{judged.reason}:{nxt}") if stands else None


def _sign_category(scores: UnitScores | None) -> str:
    """The most likely urgent category of the whole message, for a warning the head found."""
    return scores.category(0) if scores is not None else "general"


def _by_rules(pieces: list[Unit], scene: str) -> Triage | None:
    """Urgent when an urgent rule (other than self-harm's, read before) matches an unframed unit (or a
    reassured one, for the categories a reassurance does not lower), or one says more was taken than
    meant (overdose_patterns.more_than_meant)."""
    # A finding in the whole message that lies inside a framed sentence or clause ("my dad had a
    # heart attack ten years ago", "What is a thunderclap headache?") keeps that framing: the
    # whole message is not more urgent than the unit the finding is in.
    # So does one in a clause asking about a topic ("what's the difference between an allergic reaction
    # and anaphylaxis, so I know…"); co-findings are read in the whole message.
    recurs = bool(tr.RECURRENCE.search(scene))
    framed_parts = [u.text for u in pieces[1:] if u.framed] if not recurs else []
    asking = [u.text for u in pieces[1:] if u.asks] if not recurs else []
    for i, unit in enumerate(pieces):
        if unit.framed and not (unit.reassured or unit.imagined):
            continue
        inside = (
            framed_parts if i == 0 else [part for part in asking if part != unit.text and part in unit.text]
        )
        matched = [
            category
            for category, rules in _URGENT.items()
            if category != "self_harm"
            and not (unit.framed and not unit.imagined and category not in tr.NOT_LOWERED_BY_REASSURANCE)
            and any(_matches(rule, unit.text, scene, within=inside) for rule in rules)
        ]
        if matched:
            category = most_specific(matched)
            return Triage("urgent", category, f"rule:{category}")
        if not unit.framed and tr.more_than_meant(unit.text):
            return Triage("urgent", "overdose", "rule:more_than_meant")
    return None


def _sign_in(text: str, whole: bool = False, denied: bool = True) -> str | None:
    """The category of the first warning sign the text names: a rule's finding (framed and
    hypothetical included) or a warning sign of the taxonomy (prompts/triage_taxonomy.yaml).
    `whole`: a rule counts only with its co-findings ("a rash with a fever", not a rash alone),
    which is what the safety-net line needs; the classifier's bar reads the rule's finding alone,
    unless that finding is common by itself (rules.COMMON_FINDINGS: "the runs" on mycophenolate).
    `denied`: a sign the message denies ("no numbness and no problems with bladder control") counts
    too, as the safety-net line wants; the classifier's bar does not count it."""
    for category, rules in _URGENT.items():
        found = (
            rule for rule in rules if any(denied or not is_denied(text, m) for m in rule[0].finditer(text))
        )
        if any(
            (not whole and rule[0].pattern not in tr.COMMON_FINDINGS) or all(p.search(text) for p in rule[1:])
            for rule in found
        ):
            return category
    cues = tr.NOT_WARNING_SIGNS.sub(" ", text)
    for category, pattern in tr.WARNING_SIGNS.items():
        if any(denied or not tr.negated(cues, m.start()) for m in pattern.finditer(cues)):
            return category
    return None


def _matches(
    rule: list[re.Pattern[str]],
    text: str,
    context: str | None = None,
    negatable: bool = True,
    within: Sequence[str] = (),
) -> bool:
    """The rule's first pattern matches `text` (one unit) and its other patterns (co-findings,
    such as muscle pain with dark urine) match `context` (the whole message, default `text`);
    when negatable, some match of the first is not cancelled by a negation just before it ("I
    don't have chest pain"); a co-finding must have a match that is not; a match inside one of
    `within` (framed units) does not count."""
    first, *rest = rule
    found = [
        m
        for m in first.finditer(text)
        if not (negatable and is_denied(text, m)) and not any(m.group(0) in part for part in within)
    ]
    whole = context or text
    return bool(found) and all(any(not co_finding_denied(whole, m) for m in p.finditer(whole)) for p in rest)
