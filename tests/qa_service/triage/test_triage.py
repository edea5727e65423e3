"""Triage that generalises: per-clause judging (background never dilutes an emergency), the red-flag
taxonomy, the shipped classifier, the safety-net line and referrals of personal dose changes.

The phrasings here are the team's own, written for these tests from the taxonomy and the patterns
named in issue #12; none comes from the blind sets (eval/suites/triage-blind*.jsonl)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import yaml

import prompts
from eval.scoring import answer_body as eval_answer_body
from eval.scoring import has_safety_net
from ingest import TransformerEmbedder
from ingest.embedding import BUNDLED_MODEL
from qa_service.triage.clauses import units
from qa_service.triage.model import NONE, REFER, default_model
from qa_service.triage.rules import URGENT_RULES
from qa_service.triage.safety import SafetyTriage
from tests.qa_service.conftest import ask

TAXONOMY = yaml.safe_load(
    (Path(prompts.__file__).parent / "triage_taxonomy.yaml").read_text(encoding="utf-8")
)
CATEGORIES = set(TAXONOMY["urgent"])
NET = prompts.message("safety_net", emergency_number="911")


# --- the taxonomy and the model -----------------------------------------------------------------


def test_every_taxonomy_flag_has_a_reason_and_a_public_source() -> None:
    for category, entry in TAXONOMY["urgent"].items():
        assert entry["flags"], category
        assert f"urgent.{entry['message']}" and entry["message"] in prompts.messages()["urgent"], category
        for flag in entry["flags"]:
            assert len(flag["reason"].split()) >= 6, flag["id"]
            assert flag["source"]["name"] and flag["source"]["url"].startswith("https://"), flag["id"]


def test_rules_and_classifier_speak_the_taxonomy() -> None:
    """Every rule category and every urgent class of the shipped classifier is a taxonomy category
    (with its own urgent message), and the classifier covers all of them."""
    assert set(URGENT_RULES) <= CATEGORIES
    model = default_model()
    assert model is not None
    urgent_classes = set(model.classes) - {NONE, REFER}
    assert urgent_classes == CATEGORIES
    assert model.model_id == BUNDLED_MODEL
    held_out = model.info["held_out_pooled"]
    assert held_out["urgent_recall"] > 0.85, held_out  # figures from the training script, not a test set


def test_the_binary_head_is_the_mean_of_a_linear_model_and_a_network_and_survives_its_json() -> None:
    """The shipped urgent-or-not head mixes a linear gate and a one-hidden-layer network
    (`blend` of each); model.json stores both and reading it back gives the same probabilities
    (rounding to six places aside); a model without the network is the linear gate alone."""
    import dataclasses

    import numpy as np

    from qa_service.triage.model import TriageModel

    model = default_model()
    assert model is not None and model.network is not None and 0 < model.network.blend < 1
    vectors = np.random.default_rng(0).normal(size=(5, model.weights.shape[1])).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    linear = 1 / (1 + np.exp(-(vectors @ model.gate_weights + model.gate_bias)))
    hidden = np.maximum(vectors @ model.network.hidden_weights + model.network.hidden_bias, 0)
    network = 1 / (1 + np.exp(-(hidden @ model.network.weights + model.network.bias)))
    blend = model.network.blend
    expected = blend * network + (1 - blend) * linear
    assert np.allclose(model.urgent_probability(vectors), expected, atol=1e-5)
    again = TriageModel.from_json(model.to_json())
    assert np.allclose(again.urgent_probability(vectors), expected, atol=1e-4)
    alone = TriageModel.from_json(dataclasses.replace(model, network=None).to_json())
    assert alone.network is None
    assert np.allclose(alone.urgent_probability(vectors), linear, atol=1e-4)


def test_the_classifier_is_skipped_for_another_embedding_model(embedder: TransformerEmbedder) -> None:
    class Other:
        model_id = "some-other-model"
        dim = embedder.dim

        def embed(self, texts: list[str]):  # type: ignore[no-untyped-def]
            return embedder.embed(texts)

    assert SafetyTriage(Other()).model is None  # type: ignore[arg-type]
    assert SafetyTriage(embedder).model is not None


# --- units ----------------------------------------------------------------------------------------


def test_a_message_is_judged_whole_and_by_sentence_and_clause() -> None:
    got = units(
        "i have had dermatomyositis since 2019 and started a statin three weeks ago. "
        "today my pee is like cola and i can hardly stand. should i just wait it out?"
    )
    assert got[0].startswith("i have had dermatomyositis") and got[0].endswith("wait it out?")
    assert "today my pee is like cola and i can hardly stand." in got
    assert units("what is a stroke?") == ["what is a stroke?"]
    assert "he can't talk or cough" in units(
        "food stuck in his throat, he can't talk or cough - what do i do"
    )


# --- background never dilutes an emergency ----------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "I have anti-HMGCR myopathy and started a new statin 3 weeks ago. Today my urine looks like cola and "
        "I can barely stand up. Should I just wait it out?",
        "Bit of background, I'm 58, dermatomyositis since 2020, on methotrexate and 10 of prednisone, had my "
        "IVIG on Monday. My chest has been crushing for half an hour and I feel sick. Probably nothing?",
        "My husband has polymyositis and takes warfarin. He fell in the garden and hit his head on the step, "
        "and now he keeps being sick.",
        "Sorry to bother you. My mum is 80 with IBM. She's really drowsy today and breathing fast and "
        "shallow, I can hardly wake her.",
    ],
)
def test_background_and_hedges_do_not_dilute_an_emergency(triage: SafetyTriage, message: str) -> None:
    assert triage.triage(message).kind == "urgent"


@pytest.mark.parametrize(
    ("message", "categories"),
    [
        ("Back pain since yesterday and now I can't feel anything between my legs and can't pee",
         {"spinal_cord"}),
        ("Her fever is 39 and there are purple spots on her legs that stay when I press a glass on them",
         {"infection", "child"}),
        ("I'm on 60mg prednisone, my meter just says HI, I keep vomiting and my breath smells fruity",
         {"blood_sugar"}),
        ("My calf was swollen all week and now I suddenly can't catch my breath and it hurts to breathe in",
         {"blood_clot", "breathing", "chest_pain"}),
        ("My 6 week old has a temperature of 38.4", {"child", "infection"}),
        ("I've been on steroids for years, I've been vomiting since last night and can't keep my "
         "prednisolone down, I feel cold and clammy and confused", {"adrenal_crisis"}),
        ("ten minutes into my IVIG my tongue has gone huge and my voice is croaky", {"anaphylaxis"}),
    ],
)  # fmt: skip
def test_emergencies_outside_myositis_are_urgent(
    triage: SafetyTriage, message: str, categories: set[str]
) -> None:
    decision = triage.triage(message)
    assert decision.kind == "urgent", decision
    assert decision.category in CATEGORIES


# --- framing: how-to questions, past events, denials stay not urgent --------------------------------


@pytest.mark.parametrize(
    ("message", "warned"),
    [
        ("Do I take methotrexate every day like my prednisone?", False),
        ("Food sometimes gets stuck when I swallow, how can I eat more safely?", True),
        ("Last year I had chest pain and they found myocarditis. What tests monitor the heart?", True),
        ("No chest pain, just tired and achy since my flare", True),
        ("What are the signs of a stroke?", True),
        ("How is a CK blood test done?", False),
    ],
)
def test_framed_messages_are_not_urgent_but_warning_signs_are_flagged(
    triage: SafetyTriage, message: str, warned: bool
) -> None:
    decision = triage.triage(message)
    assert decision.kind != "urgent", decision
    assert (decision.warning is not None) == warned, decision


# --- refer: personal dose and timing changes, with numbers or not -----------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "Can I drop my prednisone from 20 to 10 mg myself?",
        "Could I take 500 mg of mycophenolate instead?",
        "I want an extra 10 mg of prednisone before my flight",
        "Is it ok to skip this week's methotrexate because of my cold?",
        "I missed yesterday's prednisone, should I double up today?",
    ],
)
def test_personal_dose_changes_are_referred(triage: SafetyTriage, message: str) -> None:
    assert triage.triage(message).kind == "refer"


# --- the reply: safety-net line, one preamble -----------------------------------------------------


def test_a_warning_sign_that_is_not_urgent_gets_the_safety_net_line(client: httpx.Client) -> None:
    answer = ask(client, "Last year I had chest pain and they found myocarditis. What tests check the heart?")
    assert answer["kind"] == "answer", answer["text"]
    assert answer["text"].endswith("\n\n" + NET)  # after the answer, as safety-netting advice is
    assert has_safety_net(answer["text"])
    assert eval_answer_body(answer["text"]).startswith(answer["text"].split("\n\n")[1][:20])
    assert NET not in eval_answer_body(answer["text"])
    assert answer["citations"]


def test_a_warning_sign_never_gets_a_bare_abstention(client: httpx.Client) -> None:
    answer = ask(client, "I had a seizure once when I was a teenager, does that matter for scuba diving?")
    assert answer["kind"] in ("abstain", "answer")
    assert answer["text"].endswith(NET)


def test_an_ordinary_question_has_no_safety_net_line(client: httpx.Client) -> None:
    answer = ask(client, "What does a muscle biopsy involve?")
    assert answer["kind"] == "answer"
    assert not has_safety_net(answer["text"])


def test_a_referral_leads_with_one_preamble_then_the_library(client: httpx.Client) -> None:
    answer = ask(client, "Can I drop my prednisone from 20 to 10 mg myself?")
    assert answer["kind"] == "refer"
    refer = prompts.message("refer.dosing")
    assert answer["text"].startswith(refer + "\n\n")
    assert answer["text"].startswith("Please don't change")
    rest = answer["text"][len(refer) :].strip()
    assert not prompts.is_lead_in(rest.split("\n\n", 1)[0]), rest[:120]
    assert answer["citations"] and "[1]" in rest


def test_the_team_example_phrasings_keep_their_side(triage: SafetyTriage) -> None:
    """prompts/triage.yaml's urgent examples are all urgent and its informational ones are not."""
    examples = yaml.safe_load((Path(prompts.__file__).parent / "triage.yaml").read_text(encoding="utf-8"))
    missed = [
        p for phrases in examples["urgent"].values() for p in phrases if triage.triage(p).kind != "urgent"
    ]
    alarmed = [p for p in examples["informational"] if triage.triage(p).kind == "urgent"]
    assert missed == [] and alarmed == []
