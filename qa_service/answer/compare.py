"""Comparison questions: both sides quoted.

"IVIG vs rituximab: which knocks the immune system down more?" names two pages and asks how they
differ. The answer's first span comes from whichever page answers best, and until round 16 that was
the whole answer: on the 26 spent blind answer sets, none of the 32 questions whose answer lies on
two pages cited both, and graders marked "the rituximab side of the comparison ignored". Here a
span of each compared page the answer does not yet quote joins it (from the section under the same
heading as the first span's, when one answers), unless a quoted section is about that page by its
heading ("How it differs from anti-HMGCR myopathy" already compares).

A question that names two pages without comparing them ("will prednisone help my dad's IBM?") is
answered as before: from the passage that speaks of both (compose.subject_pool).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ingest.index import ChunkRecord, IndexVersion
from qa_service.answer.compose import Span, budget, grow
from qa_service.answer.expansion import asked_part
from qa_service.answer.retrieval import Retrieval

if TYPE_CHECKING:
    from qa_service.answer.generate import Candidate, GeneratorConfig

COMPARES = re.compile(
    r"\b(?:differen(?:ce|ces|t)|diff|vs\.?|versus|compar(?:e|ed|es|ing|ison)|tell\b.{1,60}\b(?:from|apart)"
    r"|rather than|instead of|which(?: one)? (?:is|of|tends|suits|would|should)|better|safer|worse"
    r"|more|less|same (?:as|thing)|similar|the two|both)\b",
    re.IGNORECASE,
)
"""Words that ask how two named things differ (read in the part of the message that asks)."""
TIME_DIFFERENCE = re.compile(r"\btime (zone )?differen\w*", re.IGNORECASE)
"""Not a comparison: "how do I handle my weekly methotrexate with the time difference?"."""
_JOINED = r"\W+(?:[\w'-]+\W+){0,3}?(?:or|vs\.?|versus|and|from|than|to|over)\W+(?:[\w'-]+\W+){0,2}?"
"""Between two names that are compared: at most three words, a joining word, at most two more."""


def compared_pages(retrieval: Retrieval) -> list[str]:
    """The two pages the question compares: two pages named in the part that asks, joined there
    ("IVIG and rituximab", "polymyositis different from dermatomyositis", "aza or methotrexate"),
    with a word of comparison ("difference", "vs", "which … safer"), in the order the question
    names them. "If I get pregnant will my dermatomyositis get worse?" and "why troponin I instead
    of troponin T? I have polymyositis" name two pages without comparing them."""
    asking = asked_part(retrieval.expansion.text).lower()
    if not COMPARES.search(TIME_DIFFERENCE.sub(" ", asking)):
        return []
    written = [(n.lower(), t) for n, t in retrieval.expansion.names if retrieval.subjects.get(t, 0.0) > 0]
    for i, (first, a) in enumerate(written):
        for second, b in written[i + 1 :]:
            if a == b:
                continue
            for one, two in ((first, second), (second, first)):
                if re.search(rf"\b{re.escape(one)}\b{_JOINED}\b{re.escape(two)}\b", asking):
                    return [a, b]
    return []


PageSentences = Callable[[ChunkRecord], list["Candidate"]]
"""The scored sentences of one passage, in page order (ExtractiveGenerator._sentences_of)."""


def other_sides(
    retrieval: Retrieval,
    spans: Sequence[Span],
    version: IndexVersion,
    sentences_of: PageSentences,
    config: GeneratorConfig,
) -> list[Span]:
    """A span from each compared page the answer does not cover: the passage of that page under the
    same heading as the answer's first span ("What is it?" beside "What is it?", "Side effects"
    beside "Side effects"), else its best passage, when its best sentence scores within
    `compare_margin` of the answer's best; grown as a first span would be. A page is covered when a
    span quotes it, a quoted section's heading names it ("How it differs from anti-HMGCR
    myopathy"), or a span of a third page names it (the pregnancy page's "medicines often thought to
    be safer in pregnancy may include … azathioprine")."""
    pages = compared_pages(retrieval)
    if not pages or not spans or retrieval.aliases is None:
        return []
    find = retrieval.aliases.find
    covered = {s.hit.chunk.title for s in spans}
    for s in spans:
        covered |= set(find(s.hit.chunk.section))
        if s.hit.chunk.title not in pages:
            covered |= set(find(" ".join(c.text for c in s.sentences)))
    top = max(c.score for s in spans for c in s.sentences)
    heading = spans[0].hit.chunk.section.split(" > ")[0]
    allowed, list_answer = budget(retrieval.expansion.text, config)
    added: list[Span] = []
    for title in pages:
        if title in covered:
            continue
        scored = [
            (max(c.score for c in p), p)
            for p in map(sentences_of, version.chunks(version.title_rows(title)))
            if p
        ]
        close = [(best, p) for best, p in scored if best >= top - config.compare_margin]
        parallel = [(best, p) for best, p in close if p[0].hit.chunk.section.split(" > ")[0] == heading]
        if not close:
            continue
        own, chosen = max(parallel or close, key=lambda bp: bp[0])
        start = 0 if parallel else max(range(len(chosen)), key=lambda i: chosen[i].score)
        floor = own * config.relative_cutoff if own > 0 else own - config.nonpositive_floor_margin
        lo, hi = grow(chosen, start, floor, allowed, list_answer, config)
        added.append(Span(chosen[lo : hi + 1], own))
    return added


__all__ = ["COMPARES", "compared_pages", "other_sides"]
