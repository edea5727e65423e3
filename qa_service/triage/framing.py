"""How each unit of a message (clauses.units: the whole message, its sentences, the clauses of
longer ones) is framed before the rules and the classifier read it: asking about a topic, placing
the event in the past, saying it is settled or describing the outlook lower a unit; safety.py
decides with them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa_service.triage import rules as tr
from qa_service.triage.clauses import background, recent, recent_beside_resolved, units


@dataclass(frozen=True)
class Unit:
    """One unit of a message (the whole, a sentence or a clause) and how it is framed."""

    text: str
    framed: bool
    """Asks about a topic, places the event in the past with nothing recent, or is settled."""
    settled: bool = False
    """Asks about the outlook or describes a slow change (rules.OUTLOOK): the classifier
    does not judge it at all."""
    reassured: bool = False
    """Framed only because it says things are fine or settled ("feeding ok though"): the rules
    of the categories in rules.NOT_LOWERED_BY_REASSURANCE still read it."""
    asks: bool = False
    """A sentence or clause that asks about a topic with nobody in it: its findings are no one's."""
    imagined: bool = False
    """Framed only because a hypothetical clause was dropped from it: the rules still read what is left."""


def framed_units(scene: str, topical: bool, hypothetical: bool) -> list[Unit]:
    """The units of a message (clauses.units), each with its framing. A unit is framed when
    the message asks about a topic; when it is the whole message and a hypothetical clause was
    dropped from it; when it (or, for a sentence or clause, the whole message) places the event in
    the past with nothing recent; or when it says things are settled or asks about the outlook,
    with nothing acute."""
    texts = units(scene) if scene else []
    recent_scene = recent(scene)
    resolved = bool(tr.RESOLVED.search(scene)) and not recent_beside_resolved(scene)
    # When a medicine was started or given is background, not the event being over.
    over = (bool(tr.PAST.search(background(scene))) and not recent_scene) or resolved
    # Sentences that say the thing is long-standing ("it's been like that for months"): their
    # clauses are framed with them.
    settled_sentences = [u for u in texts[1:] if tr.CHRONIC.search(background(u)) and not tr.ACUTE.search(u)]
    # ... and so are those of a sentence that says it clears ("darker first thing, but clears once I drink").
    settled_sentences += [u for u in texts[1:] if tr.RESOLVED.search(u) and not recent_beside_resolved(u)]
    # What is left of a message once its hypothetical is dropped tells of someone, not in a mood of
    # its own ("my toddler swallowed a button battery, is it dangerous if a child swallows one?").
    told = bool(tr.SPECIFIC_PERSON.search(scene)) and not re.search(
        r"\b(would|could|might|will)\b|'d\b|'ll\b", scene
    )
    out: list[Unit] = []
    for i, u in enumerate(texts):
        outlook = bool(tr.OUTLOOK.search(u)) and not tr.ACUTE.search(u)
        # "Two years ago I suddenly couldn't stand": the unit's own past outweighs "suddenly".
        own_past = bool(tr.PAST.search(background(u))) and not recent(tr.SUDDEN.sub(" ", u))
        inherited = over and (i == 0 or not tr.PRESENT.search(u)) and not recent_beside_resolved(u)
        own_resolved = bool(tr.RESOLVED.search(u)) and not recent_beside_resolved(u)
        past = own_past or own_resolved or inherited or any(u != c and u in c for c in settled_sentences)
        settled = bool(tr.SETTLED.search(background(u))) and not tr.ACUTE.search(u)
        # A sentence or clause that asks about a topic with nobody in it ("What is a thunderclap
        # headache?", "can rituximab cause chest pain?") is framed, as a whole message would be,
        # unless the message says something is happening now ("Is it normal to get chest tightness?
        # Mine started this morning") or points at someone ("this hard to wake").
        asks = (
            i > 0
            and bool(tr.QUESTION_START.search(u))
            and not tr.SPECIFIC_PERSON.search(u)
            and not re.search(r"\b(this|these|someone|somebody)\b", u)
            and not recent_scene
        )
        lowered = topical or (hypothetical and i == 0) or past or outlook or asks
        imagined = hypothetical and i == 0 and not (topical or past or outlook or asks or settled) and told
        out.append(Unit(u, lowered or settled, outlook, settled and not lowered, asks, imagined))
    return out
