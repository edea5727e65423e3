"""Round 16 triage: an adrenal crisis told as its findings (long-term steroids, a stomach that
empties or tablets that come back up, a body failing) in any order and words; a dangerous heart
rhythm with the beat described before the heart, or a collapse told in everyday words ("went
down in the kitchen"); a hedge ("probably nothing but") is not a reassurance; tablets not kept
down "if I…" is asked ahead; a single past faint ("fainted once…") is over; a missed dose made
up with "two lots"; the safety-net line for the glass test, muscles breaking down and an
emergency injection kit. Messages are written for this file (none is a training message or a
blind-set message), with near misses that must stay as they are."""

from __future__ import annotations

import pytest

from eval.scoring import has_safety_net
from qa_service.models import AskRequest
from qa_service.pipeline import Pipeline
from qa_service.triage.safety import SafetyTriage


@pytest.mark.parametrize(
    "message",
    [
        # The illness first, the steroid and the failing body anywhere after it.
        "Norovirus in the house and now I've got it. Pred 10 mg since 2020. So dizzy I'm crawling to the loo",
        "my wife has been on prednisolone for polymyositis for six years. diarrhoea all night and now she's "
        "cold and muddled and can't sit up",
        "food poisoning since yesterday, I've been on Medrol for two years, "
        "and my blood pressure machine says 78/50",
        # Tablets or fluids not kept down on long-term steroids, which is an emergency by itself.
        "years on hydrocortisone for adrenal insufficiency, "
        "can't seem to keep a single sip of water down today",
        "on steroids long term for my myositis. My morning pills came straight back up twice now. Just wait?",
    ],
)
def test_adrenal_crisis_told_as_its_findings_is_urgent(triage: SafetyTriage, message: str) -> None:
    decision = triage.triage(message)
    assert decision.kind == "urgent", decision
    assert decision.category == "adrenal_crisis", decision


@pytest.mark.parametrize(
    "message",
    [
        "Galloping, irregular heartbeat for the last half hour and I've gone light-headed at my desk",
        "skipped beats for years but tonight the beats are constant and I can't catch my breath",
        "probably nothing but my heart's been thudding for an hour "
        "and I went down in the bathroom for a second",
        "my husband's pulse is racing and he came round on the floor a minute ago, "
        "he has myositis of the heart",
    ],
)
def test_heart_rhythm_in_everyday_words_is_urgent(triage: SafetyTriage, message: str) -> None:
    decision = triage.triage(message)
    assert decision.kind == "urgent", decision
    assert decision.category == "heart_rhythm", decision


@pytest.mark.parametrize(
    "message",
    [
        # Steroid doses that "went up" are not tablets brought back up.
        "I've felt so tearful since my prednisone went up last week. Is that common?",
        "My sugars have been higher since my steroids went up. Will they settle when I taper?",
        # A stomach upset with the tablets kept down, or over.
        "On pred for years. Slight queasy feeling this morning "
        "but I kept my tablets and breakfast down. Normal?",
        "Had a tummy bug last month while on pred, all fine now. What are sick day rules?",
        # Fasting for a blood test is not self-harm.
        "do I need to starve myself before the CK test, like for cholesterol bloods?",
        # A medicine's common stomach side effect is not an emergency.
        "mycophenolate has given me diarrhoea and stomach cramps for a week, will it settle down?",
        # Asked about, not happening.
        "What would I need to do if I couldn't keep my steroid tablets down?",
        "On pred for years. Is it dangerous if you can't keep your tablets down with a bug?",
        "What makes an adrenal crisis different from a normal stomach bug for someone on steroids?",
        # A heartbeat that settles with nothing else, or an episode long over.
        "My heart races for a minute after coffee and then settles. No dizziness. Should I cut down?",
        "I fainted once at a concert years ago and came round straight away. Could my steroids cause that?",
        # A swelling or a fever that went down is settled.
        "The swelling on his ankle went down in the night and he's walking fine. Still see the GP?",
    ],
)
def test_near_misses_stay_calm(triage: SafetyTriage, message: str) -> None:
    decision = triage.triage(message)
    assert decision.kind != "urgent", decision


def test_missed_dose_made_up_with_two_lots_is_referred(triage: SafetyTriage) -> None:
    decision = triage.triage("missed my methotrexate on sunday, can i have two lots on monday instead?")
    assert decision.kind == "refer", decision


@pytest.mark.parametrize(
    ("message", "category"),
    [
        ("How does the glass test for a rash work?", "infection"),
        ("If my CK is 1,200, does that mean my muscles are breaking down? I feel fine.", "muscle_breakdown"),
        ("Should someone on long-term prednisone keep an emergency injection kit at home?", "adrenal_crisis"),
    ],
)
def test_warning_signs_named_in_a_question_get_the_safety_net(
    triage: SafetyTriage, shared_pipeline: Pipeline, message: str, category: str
) -> None:
    decision = triage.triage(message)
    assert decision.kind != "urgent", decision
    assert decision.warning == category, decision
    answer = shared_pipeline.ask(AskRequest(question=message))
    assert has_safety_net(answer.text), answer.text


def test_starving_oneself_is_still_self_harm(triage: SafetyTriage) -> None:
    decision = triage.triage("I've been starving myself for weeks, I don't deserve to eat")
    assert decision.kind == "urgent", decision
    assert decision.category == "self_harm", decision
