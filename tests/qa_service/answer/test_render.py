"""qa_service/answer/generate.py `render`: spans become paragraphs and lists, each ending in its
passage's one citation marker; a list that goes on in the section's next passage stays a list."""

from __future__ import annotations

import numpy as np

from ingest.index import ChunkRecord
from qa_service.answer.compose import Span
from qa_service.answer.generate import Candidate, render
from qa_service.answer.retrieval import Hit


def _hit(row: int, text: str) -> Hit:
    chunk = ChunkRecord(
        row=row, chunk_id=f"c{row}", doc_id="polymyositis", title="Polymyositis",
        section="Why it is diagnosed less often today", url=None, reviewed=None, start=0,
        end=len(text), text=text, first_sentence=0, n_sentences=0,
    )  # fmt: skip
    return Hit(row, chunk, 1.0, 0.8, 0, None, None)


def _span(hit: Hit, sentences: list[tuple[str, bool]], first_row: int) -> Span:
    cands = [
        Candidate(0, hit, first_row + i, 0, len(t), t, np.zeros(3), 0.9, bullet, False, line=first_row + i)
        for i, (t, bullet) in enumerate(sentences)
    ]
    return Span(cands, 0.9)


def test_a_list_that_goes_on_in_the_next_passage_stays_a_list() -> None:
    first = _hit(7, "")
    second = _hit(8, "")
    spans = [
        _span(first, [("Many people are now found to have another type.", False),
                      ("Some have IBM.", True), ("Some have IMNM.", True)], 100),
        _span(second, [("A few have an inherited muscle disease.", True),
                       ("True polymyositis is rare.", False)], 103),
    ]  # fmt: skip
    text, citations = render(spans)
    body = text.split("\n\n", 1)[1]
    assert body == (
        "Many people are now found to have another type.\n- Some have IBM.\n- Some have IMNM.\n"
        "- A few have an inherited muscle disease.\n\nTrue polymyositis is rare. [1]"
    )  # the paragraph after the list is its own paragraph, not part of the list's last item
    assert " [1] - " not in text
    # One section, stored as two passages: one number, one citation quoting both, in page order.
    assert [c.n for c in citations] == [1]
    assert citations[0].chunk_ids == ["c7", "c8"] and citations[0].chunk_id == "c7"
    quote = citations[0].quote
    assert quote.index("Some have IBM.") < quote.index("Some have IMNM.") < quote.index("inherited muscle")


def test_two_spans_of_one_section_apart_share_one_number() -> None:
    first, later = _hit(7, ""), _hit(9, "")
    spans = [_span(first, [("Rehab keeps people strong.", False)], 100),
             _span(later, [("An occupational therapist helps with daily tasks.", False)], 110)]  # fmt: skip
    text, citations = render(spans)
    body = text.split("\n\n", 1)[1]
    # One marker per section, after its last part.
    assert body == "Rehab keeps people strong.\n\nAn occupational therapist helps with daily tasks. [1]"
    assert [c.chunk_ids for c in citations] == [["c7", "c9"]]
