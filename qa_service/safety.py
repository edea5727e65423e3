"""Safety triage, run before retrieval.

Order: self-harm and emergencies (urgent) → personal dosing / start / stop requests (refer) →
clearly non-medical questions (out of scope). Each decision combines rules with embedding
similarity to the example phrasings in prompts/triage.yaml. Informational questions about an
emergency ("What is a stroke?") have no first-person marker and are answered normally.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from typing import Literal

import numpy as np
import yaml

from ingest.embedding import Embedder

TriageKind = Literal["urgent", "refer", "out_of_scope", "none"]

URGENT_RULES: dict[str, str] = {
    "self_harm": (
        r"suicid|\bkill (my|him|her|them)sel(f|ves)\b|\bend (my|his|her) (own )?life\b|"
        r"\b(want|wanna|going) to die\b|don'?t want to (live|be alive|wake up)|self[- ]?harm|"
        r"\b(hurt|hurting|cut|cutting|harm|harming) myself\b|better off dead|no reason to live"
    ),
    "chest_pain": (
        r"\bchest (pain|pressure|tightness|hurts?|is tight|feels (tight|heavy|crushed))|"
        r"\bpain in (my|his|her) chest|pressure (in|on) (my|his|her) chest|heart attack"
    ),
    "breathing": (
        r"\b(can'?t|cannot|can not|unable to|struggling to|hard to|trouble|difficulty|problems?) "
        r"(breathe|breathing|catch (my|his|her) breath|get (enough )?air)|\bgasping\b|\bchoking\b|"
        r"(lips|face) (are |is )?(turning )?(blue|gr[ae]y)|not breathing|stopped breathing|"
        r"short of breath (at rest|suddenly|and)"
    ),
    "stroke": (
        r"(face|mouth|smile) (is )?(drooping|droops|lopsided)|slurr(ed|ing) (speech|words)|"
        r"\bsudden(ly)? (numb|weak|can'?t (move|see|speak|talk)|confus|blind)|"
        r"one side of (my|his|her) (body|face)|worst headache"
    ),
    "anaphylaxis": (
        r"(throat|tongue|lips?|face) (is |are |feels? )?(swelling|swollen|closing|tight)|anaphyla"
    ),
    "bleeding": (
        r"(bleeding|blood) (won'?t|will not|doesn'?t|does not) stop|bleeding (heavily|a lot|badly)|"
        r"heavy bleeding|(vomiting|throwing up|coughing up|peeing) blood|blood in (my|his|her) vomit"
    ),
    "unconscious": (
        r"passed out|\bfainted\b|won'?t wake|can'?t wake|unresponsive|unconscious|blacked out|"
        r"having a seizure|\bseizing\b"
    ),
    "overdose": (
        r"\b(took|taken|swallowed|ate|have taken) (too many|too much|an extra|a double|double|"
        r"twice|the wrong|(all|half|some) (of )?(my|the|his|her))|\boverdos"
    ),
}
_URGENT = {k: re.compile(v, re.IGNORECASE) for k, v in URGENT_RULES.items()}
_PERSONAL = re.compile(
    r"\b(i|i'm|im|i am|i've|ive|my|me|we|we're|our|us|he|she|he's|she's|his|her|him|they're|"
    r"someone|somebody|husband|wife|mom|mum|mother|dad|father|son|daughter|child|kid|baby|friend|"
    r"partner|boyfriend|girlfriend|grandma|grandpa)\b",
    re.IGNORECASE,
)
_INFORMATIONAL = re.compile(
    r"^\s*(what (is|are|causes|does|do|happens)|what's|whats|can (a |an )?(myositis|imnm|statins?|"
    r"steroids?|prednisone|ivig|dermatomyositis|it|the)|is (a |an )?\w+ (a )?(sign|symptom)|"
    r"how (is|are|do doctors|common)|why (do|does|is|are)|define|explain|tell me about|"
    r"when should (someone|a person|people|patients))\b",
    re.IGNORECASE,
)
_MEDICINE = (
    r"(medicines?|medications?|meds|drugs?|pills?|tablets?|doses?|dosage|prednisone|steroids?|"
    r"corticosteroids?|methotrexate|mycophenolate|cellcept|azathioprine|imuran|rituximab|rituxan|"
    r"ivig|immunoglobulin|tacrolimus|cyclosporine|hydroxychloroquine|plaquenil|statins?|"
    r"atorvastatin|simvastatin|rosuvastatin|insulin|infusions?|injections?|folic acid|ibuprofen|"
    r"supplements?|coq10|vitamin \w+|antibiotics?|vaccines?|shots?)"
)
_REFER = re.compile(
    r"\b(how (much|many) (mg |milligrams? |units? |pills? |tablets? )?(of )?(my |the |this )?"
    + _MEDICINE
    + r"?\s*(should|do|can|must) (i|we|he|she)|what (dose|dosage|amount)|\bmy (dose|dosage)\b|"
    r"(should|can|could|may|must) (i|we|he|she) (stop|start|quit|skip|double|increase|decrease|"
    r"lower|raise|reduce|change|switch|come off|go off|get off|go back on|taper|take|keep taking|"
    r"try)\b|\b(is it (ok|okay|safe|fine)|okay|ok) (for me )?to (stop|skip|double|quit|take|start|"
    r"change|lower|increase|mix|combine)|\b(stop|quit|skip) (taking )?my\b|"
    r"\b(increase|decrease|lower|raise|double|halve|change) my\b|\bhow many (mg|milligrams)\b)",
    re.IGNORECASE,
)
_OFF_TOPIC_HINT = re.compile(
    r"\b(ignore (all |your |the )?(previous |prior )?instructions|system prompt|jailbreak|"
    r"pretend (you are|to be)|weather|football|soccer|basketball|recipe|poem|joke|stock market|"
    r"bitcoin|capital of|movie|python (code|error)|javascript)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Triage:
    kind: TriageKind
    category: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class TriageConfig:
    urgent_similarity: float = 0.70
    refer_similarity: float = 0.80
    out_of_scope_similarity: float = 0.70
    margin: float = 0.05


class SafetyTriage:
    def __init__(self, embedder: Embedder, config: TriageConfig | None = None):
        self.embedder = embedder
        self.config = config or TriageConfig()
        raw = resources.files("prompts").joinpath("triage.yaml").read_text(encoding="utf-8")
        self.examples = yaml.safe_load(raw)

    @cached_property
    def _bank(self) -> tuple[np.ndarray, list[tuple[str, str]]]:
        labels: list[tuple[str, str]] = []
        texts: list[str] = []
        for category, phrases in self.examples["urgent"].items():
            for p in phrases:
                labels.append(("urgent", category))
                texts.append(p)
        for group in ("informational", "refer", "out_of_scope"):
            for p in self.examples[group]:
                labels.append((group, group))
                texts.append(p)
        return self.embedder.embed(texts), labels

    def _similarities(self, question: str) -> dict[tuple[str, str], float]:
        vectors, labels = self._bank
        sims = vectors @ self.embedder.embed([question])[0]
        best: dict[tuple[str, str], float] = {}
        for label, sim in zip(labels, sims, strict=True):
            best[label] = max(best.get(label, -1.0), float(sim))
        return best

    def triage(self, question: str) -> Triage:
        text = " ".join(question.split())
        personal = bool(_PERSONAL.search(text))
        informational = bool(_INFORMATIONAL.search(text)) and not re.search(
            r"\b(i|i'm|my|me)\b", text, re.IGNORECASE
        )
        for category, pattern in _URGENT.items():
            if pattern.search(text) and (category == "self_harm" or (personal and not informational)):
                return Triage("urgent", category, f"rule:{category}")
        if _REFER.search(text) and personal:
            return Triage("refer", "dosing", "rule:dosing")
        sims = self._similarities(text)
        urgent = max(((v, c) for (g, c), v in sims.items() if g == "urgent"), default=(0.0, ""))
        info = sims.get(("informational", "informational"), 0.0)
        if (
            personal
            and not informational
            and urgent[0] >= self.config.urgent_similarity
            and urgent[0] >= info + self.config.margin
        ):
            return Triage("urgent", urgent[1], f"similar:{urgent[0]:.2f}")
        refer = sims.get(("refer", "refer"), 0.0)
        if personal and refer >= self.config.refer_similarity and refer >= info + self.config.margin:
            return Triage("refer", "dosing", f"similar:{refer:.2f}")
        off = sims.get(("out_of_scope", "out_of_scope"), 0.0)
        medical = max(v for (g, _), v in sims.items() if g != "out_of_scope")
        if _OFF_TOPIC_HINT.search(text) or (
            off >= self.config.out_of_scope_similarity and off >= medical + self.config.margin
        ):
            return Triage("out_of_scope", None, f"off-topic:{off:.2f}")
        return Triage("none")
