"""What a question asks about (symptoms, diagnosis, treatment, …) and which section headings
answer that: retrieval's intent prior and the sentence scorer's section bonus read them."""

from __future__ import annotations

import re

INTENTS: dict[str, tuple[str, str]] = {
    # intent: (pattern in the question, pattern in a section heading)
    "symptoms": (r"\b(symptom|signs?\b|feel|look like|experienc|notice)", r"symptom|sign"),
    "diagnosis": (
        r"\b(diagnos|tests?\b|detect|confirm|biops|exam|scan|mri|emg|blood work|find out)",
        r"diagnos|test|exam|biops|emg|mri|blood|what to expect|results|prepare",
    ),
    "treatment": (
        r"\b(treat|therap|medicines?|medications?|drugs?|cure|manag|help with|relieve|get better)",
        r"treat|therap|management|medication|how is it given|why is it used|side effects",
    ),
    "causes": (
        r"\b(caus|why do|risk factor|trigger|inherit|genetic|get it|passed down|"
        r"why (did|does|am|is|are|has|have|would) (i|my|he|she|it|they|we|this|these|people|someone|kids|"
        r"children)\b)",
        r"cause|genetic|inherit|risk",
    ),
    "outlook": (
        r"\b(outlook|prognos|life expectancy|surviv|live with|recover|go away|curable|permanent"
        r"|long[- ]term)",
        r"outlook|prognos|living with|living",
    ),
    "definition": (
        r"^\s*(what is|what are|what's|whats|define|meaning of)\b(?!.*\b(side[- ]effects?|symptoms?|signs?"
        r"|causes?|treatments?|tests?|risks?|types?|options?|benefits?|chances?)\b)",
        r"what is|overview|summary|description|about",
    ),
    "dosing": (
        r"\b(how (much|many|often)|doses?|dosage|taper|mg\b|milligrams?|tablets?|pills?|every day|daily|"
        r"once a week|weekly|twice a (day|week))",
        r"how is it given|how to take|dose|taper",
    ),
    "side_effects": (r"\b(side[- ]effects?|adverse|reactions?)\b", r"side effect|what to watch|risk"),
    "prevention": (r"\b(prevent|avoid|reduce the risk)", r"prevent"),
    "frequency": (r"\bhow (common|rare|many people)|\bprevalen", r"frequency|how common|prevalen"),
    "urgent": (r"\b(emergency|urgent|911|er\b|when to call)", r"when to get help|urgent|emergency"),
}
_INTENT_Q = {k: re.compile(q, re.IGNORECASE) for k, (q, _) in INTENTS.items()}
_INTENT_S = {k: re.compile(s, re.IGNORECASE) for k, (_, s) in INTENTS.items()}


def question_intents(question: str) -> set[str]:
    """The intents (INTENTS) whose question pattern the question matches: "treatment", "dosing", …"""
    return {name for name, pattern in _INTENT_Q.items() if pattern.search(question)}


def section_intents(section: str) -> set[str]:
    """The intents (INTENTS) whose heading pattern the section heading matches."""
    return {name for name, pattern in _INTENT_S.items() if pattern.search(section)}


__all__ = ["INTENTS", "question_intents", "section_intents"]
