"""The knobs of the safety triage that are not the classifier's own thresholds (those are fitted
with it and live in model.json): `WISDOM_TRIAGE__<NAME>` in the environment."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class TriageConfig(BaseModel):
    """Safety triage knobs: `WISDOM_TRIAGE__<NAME>` in the environment."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    refer_similarity: float = Field(
        0.80,
        description="Similarity to a team-written dosing example (prompts/triage.yaml) that refers a "
        "personal medicine question the rules and the classifier missed (above 1: never).",
    )
    out_of_scope_similarity: float = Field(
        0.70,
        description="Similarity to a team-written out-of-scope example (prompts/triage.yaml) at which a "
        "message naming no warning sign is out of scope (above 1: only the off-topic rules decide).",
    )
    margin: float = Field(
        0.05,
        ge=0,
        description="How much nearer the dosing (or out-of-scope) examples a message must be than the "
        "medical ones it could also be, for refer_similarity (out_of_scope_similarity) to count.",
    )
    warning_from_model: float = Field(
        0.90,
        ge=0.0,
        le=1.0,
        description="The classifier's bar for the safety-net line on a message that names no warning "
        "sign. The model's own warning bar (0.5) put the line on a quarter of ordinary questions in the "
        "blind answer sets, where graders read it as a line with no referent; on the blind triage sets "
        "its sign-less warnings were wanted about one time in seven at any bar.",
    )
    urgent_without_sign: float = Field(
        0.85,
        ge=0.0,
        le=1.0,
        description="The classifier's bar for a whole message that names no warning sign the rules or "
        "the taxonomy know and says nothing is happening now: an ordinary question ('will my kids get "
        "myositis from me?') must not become urgent on a middling score. A message with a sign, or "
        "with something happening now, keeps the model's own bar.",
    )
    urgent_when_asking_why: float = Field(
        0.97,
        ge=0.0,
        le=1.0,
        description="The classifier's bar for a whole message that asks whether what it describes is "
        "normal, known or caused by the illness or a medicine ('is that a known side effect?', 'is it "
        "the steroids?'): such a message is framed, as a topic question is, and only the rules or a "
        "very sure classifier make it urgent. On eight earlier blind answer sets ordinary questions "
        "made urgent fell from 31 to 18 of 608; the earlier triage sets kept every emergency.",
    )
