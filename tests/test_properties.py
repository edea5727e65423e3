"""Hypothesis property tests: chunking (with the real tokenizer), query expansion, and how answers
and citations are rendered into streams and chat messages."""

from __future__ import annotations

import itertools
import json
import os
import re

import bm25s
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import TransformerEmbedder
from ingest.chunking import SPECIAL_TOKENS, ChunkingConfig, chunk_document, context_header, split_sections
from ingest.documents import SourceDoc
from ingest.text import _stemmer, bm25_query_tokens
from qa_service.answer.expansion import AliasIndex, americanise, expand
from qa_service.http.ask import answer_events
from qa_service.http.openai import render_chat_text
from qa_service.models import Answer, Citation

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
common = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("FUZZ_RANDOM") is None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,  # CI runs the same cases every time; scripts/fuzz.sh explores
)

# --- documents ------------------------------------------------------------------------------

_short_word = st.one_of(
    st.from_regex(r"[A-Za-z]{1,12}", fullmatch=True),
    st.from_regex(r"[0-9]{1,4}(mg|%)?", fullmatch=True),
    st.sampled_from(["IVIG", "anti-HMGCR", "e.g.", "Dr.", "(CK)", "naïve", "µg", "—", "→", "🙂", "“quoted”"]),
)
# ...and in body text, a long "word" the chunker must cut to fit.
_word = st.one_of(_short_word, st.from_regex(r"[A-Za-z]{30,60}", fullmatch=True))
_sentence = st.lists(_word, min_size=1, max_size=40).map(lambda ws: " ".join(ws) + ".")
_paragraph = st.lists(_sentence, min_size=1, max_size=12).map(" ".join)
_bullets = st.lists(_sentence, min_size=1, max_size=6).map(lambda ss: "\n".join(f"- {s}" for s in ss))
_heading = st.tuples(
    st.sampled_from(["##", "###"]), st.lists(_short_word, min_size=1, max_size=5).map(" ".join)
)


@st.composite
def documents(draw: st.DrawFn) -> SourceDoc:
    parts = [draw(_paragraph)] if draw(st.booleans()) else []
    for _ in range(draw(st.integers(0, 5))):
        marks, title = draw(_heading)
        parts.append(f"{marks} {title}")
        parts.extend(draw(st.lists(st.one_of(_paragraph, _bullets), min_size=0, max_size=4)))
    if not parts:
        parts = [draw(_paragraph)]
    title = draw(st.lists(_short_word, min_size=1, max_size=5).map(" ".join))
    return SourceDoc(doc_id="prop-doc", title=title, text="\n\n".join(parts) + "\n", path="prop.md")


_LIST_MARKER = re.compile(r"(?m)^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


@common
@given(doc=documents(), max_tokens=st.sampled_from([80, 128, 200]))
def test_chunks_fit_the_budget_stay_in_their_section_and_keep_every_word(
    embedder: TransformerEmbedder, doc: SourceDoc, max_tokens: int
) -> None:
    chunks = chunk_document(
        doc, ChunkingConfig(max_tokens=max_tokens), embedder.count_tokens, embedder.max_tokens
    )
    sections = split_sections(doc)
    previous_end = 0
    for chunk in chunks:
        # The embedded text (context header included) fits the budget in the model's own tokens.
        assert chunk.n_tokens <= max_tokens
        assert embedder.count_tokens([chunk.embed_text])[0] + SPECIAL_TOKENS <= max_tokens  # [CLS], [SEP]
        assert chunk.text == doc.text[chunk.start : chunk.end] and chunk.text.strip()
        assert chunk.start >= previous_end  # in order, never overlapping
        previous_end = chunk.end
        assert any(
            s.start <= chunk.start and chunk.end <= s.end and s.label == chunk.section for s in sections
        )
        assert chunk.embed_text.startswith(context_header(doc.title, chunk.section))
        spans = list(chunk.sentences)
        assert spans and all(chunk.start <= s < e <= chunk.end for s, e in spans)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    # Nothing of a section body is lost between chunks (list markers such as "-" or "12." are
    # markup); a word longer than the budget is cut, so its letters are compared, in order.
    body_words = [w for s in sections for w in _words(_LIST_MARKER.sub("", doc.text[s.start : s.end]))]
    chunk_words = [w for c in chunks for w in _words(c.text)]
    assert "".join(chunk_words) == "".join(body_words)
    # Stable ids: the same text chunks to the same ids.
    again = chunk_document(
        doc, ChunkingConfig(max_tokens=max_tokens), embedder.count_tokens, embedder.max_tokens
    )
    assert [c.chunk_id for c in again] == [c.chunk_id for c in chunks]
    assert len({c.chunk_id for c in chunks}) == len(chunks)


# --- query expansion --------------------------------------------------------------------------

ALIASES = AliasIndex(
    [
        ("Necrotizing autoimmune myopathy", "Necrotizing autoimmune myopathy"),
        ("IMNM", "Necrotizing autoimmune myopathy"),
        ("dermatomyositis", "Dermatomyositis"),
        ("IVIG", "Intravenous immunoglobulin (IVIG)"),
    ]
)
_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300)
_turns = st.lists(st.tuples(st.sampled_from(["user", "assistant"]), _text), max_size=6)


@common
@given(question=_text, history=_turns)
def test_expansion_never_fails_and_only_adds(question: str, history: list[tuple[str, str]]) -> None:
    expansion = expand(question, history, ALIASES)
    assert expansion.text == americanise(question)
    assert expansion.retrieval_text.startswith(expansion.text)
    assert set(expansion.matched_titles) <= {
        "Necrotizing autoimmune myopathy",
        "Dermatomyositis",
        "Intravenous immunoglobulin (IVIG)",
    }
    assert len(set(expansion.extra_terms)) == len(expansion.extra_terms)
    # Only the user's own words are carried over from the conversation, never the assistant's.
    user_turns = {americanise(c) for r, c in history if r == "user"}
    assistant_only = {americanise(c) for r, c in history if r == "assistant"} - user_turns
    assert not (set(expansion.extra_terms) & assistant_only - {expansion.text})


@common
@given(text=_text)
def test_americanise_is_idempotent_and_keeps_length_of_words(text: str) -> None:
    once = americanise(text)
    assert americanise(once) == once
    assert len(_words(once)) == len(_words(text))


@common
@given(text=st.one_of(_text, _paragraph))
def test_query_terms_are_what_bm25s_makes_of_the_same_text(text: str) -> None:
    """The service's own query tokenizer must agree with the one the BM25 index was built with."""
    expected = bm25s.tokenize(
        [text], stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False
    )
    assert bm25_query_tokens(text) == [t for t in expected[0] if t]


@given(question=st.sampled_from(["How is it treated?", "what about side effects", "And the tests?"]))
def test_a_follow_up_takes_the_topic_from_the_last_user_turn(question: str) -> None:
    history = [("user", "What is IMNM?"), ("assistant", "Dermatomyositis is different.")]
    expansion = expand(question, history, ALIASES)
    assert expansion.matched_titles == ("Necrotizing autoimmune myopathy",)


# --- rendering answers ------------------------------------------------------------------------

_quote = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=200)


@st.composite
def answers(draw: st.DrawFn) -> Answer:
    n = draw(st.integers(0, 5))
    citations = [
        Citation(
            n=i + 1,
            chunk_id=f"c{i}",
            doc_id=draw(st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True)),
            title=draw(_quote),
            section=draw(st.one_of(st.just(""), _quote)),
            url=draw(st.one_of(st.none(), st.just("https://example.org/page"))),
            reviewed=draw(st.one_of(st.none(), st.just("2026-01-01"))),
            quote=draw(_quote),
        )
        for i in range(n)
    ]
    kind = draw(st.sampled_from(["answer", "abstain", "urgent", "refer"]))
    return Answer(kind=kind, text=draw(_quote), citations=citations, index_version="v1")


@common
@given(answer=answers())
def test_stream_events_rebuild_the_answer_and_end_with_the_disclaimer(answer: Answer) -> None:
    events = list(answer_events(answer))
    assert events[0]["event"] == "meta" and json.loads(events[0]["data"])["kind"] == answer.kind
    deltas = [json.loads(e["data"])["text"] for e in events if e["event"] == "delta"]
    assert "".join(deltas) == answer.text
    cited = [json.loads(e["data"]) for e in events if e["event"] == "citation"]
    assert [c["quote"] for c in cited] == [c.quote for c in answer.citations]
    last = events[-1]
    assert last["event"] == "done"
    done = json.loads(last["data"])
    assert (
        done["disclaimer"] and done["text"] == answer.text and len(done["citations"]) == len(answer.citations)
    )


@common
@given(answer=answers())
def test_chat_text_has_the_answer_every_source_and_the_disclaimer_last(answer: Answer) -> None:
    text = render_chat_text(answer)
    assert text.startswith(answer.text)
    assert text.endswith(answer.disclaimer)
    for c in answer.citations:
        assert f"[{c.n}] {c.title}" in text
