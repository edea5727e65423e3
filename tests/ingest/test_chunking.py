"""Chunking: sections, sentences, offsets, token limits (with the real tokenizer) and stable ids."""

from __future__ import annotations

import dataclasses
import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import Chunk, ChunkingConfig, SourceDoc, TransformerEmbedder, chunk_document
from ingest.chunking import SPECIAL_TOKENS, split_sections, split_sentences
from ingest.loaders import load_sources
from tests.conftest import CORPUS, CORPUS_PAGES

MODEL_MAX = 256


def make_doc(text: str, title: str = "Alpha myopathy", doc_id: str = "alpha-myopathy") -> SourceDoc:
    return SourceDoc(doc_id=doc_id, title=title, text=text, path=f"{doc_id}.md")


def chunk(doc: SourceDoc, embedder: TransformerEmbedder, max_tokens: int = 200) -> list[Chunk]:
    return chunk_document(doc, ChunkingConfig(max_tokens), embedder.count_tokens, embedder.max_tokens)


def sentences_of(doc: SourceDoc, chunks: list[Chunk]) -> list[str]:
    return [doc.text[s:e] for c in chunks for s, e in c.sentences]


PAGE = """\
Intro text before any heading.

# Alpha myopathy

## Overview

Alpha myopathy is a rare muscle disease. It mostly affects adults.

## Diagnosis

Doctors start with blood tests.

### Muscle Biopsy

A small piece of muscle is taken. It is examined under a microscope.

### Muscle MRI ###

MRI shows which muscles are inflamed.

## Treatment

Steroids come first.

# Living with it

## Daily tips

Rest between tasks.
"""


def test_sections_follow_headings_and_drop_the_title_h1(embedder: TransformerEmbedder) -> None:
    doc = make_doc(PAGE)
    labels = [s.label for s in split_sections(doc)]
    assert labels == [
        "",
        "Overview",
        "Diagnosis",
        "Diagnosis > Muscle Biopsy",
        "Diagnosis > Muscle MRI",
        "Treatment",
        "Living with it > Daily tips",
    ]
    chunks = chunk(doc, embedder)
    by_section = {c.section: doc.text[c.start : c.end] for c in chunks}
    assert by_section["Diagnosis > Muscle Biopsy"] == (
        "A small piece of muscle is taken. It is examined under a microscope."
    )
    assert by_section["Diagnosis"] == "Doctors start with blood tests."
    assert by_section[""] == "Intro text before any heading."
    assert chunks[0].embed_text == "Alpha myopathy\nIntro text before any heading."
    biopsy = next(c for c in chunks if c.section == "Diagnosis > Muscle Biopsy")
    assert biopsy.embed_text.startswith("Alpha myopathy: Diagnosis > Muscle Biopsy\n")
    # No heading text leaks into a chunk.
    assert not any("#" in c.text for c in chunks)


def test_chunks_never_cross_a_section(embedder: TransformerEmbedder) -> None:
    sentence = "Muscle weakness in the hips and shoulders may come on over weeks or months."
    sections = ["Overview", "Diagnosis", "Treatment"]
    text = "".join(f"## {name}\n\n" + " ".join([sentence] * 12) + "\n\n" for name in sections)
    doc = make_doc(text)
    chunks = chunk(doc, embedder, max_tokens=64)
    spans = {s.label: (s.start, s.end) for s in split_sections(doc)}

    assert {c.section for c in chunks} == set(sections)
    assert len(chunks) > 2 * len(sections)  # several chunks per section
    for c in chunks:
        start, end = spans[c.section]
        assert start <= c.start < c.end <= end
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))


def test_offsets_point_at_the_exact_text(embedder: TransformerEmbedder) -> None:
    doc = make_doc(PAGE)
    for c in chunk(doc, embedder, max_tokens=48):
        assert c.text == doc.text[c.start : c.end]
        assert c.sentences[0][0] == c.start and c.sentences[-1][1] == c.end
        for s, e in c.sentences:
            assert c.start <= s < e <= c.end
        header = len(c.embed_text) - len(c.text)
        for (s, e), (es, ee) in zip(c.sentences, c.sentence_spans_in_embed_text(), strict=True):
            assert c.embed_text[es:ee] == doc.text[s:e]
            assert es >= header


def test_sentences_respect_abbreviations_quotes_and_numbers(embedder: TransformerEmbedder) -> None:
    text = (
        "## Tests\n\n"
        "Dr. Smith ordered a CK test, e.g. Creatine kinase in the blood. "
        "The U.S. lab said it was 5.5 times normal! Was it high? "
        '"Yes," he said. "It was." The biopsy (see Fig. 2) came next. '
        "Prof. J. R. Jones, Ph.D. Agreed.\n"
    )
    doc = make_doc(text)
    assert sentences_of(doc, chunk(doc, embedder)) == [
        "Dr. Smith ordered a CK test, e.g. Creatine kinase in the blood.",
        "The U.S. lab said it was 5.5 times normal!",
        "Was it high?",
        '"Yes," he said.',
        '"It was."',
        "The biopsy (see Fig. 2) came next.",
        "Prof. J. R. Jones, Ph.D. Agreed.",
    ]


def test_paragraphs_and_list_items_are_separate_sentences(embedder: TransformerEmbedder) -> None:
    text = (
        "## Symptoms\n\n"
        "Common signs include\n"
        "- weakness climbing stairs\n"
        "* trouble lifting the arms\n"
        "  + a rash on the eyelids\n"
        "1. falls\n"
        "12) tiredness that lasts\n"
        "   all day long\n\n"
        "A paragraph that goes on\n"
        "over two lines\n\n"
        "Last one"
    )
    doc = make_doc(text)
    assert sentences_of(doc, chunk(doc, embedder)) == [
        "Common signs include",
        "weakness climbing stairs",
        "trouble lifting the arms",
        "a rash on the eyelids",
        "falls",
        "tiredness that lasts\n   all day long",
        "A paragraph that goes on\nover two lines",
        "Last one",
    ]


def test_a_very_long_sentence_is_split_at_word_boundaries(embedder: TransformerEmbedder) -> None:
    words = [f"myositis{i}" for i in range(400)]
    text = "## Run-on\n\n" + " ".join(words) + " and it never ends.\n"
    doc = make_doc(text)
    chunks = chunk(doc, embedder, max_tokens=128)

    assert len(chunks) > 3
    pieces = [doc.text[s:e] for c in chunks for s, e in c.sentences]
    assert " ".join(pieces) == " ".join(words) + " and it never ends."
    for c in chunks:
        assert c.n_tokens <= 128
        assert c.start == 0 or doc.text[c.start - 1].isspace()
        assert c.end == len(doc.text) or doc.text[c.end].isspace()


def test_n_tokens_is_the_real_embedded_size_on_the_corpus(embedder: TransformerEmbedder) -> None:
    docs = load_sources([CORPUS], max_document_bytes=5_000_000).docs
    assert len(docs) == len(CORPUS_PAGES)
    chunks = [c for d in docs for c in chunk(d, embedder)]
    real = embedder.count_tokens([c.embed_text for c in chunks])
    assert [c.n_tokens for c in chunks] == [n + SPECIAL_TOKENS for n in real]
    assert max(c.n_tokens for c in chunks) <= MODEL_MAX
    # The budget is used: chunks are not needlessly tiny.
    assert sum(c.n_tokens for c in chunks) / len(chunks) > 60


def test_chunks_respect_the_configured_max_tokens(embedder: TransformerEmbedder) -> None:
    items = "\n".join(f"{i}. Item number {i} is short." for i in range(100, 160))
    doc = make_doc("## List\n\n" + items + "\n", title="Numbers")
    for max_tokens in (64, 200):
        sizes = [c.n_tokens for c in chunk(doc, embedder, max_tokens)]
        assert max(sizes) <= max_tokens, sizes


def test_chunk_ids_are_stable_and_local(embedder: TransformerEmbedder) -> None:
    doc = make_doc(PAGE)
    first = chunk(doc, embedder)
    again = chunk(make_doc(PAGE), embedder)
    assert [c.chunk_id for c in first] == [c.chunk_id for c in again]
    assert len({c.chunk_id for c in first}) == len(first)

    edited = make_doc(PAGE.replace("Steroids come first.", "Steroids usually come first."))
    after = {c.section: c.chunk_id for c in chunk(edited, embedder)}
    before = {c.section: c.chunk_id for c in first}
    assert after["Treatment"] != before["Treatment"]
    assert {k: v for k, v in after.items() if k != "Treatment"} == {
        k: v for k, v in before.items() if k != "Treatment"
    }

    # Other inputs of the id: document id and title (they are in the embedded text).
    renamed = chunk(dataclasses.replace(doc, doc_id="other-page"), embedder)
    retitled = chunk(dataclasses.replace(doc, title="Alpha disease"), embedder)
    assert not {c.chunk_id for c in renamed} & {c.chunk_id for c in first}
    assert not {c.chunk_id for c in retitled} & {c.chunk_id for c in first}


def test_repeated_text_in_one_section_gets_distinct_ids(embedder: TransformerEmbedder) -> None:
    para = "Take the tablets with food. " * 8
    doc = make_doc("## Tips\n\n" + para + "\n\n" + para + "\n")
    chunks = chunk(doc, embedder, max_tokens=64)
    assert len(chunks) >= 2
    assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_a_heading_too_long_for_the_budget_is_an_error(embedder: TransformerEmbedder) -> None:
    doc = make_doc("## " + " ".join(["word"] * 60) + "\n\nSome text.\n")
    with pytest.raises(ValueError, match=r"title and section header use \d+ of 64 tokens"):
        chunk(doc, embedder, max_tokens=64)


# --- properties --------------------------------------------------------------------------------

_WORDS = [
    "muscle", "biopsy", "Dr.", "e.g.", "i.e.", "weakness", "IMNM", "CK", "levels", "the", "a",
    "of", "treatment", "vs.", "U.S.", "5.5", "mg", "(see", "below)", '"quoted"', "50%",
    "well-known", "naïve", "café", "x", "3.", "etc.", "Mr.", "St.", "HMGCR", "anti-SRP", "?!",
]  # fmt: skip
_SECTION_WORDS = ["Diagnosis", "Muscle", "Biopsy", "Treatment", "Overview", "Tests", "Alpha"]


def _capitalise(words: list[str]) -> str:
    text = " ".join(words)
    return text[:1].upper() + text[1:]


_sentence = st.builds(
    lambda words, end: _capitalise(words) + end,
    # A line starting with "3. " would be a numbered list item, not a paragraph.
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=30).filter(lambda w: w[0] != "3."),
    st.sampled_from([".", "!", "?", '."', ").", "", ":", "..."]),
)
_paragraph = st.lists(_sentence, min_size=1, max_size=6).map(" ".join)
_marker = st.sampled_from(["-", "*", "+", "•", "1.", "2)", "10.", "999."])
_list = st.lists(st.tuples(_marker, _sentence), min_size=1, max_size=6)
_heading = st.tuples(st.integers(1, 6), st.lists(st.sampled_from(_SECTION_WORDS), min_size=1, max_size=3))
_block = st.one_of(
    _paragraph.map(lambda p: ("paragraph", p)),
    _list.map(lambda items: ("list", items)),
    _heading.map(lambda h: ("heading", h)),
)


@dataclasses.dataclass(frozen=True)
class GeneratedDoc:
    doc: SourceDoc
    skipped: frozenset[int]  # offsets of heading lines and bullet markers


@st.composite
def documents(draw: st.DrawFn) -> GeneratedDoc:
    """Markdown pages of headings, paragraphs and lists, with the offsets that carry no text."""
    text = ""
    skipped: set[int] = set()
    for kind, value in draw(st.lists(_block, min_size=1, max_size=10)):
        if kind == "paragraph":
            text += value + draw(st.sampled_from(["\n\n", "\n\n\n", " \n\n"]))
        elif kind == "heading":
            level, words = value
            line = "#" * level + " " + " ".join(words)
            skipped.update(range(len(text), len(text) + len(line)))
            text += line + "\n\n"
        else:
            indent = draw(st.sampled_from(["", "  "]))
            for marker, sentence in value:
                start = len(text) + len(indent)
                skipped.update(range(start, start + len(marker)))
                text += f"{indent}{marker} {sentence}\n"
            text += "\n"
    title = draw(st.sampled_from(["Alpha", "Muscle biopsy", "Tests"]))
    return GeneratedDoc(make_doc(text, title=title), frozenset(skipped))


_PROPERTY = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@_PROPERTY
@given(generated=documents(), max_tokens=st.sampled_from([48, 64, 128, 200, 512]))
def test_property_chunking_loses_no_text(
    embedder: TransformerEmbedder, generated: GeneratedDoc, max_tokens: int
) -> None:
    doc = generated.doc
    chunks = chunk(doc, embedder, max_tokens)
    spans = sorted(span for c in chunks for span in c.sentences)
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start, "sentence spans overlap"
    covered = {i for s, e in spans for i in range(s, e)}
    lost = [
        (i, ch)
        for i, ch in enumerate(doc.text)
        if not ch.isspace() and i not in generated.skipped and i not in covered
    ]
    assert not lost, f"characters in no sentence: {lost[:10]} of {doc.text!r}"
    for s, e in spans:
        sentence = doc.text[s:e]
        assert sentence == sentence.strip() and sentence


@_PROPERTY
@given(generated=documents(), max_tokens=st.sampled_from([48, 64, 128, 200, 512]))
def test_property_chunks_fit_the_model(
    embedder: TransformerEmbedder, generated: GeneratedDoc, max_tokens: int
) -> None:
    doc = generated.doc
    chunks = chunk(doc, embedder, max_tokens)
    real = embedder.count_tokens([c.embed_text for c in chunks])
    for c, n in zip(chunks, real, strict=True):
        assert c.n_tokens == n + SPECIAL_TOKENS <= MODEL_MAX
        assert c.text == doc.text[c.start : c.end]
        assert all(c.start <= s < e <= c.end for s, e in c.sentences)
        assert not re.search(r"(?m)^#{1,6} ", c.text), "a heading inside a chunk"


def test_split_sentences_on_a_slice_uses_document_offsets() -> None:
    text = "Header line\n\nFirst one. Second one.\n\nNot included."
    start = text.index("First")
    end = text.index("\n\nNot")
    assert [text[s:e] for s, e in split_sentences(text, start, end)] == ["First one.", "Second one."]
