"""Metric functions. Each one is pure (plain values in, a number out) and its docstring is its
definition: the report and README quote these definitions, and tests check them on small
hand-made cases with known values.

Retrieval metrics work on document rankings: the chunk hits of one question, in rank order,
reduced to the distinct documents in order of first appearance (`doc_ranking`). Answer metrics
work on one answer at a time; `mean` and `rate` aggregate them, ignoring questions for which a
metric does not apply (None).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from ingest.text import leans_on_previous

# ---- aggregation ------------------------------------------------------------------------------


def mean(values: Iterable[float | None]) -> float | None:
    """Arithmetic mean of the values that are not None; None when there are none."""
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def rate(flags: Iterable[bool | None]) -> float | None:
    """Share of True among the flags that are not None; None when there are none."""
    return mean(None if f is None else float(f) for f in flags)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in [0, 1]) of `values`: the value at position
    round(q × (n − 1)) of the sorted list. None for an empty list."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# ---- retrieval --------------------------------------------------------------------------------


def doc_ranking(doc_ids: Sequence[str]) -> list[str]:
    """Distinct documents of a chunk ranking, in order of their best-ranked chunk."""
    return list(dict.fromkeys(doc_ids))


def recall_at_k(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """Document recall@k: the share of the relevant documents that appear among the first k
    documents of the ranking, |relevant ∩ top-k| / |relevant|. Questions without relevant
    documents are not scored (the caller skips them)."""
    if not relevant:
        raise ValueError("recall needs at least one relevant document")
    return len(relevant & set(ranked[:k])) / len(relevant)


def success_at_k(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """1.0 if at least one relevant document is among the first k, else 0.0. Equal to recall@k
    when a question has one relevant document (all MedQuAD questions)."""
    return float(any(d in relevant for d in ranked[:k]))


def reciprocal_rank(ranked: Sequence[str], relevant: set[str], k: int = 10) -> float:
    """MRR@k term: 1 / rank of the first relevant document within the first k, else 0.
    MRR@10 is the mean of this over the questions."""
    return next((1.0 / (i + 1) for i, d in enumerate(ranked[:k]) if d in relevant), 0.0)


def ndcg_at_k(ranked: Sequence[str], relevant: set[str], k: int = 10) -> float:
    """nDCG@k with binary relevance: DCG = Σ_{i=1..k} rel_i / log2(i + 1) over the ranking,
    divided by the DCG of an ideal ranking that puts min(|relevant|, k) relevant documents first."""
    if not relevant:
        raise ValueError("nDCG needs at least one relevant document")
    dcg = sum(1.0 / math.log2(i + 2) for i, d in enumerate(ranked[:k]) if d in relevant)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return dcg / ideal


def section_hit_at_k(chunks: Sequence[tuple[str, str]], relevant: set[str], section: str, k: int) -> float:
    """Section hit@k: 1.0 if one of the first k retrieved chunks (doc_id, section label) comes
    from a relevant document AND its section label contains the expected section heading
    (case-insensitive; labels are heading paths such as "Diagnosis > Blood Testing"), else 0.0.
    This scores at passage level, where MedQuAD's document-level task is too easy."""
    want = section.strip().lower()
    return float(any(doc in relevant and want in label.lower() for doc, label in chunks[:k]))


# ---- answers ----------------------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    """Lower-cased runs of letters and digits: the tokens ROUGE-L compares (no stemming)."""
    return _TOKEN.findall(text.lower())


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence of two token lists (O(len(a)·len(b)) time,
    O(len(b)) memory)."""
    if not a or not b:
        return 0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def rouge_l(candidate: str, reference: str) -> float:
    """ROUGE-L F1 (Lin 2004, β = 1): with L = LCS(candidate tokens, reference tokens),
    precision P = L / |candidate|, recall R = L / |reference|, F = 2PR / (P + R); 0 when either
    text has no tokens or L = 0. Tokens as in `tokens` (no stemming, no stop-word removal)."""
    cand, ref = tokens(candidate), tokens(reference)
    lcs = lcs_length(cand, ref)
    if lcs == 0:
        return 0.0
    p, r = lcs / len(cand), lcs / len(ref)
    return 2 * p * r / (p + r)


def normalise_space(text: str) -> str:
    """Runs of whitespace as one space, ends stripped."""
    return " ".join(text.split())


def quote_in_passage(quote: str, passage: str) -> bool:
    """A citation's quote is valid when every part of it (parts are joined by " … " when the
    answer quotes several sentences of one passage) is non-empty and found verbatim in the
    cited passage, whitespace runs treated as one space."""
    parts = [normalise_space(p) for p in quote.split(" … ")]
    flat = normalise_space(passage)
    return bool(parts) and all(p and p in flat for p in parts)


_MARKERS = re.compile(r"((?:\s*\[\d+\])+)")
_MARKER_NUMBER = re.compile(r"\[(\d+)\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z0-9\"'“(])")


def cited_sentences(body: str) -> list[tuple[str, list[int], bool]]:
    """The sentences of an answer body: (text, citation numbers, directly cited).

    Text is cut at citation markers ("… sentence. [2]"); each piece is then split into
    sentences at . ! ? followed by a capital or digit, and at line breaks. Every sentence of a
    piece gets the numbers of the markers that end the piece; only the last one is *directly*
    cited (the marker follows it). List bullets ("- ") are dropped."""
    out: list[tuple[str, list[int], bool]] = []
    pieces = _MARKERS.split(body)
    for i in range(0, len(pieces), 2):
        numbers = [int(n) for n in _MARKER_NUMBER.findall(pieces[i + 1])] if i + 1 < len(pieces) else []
        sentences = [
            s.strip().removeprefix("- ").strip()
            for line in pieces[i].split("\n")
            for s in _SENTENCE_END.split(line)
        ]
        sentences = [s for s in sentences if re.search(r"\w", s)]
        for j, sentence in enumerate(sentences):
            out.append((sentence, numbers, j == len(sentences) - 1))
    return out


def sentence_cited(sentence: str, numbers: Sequence[int], direct: bool, quotes: dict[int, str]) -> bool:
    """A sentence is cited when a marker naming one of the answer's citations follows it, or when
    it lies inside the quote of the marker that ends its piece of text (the service quotes in its
    own sentence units, which may hold two short sentences, e.g. after "type F.")."""
    known = [n for n in numbers if n in quotes]
    if direct:
        return bool(known)
    flat = normalise_space(sentence)
    return any(flat in normalise_space(quotes[n]) for n in known)


def citation_validity(
    sentences: Sequence[tuple[str, list[int], bool]],
    quotes: dict[int, str],
    passages: dict[int, str | None],
) -> tuple[bool, float, float]:
    """(valid, quote validity, sentence coverage) of one answer.

    - quote validity: share of its citations whose quote is in the cited passage
      (`quote_in_passage`; a passage that cannot be found counts as invalid);
    - sentence coverage: share of its sentences that are cited (`sentence_cited`);
    - valid: both are 1.0, i.e. every cited quote is in its cited chunk and every answer
      sentence has a citation. An answer without sentences or citations is not valid."""
    if not sentences or not quotes:
        return False, 0.0, 0.0
    quote_ok = sum(
        passages.get(n) is not None and quote_in_passage(q, passages[n] or "") for n, q in quotes.items()
    ) / len(quotes)
    covered = sum(sentence_cited(s, ns, d, quotes) for s, ns, d in sentences) / len(sentences)
    return quote_ok == 1.0 and covered == 1.0, quote_ok, covered


def contains_any(text: str, needles: Sequence[str]) -> bool:
    """True when any needle occurs in the text, case-insensitive, whitespace runs as one space."""
    hay = normalise_space(text).lower()
    return any(normalise_space(n).lower() in hay for n in needles)


def dangling_sentences(sentences: Sequence[str], passages: Sequence[str | None]) -> list[str]:
    """The answer's sentences that make no sense where they stand: one that leans on the sentence
    before it (ingest.text.leans_on_previous) whose predecessor in its source passage is not the
    answer's sentence just before it, and a list lead-in (ending in ':') with no item after it.
    `sentences` are the answer's sentences in order, `passages` the text each one cites."""
    found: list[str] = []
    flat_passages = [normalise_space(p) if p else "" for p in passages]
    for i, sentence in enumerate(sentences):
        flat = normalise_space(sentence)
        if flat.endswith(":") and (i + 1 == len(sentences) or flat_passages[i + 1] != flat_passages[i]):
            found.append(sentence)
            continue
        if not leans_on_previous(flat):
            continue
        source = flat_passages[i]
        at = source.find(flat)
        before = source[:at].rstrip(" -•*") if at > 0 else ""
        previous = normalise_space(sentences[i - 1]) if i else ""
        if not (at > 0 and previous and before.endswith(previous.rstrip(" -•*"))):
            found.append(sentence)
    return found
