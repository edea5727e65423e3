"""Answer composition around passages: the best contiguous span of the section that answers the
question, in the page's order, then (only when it adds something) one more span.

- The span starts at the sentence that answers best. A sentence that leans on the one before it
  ("This…", "For example…", "Tell the doctor if you do.") or adds to it ("… can also …") brings
  that sentence with it; a list item brings its list's lead-in and the whole list; a lead-in
  brings its list.
- The span grows forward while the next sentence still answers (its score is within
  `relative_cutoff` of the best) or leans on the one before, up to a length that fits the
  question: a definition in two or three sentences, "what are the signs" as the list.
- The question's subject wins: when it names pages (by title, alias or lay name, weighted by how
  specific the name is), the answer is drawn from those pages, preferring a passage that speaks of
  all of them ("prednisone" and "IBM": the IBM page's treatment section, which names steroids).
- One citation marker per section, at the end of its span (qa_service/answer/render.py); at most two pages.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ingest.text import adds_to_previous, leans_on_previous
from qa_service.answer.retrieval import Hit, Retrieval

if TYPE_CHECKING:
    from qa_service.answer.generate import Candidate, GeneratorConfig

LIST_QUESTION = re.compile(
    r"\b(signs?|symptoms?|side[- ]effects?|what (?:tests?|foods?|kinds?|types?|things?)|which|list|"
    r"ways?|tips?|options?|warning|watch (?:for|out)|look out|risks?|notice)\b",
    re.IGNORECASE,
)
DEFINITION = re.compile(
    r"^\s*(?:so\s+)?(?:what(?:'s| is| are)|whats|define|meaning of)\b(?!.*\b(?:side[- ]effects?|symptoms?"
    r"|signs?|causes?|treatments?|tests?|risks?|types?|options?|benefits?|chances?)\b)",
    re.IGNORECASE,
)


MIN_WORDS = 35
"""Below this many words a span grows with the next sentence of its passage whatever its score."""
BACK_MARGIN = 0.1
"""A span still short at its passage's end takes the sentence before it if it scores this near the floor."""


@dataclass
class Span:
    """Contiguous sentences of one passage, in the page's order."""

    sentences: list[Candidate]
    score: float

    @property
    def hit(self) -> Hit:
        """The retrieved passage the span quotes."""
        return self.sentences[0].hit

    @property
    def words(self) -> int:
        """The number of words the span quotes."""
        return sum(len(c.text.split()) for c in self.sentences)


def budget(question: str, config: GeneratorConfig) -> tuple[int, bool]:
    """(words the answer may reach, whether a list answers the question)."""
    if LIST_QUESTION.search(question):
        return config.max_words, True
    if DEFINITION.search(question):
        return max(config.definition_min_words, config.target_words // 2), False
    return config.target_words, False


def _list_bounds(sents: Sequence[Candidate], i: int) -> tuple[int, int]:
    """The list around sentence i (its lead-in and every item, with items' later sentences)."""
    lo = i
    while lo > 0 and not sents[lo].bullet and sents[lo - 1].line == sents[lo].line:
        lo -= 1  # a later sentence of an item: back to the item's start
    lo_item = lo + 1 if sents[lo].intro_for_list and lo + 1 < len(sents) else lo
    while lo_item > 0 and (sents[lo_item - 1].bullet or _in_item(sents, lo_item - 1)):
        lo_item -= 1
    start = lo_item - 1 if lo_item > 0 and sents[lo_item - 1].intro_for_list else lo_item
    hi = max(i, lo_item)
    while hi + 1 < len(sents) and (sents[hi + 1].bullet or _in_item(sents, hi + 1)):
        hi += 1
    return start, hi


def _in_item(sents: Sequence[Candidate], j: int) -> bool:
    """Sentence j continues a list item (same line as a bullet's sentence)."""
    k = j
    while k > 0 and not sents[k].bullet and sents[k - 1].line == sents[k].line:
        k -= 1
    return k != j and sents[k].bullet


def is_list_part(sents: Sequence[Candidate], j: int) -> bool:
    """Sentence j is a list item, a sentence of one, or a list's lead-in."""
    return sents[j].bullet or sents[j].intro_for_list or _in_item(sents, j)


def grow(
    sents: Sequence[Candidate],
    best: int,
    floor: float,
    words_allowed: int,
    list_answer: bool,
    config: GeneratorConfig,
    min_words: int = MIN_WORDS,
) -> tuple[int, int]:
    """The span [lo, hi] of `sents` (one passage, page order) around the best sentence. It grows
    while the next sentence answers (score ≥ `floor`), and, below `min_words`, with the next
    sentence of the same paragraph whatever its score (a one-sentence answer is rarely enough)."""
    lo = hi = best
    margin = config.opening_margin
    if best == 1 and not is_list_part(sents, 0) and sents[0].score >= sents[1].score - margin:
        lo = 0  # the section's opening sentence answers nearly as well: it frames the one after it
    if is_list_part(sents, best) and (list_answer or sents[best].intro_for_list or not sents[best].bullet):
        lo, hi = _list_bounds(sents, best)
    elif sents[best].bullet or _in_item(sents, best):
        # One item of a list answers: the item (and its later sentences) with the list's lead-in.
        lo = best
        while lo > 0 and not sents[lo].bullet:
            lo -= 1
        while hi + 1 < len(sents) and _in_item(sents, hi + 1) and not sents[hi + 1].bullet:
            hi += 1
        if sum(len(c.text.split()) for c in sents[lo : hi + 1]) < min_words:
            lo, hi = _list_bounds(sents, best)  # an item alone reads badly: its list, whole
    while lo > 0 and (leans_on_previous(sents[lo].text) or adds_to_previous(sents[lo].text)):
        lo -= 1
        if is_list_part(sents, lo) and not sents[lo].intro_for_list:
            lo = _list_bounds(sents, lo)[0]
    words = sum(len(c.text.split()) for c in sents[lo : hi + 1])
    while hi + 1 < len(sents):
        nxt = sents[hi + 1]
        wanted = nxt.score >= floor or words < min_words
        if nxt.intro_for_list and hi + 2 < len(sents) and is_list_part(sents, hi + 2):
            # A list announced next: its lead-in and the whole list, when it answers.
            end = _list_bounds(sents, hi + 2)[1]
            extra = sum(len(c.text.split()) for c in sents[hi + 1 : end + 1])
            if not wanted or words + extra > words_allowed * config.list_overflow:
                break
            hi, words = end, words + extra
            continue
        if is_list_part(sents, hi + 1):
            if not (sents[hi].intro_for_list or is_list_part(sents, hi) or wanted):
                break  # a list after the span's last sentence, which does not answer
            end = _list_bounds(sents, hi + 1)[1]
            extra = sum(len(c.text.split()) for c in sents[hi + 1 : end + 1])
            if words + extra > words_allowed * config.list_overflow:
                break
            hi, words = end, words + extra
            continue
        n = len(nxt.text.split())
        leaning = leans_on_previous(nxt.text) and words < math.floor(words_allowed * config.leaning_share)
        if words + n > words_allowed or not (wanted or leaning):
            break
        hi, words = hi + 1, words + n
    while words < min_words and lo > 0 and sents[lo - 1].score >= floor - BACK_MARGIN:
        # Too short and nothing after it answers: the sentence before it, when it answers nearly as
        # well, comes first (a section's last sentence alone reads as a fragment), unless what it
        # brings (a whole list) would overrun the answer.
        back = _list_bounds(sents, lo - 1)[0] if is_list_part(sents, lo - 1) else lo - 1
        while back > 0 and (leans_on_previous(sents[back].text) or adds_to_previous(sents[back].text)):
            back -= 1
        longer = sum(len(c.text.split()) for c in sents[back : hi + 1])
        if longer > words_allowed * config.list_overflow:
            break
        lo, words = back, longer
    if sents[hi].intro_for_list and hi + 1 < len(sents) and is_list_part(sents, hi + 1):
        hi = _list_bounds(sents, hi + 1)[1]
    elif sents[hi].intro_for_list and hi > lo:
        hi -= 1  # a lead-in whose list is not in this passage is not quoted
    return lo, hi


def subject_pool(
    retrieval: Retrieval, cands: list[Candidate], config: GeneratorConfig
) -> tuple[list[Candidate], dict[int, float]]:
    """The candidates the answer may be drawn from, and a bonus per passage: when the question
    names specific pages, passages of those pages, of pages about them (Retrieval.related: "Steroid
    side effects" for "prednisone") or naming them, preferring passages that speak of every page it
    names."""
    subjects = {t for t, s in retrieval.subjects.items() if s > 0}
    bonus: dict[int, float] = {}
    if not subjects:
        return cands, bonus
    best = max(c.score for c in cands)
    for c in cands:
        row = c.hit.row
        if row in bonus:
            continue
        title = c.hit.chunk.title
        covered = ({title} | retrieval.mentions.get(row, set())) & subjects
        own = title in subjects
        extra = config.named_page_bonus * (len(covered) - 1)
        about = covered or retrieval.related.get(title, set()) & subjects
        bonus[row] = extra if own else 0.0 if about else config.other_page_bonus
    # A sentence of another page is quoted only when it names the page asked about itself: what a
    # page says of its own condition is never presented as the answer about another.
    names = retrieval.aliases
    pool = [
        c
        for c in cands
        if bonus[c.hit.row] >= 0
        and (
            c.hit.chunk.title in subjects
            or retrieval.related.get(c.hit.chunk.title, set()) & subjects
            or (names is not None and set(names.find(c.text)) & subjects)
        )
    ]
    if pool and max(c.score for c in pool) >= best - config.subject_tolerance:
        return pool, bonus
    return cands, {}


SAID_MARGIN = 0.05
"""How much worse the best sentence not yet said may answer than the best overall, and still lead."""
SAID_OVERLAP = 0.8
"""A sentence whose words are this much inside an earlier reply of the conversation was said already."""
SAID_MIN_WORDS = 4
"""A sentence of fewer distinct words than this is never judged said already (too short to tell)."""


def already_said(sentence: str, said: Sequence[str]) -> bool:
    """The sentence was said in an earlier reply of this conversation (its words, at least
    SAID_OVERLAP of them, all in one reply): a follow-up answer does not repeat it."""
    words = _words(sentence)
    if len(words) < SAID_MIN_WORDS:
        return False
    return any(len(words & _words(reply)) >= SAID_OVERLAP * len(words) for reply in said)


@lru_cache(maxsize=256)
def _words(text: str) -> frozenset[str]:
    """The lowercased words of a text (an earlier reply is read once for all candidate sentences)."""
    return frozenset(re.findall(r"[a-z0-9']+", text.lower()))


def passages_in_order(cands: list[Candidate]) -> dict[int, list[Candidate]]:
    """Candidates grouped by passage (hit row), each passage in page order."""
    grouped: dict[int, list[Candidate]] = {}
    for c in cands:
        grouped.setdefault(c.hit.row, []).append(c)
    for sents in grouped.values():
        sents.sort(key=lambda c: c.start)
    return grouped


def _quoted_whole(
    sents: Sequence[Candidate], best: int, allowed: int, list_answer: bool, config: GeneratorConfig
) -> bool:
    """The first passage fits the answer and is quoted whole, in the page's order, unless its best
    sentence clearly outscores every one before it (`whole_passage_lead`: the answer starts there)
    or it opens with a list's lead-in that is not the answer."""
    leads = best > 0 and sents[best].score - max(c.score for c in sents[:best]) >= config.whole_passage_lead
    fits = sum(len(c.text.split()) for c in sents) <= allowed
    return fits and not leads and not (sents[0].intro_for_list and not list_answer)


def _passage_bounds(sents: Sequence[Candidate], i: int) -> tuple[int, int]:
    """The first and last index of the sentences of the passage holding sentence i (a group is one
    passage, or a whole section of several: sections.py)."""
    row = sents[i].passage_row
    lo = hi = i
    while lo > 0 and sents[lo - 1].passage_row == row:
        lo -= 1
    while hi + 1 < len(sents) and sents[hi + 1].passage_row == row:
        hi += 1
    return lo, hi


def compose(
    retrieval: Retrieval,
    cands: list[Candidate],
    config: GeneratorConfig,
) -> list[Span]:
    """The spans of the answer, best first (at most two, from at most two pages)."""
    if not cands:
        return []
    question = retrieval.expansion.text
    pool, bonus = subject_pool(retrieval, cands, config)
    # A follow-up does not repeat what the conversation already said, unless only that answers it.
    fresh = [c for c in pool if not already_said(c.text, retrieval.expansion.said)]
    if fresh and max(c.score for c in fresh) >= max(c.score for c in pool) - SAID_MARGIN:
        pool = fresh
    grouped = passages_in_order(pool)
    allowed, list_answer = budget(question, config)

    definition = bool(DEFINITION.search(question))

    def sentence_score(c: Candidate, first: bool) -> float:
        # A definition is best given by the sentence that opens its section.
        return c.score + (config.definition_opening_bonus if definition and first else 0.0)

    def passage_score(row: int) -> float:
        sents = grouped[row]
        has_list = list_answer and any(c.bullet for c in sents)
        best = max(sentence_score(c, i == 0) for i, c in enumerate(sents))
        return best + bonus.get(row, 0.0) + (config.list_passage_bonus if has_list else 0.0)

    order = sorted(grouped, key=lambda r: -passage_score(r))
    top = passage_score(order[0])
    floor = top * config.relative_cutoff if top > 0 else top - config.nonpositive_floor_margin
    spans: list[Span] = []
    used = 0
    for row in order[: config.max_passages_tried]:
        if spans and (
            passage_score(row) < top - config.second_passage_margin
            or used >= allowed * config.second_passage_room
        ):
            break
        sents = grouped[row]
        best = max(range(len(sents)), key=lambda i: sentence_score(sents[i], i == 0))
        if spans:
            pages = {s.hit.chunk.doc_id for s in spans} | {sents[best].hit.chunk.doc_id}
            chosen = [c for s in spans for c in s.sentences]
            similar = (float(sents[best].vector @ c.vector) for c in chosen)
            if len(pages) > config.max_pages or max(similar) > config.duplicate_cosine:
                continue
        lo, hi = grow(sents, best, floor, allowed - used if spans else allowed, list_answer, config)
        first, last = _passage_bounds(sents, best)
        if not spans and _quoted_whole(sents[first : last + 1], best - first, allowed, list_answer, config):
            lo, hi = first, last
        span = Span(sents[lo : hi + 1], passage_score(row))
        later = range(hi + 2, len(sents))
        if not spans and later:
            # The passage answers again further on ("… the diaphragm is a muscle too"): that span
            # joins the first, under the same citation.
            again = max(later, key=lambda i: sentence_score(sents[i], False))
            if (
                sentence_score(sents[again], False) >= top - config.later_span_margin
                and span.words < allowed * config.later_span_room
            ):
                lo2, hi2 = grow(sents, again, floor, allowed - span.words, list_answer, config, min_words=0)
                if lo2 > hi + 1:
                    span = Span(sents[lo : hi + 1] + sents[lo2 : hi2 + 1], span.score)
        if spans and span.words > allowed - used + config.span_slack_words:
            continue
        spans.append(span)
        used += span.words
    # Spans of one section read in the page's order, whichever answered best.
    group: dict[tuple[str, str], int] = {}
    for span in spans:
        group.setdefault((span.hit.chunk.doc_id, span.hit.chunk.section), len(group))
    return sorted(
        spans, key=lambda sp: (group[(sp.hit.chunk.doc_id, sp.hit.chunk.section)], sp.hit.chunk.row)
    )
