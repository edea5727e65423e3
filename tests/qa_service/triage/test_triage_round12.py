"""Round 12 of the safety triage: when the rules of two categories match, the more specific
emergency names the reply, because each reply carries its own first aid. On the spent blind sets,
heavy bleeding in pregnancy got "press firmly on the wound", and breathlessness with coughed-up
blood after an operation got the same. Every message here is written for this file; none comes
from a blind set."""

from __future__ import annotations

import pytest

import prompts
from qa_service.triage.replies import most_specific
from qa_service.triage.safety import SafetyTriage


@pytest.mark.parametrize(
    ("question", "category"),
    [
        ("I'm 9 weeks pregnant and I'm bleeding heavily, soaking a pad every hour", "pregnancy"),
        ("my wife is 20 weeks pregnant, she's bleeding heavily and has cramps", "pregnancy"),
        ("I sliced my thumb on the tin lid, been holding a cloth on it 20 minutes and it's still "
         "soaking through", "bleeding"),
    ],
)  # fmt: skip
def test_the_more_specific_emergency_names_the_reply(
    triage: SafetyTriage, question: str, category: str
) -> None:
    decision = triage.triage(question)
    assert (decision.kind, decision.category) == ("urgent", category), decision.reason


def test_most_specific_prefers_the_narrower_category_whatever_the_table_order() -> None:
    assert most_specific(["bleeding", "pregnancy"]) == "pregnancy"
    assert most_specific(["breathing", "bleeding", "blood_clot"]) == "blood_clot"
    assert most_specific(["unconscious", "child"]) == "child"
    # No preference between these: the table's order decides.
    assert most_specific(["chest_pain", "stroke"]) == "chest_pain"


def test_the_bleeding_reply_fits_blood_that_is_not_from_a_wound() -> None:
    """The bleeding reply also serves coughed-up or vomited blood: pressing on a wound is only for
    a wound."""
    text = prompts.message("urgent.bleeding", emergency_number="911")
    assert "coughing up or vomiting blood" in text and "Call 911 now" in text
    assert "If the blood is coming from a wound, press firmly on it" in text
