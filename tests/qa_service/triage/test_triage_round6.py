"""Round 6 of the safety triage: the safety-net line only for a warning sign the message really
names, and personal medicine changes asked in many more ways (medicines recognised by their
stems and brand names, "postpone?", "swap it for", "thinking of taking it every other day").
Every message here is written for this file; none comes from a blind set."""

from __future__ import annotations

import pytest

from qa_service.triage.safety import SafetyTriage
from qa_service.triage.text import normalise


@pytest.mark.parametrize(
    "question",
    [
        "how long until the heliotrope rash on my eyelids fades once treatment starts?",
        "we'd like a baby next year, which myositis medicines are usually fine in pregnancy?",
        "the travel nurse says I need a yellow fever vaccine for Ghana, does that matter on azathioprine?",
        "what does it mean when the breathing test report says my FVC is 70%?",
        "is a clinical trial worth it for IMNM that isn't responding to treatment?",
        "how can I tell if I've overdone it at my physio session?",
    ],
)
def test_a_question_naming_no_warning_sign_gets_no_safety_net(triage: SafetyTriage, question: str) -> None:
    """A rash alone, 'pregnancy', 'yellow fever', a breathing test, 'not responding to treatment'
    and 'overdone' name no warning sign: no call-now line on an ordinary answer."""
    decision = triage.triage(question)
    assert decision.kind != "urgent" and decision.warning is None, decision


@pytest.mark.parametrize(
    "question",
    [
        "I had chest pain for an hour last week, the ECG was normal. Should I mention it at clinic?",
        "a rash with a high fever last month that faded on its own, could it come back on rituximab?",
        "my grandson hit his head on the table yesterday and seems fine today, what should we watch for?",
    ],
)
def test_a_past_or_mild_warning_sign_still_gets_the_safety_net(triage: SafetyTriage, question: str) -> None:
    decision = triage.triage(question)
    assert decision.kind != "urgent" and decision.warning is not None, decision


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Infusion booked for Thursday but I have a chest cold, postpone?", "refer"),
        ("Can I swap my simvastatin for fish oil capsules?", "refer"),
        ("the apixaban makes me bruise, I'm thinking of taking it once a day instead", "refer"),
        ("My dad wants to halve his bisoprolol because his pulse is slow on the machine", "refer"),
        ("Can I crush the mycophenolate tablets for my daughter, she gags on them", "refer"),
        ("levothyroxine 100 mcg, thinking of going to 75 because I feel jittery", "refer"),
        ("is it ok if I take my alendronate at night rather than before breakfast?", "refer"),
        ("I'm stopping the sertraline, the sweats are unbearable", "refer"),
        ("rituximab due Monday, skip this one?", "refer"),
        # Questions about a medicine that change nothing are not referred.
        ("why do I have to take folic acid with my methotrexate?", "none"),
        ("If a statin started my myopathy, why hasn't it gone now I've stopped the statin?", "none"),
        ("which of my medicines would have to be stopped before a pregnancy?", "none"),
    ],
)
def test_a_medicine_message_is_referred_only_when_it_changes_something(
    triage: SafetyTriage, question: str, kind: str
) -> None:
    assert triage.triage(question).kind == kind, question


def test_a_dose_taken_wrongly_is_not_read_as_a_request(triage: SafetyTriage) -> None:
    """Methotrexate taken daily instead of weekly is an overdose: never lowered to a referral."""
    message = "I've been taking my methotrexate every morning instead of once a week for 6 days"
    decision = triage.triage(message)
    assert decision.kind == "urgent", decision


def test_common_english_words_are_not_corrected_into_emergency_words() -> None:
    assert "overdose" not in normalise("I think I overdone it at the gym")
    assert "unconscious" in normalise("he is unconcious on the floor")


@pytest.mark.parametrize(
    ("question", "category"),
    [
        ("her skin is peeling off in sheets and her lips are blistered, she started a new antibiotic monday",
         "anaphylaxis"),
        ("I can hardly rouse him and his breathing is shallow", "unconscious"),
        ("he keeled over in the garden and hasn't come round", "unconscious"),
        ("on prednisolone for years and I can't keep any fluids down since last night", "adrenal_crisis"),
        ("my 6 week old has a temperature of 38.2 but she's feeding fine", "child"),
        ("the home help gave dad his methotrexate three days in a row", "overdose"),
        ("I've been stockpiling my tablets and nobody knows", "self_harm"),
        ("38.6 and shivering under the covers, I'm on mycophenolate", "infection"),
        ("had rituximab 10 days ago and now 39.1 with the shakes", "infection"),
    ],
)  # fmt: skip
def test_round_6_emergencies_are_urgent(triage: SafetyTriage, question: str, category: str) -> None:
    decision = triage.triage(question)
    assert (decision.kind, decision.category) == ("urgent", category), decision


@pytest.mark.parametrize(
    "question",
    [
        "Had a temperature of 38.4 last weekend on methotrexate, gone now. Should I mention it at clinic?",
        "I fainted at a blood test years ago, should I warn the nurse before my infusion?",
        "my grandad had a stroke 6 years ago and still has slurred speech from it, can he take methotrexate?",
    ],
)
def test_round_6_look_alikes_are_not_urgent(triage: SafetyTriage, question: str) -> None:
    assert triage.triage(question).kind != "urgent", question


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("coughing up mouthfuls of blood since this morning", "urgent"),
        ("my son took two of his grandad's heart tablets", "urgent"),
        ("been sick twice and brought my hydrocortisone back up both times", "urgent"),
        ("on pred for years, got d&v and feel dizzy and faint when I stand", "urgent"),
        ("gonna ditch the azathioprine, I feel fine now", "refer"),
        ("my rheumatologist wants me on a new tablet, is it ok to just not start it yet?", "refer"),
        ("prednisolone is making me shaky so I'm thinking of dropping to 5mg", "refer"),
        ("I bruise easily on my arms, been like that for months. could it be the steroids?", "none"),
    ],
)
def test_round_6_second_pass(triage: SafetyTriage, question: str, kind: str) -> None:
    assert triage.triage(question).kind == kind, question


def test_something_new_is_not_framed_as_past(triage: SafetyTriage) -> None:
    """'which never used to happen' says the thing is new; 'since lunch' says it is happening now."""
    message = (
        "my chest has felt tight and squeezing since lunch and I get breathless on the stairs, "
        "which never used to happen"
    )
    assert triage.triage(message).kind == "urgent"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("my 7 week old is 38.3 but feeding well and settled", "urgent"),
        ("what should I do if my 2 month old gets a temperature of 38?", "none"),
    ],
)
def test_a_reassurance_does_not_lower_a_feverish_baby_but_a_hypothetical_does(
    triage: SafetyTriage, question: str, kind: str
) -> None:
    assert triage.triage(question).kind == kind, question
