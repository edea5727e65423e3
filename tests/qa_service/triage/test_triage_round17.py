"""Round 17 triage: a how-to whose only person is the one who would act ("what is anaphylaxis and
how do I use an EpiPen?") is a topic question, while the same how-to beside something happening
is not; a question about adapting the home around a lasting problem ("keeps going over, what can
we change round the house?") is framed like "is that normal?"; the safety-net line for more
everyday names of warning signs, denied ones included (urine colour, holding the head up, bladder
and bowels, a burst bowel). Messages are written for this file (none is a training message or a
blind-set message), with emergencies that must stay urgent."""

from __future__ import annotations

import pytest

from eval.scoring import has_safety_net
from qa_service.models import AskRequest
from qa_service.pipeline import Pipeline
from qa_service.triage.safety import SafetyTriage


@pytest.mark.parametrize(
    "message",
    [
        "What is anaphylaxis and how do I use an EpiPen?",
        "how would we use an epi-pen? is it the thigh or the arm?",
    ],
)
def test_a_how_to_naming_nobody_it_happens_to_is_a_topic_question(triage: SafetyTriage, message: str) -> None:
    decision = triage.triage(message)
    assert decision.kind != "urgent", decision
    assert decision.warning == "anaphylaxis", decision


@pytest.mark.parametrize(
    ("message", "category"),
    [
        ("How do I use an epipen, throat closing up fast", "anaphylaxis"),
        ("how do i use the epipen?? lips and tongue swelling up after the infusion", "anaphylaxis"),
        ("How do I use the inhaler, can't breathe properly right now", "breathing"),
        ("how do I give the emergency hydrocortisone injection? he's been vomiting all day and is confused",
         "adrenal_crisis"),
    ],
)  # fmt: skip
def test_a_how_to_beside_something_happening_stays_urgent(
    triage: SafetyTriage, message: str, category: str
) -> None:
    decision = triage.triage(message)
    assert decision.kind == "urgent", decision
    assert decision.category == category, decision


def test_adapting_the_home_around_falls_is_not_urgent(triage: SafetyTriage) -> None:
    decision = triage.triage(
        "grandad keeps going over at home now his IBM is worse, what could we change round the house?"
    )
    assert decision.kind != "urgent", decision


def test_a_fall_with_a_failing_body_stays_urgent_whatever_the_question(triage: SafetyTriage) -> None:
    decision = triage.triage(
        "mum fell and can't get up, she's cold and confused, what can we change in the house"
    )
    assert decision.kind == "urgent", decision


@pytest.mark.parametrize(
    ("message", "category"),
    [
        ("Legs ache a little since the statin started in spring, pee a normal colour. Worth a CK check?",
         "muscle_breakdown"),
        ("my neck gets tired holding my head up by the evening, has been since diagnosis. any exercises?",
         "severe_weakness"),
        ("Back ache for years, no numbness, bladder and bowels fine. Can steroids thin the spine?",
         "spinal_cord"),
        ("Is it true steroids can hide the signs of a burst bowel?", "abdominal"),
    ],
)  # fmt: skip
def test_everyday_names_of_warning_signs_get_the_safety_net(
    triage: SafetyTriage, shared_pipeline: Pipeline, message: str, category: str
) -> None:
    decision = triage.triage(message)
    assert decision.kind != "urgent", decision
    assert decision.warning == category, decision
    answer = shared_pipeline.ask(AskRequest(question=message))
    assert has_safety_net(answer.text), answer.text
