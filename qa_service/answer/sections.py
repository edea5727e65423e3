"""Sections, not passages, as the unit an answer is quoted from. Ingest stores a long section as
several passages and retrieval may return only one of them: the sentence that answers can sit in
the passage before it ("DLCO measures how easily gas passes…" before "A steady drop can be a sign…").
`whole_sections` regroups the scored sentences so that each of the first retrieved sections is one
group holding all its sentences, in the page's order, under its best-ranked passage; `by_passage`
puts each quoted sentence back under the passage that holds it, so every citation still points at
the passages whose text contains its quotes (render.py cites a section once, listing them all)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ingest.index import ChunkRecord, IndexVersion
from qa_service.answer.compose import Span
from qa_service.answer.retrieval import Hit

if TYPE_CHECKING:
    from qa_service.answer.generate import Candidate

Score = Callable[[Hit], list["Candidate"]]
"""The scored sentences of one passage given as a hit (ExtractiveGenerator.candidates on it alone)."""


def section_rows(version: IndexVersion, chunk: ChunkRecord, reach: int) -> list[ChunkRecord]:
    """The passages of `chunk`'s section within `reach` rows of it (the chunk included), in order."""
    lo, hi = max(0, chunk.row - reach), min(version.n_chunks - 1, chunk.row + reach)
    near = version.chunks(list(range(lo, hi + 1)))
    same = [(c.doc_id, c.section) == (chunk.doc_id, chunk.section) for c in near]
    i = chunk.row - lo
    first = last = i
    while first > 0 and same[first - 1]:
        first -= 1
    while last + 1 < len(near) and same[last + 1]:
        last += 1
    return near[first : last + 1]


def whole_sections(
    version: IndexVersion,
    cands: list[Candidate],
    score: Score,
    rank_penalty: float,
    sections: int,
    reach: int,
    penalty: float = 0.0,
) -> list[Candidate]:
    """`cands` with each of the first `sections` sections (by their best-ranked passage) made one
    group: its other passages' sentences join it, scored as if at that passage's rank, and every
    sentence of the section is attributed to that passage (`Candidate.passage` keeps its own)."""
    leaders: dict[tuple[str, str], Candidate] = {}
    for c in sorted(cands, key=lambda c: c.hit_rank):
        key = (c.hit.chunk.doc_id, c.hit.chunk.section)
        if key not in leaders and len(leaders) < sections:
            leaders[key] = c
    out: list[Candidate] = []
    have = {c.row for c in cands}
    for c in cands:
        lead = leaders.get((c.hit.chunk.doc_id, c.hit.chunk.section))
        if lead is None or lead.hit.row == c.hit.row:
            out.append(c)
        else:
            shift = rank_penalty * (c.hit_rank - lead.hit_rank)
            out.append(_under(c, lead, c.hit.chunk, c.score + shift))
    for lead in leaders.values():
        for chunk in section_rows(version, lead.hit.chunk, reach):
            if chunk.row == lead.hit.row:
                continue
            hit = Hit(chunk.row, chunk, 0.0, 0.0, None, None, None)
            for c in score(hit):
                if c.row not in have:
                    have.add(c.row)
                    out.append(_under(c, lead, chunk, c.score - rank_penalty * lead.hit_rank - penalty))
    return out


def _under(c: Candidate, lead: Candidate, passage: ChunkRecord, score: float) -> Candidate:
    return dataclasses.replace(c, hit=lead.hit, hit_rank=lead.hit_rank, score=score, passage=passage)


def by_passage(spans: Sequence[Span]) -> list[Span]:
    """Each span split where its sentences change passage, every sentence under a hit of the
    passage that holds it (render.py joins consecutive passages of a section under one marker)."""
    out: list[Span] = []
    for span in spans:
        part: list[Candidate] = []
        for c in span.sentences:
            if c.passage is not None and c.passage_row != c.hit.row:
                own = c.passage
                c = dataclasses.replace(c, hit=Hit(own.row, own, 0.0, 0.0, None, None, None), passage=None)
            if part and part[-1].hit.row != c.hit.row:
                out.append(Span(part, span.score))
                part = []
            part.append(c)
        if part:
            out.append(Span(part, span.score))
    return out
