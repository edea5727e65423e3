"""Round 9 of the safety triage, from the misses of set Q (recorded first, then read): confusion
after a blow to the head told as repeated questions or not knowing the day; asking how much of a
medicine would be enough to end a life, even when called a joke; going "back up to" a dose; "happening
again" and a precaution taken "now" no longer read as something happening now; and the safety-net
line for warning signs named in everyday words (SAFETY_NET_CUES in prompts/triage_taxonomy.yaml,
with word endings). Then, from answer set 19 (recorded and graded first), questions that ask for
no change are no longer referred: a placebo ("a sugar pill instead of the real drug"), cutting down
on a food, a belief about a stop ("I thought stopping it would"), and "why can't I just stop …" after
another sentence.
Every message here is written for this file; none comes from a blind set."""

from __future__ import annotations

import pytest

from qa_service.triage import rules as tr
from qa_service.triage.safety import SafetyTriage


@pytest.mark.parametrize(
    ("question", "category"),
    [
        ("my daughter fell off the trampoline onto her head and now she's repeating herself every minute",
         "head_injury"),
        ("husband banged his head on the cupboard, now he doesn't know where he is", "head_injury"),
        ("she asked me how many of her sleeping tablets would be enough to end it, then laughed it off",
         "self_harm"),
        ("he wanted to know how much insulin it'd take to finish himself. he said he was kidding",
         "self_harm"),
    ],
)  # fmt: skip
def test_new_emergency_wordings_are_urgent(triage: SafetyTriage, question: str, category: str) -> None:
    decision = triage.triage(question)
    assert decision.kind == "urgent" and decision.category == category, decision


@pytest.mark.parametrize(
    "question",
    [
        "I fainted at a concert in the summer, the GP found nothing. how do I stop it happening again?",
        "my toddler chewed a dishwasher tablet last year, 111 said she'd be fine and she was. we keep them "
        "up high now, anything else?",
    ],
)
def test_past_events_with_a_precaution_since_are_not_urgent(triage: SafetyTriage, question: str) -> None:
    decision = triage.triage(question)
    assert decision.kind != "urgent", decision
    assert decision.warning is not None, decision  # a warning sign is still named: the line goes on


@pytest.mark.parametrize(
    "question",
    [
        "bumping my pred back up to 20 for a week as the flare is back, that's alright isn't it?",
        "I'll put my methotrexate back to 15 since the lower dose isn't working",
    ],
)
def test_going_back_up_to_a_dose_is_referred(triage: SafetyTriage, question: str) -> None:
    assert triage.triage(question).kind == "refer"


@pytest.mark.parametrize(
    ("question", "category"),
    [
        ("my gums bleed when I floss, is that my azathioprine?", "bleeding"),
        ("if my wife chokes on her dinner what do I do? her swallowing is weak", "breathing"),
        ("my ankles swell by bedtime since the amlodipine, is that usual?", "blood_clot"),
        ("I forgot my prednisone once last week and felt fine, does one day matter?", "adrenal_crisis"),
        ("I had a DVT after my knee operation years ago, can I fly now?", "blood_clot"),
    ],
)
def test_everyday_words_for_a_warning_sign_get_the_safety_net(
    triage: SafetyTriage, question: str, category: str
) -> None:
    decision = triage.triage(question)
    assert decision.kind != "urgent" and decision.warning == category, decision


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("he chokes on bread", "breathing"),
        ("she choked last year", "breathing"),
        ("my nose bled twice", "bleeding"),
        ("he passes out in the heat", "unconscious"),
        ("hard white lumps on her elbow, one leaked chalky stuff", None),  # calcinosis, not the bladder
        ("what is a yellow fever jab?", None),
    ],
)
def test_safety_net_cues_match_word_endings_and_nothing_else(text: str, found: str | None) -> None:
    assert tr.net_cue(text) == found


@pytest.mark.parametrize(
    "question",
    [
        "in a trial, could my husband be given a dummy pill instead of the actual medicine?",
        "my son's calcinosis is getting worse, should we cut back on dairy like yogurt and cheese?",
        "I came off simvastatin last year for my myopathy. I thought stopping it would be enough, why not?",
        "it's taking ages. why can't I just stop the steroids when the rash clears?",
    ],
)
def test_questions_about_a_medicine_that_ask_for_no_change_are_not_referred(
    triage: SafetyTriage, question: str
) -> None:
    assert triage.triage(question).kind != "refer"


@pytest.mark.parametrize(
    "question",
    ["should I cut down my prednisone to 7.5 this week?", "can I have two tablets instead of one tonight?"],
)
def test_their_dose_requests_still_are(triage: SafetyTriage, question: str) -> None:
    assert triage.triage(question).kind == "refer"
