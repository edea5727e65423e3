"""Retrieval knobs: how the dense and BM25 rankings are fused, the priors, the pool, the small
library's own settings (qa_service/answer/retrieval.py reads them)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RetrievalConfig(BaseModel):
    """Retrieval knobs: `WISDOM_RETRIEVAL__<NAME>` in the environment."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    candidates: int = Field(
        50, ge=1, description="Passages each of dense and BM25 search return before fusion."
    )
    rrf_k: int = Field(
        60, ge=1, description="Reciprocal rank fusion constant: a passage at rank r adds w/(k+r+1)."
    )
    dense_weight: float = Field(1.0, ge=0, description="Weight of the dense (FAISS) ranking in the fusion.")
    small_library_dense_weight: float = Field(
        3.0,
        ge=0,
        description="Weight of the dense ranking in a library of fewer than small_library_pages pages: "
        "there the embedding separates pages better than word counts do (chosen on the corpus suite).",
    )
    small_library_rrf_k: int = Field(
        10,
        ge=1,
        description="Reciprocal rank fusion constant in a library of fewer than small_library_pages pages "
        "(a smaller constant lets the first ranks count more).",
    )
    small_library_pages: int = Field(
        1000, ge=0, description="Libraries with fewer pages than this use small_library_dense_weight."
    )
    bm25_weight: float = Field(1.0, ge=0, description="Weight of the BM25 ranking in the fusion.")
    small_library_bm25_weight: float = Field(
        0.5,
        ge=0,
        description="bm25_weight in a library of fewer than small_library_pages pages. With section "
        "questions blended into the dense ranking, 0.5 put the answering section first in 57 % of "
        "602 questions of eight earlier blind sets and the corpus suite, against 55 % at 1.0.",
    )
    question_blend: float = Field(
        1.0,
        ge=0,
        description="In a library whose pages list the questions each section answers (front matter "
        "`questions`), the dense ranking orders passages by their cosine to the question plus this "
        "share of the cosine of their section's nearest listed question.",
    )
    intent_prior: float = Field(
        0.5,
        ge=0,
        description="Bonus, as a rank-1 vote, for a passage whose section matches the question's intent.",
    )
    small_library_intent_prior: float = Field(
        0.25,
        ge=0,
        description="intent_prior in a library of fewer than small_library_pages pages. On six blind "
        "sets of patient questions (396 answerable) the answering section came first in 55.1 % of them "
        "at 0.25 against 52.3 % at 0.5 (50.0 % at 1.0); MedQuAD keeps 0.5.",
    )
    title_prior: float = Field(
        1.0,
        ge=0,
        description="Bonus, as a rank-1 vote, for a passage from a page the question names, scaled by "
        "how specific the name is (see generic_share).",
    )
    small_library_title_prior: float = Field(
        0.3,
        ge=0,
        description="title_prior in a library of fewer than small_library_pages pages: its section "
        "questions already name the page's subject (same 602 questions: right page first 78.6 % at "
        "0.3, 77.9 % at 1.0).",
    )
    mention_prior: float = Field(
        0.0,
        ge=0,
        description="In a small library, the share of a named page's title prior that a passage of "
        "another page earns when it speaks of that page by name or alias ('Diet and weight on "
        "steroids' for 'prednisone makes me hungry'): at 1 the page about the asked aspect competes "
        "with the named one on the fusion alone. Off: on the blind answer sets it moved the right "
        "page first in 0.7 % more questions, and it let the necrotizing myopathy page answer 'How is "
        "a muscle biopsy done?'.",
    )
    generic_share: float = Field(
        0.25,
        gt=0,
        le=1,
        description="A page name found in this share of all passages or more is generic ('myositis' in "
        "a myositis library) and earns no title prior; rarer names earn it in proportion.",
    )
    intent_pages: int = Field(
        2,
        ge=1,
        description="In a small library the intent prior steers among the sections of the pages leading "
        "the fusion (this many, plus pages the question names), instead of pulling in other pages' "
        "sections; in a large one it applies to every passage (measured on MedQuAD).",
    )
    small_library_rerank: bool = Field(
        True,
        description="In a library of fewer than small_library_pages pages, reorder the first rerank_depth "
        "fused passages with the learned reranker (answer/rerank.py, scripts/train_reranker.py).",
    )
    rerank_depth: int = Field(10, ge=2, description="Passages (at least k) the learned reranker reorders.")
    pool_per_k: int = Field(
        4, ge=1, description="Fused passages kept for priors and de-duplication, per passage asked for."
    )
    min_pool: int = Field(20, ge=1, description="Fused passages kept at least, whatever k is.")
    reply_source_cosine: float = Field(
        0.7,
        ge=0,
        description="A follow-up is read with the page of the passage nearest the last reply "
        "when at least this near (above 1: never).",
    )
    duplicate_cosine: float = Field(
        0.96,
        ge=0,
        le=1,
        description="Cosine at or above which a passage counts as a near-duplicate of a kept one.",
    )
