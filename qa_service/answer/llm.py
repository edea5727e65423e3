"""The optional LLM generator: a LangChain chat model (any OpenAI-compatible server, or a hosted
API) writes the answer from numbered passages; the service then keeps only sentences whose
citations point at supplied passages and whose content those passages support. On error,
timeout, or nothing verifiable, it falls back to the extractive generator."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import yaml

from ingest.chunking import split_sentences
from ingest.embedding import Embedder
from ingest.index import IndexVersion
from ingest.text import bm25_query_tokens
from qa_service.answer.generate import Candidate, Draft, ExtractiveGenerator, cite, lead_in
from qa_service.answer.retrieval import Hit, Retrieval
from qa_service.models import Citation

log = logging.getLogger("wisdom.llm")
_MARKER = re.compile(r"\s*\[(\d{1,2})\]")
NO_ANSWER = "NO_ANSWER"


@dataclass(frozen=True)
class LLMConfig:
    """Where the chat model is and how to call it, and how well the cited passages must support
    each sentence it writes."""

    base_url: str | None
    model: str
    api_key: str
    timeout_s: float
    min_support: float = 0.6  # share of a sentence's content words found in its cited passages
    min_similarity: float = 0.55  # cosine to the closest sentence of the cited passages


def load_prompt() -> tuple[str, str]:
    """The system and user prompt templates of prompts/llm.yaml."""
    raw = yaml.safe_load(resources.files("prompts").joinpath("llm.yaml").read_text(encoding="utf-8"))
    return str(raw["system"]), str(raw["user"])


def passage_block(hits: Sequence[Hit]) -> str:
    """Passages delimited as data; the passage text cannot close its own tag."""
    parts = []
    for i, hit in enumerate(hits, start=1):
        text = hit.chunk.text.replace("<", "‹").replace(">", "›")
        parts.append(f'<passage id="{i}" title="{hit.chunk.title}">\n{text}\n</passage>')
    return "\n".join(parts)


class LLMGenerator:
    """Writes the answer with a chat model and keeps only the sentences the passages they cite
    support; the extractive generator answers when that fails."""

    def __init__(
        self,
        version: IndexVersion,
        embedder: Embedder,
        config: LLMConfig,
        fallback: ExtractiveGenerator,
        chat_model: Any | None = None,
    ):
        self.version = version
        self.embedder = embedder
        self.config = config
        self.fallback = fallback
        self.system, self.user = load_prompt()
        if chat_model is None:
            from langchain.chat_models import init_chat_model

            chat_model = init_chat_model(
                config.model,
                model_provider="openai",
                base_url=config.base_url,
                api_key=config.api_key or "not-needed",
                timeout=config.timeout_s,
                max_retries=0,
                temperature=0,
            )
        self.chat_model = chat_model

    def draft(self, retrieval: Retrieval, candidates: list[Candidate]) -> Draft:
        """The LLM's answer from the retrieved passages, its sentences checked against them; the
        extractive answer from `candidates` if the LLM fails or nothing it says is supported."""
        question, hits = retrieval.expansion.text, retrieval.hits
        from langchain_core.prompts import ChatPromptTemplate

        template = ChatPromptTemplate.from_messages([("system", self.system), ("human", self.user)])
        messages = template.format_messages(passages=passage_block(hits), question=question)
        try:
            text = "".join(
                chunk.content if isinstance(chunk.content, str) else str(chunk.content)
                for chunk in self.chat_model.stream(messages)
            )
        except Exception as exc:
            log.warning("LLM generator failed, using extractive: %s", type(exc).__name__)
            return self.fallback.draft(retrieval, candidates)
        verified = self.verify(text, hits)
        if verified is None:
            return self.fallback.draft(retrieval, candidates)
        body, citations, best = verified
        lead = lead_in([(c.title, c.section) for c in citations])
        return Draft(f"{lead}\n\n{body}", citations, best)

    def verify(self, reply: str, hits: Sequence[Hit]) -> tuple[str, list[Citation], float] | None:
        """Keep sentences that cite supplied passages which support them; renumber citations."""
        if NO_ANSWER in reply or not reply.strip():
            return None
        sentences = [reply[s:e] for s, e in split_sentences(reply)]
        kept: list[tuple[str, list[int]]] = []
        for sentence in sentences:
            cited = sorted({int(n) for n in _MARKER.findall(sentence) if 1 <= int(n) <= len(hits)})
            plain = _MARKER.sub("", sentence).strip()
            if not cited or len(plain.split()) < 3:
                continue  # no valid citation (none, or invented): dropped
            kept.append((plain, cited))
        if not kept:
            return None
        vectors = self.embedder.embed([plain for plain, _ in kept])
        numbers: dict[int, int] = {}
        quotes: dict[int, list[str]] = {}
        lines: list[str] = []
        best = 0.0
        for (plain, cited), vector in zip(kept, vectors, strict=True):
            support = self._support(plain, vector, hits, [i - 1 for i in cited])
            if support is None:
                log.info("dropped an unsupported sentence from the LLM answer")
                continue
            hit_index, quote, similarity = support
            best = max(best, similarity)
            n = numbers.setdefault(hit_index, len(numbers) + 1)
            if quote not in quotes.setdefault(n, []):
                quotes[n].append(quote)
            lines.append(f"{plain} [{n}]")
        if not lines:
            return None
        citations = [cite(hits[i].chunk, n, quotes[n]) for i, n in numbers.items()]
        return " ".join(lines), citations, best

    def _support(
        self, sentence: str, vector: np.ndarray, hits: Sequence[Hit], cited: list[int]
    ) -> tuple[int, str, float] | None:
        """The cited passage (index into hits) and its sentence that best support `sentence`,
        if any supports it enough: most of its content words and a close sentence vector."""
        words = set(bm25_query_tokens(sentence))
        best: tuple[int, str, float] | None = None
        for index in cited:
            chunk = hits[index].chunk
            rows = self.version.sentences(chunk.first_sentence, chunk.n_sentences)
            if not rows:
                continue
            passage_words = set(bm25_query_tokens(chunk.text))
            coverage = len(words & passage_words) / len(words) if words else 0.0
            vecs = self.version.sentence_vectors(rows[0][0], rows[-1][0] + 1)
            sims = vecs @ vector
            j = int(np.argmax(sims))
            similarity = float(sims[j])
            if coverage < self.config.min_support or similarity < self.config.min_similarity:
                continue
            if best is None or similarity > best[2]:
                doc_text = self.version.document_text(chunk.doc_id)
                best = (index, doc_text[rows[j][1] : rows[j][2]], similarity)
        return best
