"""Section-aware chunking: split on headings first, then pack whole sentences up to a token budget.

Every chunk records the character offsets of its text and of each of its sentences in the
document's `text`, so a citation can always be traced back to the exact words of the source.
Size is measured in the embedding model's own word pieces, including the context header
("Title: Section") that is embedded with the chunk and the model's special tokens, so no chunk
is ever silently truncated by the model.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ingest.documents import SourceDoc

# Bump when the chunk boundaries or the embedded text change: it forces a full rebuild.
CHUNKER_VERSION = 1
SPECIAL_TOKENS = 2  # [CLS] ... [SEP]

TokenCounter = Callable[[Sequence[str]], list[int]]
"""Counts word pieces of each text, without special tokens."""

HEADING_LINE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
"""A Markdown heading line: group 1 the #s, group 2 the heading text."""
_BULLET = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+")
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = {
    "dr", "mr", "mrs", "ms", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "eg", "ie",
    "no", "fig", "approx", "dept", "u.s", "u.k", "inc", "ltd", "co", "mt", "ft", "al", "ph.d",
}  # fmt: skip


@dataclass(frozen=True)
class ChunkingConfig:
    """How documents are cut into chunks. Any change forces a full rebuild of the index."""

    max_tokens: int = 200
    """Word pieces per embedded chunk, context header and special tokens included."""

    def key(self) -> dict[str, int]:
        """What of the chunking goes into the index's settings key."""
        return {"chunker_version": CHUNKER_VERSION, "max_tokens": self.max_tokens}


@dataclass(frozen=True)
class Section:
    """A section of a document: its heading path and the offsets of its body."""

    path: tuple[str, ...]
    start: int  # offsets of the section body (after its heading line)
    end: int

    @property
    def label(self) -> str:
        """The heading path as one string ("Treatment > Medicines")."""
        return " > ".join(self.path)


@dataclass(frozen=True)
class Chunk:
    """A piece of one section of a document, with its document offsets and sentences."""

    chunk_id: str
    doc_id: str
    ordinal: int
    title: str
    section: str
    start: int
    end: int
    text: str
    sentences: tuple[tuple[int, int], ...]  # document offsets of each sentence
    n_tokens: int

    @property
    def embed_text(self) -> str:
        """What is embedded: the context header (title and section) and the chunk's text."""
        return context_header(self.title, self.section) + self.text

    def sentence_spans_in_embed_text(self) -> list[tuple[int, int]]:
        """The sentences' spans as offsets into `embed_text`."""
        shift = len(context_header(self.title, self.section)) - self.start
        return [(s + shift, e + shift) for s, e in self.sentences]


def context_header(title: str, section: str) -> str:
    """The line put before a chunk's text when it is embedded: title, and section if any."""
    return f"{title}: {section}\n" if section else f"{title}\n"


def split_sections(doc: SourceDoc) -> list[Section]:
    """Sections of a document by its Markdown headings. A top heading equal to the title is
    dropped from the path; text before the first heading forms a section with an empty path."""
    text = doc.text
    title_key = _norm(doc.title)
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    body_start = 0
    path: tuple[str, ...] = ()
    for match in HEADING_LINE.finditer(text):
        if text[body_start : match.start()].strip():
            sections.append(Section(path, body_start, match.start()))
        level, heading = len(match.group(1)), match.group(2).strip()
        stack = [(lvl, h) for lvl, h in stack if lvl < level]
        if not (level == 1 and _norm(heading) == title_key):
            stack.append((level, heading))
        path = tuple(h for _, h in stack)
        body_start = match.end()
    if text[body_start:].strip():
        sections.append(Section(path, body_start, len(text)))
    return sections


def _norm(value: str) -> str:
    return re.sub(r"\W+", " ", value).strip().lower()


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (document offsets) in text[start:end]. Paragraphs and list items always
    end a sentence; inside them, a sentence ends at . ! or ? followed by a capital or digit,
    except after common abbreviations and initials."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for b_start, b_end in _blocks(text, start, end):
        cursor = b_start
        for match in _BOUNDARY.finditer(text, b_start, b_end):
            stop = match.start() + 1
            if _is_abbreviation(text, cursor, stop):
                continue
            closing = re.match(r"[\"'”’)\]]*", text[stop:b_end])
            stop += closing.end() if closing else 0
            _add_span(text, spans, cursor, stop)
            cursor = match.end()
        _add_span(text, spans, cursor, b_end)
    return spans


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Paragraphs and list items as (start, end) offsets, bullet markers excluded."""
    blocks: list[tuple[int, int]] = []
    block_start: int | None = None
    pos = start
    for line in text[start:end].splitlines(keepends=True):
        line_start, line_end = pos, pos + len(line)
        pos = line_end
        bullet = _BULLET.match(line)
        if not line.strip():
            if block_start is not None:
                blocks.append((block_start, line_start))
                block_start = None
            continue
        if bullet:
            if block_start is not None:
                blocks.append((block_start, line_start))
            block_start = line_start + bullet.end()
        elif block_start is None:
            block_start = line_start
    if block_start is not None:
        blocks.append((block_start, end))
    return blocks


def _is_abbreviation(text: str, cursor: int, period: int) -> bool:
    word = re.search(r"([A-Za-z][A-Za-z.]*)\.$", text[cursor:period])
    if word is None:
        return False
    token = word.group(1).lower()
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _add_span(text: str, spans: list[tuple[int, int]], start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def chunk_document(
    doc: SourceDoc, config: ChunkingConfig, count_tokens: TokenCounter, model_max_tokens: int
) -> list[Chunk]:
    """Cut one document into chunks that never cross a section and never exceed the budget."""
    limit = min(config.max_tokens, model_max_tokens)
    text = doc.text
    plan: list[tuple[Section, list[tuple[int, int]]]] = []
    for section in split_sections(doc):
        sentences = split_sentences(text, section.start, section.end)
        if sentences:
            plan.append((section, sentences))
    all_sentences = [text[s:e] for _, sents in plan for s, e in sents]
    headers = [context_header(doc.title, sec.label) for sec, _ in plan]
    counts = count_tokens(all_sentences + headers) if all_sentences else []
    sentence_tokens, header_tokens = counts[: len(all_sentences)], counts[len(all_sentences) :]

    chunks: list[Chunk] = []
    seen_ids: dict[str, int] = {}
    cursor = 0
    for (section, sentences), head in zip(plan, header_tokens, strict=True):
        budget = limit - head - SPECIAL_TOKENS
        if budget < 16:
            raise ValueError(
                f"the title and section header use {head} of {limit} tokens; "
                "shorten the heading or raise the chunk size."
            )
        pieces: list[tuple[int, int, int]] = []
        for (s, e), n in zip(sentences, sentence_tokens[cursor : cursor + len(sentences)], strict=True):
            pieces.extend(_fit(text, s, e, n, budget, count_tokens))
        cursor += len(sentences)
        group: list[tuple[int, int]] = []
        used = 0
        for s, e, n in pieces:
            # +1 per sentence: a bullet marker or joining punctuation between sentences.
            if group and used + n + 1 > budget:
                chunks.append(_make_chunk(doc, section, group, len(chunks), seen_ids))
                group, used = [], 0
            group.append((s, e))
            used += n + 1
        if group:
            chunks.append(_make_chunk(doc, section, group, len(chunks), seen_ids))
    return _enforce_limit(doc, chunks, count_tokens, limit, model_max_tokens)


def _fit(
    text: str, start: int, end: int, n: int, budget: int, count_tokens: TokenCounter
) -> list[tuple[int, int, int]]:
    """Split a sentence that alone exceeds the budget at word boundaries, and a word that alone
    exceeds it (a long code or a run of letters under a long heading) where it fits."""
    if n + 1 <= budget:
        return [(start, end, n)]
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    word_tokens = count_tokens([text[s:e] for s, e in words])
    pieces: list[tuple[int, int, int]] = []
    piece_start, used = words[0][0], 0
    prev_end = words[0][1]
    for (s, e), wt in zip(words, word_tokens, strict=True):
        if wt + 1 > budget:
            if used:
                pieces.append((piece_start, prev_end, used))
            *cut, (piece_start, prev_end, used) = _cut_word(text, s, e, budget, count_tokens)
            pieces.extend(cut)
            continue
        if used and used + wt + 1 > budget:
            pieces.append((piece_start, prev_end, used))
            piece_start, used = s, 0
        used += wt
        prev_end = e
    pieces.append((piece_start, prev_end, used))
    return pieces


def _cut_word(
    text: str, start: int, end: int, budget: int, count_tokens: TokenCounter
) -> list[tuple[int, int, int]]:
    """A word longer than the budget cut into the longest pieces that fit (binary search on each
    piece's end; nothing is dropped)."""
    pieces: list[tuple[int, int, int]] = []
    while start < end:
        lo, hi = start + 1, end
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if count_tokens([text[start:mid]])[0] + 1 <= budget:
                lo = mid
            else:
                hi = mid - 1
        pieces.append((start, lo, count_tokens([text[start:lo]])[0]))
        start = lo
    return pieces


def _make_chunk(
    doc: SourceDoc,
    section: Section,
    sentences: list[tuple[int, int]],
    ordinal: int,
    seen_ids: dict[str, int],
) -> Chunk:
    start, end = sentences[0][0], sentences[-1][1]
    text = doc.text[start:end]
    label = section.label
    digest = hashlib.sha256(
        "\x1f".join([str(CHUNKER_VERSION), doc.doc_id, doc.title, label, text]).encode("utf-8")
    ).hexdigest()[:20]
    seen_ids[digest] = seen_ids.get(digest, 0) + 1
    if seen_ids[digest] > 1:  # the same text twice in one section of one document
        digest = f"{digest}-{seen_ids[digest]}"
    return Chunk(
        chunk_id=digest,
        doc_id=doc.doc_id,
        ordinal=ordinal,
        title=doc.title,
        section=label,
        start=start,
        end=end,
        text=text,
        sentences=tuple(sentences),
        n_tokens=0,
    )


def _enforce_limit(
    doc: SourceDoc, chunks: list[Chunk], count_tokens: TokenCounter, limit: int, model_max_tokens: int
) -> list[Chunk]:
    """Measure each chunk's real embedded size; split any over the limit. Only a single sentence
    the model itself would truncate is an error (sentences are already cut to the budget)."""
    counts = count_tokens([c.embed_text for c in chunks]) if chunks else []
    out: list[Chunk] = []
    for chunk, n in zip(chunks, counts, strict=True):
        total = n + SPECIAL_TOKENS
        if total <= limit or len(chunk.sentences) == 1:
            if total > model_max_tokens:
                raise ValueError(
                    f"a single sentence of {total} tokens does not fit the model's "
                    f"{model_max_tokens}-token window."
                )
            out.append(_with_tokens(chunk, total, len(out)))
            continue
        half = len(chunk.sentences) // 2
        section = Section(tuple(chunk.section.split(" > ")) if chunk.section else (), 0, 0)
        seen: dict[str, int] = {}
        parts = [
            _make_chunk(doc, section, list(chunk.sentences[:half]), 0, seen),
            _make_chunk(doc, section, list(chunk.sentences[half:]), 0, seen),
        ]
        for part in _enforce_limit(doc, parts, count_tokens, limit, model_max_tokens):
            out.append(_with_tokens(part, part.n_tokens, len(out)))
    return out


def _with_tokens(chunk: Chunk, n_tokens: int, ordinal: int) -> Chunk:
    return dataclasses.replace(chunk, n_tokens=n_tokens, ordinal=ordinal)
