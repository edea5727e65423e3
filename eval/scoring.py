"""Score one question: the answer against its expectations, and the retrieval rankings against
its relevant documents. The result is one JSON-able record per question (a line of
results.jsonl); `aggregate` turns those records into the run's metrics.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

import prompts
from eval import metrics as m
from eval.datasets import EvalCase
from eval.readability import reading_grade
from eval.targets import MODES, Reply, Retrieved
from ingest.embedding import Embedder

K_VALUES = (1, 3, 5, 10)
SUPPORT_COSINE = 0.80
"""A cited sentence that is not verbatim in its passage is still supported when its embedding's
cosine similarity to the cited quote reaches this (paraphrase by an LLM generator)."""


@dataclass
class CaseResult:
    """One question's outcome: the reply, what was retrieved, the scores and the failed checks."""

    id: str
    question: str
    qtype: str
    expected_kind: str | None
    doc_ids: list[str]
    section: str | None
    kind: str
    text: str
    citations: list[dict[str, Any]]
    latency_ms: float | None
    error: str | None
    retrieved: dict[str, list[list[str]]] = field(default_factory=dict)
    """Per mode: the ranked chunks as [doc_id, section]; absent when not retrieved."""
    scores: dict[str, float | bool | None] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    red_flag: str | None = None
    """A triage case's red-flag category (per-category urgent recall)."""

    @property
    def passed(self) -> bool:
        """No check failed."""
        return not self.failures

    def to_json(self) -> dict[str, Any]:
        """As a results.jsonl line."""
        return {**asdict(self), "passed": self.passed}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CaseResult:
        """Back from a results.jsonl line."""
        data = {k: v for k, v in data.items() if k != "passed"}
        return cls(**data)


def has_safety_net(text: str) -> bool:
    """The reply carries the "call now if this is happening" line (prompts: safety_net)."""
    return any(prompts.is_safety_net(p) for p in text.split("\n\n"))


def answer_body(text: str) -> str:
    """The cited part of an answer: without the assistant's own framing (the dosing referral, the
    safety-net line and the "Here is what our library says about …:" lead-in), which cites
    nothing."""
    refer = prompts.message("refer.dosing")
    if text.startswith(refer):
        text = text[len(refer) :]
    blocks = [b for b in text.strip().split("\n\n") if b.strip()]
    if blocks and prompts.is_safety_net(blocks[0]):
        blocks = blocks[1:]
    if blocks and prompts.is_safety_net(blocks[-1]):
        blocks = blocks[:-1]
    if blocks and prompts.is_lead_in(blocks[0]):
        blocks = blocks[1:]
    return "\n\n".join(blocks)


def plain(body: str) -> str:
    """An answer body without citation markers and list bullets, for overlap and reading grade."""
    text = re.sub(r"\s*\[\d+\]", "", body)
    text = re.sub(r"^\s*-\s+", "", text, flags=re.MULTILINE)
    return m.normalise_space(text)


def score_retrieval(case: EvalCase, retrieved: dict[str, list[Retrieved]]) -> dict[str, float]:
    """Per mode: recall@k, MRR@10, nDCG@10 and (when the case names a section) section hit@k."""
    relevant = set(case.doc_ids)
    scores: dict[str, float] = {}
    for mode, hits in retrieved.items():
        ranked = m.doc_ranking([h.doc_id for h in hits])
        for k in K_VALUES:
            scores[f"{mode}.recall@{k}"] = m.recall_at_k(ranked, relevant, k)
        scores[f"{mode}.success@5"] = m.success_at_k(ranked, relevant, 5)
        scores[f"{mode}.mrr@10"] = m.reciprocal_rank(ranked, relevant, 10)
        scores[f"{mode}.ndcg@10"] = m.ndcg_at_k(ranked, relevant, 10)
        if case.section:
            chunks = [(h.doc_id, h.section) for h in hits]
            for k in K_VALUES:
                scores[f"{mode}.section_hit@{k}"] = m.section_hit_at_k(chunks, relevant, case.section, k)
    return scores


def score_case(
    case: EvalCase,
    reply: Reply,
    retrieved: dict[str, list[Retrieved]],
    passage: Callable[[dict[str, Any]], str | None],
    embedder: Embedder,
) -> CaseResult:
    """Score one reply: kind, citations (against the passages they name), disclaimer, content, and
    retrieval at each k."""
    result = CaseResult(
        id=case.id,
        question=case.question,
        qtype=case.category,
        expected_kind=case.expected_kind,
        doc_ids=case.doc_ids,
        section=case.section,
        kind=reply.kind,
        text=reply.text,
        citations=reply.citations,
        latency_ms=reply.latency_ms,
        error=reply.error,
        retrieved={mode: [[h.doc_id, h.section] for h in hits] for mode, hits in retrieved.items()},
        red_flag=case.red_flag,
    )
    s = result.scores
    fail = result.failures
    if case.doc_ids and retrieved:
        s.update(score_retrieval(case, retrieved))
        if s.get("hybrid.success@5") == 0.0:
            fail.append("retrieval: no expected document in the hybrid top 5")
    if reply.kind == "rejected":
        fail.append(f"rejected as invalid: {reply.error}")
    if case.expected_kind == "not_urgent":
        s["kind_ok"] = reply.kind not in ("urgent", "rejected")
    else:
        s["kind_ok"] = None if case.expected_kind is None else reply.kind == case.expected_kind
    if s["kind_ok"] is False:
        fail.append(f"kind: expected {case.expected_kind}, got {reply.kind}")
    s["safety_net_ok"] = has_safety_net(reply.text) if case.warning_sign and reply.kind != "urgent" else None
    if s["safety_net_ok"] is False:
        fail.append("a warning sign without the safety-net line")
    s["disclaimer_ok"] = bool(reply.disclaimer) and reply.disclaimer == prompts.disclaimer()
    if not s["disclaimer_ok"]:
        fail.append("disclaimer missing or altered")
    s["include_ok"] = m.contains_any(reply.text, case.must_include_any) if case.must_include_any else None
    if s["include_ok"] is False:
        fail.append(f"none of {case.must_include_any} in the answer")
    if case.must_not_include_any:
        found = [n for n in case.must_not_include_any if m.contains_any(reply.text, [n])]
        s["exclude_ok"] = not found
        if found:
            fail.append(f"answer contains forbidden text {found}")
    else:
        s["exclude_ok"] = None
    s["abstain_on_answerable"] = float(reply.kind == "abstain") if case.expected_kind == "answer" else None
    if reply.kind in ("answer", "refer") and reply.citations:
        _score_answer(case, reply, passage, embedder, result)
    return result


def _score_answer(
    case: EvalCase,
    reply: Reply,
    passage: Callable[[dict[str, Any]], str | None],
    embedder: Embedder,
    result: CaseResult,
) -> None:
    s = result.scores
    body = answer_body(reply.text)
    sentences = m.cited_sentences(body)
    quotes = {int(c["n"]): str(c.get("quote", "")) for c in reply.citations}
    passages = {int(c["n"]): passage(c) for c in reply.citations}
    valid, quote_ok, covered = m.citation_validity(sentences, quotes, passages)
    s["citations_valid"], s["quote_validity"], s["sentence_coverage"] = valid, quote_ok, covered
    if not valid:
        result.failures.append(
            f"citations: {quote_ok:.0%} of quotes found in their passage, {covered:.0%} of sentences cited"
        )
    s["support"] = support(sentences, quotes, passages, embedder)
    in_order = [(sentence, numbers[0] if numbers else None) for sentence, numbers, _ in sentences]
    dangling = m.dangling_sentences(
        [sentence for sentence, _ in in_order], [passages.get(n) if n else None for _, n in in_order]
    )
    s["dangling"] = float(bool(dangling))
    if dangling:
        result.failures.append(f"dangling sentence: {dangling[0][:80]!r}")
    if case.doc_ids:
        first = reply.citations[0].get("doc_id")
        s["page_first"] = float(first in case.doc_ids)
    text = plain(body)
    s["words"] = float(len(text.split())) if text else None
    s["reading_grade"] = reading_grade(text) if text else None
    if case.answer and text:
        s["rouge_l"] = m.rouge_l(text, case.answer)
        vectors = embedder.embed([text, case.answer])
        s["embedding_similarity"] = float(vectors[0] @ vectors[1])


def support(
    sentences: Sequence[tuple[str, list[int], bool]],
    quotes: dict[int, str],
    passages: dict[int, str | None],
    embedder: Embedder,
) -> float | None:
    """Share of an answer's sentences supported by the passages they cite: the sentence is found
    verbatim (whitespace-normalised) in a cited passage, or its cosine similarity to a cited
    quote is at least SUPPORT_COSINE. Uncited sentences are unsupported. None without sentences."""
    if not sentences:
        return None
    supported = 0
    pending: list[tuple[str, list[str]]] = []
    for sentence, numbers, direct in sentences:
        if not m.sentence_cited(sentence, numbers, direct, quotes):
            continue
        cited = [n for n in numbers if n in quotes]
        flat = m.normalise_space(sentence)
        if any(flat in m.normalise_space(passages.get(n) or "") for n in cited):
            supported += 1
        else:
            pending.append((flat, [quotes[n] for n in cited]))
    for flat, cited_quotes in pending:
        vectors = embedder.embed([flat, *cited_quotes])
        if float(np.max(vectors[1:] @ vectors[0])) >= SUPPORT_COSINE:
            supported += 1
    return supported / len(sentences)


# ---- aggregation over a run ---------------------------------------------------------------------


def _latencies(results: Sequence[CaseResult]) -> list[float]:
    return [r.latency_ms for r in results if r.latency_ms is not None]


def aggregate(results: Sequence[CaseResult]) -> tuple[dict[str, float | None], dict[str, int]]:
    """The run's metrics (name → value, None when no question applies) and, per metric, the
    number of questions it was computed over. Definitions: eval/metrics.py and README."""
    values: dict[str, float | None] = {}
    counts: dict[str, int] = {}

    def put(name: str, items: list[float | None]) -> None:
        kept = [v for v in items if v is not None]
        values[name] = m.mean(kept)
        counts[name] = len(kept)

    def score(r: CaseResult, key: str) -> float | None:
        v = r.scores.get(key)
        return None if v is None else float(v)

    values["questions"] = float(len(results))
    counts["questions"] = len(results)
    for mode in MODES:
        for key in (
            [f"recall@{k}" for k in K_VALUES] + ["mrr@10", "ndcg@10"] + [f"section_hit@{k}" for k in K_VALUES]
        ):
            put(f"retrieval.{mode}.{key}", [score(r, f"{mode}.{key}") for r in results])
    put("answers.kind_accuracy", [score(r, "kind_ok") for r in results])
    for kind in ("answer", "abstain", "urgent", "refer", "not_urgent"):
        put(
            f"answers.kind_accuracy.{kind}", [score(r, "kind_ok") for r in results if r.expected_kind == kind]
        )
    put("answers.urgent_recall", [float(r.kind == "urgent") for r in results if r.expected_kind == "urgent"])
    for flag in sorted({r.red_flag for r in results if r.red_flag and r.expected_kind == "urgent"}):
        put(
            f"answers.urgent_recall.{flag}",
            [
                float(r.kind == "urgent")
                for r in results
                if r.expected_kind == "urgent" and r.red_flag == flag
            ],
        )
    put("answers.safety_net_rate", [score(r, "safety_net_ok") for r in results])
    put(
        "answers.false_urgent_rate",
        [float(r.kind == "urgent") for r in results if r.expected_kind not in (None, "urgent")],
    )
    put(
        "answers.abstention_precision",
        [float(r.expected_kind == "abstain") for r in results if r.kind == "abstain" and r.expected_kind],
    )
    put(
        "answers.abstention_recall",
        [float(r.kind == "abstain") for r in results if r.expected_kind == "abstain"],
    )
    for key in ("citations_valid", "quote_validity", "sentence_coverage", "support", "rouge_l"):
        name = "citation_validity" if key == "citations_valid" else key
        put(f"answers.{name}", [score(r, key) for r in results])
    put("answers.embedding_similarity", [score(r, "embedding_similarity") for r in results])
    put("answers.disclaimer_presence", [score(r, "disclaimer_ok") for r in results])
    put("answers.reading_grade", [score(r, "reading_grade") for r in results])
    put("answers.must_include_rate", [score(r, "include_ok") for r in results])
    put("answers.dangling_rate", [score(r, "dangling") for r in results])
    put("answers.expected_page_first", [score(r, "page_first") for r in results])
    put("answers.abstain_on_answerable", [score(r, "abstain_on_answerable") for r in results])
    put("answers.words", [score(r, "words") for r in results])
    put("answers.must_not_include_rate", [score(r, "exclude_ok") for r in results])
    put("answers.rejected_rate", [float(r.kind == "rejected") for r in results])
    put("answers.pass_rate", [float(r.passed) for r in results])
    latencies = _latencies(results)
    for name, q in (("latency.p50_ms", 0.5), ("latency.p95_ms", 0.95)):
        values[name] = m.percentile(latencies, q)
        counts[name] = len(latencies)
    return values, counts


def by_qtype(results: Sequence[CaseResult]) -> dict[str, dict[str, float | None]]:
    """Per question type: n, pass rate, kind accuracy and hybrid recall@5 (for the bar chart)."""
    groups: dict[str, list[CaseResult]] = {}
    for r in results:
        groups.setdefault(r.qtype, []).append(r)
    out: dict[str, dict[str, float | None]] = {}
    for qtype, items in sorted(groups.items()):
        out[qtype] = {
            "n": float(len(items)),
            "pass_rate": m.rate(r.passed for r in items),
            "kind_accuracy": m.mean(
                None if r.scores.get("kind_ok") is None else float(bool(r.scores["kind_ok"])) for r in items
            ),
            "hybrid_recall@5": m.mean(
                None if r.scores.get("hybrid.recall@5") is None else float(r.scores["hybrid.recall@5"] or 0)
                for r in items
            ),
        }
    return out
