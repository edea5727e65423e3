"""Rendering an answer's spans: the lead-in naming what is quoted, the spans as paragraphs and
lists, and one citation per section quoted (qa_service/answer/generate.py composes the spans)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import prompts
from ingest.index import ChunkRecord
from qa_service.answer.compose import Span
from qa_service.models import Citation

if TYPE_CHECKING:
    from qa_service.answer.generate import Candidate


def cite(chunk: ChunkRecord, n: int, quotes: list[str]) -> Citation:
    """Citation [n] of a passage, quoting the sentences of it that the answer uses."""
    return Citation(
        n=n,
        chunk_id=chunk.chunk_id,
        doc_id=chunk.doc_id,
        title=chunk.title,
        section=chunk.section,
        url=chunk.url,
        reviewed=chunk.reviewed,
        quote=" … ".join(quotes),
        chunk_ids=[chunk.chunk_id],
    )


def _cite_also(citation: Citation, chunk: ChunkRecord, quotes: list[str]) -> Citation:
    """`citation` also quoting `quotes` of `chunk`, a later passage of the same section."""
    return citation.model_copy(
        update={
            "quote": " … ".join([citation.quote, *quotes]),
            "chunk_ids": list(dict.fromkeys([*citation.chunk_ids, chunk.chunk_id])),
        }
    )


def render(spans: Sequence[Span]) -> tuple[str, list[Citation]]:
    """The lead-in naming what is quoted, then each span as a paragraph (list items as a list)
    ending in its section's one citation marker: spans of one section, stored as several passages,
    share one number and one citation (no source is listed twice)."""
    parts: list[str] = []
    citations: list[Citation] = []
    numbers: dict[tuple[str, str], int] = {}
    for i, span in enumerate(spans):
        text = ""
        prev: Candidate | None = None
        for j, c in enumerate(span.sentences):
            sentence = " ".join(c.text.split())
            if prev is not None and c.row != prev.row + 1:
                # A later span of the same passage (or the section's framing after its lead); a
                # list that goes on from here is a list.
                nxt = span.sentences[j + 1] if j + 1 < len(span.sentences) else None
                listed = c.bullet and nxt is not None and nxt.bullet and nxt.row == c.row + 1
                text += f"\n\n{'- ' if listed else ''}{sentence}"
            elif c.bullet:
                text += f"\n- {sentence}"
            elif prev is not None and (
                prev.line == c.line or not (prev.bullet or _continues_item(prev, span))
            ):
                text += f" {sentence}"
            elif prev is not None:
                text += f"\n\n{sentence}"  # a paragraph after a list is not part of its last item
            else:
                text = sentence
            prev = c
        before = spans[i - 1].hit.chunk if i else None
        chunk = span.hit.chunk
        quotes = [" ".join(c.text.split()) for c in span.sentences]
        n = numbers.get((chunk.doc_id, chunk.section), 0)
        if n:
            citations[n - 1] = _cite_also(citations[n - 1], chunk, quotes)
        else:
            n = numbers[(chunk.doc_id, chunk.section)] = len(citations) + 1
            citations.append(cite(chunk, n, quotes))
        if before is not None and (before.doc_id, before.section, before.row + 1) == (
            chunk.doc_id,
            chunk.section,
            chunk.row,
        ):
            # The section goes on in its next passage (one marker, at the end); a list goes on as a list.
            parts[-1] = parts[-1].removesuffix(f" [{n}]")
            if text.startswith("\n- "):
                glue = "\n"  # a list goes on as a list
            elif parts[-1].rsplit("\n", 1)[-1].startswith("- "):
                glue = "\n\n"  # a paragraph after a list is not part of its last item
            else:
                glue = " "
            parts[-1] += glue + f"{text.strip()} [{n}]"
        else:
            parts.append(f"{text.strip()} [{n}]")
    for i, part in enumerate(parts[:-1]):
        marker = part[part.rindex(" [") :] if part.endswith("]") else ""
        if marker and any(later.endswith(marker) for later in parts[i + 1 :]):
            parts[i] = part.removesuffix(marker)  # one marker per section, after its last part
    return f"{lead_in([(s.hit.chunk.title, s.hit.chunk.section) for s in spans])}\n\n" + "\n\n".join(
        parts
    ), citations


def _continues_item(c: Candidate, span: Span) -> bool:
    """`c` is a later sentence of a list item in `span`."""
    return any(o.bullet and o.line == c.line for o in span.sentences)


def lead_in(pages: Sequence[tuple[str, str | None]]) -> str:
    """ "From our page “Title” (Section):", naming what is actually quoted; the page's own title in
    quotes keeps its case. Two pages: "From our pages “A” and “B”:"."""
    titles = list(dict.fromkeys(t for t, _ in pages))
    if not titles:
        return prompts.message("lead_in_generic")
    if len(titles) == 1:
        sections = list(dict.fromkeys(s for _, s in pages if s))
        where = f" ({sections[0]})" if len(sections) == 1 and not _GENERIC_SECTION.match(sections[0]) else ""
        return prompts.message("lead_in", topic=f"\u201c{titles[0]}\u201d{where}")
    return prompts.message("lead_in_pages", topics=" and ".join(f"\u201c{t}\u201d" for t in titles))


_GENERIC_SECTION = re.compile(r"^(what is it\??|overview|summary|about|introduction)$", re.IGNORECASE)
