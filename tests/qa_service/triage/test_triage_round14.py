"""Round 14 triage: more household products are poisons; a blocked gut told as "no poo or wind"
is urgent (a message that opens with "no" is not a reassurance when what follows is a bowel or
bladder word); a co-finding that is denied ("no muscle pain") does not complete a rule; "it's
back to pale" is not the thing coming back; "just so I know" frames a question as learning;
slowly weaker legs, high sugars and poisonous plants carry the safety-net line. Messages are
written for this file, with near misses that must stay as they are."""

from __future__ import annotations

import pytest

from qa_service.triage.safety import SafetyTriage


@pytest.mark.parametrize(
    ("message", "category"),
    [
        ("grandad has dementia and he's just had a swig of the rinse aid from under the sink", "poisoning"),
        ("my toddler drank some of the ant killer gel, what do i do", "poisoning"),
        ("no poo or wind since friday, throwing up and my tummy is huge and sore", "abdominal"),
        ("No stools for four days, keeps being sick, stomach swollen and tight", "abdominal"),
        ("dark brown wee this morning and my thighs are aching badly, on atorvastatin", "muscle_breakdown"),
    ],
)
def test_newly_covered_emergencies_are_urgent(triage: SafetyTriage, message: str, category: str) -> None:
    decision = triage.triage(message)
    assert decision.kind == "urgent", decision
    assert decision.category == category, decision


@pytest.mark.parametrize(
    "message",
    [
        # A denied co-finding: dark urine after a dry day, now clear, with no muscle pain.
        "Pee looked dark first thing but I'd not drunk much. It's back to a normal colour, no muscle aches.",
        "my urine was darker yesterday, no muscle pain or weakness. is that dehydration?",
        # Learning, with a relative named only as the reason for asking.
        "Just so I know for my dad: what are the early signs of a stroke besides slurred speech?",
        # A reassurance that opens with "no".
        "No, nothing like that. Just wondering what to eat on steroids.",
    ],
)
def test_near_misses_stay_not_urgent(triage: SafetyTriage, message: str) -> None:
    assert triage.triage(message).kind != "urgent"


@pytest.mark.parametrize(
    ("message", "category"),
    [
        ("Which garden plants are poisonous to young children? Sorting out the garden.", "poisoning"),
        (
            "Over the past year my arms have got weaker bit by bit. What should I ask at my clinic visit?",
            "severe_weakness",
        ),
        ("prednisone has put my sugars up to 13 after dinner, what should I eat?", "blood_sugar"),
    ],
)
def test_warning_signs_in_everyday_words_get_the_safety_net(
    triage: SafetyTriage, message: str, category: str
) -> None:
    decision = triage.triage(message)
    assert decision.kind != "urgent"
    assert decision.warning == category, decision


@pytest.mark.xfail(
    strict=True, reason="the classifier reads 'no muscle pain or weakness at all' as urgent (0.63)"
)
def test_a_denial_with_at_all_is_not_urgent(triage: SafetyTriage) -> None:
    message = "my urine was darker yesterday, no muscle pain or weakness at all. is that dehydration?"
    assert triage.triage(message).kind != "urgent"
