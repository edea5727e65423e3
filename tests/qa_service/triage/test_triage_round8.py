"""Round 8 of the safety triage: the classifier's binary head became the mean of a linear model and
a one-hidden-layer network (model.py), and rules were added for emergencies only the old linear
head had caught on spent sets (medicines saved up by someone who has had enough, words that don't
fit with a weak arm, near fainting with an illness after years of steroids, being unable to pass
water with back pain, urine the colour of coffee, a clinic's word to go to A&E over a CK result).
Every message here is written for this file; none comes from a blind set."""

from __future__ import annotations

import pytest

from qa_service.triage.safety import SafetyTriage


@pytest.mark.parametrize(
    ("question", "category"),
    [
        ("I've got a stash of my oxycodone put by and honestly I've had enough of everything", "self_harm"),
        ("been saving up my sleeping pills. done with all this. thanks for the chats", "self_harm"),
        ("my husband's words don't make sense since lunch and his right arm is weak", "stroke"),
        ("been on pred for years, got a stomach bug and I feel like I'm about to faint", "adrenal_crisis"),
        ("mum's on long-term steroids, has flu and now can't get out of bed, says she might black out",
         "adrenal_crisis"),
        ("bad back since yesterday and I need to wee but nothing comes out", "spinal_cord"),
        ("back pain and my inner thighs have gone numb", "spinal_cord"),
        ("toilet water looks like coffee after my run and my thighs are agony", "muscle_breakdown"),
        ("the hospital phoned, my CK is sky high and they told me to go to A&E now. can it wait till "
         "morning?", "muscle_breakdown"),
    ],
)  # fmt: skip
def test_emergencies_the_linear_head_alone_had_caught_are_rules_too(
    triage: SafetyTriage, question: str, category: str
) -> None:
    decision = triage.triage(question)
    assert decision.kind == "urgent" and decision.category == category, decision


@pytest.mark.parametrize(
    "question",
    [
        "Is it ok to keep a stash of my pred in my travel bag in case I forget a dose?",
        "her speech is normal and her face isn't drooping, she's just tired today",
        "What CK level would make a doctor send you to hospital?",
        "I've been on steroids for years. What should I do on sick days when I have flu?",
        "I drink a lot of coffee, does caffeine affect my pee or my muscles?",
    ],
)
def test_their_calm_neighbours_are_not_urgent(triage: SafetyTriage, question: str) -> None:
    decision = triage.triage(question)
    assert decision.kind != "urgent", decision
