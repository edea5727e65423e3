"""Round 4 of the safety triage (qa_service/triage/safety.py, rules.py): what keeps an ordinary
question from becoming urgent, what keeps a dose question a referral, and the red flags added for
phrasings the earlier rules missed. Every message here is written for this file; none comes from a
blind set."""

from __future__ import annotations

import pytest

from ingest import TransformerEmbedder
from qa_service.triage.config import TriageConfig
from qa_service.triage.safety import MIN_JUDGED_WORDS, SafetyTriage


@pytest.mark.parametrize(
    "question",
    [
        # a short clause with no finding of its own is not judged by the classifier alone
        "my knee clicks when I climb the stairs, been like that for ages. is it my meds?",
        "my hands ache a little in the cold weather since starting pred. anything i can do?",
        # preparing or learning, with nobody unwell now
        "what should my daughter do if I collapse at home? I want to be prepared",
        "how would I spot a heart attack in my husband? trying to understand what to look out for",
        # over and well now
        "my son had a fever of 39 two nights ago, now he's back to his normal self and eating well. "
        "when should a fever worry me?",
        "my mum was muddled for a day after a water infection last month, back to normal now. "
        "could it happen again?",
        # long-standing, not new: a clause inside a sentence that says so
        "my voice goes a bit slurred when I'm very tired, it's been like that for years. "
        "could the myositis do it?",
        # a plain denial of self-harm thoughts
        "I'm not suicidal, just low about how slow my recovery is. How long does it usually take?",
        # dark-yellow morning urine is not dark urine
        "my pee is a darker yellow first thing in the morning and my legs feel the same as always",
    ],
)
def test_ordinary_question_is_not_urgent(triage: SafetyTriage, question: str) -> None:
    decision = triage.triage(question)
    assert decision.kind != "urgent", decision


@pytest.mark.parametrize(
    ("question", "category"),
    [
        ("our 1 month old has a temperature of 38.3 and is very sleepy", "child"),
        (
            "there are little dark red dots on her tummy and when I press a glass on them "
            "I can still see them",
            "infection",
        ),
        ("he's been fitting for over five minutes now", "unconscious"),
        ("her blood sugar is 2.8 and she's too confused to eat anything", "blood_sugar"),
        ("I've been saving up my pills and I've written to everyone I love", "self_harm"),
        ("did my methotrexate injection yesterday and then did a second one this morning", "overdose"),
        ("my heart is going like the clappers and I nearly blacked out at the sink", "heart_rhythm"),
        # told in the present: not over because something else happened last week
        ("he had his IVIG last week. he's talking gibberish and can't find his words", "stroke"),
        # a dose question that names a warning sign stays urgent
        (
            "I've been sick all day and can't keep my tablets down, I'm on prednisolone. take another?",
            "adrenal_crisis",
        ),
    ],
)
def test_emergency_phrasing_is_urgent(triage: SafetyTriage, question: str, category: str) -> None:
    decision = triage.triage(question)
    assert (decision.kind, decision.category) == ("urgent", category), decision


@pytest.mark.parametrize(
    "question",
    [
        "forgot my pred at breakfast and it's bedtime now, should I take two tomorrow?",
        "can I move my methotrexate from saturday to sunday this week? we're away",
        "been on 7.5mg pred for a year, want to come off it all at once",
        "pred 5mg - ok to split it between morning and evening?",
        "should my daughter have her methotrexate before or after her flu jab?",
    ],
)
def test_a_personal_dose_question_is_referred(triage: SafetyTriage, question: str) -> None:
    decision = triage.triage(question)
    assert (decision.kind, decision.category) == ("refer", "dosing"), decision


def test_a_message_with_no_warning_sign_needs_a_surer_classifier(embedder: TransformerEmbedder) -> None:
    """The same ordinary question becomes urgent only if the bar for sign-less messages is dropped
    to the model's own: the setting is what keeps it an answer."""
    question = "will my kids get myositis from me? really worried about passing it on"
    strict = SafetyTriage(embedder)
    assert strict.triage(question).kind != "urgent"
    assert strict.config.urgent_without_sign > strict.model.thresholds.urgent  # type: ignore[union-attr]
    lax = SafetyTriage(embedder, config=TriageConfig(urgent_without_sign=0.0))
    scores = lax.model.urgent_probability(embedder.embed([question.lower()]))  # type: ignore[union-attr]
    assert (lax.triage(question).kind == "urgent") == bool(scores[0] >= lax.model.thresholds.urgent)  # type: ignore[union-attr]


def test_short_clauses_are_left_to_the_rules() -> None:
    assert MIN_JUDGED_WORDS >= 5


@pytest.mark.parametrize(
    "question",
    [
        "how long does a lung function test take, and can I eat beforehand?",
        "my mum keeps forgetting her appointments since her diagnosis, any tips for keeping track?",
    ],
)
def test_an_ordinary_question_gets_no_safety_net_line(triage: SafetyTriage, question: str) -> None:
    """The safety-net line needs a warning sign the rules or the taxonomy name, or a whole message
    the classifier finds nearly urgent (`warning_from_model`), not a middling score."""
    decision = triage.triage(question)
    assert decision.kind != "urgent" and decision.warning is None, decision
