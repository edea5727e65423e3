"""Round 19 triage, from a blind set (AF) and a blind answer set (31) read after their start was
recorded: a child found with someone's tablets and some missing is an emergency however well the
child seems; a finding inside a clause that asks about a topic is no one's; ", so we know when to
use it" is a clause of its own; a hypothetical asked to get ready is not judged by the
classifier; a classifier head-injury call needs a blow or a fall; a message naming a warning sign
is never out of scope (sport); an event told beside a hypothetical question ("is it dangerous if a
child swallows one?") is read by the rules. Messages are written for this file (none is a training message or
a blind-set message)."""

from __future__ import annotations

import pytest

from qa_service.triage import rules as tr
from qa_service.triage.safety import SafetyTriage


@pytest.mark.parametrize(
    "message",
    [
        "caught my toddler with grandad's heart pills, the lid was off and I reckon three have gone",
        "my 2 year old got into my handbag and opened my pill box, can't tell how many are gone. she's fine",
        "found our little one playing with my blood pressure tablets, a couple are missing",
    ],
)
def test_a_child_found_with_tablets_some_missing_is_urgent(triage: SafetyTriage, message: str) -> None:
    decision = triage.triage(message)
    assert (decision.kind, decision.category) == ("urgent", "overdose"), decision


@pytest.mark.parametrize(
    ("message", "sign"),
    [
        (
            "My daughter carries an adrenaline pen for a nut allergy. How can I tell a mild reaction from "
            "anaphylaxis, so I know when to use it?",
            "anaphylaxis",
        ),
        (
            "My wife has an EpiPen for wasp stings and has never used it. What's the difference between "
            "a bad allergic reaction and anaphylaxis, so we know when to use it?",
            "anaphylaxis",
        ),
        (
            "My mum takes apixaban and is unsteady. If she ever falls and bangs her head, what should we "
            "do? Just want to be ready.",
            "head_injury",
        ),
        (
            "my daughter bumped her head during a football match last weekend, she was checked and has been "
            "fine since. when can she go back to training?",
            "head_injury",
        ),
    ],
)
def test_a_topic_a_plan_or_a_settled_knock_is_answered(triage: SafetyTriage, message: str, sign: str) -> None:
    """Not urgent and not out of scope; a warning sign the message names gets the safety-net line."""
    decision = triage.triage(message)
    assert decision.kind == "none", decision
    assert decision.warning == sign, decision


@pytest.mark.parametrize(
    ("text", "stands"),
    [
        ("a hard lump on her elbow opened and something white came out", False),
        ("she is very sleepy and being sick after the party", False),
        ("he fell off his bike and now he's being sick", True),
        ("grandad slipped on the ice, he's on warfarin", True),
        ("my son got a knock on the head at rugby and is drowsy", True),
    ],
)
def test_a_head_injury_call_needs_a_blow_or_a_fall(text: str, stands: bool) -> None:
    """The classifier's head-injury call stands only when the message names a blow or a fall."""
    assert tr.model_call_stands("head_injury", text) is stands


@pytest.mark.parametrize(
    ("message", "category"),
    [
        ("My mum takes apixaban and she fell and hit her head an hour ago", "head_injury"),
        (
            "My daughter ate a nut, her lips are swelling and she's wheezing, should I use the pen?",
            "anaphylaxis",
        ),
        ("my son banged his head at football, he's been sick twice and is really drowsy", "head_injury"),
        ("found my son with my tablets, he's chewing something and won't open his mouth", "poisoning"),
    ],
)
def test_the_emergencies_beside_them_stay_urgent(triage: SafetyTriage, message: str, category: str) -> None:
    """The same emergency messages without the framing: urgent (a child chewing tablets may be
    called poisoning or overdose, both give poison-control advice)."""
    decision = triage.triage(message)
    assert decision.kind == "urgent", decision
    assert decision.category in ({category, "overdose"} if category == "poisoning" else {category}), decision


@pytest.mark.parametrize(
    ("message", "category"),
    [
        ("my toddler swallowed a button battery, is it dangerous if a child swallows one?", "poisoning"),
        (
            "my dad has just had crushing chest pain for 20 minutes, is it serious if it spreads to the arm?",
            "chest_pain",
        ),
    ],
)
def test_an_event_told_beside_a_hypothetical_question_is_read(
    triage: SafetyTriage, message: str, category: str
) -> None:
    """Dropping the hypothetical ("is it dangerous if a child swallows one?") leaves a real event:
    the rules read it (the classifier still sees a framed message)."""
    decision = triage.triage(message)
    assert (decision.kind, decision.category) == ("urgent", category), decision


@pytest.mark.parametrize(
    "message",
    [
        "if the myositis spreads to my throat, would I suddenly be unable to swallow?",
        "what should I do if my son has a seizure? he has epilepsy",
    ],
)
def test_a_question_that_stays_hypothetical_is_answered(triage: SafetyTriage, message: str) -> None:
    assert triage.triage(message).kind == "none"
