"""The asked question answered first: the sentence of the first section quoted that answers best
leads the answer when it stands deep in the section and clearly outscores the framing before it
("Some UV rays pass through car and house windows…" before the section's general lines on why sun
protection matters), the rest following in the page's order.

Round 18, on the spent blind answer sets (1,914 answerable questions): blind pairwise judgments of
the answers it changed preferred the led answer 37 to 2 at a margin of 0.1 (41 answers changed), and
0.05 to 0.1 16 to 8 (25 more); `GeneratorConfig.answer_lead` is the margin. The first version, which
let any sentence lead, won 41 and lost 20 of 64 pairs, most lost to a sentence that leaned on what came
before it ("can also help", "Statins, for example, …", an abbreviation defined earlier): such a
sentence never leads now.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ingest.text import adds_to_previous, leans_on_previous
from qa_service.answer.compose import Span, is_list_part

if TYPE_CHECKING:
    from qa_service.answer.generate import Candidate

LEAD_BLOCK = 0.15
"""The sentence just before the best one, and those just after it, lead with it when they score
this near it."""
LEAD_SENTENCES = 3
"""At most this many sentences lead the answer."""
_LEAD_UNFIT = re.compile(
    r"\b(?:also|too|as well|for example|for instance|others?|another|each|these|those|such|same|"
    r"instead|again|both)\b",
    re.IGNORECASE,
)
"""Words that tie a sentence to what comes before it wherever they stand ("… can also help",
"Statins, for example, …"): fine in the page's order, mid-thought at the head of an answer."""
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,}\b")


def _can_lead(c: Candidate) -> bool:
    return not (leans_on_previous(c.text) or adds_to_previous(c.text) or _LEAD_UNFIT.search(c.text))


def lead_with_answer(span: Span, margin: float, question: str = "", min_index: int = 2) -> Span:
    """The span with its best sentence moved to the front when it stands deep in the span (at
    index `min_index` or later) and outscores every sentence before it by `margin`: the asked
    question is answered first, the section's framing after it. Only a sentence that stands
    alone leads (no "also", "for example", "other…", no abbreviation the sentences before it
    introduce), with the sentence before it when that one answers nearly as well; nothing of a
    list moves, and the sentence after the moved ones must stand alone too (it follows another
    sentence now)."""
    sents = span.sentences
    if margin <= 0 or len(sents) <= min_index:
        return span
    if any(s.row != sents[0].row + i for i, s in enumerate(sents)):
        return span  # two spans of one passage: left as composed
    top = max(range(len(sents)), key=lambda i: sents[i].score)
    best = top
    if (
        best - 1 > min_index
        and sents[best - 1].score >= sents[top].score - LEAD_BLOCK
        and not is_list_part(sents, best - 1)
    ):
        best -= 1
    while best < top and not _can_lead(sents[best]):
        best += 1
    if best < min_index or sents[top].score - max(s.score for s in sents[:best]) < margin:
        return span
    end = top
    while (
        end + 1 < len(sents)
        and end + 2 - best <= LEAD_SENTENCES
        and sents[end + 1].score >= sents[top].score - LEAD_BLOCK
        and not is_list_part(sents, end + 1)
        and _can_lead(sents[end + 1])
    ):
        end += 1  # the sentences just after it answer too: they lead with it
    block = sents[best : end + 1]
    after = sents[end + 1] if end + 1 < len(sents) else None
    introduced = {a for s in sents[:best] for a in _ACRONYM.findall(s.text)}
    used = {a for s in block for a in _ACRONYM.findall(s.text)} - set(_ACRONYM.findall(question))
    if (
        len(block) > LEAD_SENTENCES
        or not all(_can_lead(s) for s in block)
        or any(is_list_part(sents, j) for j in range(best, end + 1))
        or used & introduced
        or (after is not None and (not _can_lead(after) or is_list_part(sents, end + 1)))
    ):
        return span
    return Span(block + sents[:best] + sents[end + 1 :], span.score)


def lead_section(spans: list[Span], margin: float, question: str) -> list[Span]:
    """`lead_with_answer` over the answer's first section, read across the passages it is stored
    as (its spans, one per passage): the best sentence may stand in the section's second passage."""
    if not spans:
        return spans
    first = spans[0].hit.chunk
    k = 1
    while k < len(spans) and (spans[k].hit.chunk.doc_id, spans[k].hit.chunk.section) == (
        first.doc_id,
        first.section,
    ):
        k += 1
    joined = Span([c for span in spans[:k] for c in span.sentences], spans[0].score)
    led = lead_with_answer(joined, margin, question)
    if led is joined:
        return spans
    runs: list[Span] = []
    for c in led.sentences:
        if runs and runs[-1].sentences[-1].hit.row == c.hit.row:
            runs[-1].sentences.append(c)
        else:
            runs.append(Span([c], spans[0].score))
    return runs + spans[k:]
