"""Query rewriting (qa_service.answer.expansion): British spelling, abbreviations, page aliases,
follow-ups."""

from __future__ import annotations

import pytest

from qa_service.answer.expansion import AliasIndex, americanise, expand, is_follow_up

ALIASES = AliasIndex(
    [
        ("Dermatomyositis", "Dermatomyositis"),
        ("DM", "Dermatomyositis"),
        ("Juvenile dermatomyositis", "Juvenile dermatomyositis"),
        ("JDM", "Juvenile dermatomyositis"),
        ("Intravenous immunoglobulin (IVIG)", "Intravenous immunoglobulin (IVIG)"),
        ("IVIG", "Intravenous immunoglobulin (IVIG)"),
        ("intravenous immunoglobulin", "Intravenous immunoglobulin (IVIG)"),
        ("anti-HMGCR myopathy", "Anti-HMGCR myopathy"),
        ("Necrotizing autoimmune myopathy", "Necrotizing autoimmune myopathy"),
        ("necrotizing myopathy", "Necrotizing autoimmune myopathy"),
        ("x", "Too short to be a name"),
    ]
)


# --- americanise ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("oesophagus", "esophagus"),
        ("anaemia and oedema", "anemia and edema"),
        ("Oesophageal problems", "Esophageal problems"),
        ("paediatric rheumatologist", "pediatric rheumatologist"),
        ("necrotising myopathy", "necrotizing myopathy"),
        ("immunosuppressed after immunisation", "immunosuppressed after immunization"),
        ("hospitalisation", "hospitalization"),
        ("specialised centres", "specialized centers"),
        ("minimise the dose", "minimize the dose"),
    ],
)
def test_americanise(british: str, american: str) -> None:
    assert americanise(british) == american


@pytest.mark.parametrize(
    "text",
    [
        "exercise advise raise praise otherwise",  # -ise words that are not -ize words
        "What is IMNM?",
        "myositis is a disease",
        "don't stop methotrexate",
    ],
)
def test_americanise_leaves_other_words_alone(text: str) -> None:
    assert americanise(text) == text


def test_americanise_keeps_an_initial_capital_for_ise_words() -> None:
    assert americanise("Necrotising myopathy") == "Necrotizing myopathy"


# --- abbreviations -----------------------------------------------------------------------------------


def test_abbreviations_add_what_they_stand_for() -> None:
    e = expand("What is NAM?", [], AliasIndex([]))
    assert e.text == "What is NAM?"
    assert "necrotizing autoimmune myopathy" in e.extra_terms
    assert e.retrieval_text.startswith("What is NAM? ")
    assert "necrotizing autoimmune myopathy" in e.retrieval_text


def test_ck_and_cpk_expand_to_each_other() -> None:
    cpk = expand("CPK test", [], AliasIndex([])).extra_terms
    assert "creatine kinase" in cpk and "CK" in cpk
    ck = expand("Is my CK high?", [], AliasIndex([])).extra_terms
    assert "creatine kinase" in ck and "CPK" in ck


def test_a_meaning_already_in_the_question_is_not_added_again() -> None:
    e = expand("What does creatine kinase (CK) measure?", [], AliasIndex([]))
    assert "creatine kinase" not in e.extra_terms
    assert e.extra_terms == ("CPK",)


def test_abbreviations_match_whole_words_only() -> None:
    e = expand("Can I admit myself to the hospital with diet changes?", [], AliasIndex([]))
    assert "dermatomyositis" not in e.extra_terms  # "dm" is inside "admit"
    assert "methotrexate" not in e.extra_terms
    assert e.extra_terms == ()


# --- aliases -----------------------------------------------------------------------------------------


def test_alias_names_the_page() -> None:
    assert ALIASES.find("side effects of ivig?") == ["Intravenous immunoglobulin (IVIG)"]
    assert ALIASES.find("What is IVIG, exactly") == ["Intravenous immunoglobulin (IVIG)"]
    assert ALIASES.find("What is Anti-HMGCR myopathy?") == ["Anti-HMGCR myopathy"]


def test_longest_alias_wins() -> None:
    assert ALIASES.find("How is juvenile dermatomyositis treated?") == ["Juvenile dermatomyositis"]
    assert ALIASES.find("JDM or DM?") == ["Juvenile dermatomyositis", "Dermatomyositis"]


def test_a_name_finds_every_page_that_carries_it_with_or_without_the_possessive() -> None:
    # Two sources title the same condition each their own way; both pages are the topic.
    pages = AliasIndex(
        [
            ("Parkinson's Disease", "Parkinson's Disease"),
            ("Parkinson disease", "Parkinson disease"),
            ("Heart Attack", "Heart Attack"),
            ("Heart attack", "Heart attack"),
            ("Down syndrome", "Down syndrome"),
        ]
    )
    both = ["Parkinson's Disease", "Parkinson disease"]
    assert pages.find("What is Parkinson's disease?") == both
    assert pages.find("parkinson disease symptoms") == both
    assert pages.find("Parkinson’s Disease and sleep") == both
    assert pages.find("what is a heart attack") == ["Heart Attack", "Heart attack"]
    assert pages.find("Is Down's syndrome inherited?") == ["Down syndrome"]
    assert pages.find("Parkinsons disease") == []  # a misspelling is not an eponym's possessive


def test_alias_matches_whole_words_and_ignores_one_letter_names() -> None:
    assert ALIASES.find("Is dermatomyositisfoo real? x marks the spot") == []
    assert ALIASES.find("admit") == []


def test_expand_adds_the_page_title_for_an_alias() -> None:
    e = expand("necrotising myopathy outlook", [], ALIASES)
    assert e.text == "necrotizing myopathy outlook"
    assert e.matched_titles == ("Necrotizing autoimmune myopathy",)
    assert "Necrotizing autoimmune myopathy" in e.extra_terms


def test_expand_does_not_repeat_a_title_already_in_the_question() -> None:
    e = expand("What is dermatomyositis?", [], ALIASES)
    assert e.matched_titles == ("Dermatomyositis",)
    assert e.extra_terms == ()


# --- follow-ups --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "And how is it treated?",
        "What about the side effects?",
        "Is it genetic?",
        "How long does that take?",
        "Also, can they cause weight gain?",
        "how long till it actually starts working?",
        "how long will it be sore afterwards, and can I drive myself home?",
        # Round 11: a time word with nothing after it, and a question followed by a remark.
        "how stiff will my arm be after, and can I lift my grandson that evening?",
        "will I need someone with me during? my husband works nights",
        "does it take long to kick in? my first drip is on friday",
    ],
)
def test_follow_up(question: str) -> None:
    assert is_follow_up(question)


@pytest.mark.parametrize(
    "question",
    [
        "What is dermatomyositis?",
        "How is a muscle biopsy done?",
        "What are the side effects of IVIG?",
        "Why does it say my CK level was high in my blood test results from the hospital last month?",
        "What happens after a muscle biopsy?",
        "what should i eat before and after exercise with myositis?",
    ],
)
def test_not_a_follow_up(question: str) -> None:
    assert not is_follow_up(question)


HISTORY = [
    ("user", "What is IVIG?"),
    ("assistant", "IVIG is a medicine made from antibodies. Dermatomyositis is treated with it."),
    ("user", "What is dermatomyositis?"),
    ("assistant", "Dermatomyositis is an autoimmune disease."),
]


def test_follow_up_takes_its_topic_from_the_last_user_turn() -> None:
    e = expand("And how is it treated?", HISTORY, ALIASES)
    assert e.text == "And how is it treated?"
    assert e.matched_titles == ("Dermatomyositis",)
    assert e.extra_terms == ("Dermatomyositis",)  # the page, not the wording of the earlier turn
    assert "Intravenous immunoglobulin (IVIG)" not in e.matched_titles


def test_a_second_follow_up_keeps_the_topic_but_not_the_earlier_follow_up() -> None:
    history = [
        ("user", "What is dermatomyositis?"),
        ("assistant", "Dermatomyositis is an autoimmune disease."),
        ("user", "What are its side effects?"),
        ("assistant", "..."),
    ]
    e = expand("And how is it given?", history, ALIASES)
    assert e.matched_titles == ("Dermatomyositis",)
    assert e.extra_terms == ("Dermatomyositis",)


def test_without_a_named_page_the_earlier_turn_carries_the_topic() -> None:
    history = [("user", "My hands look purple in the cold."), ("assistant", "...")]
    e = expand("What causes it?", history, ALIASES)
    assert e.matched_titles == ()
    assert e.extra_terms == ("My hands look purple in the cold.",)


def test_follow_up_without_history_has_no_topic() -> None:
    e = expand("And how is it treated?", [], ALIASES)
    assert e.matched_titles == ()
    assert e.extra_terms == ()


def test_a_question_with_its_own_topic_ignores_history() -> None:
    e = expand("What are the side effects of IVIG?", HISTORY, ALIASES)
    assert e.matched_titles == ("Intravenous immunoglobulin (IVIG)",)
    assert "What is dermatomyositis?" not in e.extra_terms


def test_assistant_turns_are_not_used_as_the_topic() -> None:
    e = expand("And is it genetic?", [("assistant", "Dermatomyositis is an autoimmune disease.")], ALIASES)
    assert e.matched_titles == ()


def test_of_two_pages_an_earlier_turn_named_the_topic_is_the_one_the_reply_spoke_of() -> None:
    """ "Start IVIG for my dermatomyositis" names two pages; the reply was about IVIG, so "how soon
    will I feel stronger from it?" is about IVIG. When the reply names neither more, both stay."""
    history = [
        ("user", "my neurologist wants to start IVIG for my dermatomyositis"),
        ("assistant", "IVIG is made from donated antibodies. IVIG is given into a vein over a few hours."),
    ]
    e = expand("how soon will I feel stronger from it?", history, ALIASES)
    assert e.matched_titles == ("Intravenous immunoglobulin (IVIG)",)
    vague = [history[0], ("assistant", "Your team will explain the plan.")]
    both = expand("how soon will I feel stronger from it?", vague, ALIASES)
    assert set(both.matched_titles) == {"Intravenous immunoglobulin (IVIG)", "Dermatomyositis"}


def test_a_short_question_in_a_conversation_is_a_follow_up_without_a_pronoun() -> None:
    """ "any side effects after?" has no pronoun but too few words of its own to be a new topic."""
    e = expand("any side effects after?", HISTORY, ALIASES)
    assert e.matched_titles == ("Dermatomyositis",)
    alone = expand("what are the side effects of steroids for bone health?", HISTORY, ALIASES)
    assert "Dermatomyositis" not in alone.matched_titles


def test_a_message_that_goes_on_about_the_same_person_keeps_the_conversations_page() -> None:
    """ "can he go back on a statin?" after "dad has anti-HMGCR myopathy": the myopathy's page stays
    the subject (what the statin page says of ordinary statin aches is not the answer for it)."""
    history = [
        ("user", "my dad was just diagnosed with anti-HMGCR myopathy. what is it?"),
        ("assistant", "Anti-HMGCR myopathy is a rare autoimmune muscle disease."),
    ]
    e = expand("his cholesterol is still high though. can he go back on a statin one day?", history, ALIASES)
    assert e.matched_titles == ("Anti-HMGCR myopathy",)
    named_now = expand("and is IVIG used for him too?", history, ALIASES)
    assert set(named_now.matched_titles) == {"Intravenous immunoglobulin (IVIG)", "Anti-HMGCR myopathy"}


def test_a_follow_up_with_a_dangling_time_word_keeps_the_conversation_page() -> None:
    """Round 11: "how long will my legs be sore after" after an EMG question was read alone and
    answered from the muscle biopsy page's aftercare."""
    history = [("user", "What is IVIG?"), ("assistant", "IVIG is a medicine made from antibodies.")]
    e = expand("how achy will I feel after, and can I drive home?", history, ALIASES)
    assert e.matched_titles == ("Intravenous immunoglobulin (IVIG)",)
    assert "Intravenous immunoglobulin (IVIG)" in e.extra_terms
