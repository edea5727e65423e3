"""Round 5 of the safety triage (qa_service/triage/safety.py, rules.py, patterns.py): a message that
asks whether what it describes is normal or caused by the illness is framed for the classifier;
terse dose changes that name nobody are referred; more ways of saying self-harm, and a rash that
does not fade under a glass in any word order. Every message here is written for this file; none
comes from a blind set."""

from __future__ import annotations

import pytest

from ingest import TransformerEmbedder
from qa_service.triage import rules as tr
from qa_service.triage.config import TriageConfig
from qa_service.triage.safety import SafetyTriage


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("had my first IVIG yesterday and now a pounding headache, is that normal??", True),
        ("is it the steroids making me so moody?", True),
        ("could my dad's myositis explain why he keeps dropping his keys?", True),
        ("is that a known side effect of methotrexate", True),
        ("what are these white lumps on his elbows", True),
        ("my chest is crushing and my left arm is numb", False),
        ("how long does IVIG take to work", False),
    ],
)
def test_asks_why(question: str, asks: bool) -> None:
    assert bool(tr.ASKS_WHY.search(question)) is asks


@pytest.mark.parametrize(
    "question",
    [
        "after my second IVIG drip I had a thumping headache the next day, is that a known thing?",
        "since going up to 60mg of pred I cry at adverts and snap at my partner. is it the steroids?",
        "my CK went up to 1200 after a week of gardening, could the myositis explain it?",
    ],
)
def test_an_ordinary_question_asking_why_is_not_urgent(triage: SafetyTriage, question: str) -> None:
    assert triage.triage(question).kind != "urgent"


@pytest.mark.parametrize(
    ("question", "category"),
    [
        # the rules still find an emergency, however the message ends
        ("my face dropped on one side and my words are slurred, is that normal?", "stroke"),
        ("my pee is like cola and my thighs are agony since starting a statin, is it the statin?", None),
        ("took the whole box of my sleeping tablets an hour ago, is that normal to feel dizzy?", "overdose"),
    ],
)
def test_an_emergency_asking_why_is_still_urgent(
    triage: SafetyTriage, question: str, category: str | None
) -> None:
    decision = triage.triage(question)
    assert decision.kind == "urgent"
    assert category is None or decision.category == category


def test_the_asking_why_bar_is_a_setting(triage: SafetyTriage, embedder: TransformerEmbedder) -> None:
    """Without the bar, the classifier alone calls this ordinary question an emergency."""
    question = "had a rituximab drip on monday and now my throat feels scratchy, is that a known thing?"
    assert triage.triage(question).kind == "none"
    without = SafetyTriage(embedder, config=TriageConfig(urgent_when_asking_why=0.0))
    assert without.triage(question).kind == "urgent"


@pytest.mark.parametrize(
    "question",
    [
        "pred 12.5 -> 10 from monday, feeling good",
        "aza 150 → 100?",
        "want to get off the steroids quick, on 25 mg",
        "thinking of skipping my methotrexate this week, friend's wedding",
    ],
)
def test_a_terse_dose_change_is_referred(triage: SafetyTriage, question: str) -> None:
    assert triage.triage(question).kind == "refer"


def test_a_dose_change_asked_as_a_topic_is_not_referred(triage: SafetyTriage) -> None:
    assert triage.triage("what happens when prednisone goes from 20 -> 10 mg too fast?").kind != "refer"


@pytest.mark.parametrize(
    "question",
    [
        "honestly some nights I hope I don't wake up. is that the prednisone?",
        "there's no point anymore. I've been googling how many tablets it would take",
        "I've been thinking about how to end it all since the diagnosis",
        "wrote a letter to my sister and gave my dog to the neighbours",
    ],
)
def test_more_ways_of_saying_self_harm_get_the_crisis_line(triage: SafetyTriage, question: str) -> None:
    decision = triage.triage(question)
    assert (decision.kind, decision.category) == ("urgent", "self_harm")


@pytest.mark.parametrize(
    "question",
    [
        "tiny purple dots on his legs that don't fade when I press a glass on them, he's burning up",
        "pressed a glass on her rash and the spots didn't go away, temperature 39",
    ],
)
def test_a_rash_that_does_not_fade_under_a_glass(triage: SafetyTriage, question: str) -> None:
    assert triage.triage(question).kind == "urgent"


def test_a_rash_that_fades_under_a_glass_is_not_urgent(triage: SafetyTriage) -> None:
    message = "her rash fades when I press a glass on it and she's playing happily"
    assert triage.triage(message).kind != "urgent"
