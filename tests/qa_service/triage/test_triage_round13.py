"""Round 13 triage: passive wishes not to be here and asking how many tablets would let one sleep
for good are the crisis message; fumes, a poison in the mouth, vomiting green and a belly too
tender to touch are urgent; a dose dropped "straight down" or a course squeezed into fewer days is
referred; "take too much" and an emergency hydrocortisone injection carry the safety-net line.
Messages are written for this file, with near misses that must stay as they are."""

from __future__ import annotations

import pytest

from qa_service.triage.safety import SafetyTriage


@pytest.mark.parametrize(
    ("message", "category"),
    [
        ("honestly my family would be better off if i simply weren't around", "self_harm"),
        ("the kids would be happier if I just wasn't here. is that the depression talking?", "self_harm"),
        ("how many of my amitriptyline would it take to just sleep for good", "self_harm"),
        ("the carbon monoxide detector keeps beeping and we all feel dizzy and sick", "poisoning"),
        ("mixed bleach with the limescale remover and now my chest burns and I'm coughing", "poisoning"),
        ("my 18 month old had the dishwasher tablet in her mouth, she's drooling", "poisoning"),
        ("my grandson swallowed some white spirit from the shed", "poisoning"),
        ("she's vomiting green stuff and her tummy is bloated", "abdominal"),
        ("on prednisone and my stomach is so sore I can't let anyone touch it", "abdominal"),
        ("dad is doubled over with his belly and won't stand up", "abdominal"),
        ("haven't pooed for five days, keep throwing up and my belly is swollen", "abdominal"),
    ],
)
def test_newly_covered_emergencies_are_urgent(triage: SafetyTriage, message: str, category: str) -> None:
    decision = triage.triage(message)
    assert decision.kind == "urgent", decision
    assert decision.category == category, decision


@pytest.mark.parametrize(
    "message",
    [
        "He's been on 30 mg of pred for two months and wants to go straight down to 10 mg next week. OK?",
        "could I squeeze my 5-day IVIG course into 3 days because of work?",
        "can she have all her infusions over two days instead of five?",
    ],
)
def test_dose_and_schedule_changes_are_referred(triage: SafetyTriage, message: str) -> None:
    assert triage.triage(message).kind == "refer"


@pytest.mark.parametrize(
    "message",
    [
        "My first rituximab infusion is booked, I have it in 2 days. What should I bring?",
        "How is IVIG given, is it always over 5 days?",
    ],
)
def test_a_date_or_a_question_about_the_schedule_is_not_referred(triage: SafetyTriage, message: str) -> None:
    assert triage.triage(message).kind == "none"


@pytest.mark.parametrize(
    ("message", "category"),
    [
        ("What happens if someone takes too much azathioprine?", "overdose"),
        (
            "Last winter I needed an emergency hydrocortisone injection when I had flu, all good now.",
            "adrenal_crisis",
        ),
    ],
)
def test_warning_signs_in_everyday_words_get_the_safety_net(
    triage: SafetyTriage, message: str, category: str
) -> None:
    decision = triage.triage(message)
    assert decision.kind != "urgent"
    assert decision.warning == category, decision


@pytest.mark.parametrize(
    "message",
    [
        "how many melatonin would it take to go to sleep",
        "What is carbon monoxide poisoning and can it cause muscle pain?",
        "is it ok to use bleach to clean the bathroom while I'm on methotrexate?",
        "my tummy feels a bit bloated after meals on prednisone, any tips?",
        "How is IVIG given, is it always over 5 days?",
        "would my kids be happier if I went back to work part time?",
    ],
)
def test_near_misses_stay_not_urgent(triage: SafetyTriage, message: str) -> None:
    assert triage.triage(message).kind != "urgent"
