"""Load source files into `SourceDoc`s: Markdown with YAML front matter, .txt, .html and JSONL.

Bad files never stop a load: each is reported as a `SourceProblem` naming the file (and line) and
what to do, and skipped. The caller decides whether problems are fatal (`--strict`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from ingest.chunking import HEADING_LINE
from ingest.documents import FrontMatter, SourceDoc, SourceProblem

MARKDOWN_SUFFIXES = {".md", ".markdown"}
TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED_SUFFIXES = MARKDOWN_SUFFIXES | TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
# Documentation that lives beside the pages, not a page itself.
IGNORED_NAMES = {"readme.md", "license.md", "changelog.md"}
# Folders kept beside the pages for provenance, never indexed: `originals/` holds source texts
# exactly as received (corpus/originals/, see corpus/README.md "Corrections and originals").
IGNORED_DIRS = {"originals"}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$")


@dataclass
class LoadResult:
    """The documents read, the files skipped (with why), and how many files were read."""

    docs: list[SourceDoc] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)
    files_read: int = 0


def load_sources(paths: Sequence[Path], *, max_document_bytes: int) -> LoadResult:
    """Load every supported file under `paths` (files or folders, walked recursively)."""
    result = LoadResult()
    seen: dict[str, str] = {}
    for path in paths:
        for file, problem in _iter_files(path):
            if problem is not None:
                result.problems.append(problem)
                continue
            result.files_read += 1
            for item in _load_file(file, max_document_bytes=max_document_bytes):
                if isinstance(item, SourceProblem):
                    result.problems.append(item)
                elif item.doc_id in seen:
                    result.problems.append(
                        SourceProblem(
                            item.path,
                            f"duplicate document id {item.doc_id!r} (already loaded from "
                            f"{seen[item.doc_id]}); rename one of them. This copy was skipped.",
                        )
                    )
                else:
                    seen[item.doc_id] = item.path
                    result.docs.append(item)
    return result


def _iter_files(path: Path) -> Iterator[tuple[Path, SourceProblem | None]]:
    if not path.exists():
        yield path, SourceProblem(str(path), "no such file or folder; check the path.")
        return
    if path.is_file():
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
            yield path, SourceProblem(str(path), f"unsupported file type; use one of {supported}.")
        else:
            yield path, None
        return
    if not os.access(path, os.R_OK | os.X_OK):
        yield path, SourceProblem(str(path), "folder is not readable (permission denied).")
        return
    for root, dirs, files in os.walk(path, onerror=None):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d.lower() not in IGNORED_DIRS)
        for name in sorted(files):
            file = Path(root) / name
            if name.startswith(".") or name.lower() in IGNORED_NAMES:
                continue
            if file.suffix.lower() in SUPPORTED_SUFFIXES:
                yield file, None


def _read_text(file: Path, max_bytes: int | None) -> str | SourceProblem:
    try:
        size = file.stat().st_size
        if max_bytes is not None and size > max_bytes:
            return SourceProblem(
                str(file),
                f"file is too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB). "
                "Split it into smaller documents or raise WISDOM_MAX_DOCUMENT_MB.",
            )
        data = file.read_bytes()
    except PermissionError:
        return SourceProblem(str(file), "file is not readable (permission denied); fix its permissions.")
    except OSError as exc:
        return SourceProblem(
            str(file), f"cannot read the file ({exc.strerror or exc}); check that it is a regular file."
        )
    return _decode(str(file), data)


def _decode(where: str, data: bytes) -> str | SourceProblem:
    if b"\x00" in data[:8192]:
        return SourceProblem(
            where, "looks like a binary file (contains NUL bytes), not text; remove it or convert it to text."
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return SourceProblem(
            where,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-save the file as UTF-8.",
        )
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _load_file(file: Path, *, max_document_bytes: int) -> Iterable[SourceDoc | SourceProblem]:
    suffix = file.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _load_jsonl(file, max_document_bytes)
        return
    text = _read_text(file, max_document_bytes)
    if isinstance(text, SourceProblem):
        yield text
        return
    if suffix in MARKDOWN_SUFFIXES:
        yield _load_markdown(file, text)
    elif suffix in HTML_SUFFIXES:
        yield _load_html(file, text)
    else:
        yield _finish(file, doc_id=file.stem, title=_title_from_stem(file.stem), body=text)


def _title_from_stem(stem: str) -> str:
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else stem


def _finish(
    file: Path | str, *, doc_id: str, title: str, body: str, **meta: object
) -> SourceDoc | SourceProblem:
    where = str(file)
    if not _DOC_ID.match(doc_id):
        return SourceProblem(
            where,
            f"document id {doc_id!r} is not usable; ids are 1-200 letters, digits, '.', '_', ':' "
            "or '-', starting with a letter or digit. Rename the file or fix the id.",
        )
    if not body.strip():
        return SourceProblem(where, "empty document (no text after the front matter); add text.")
    if not title.strip():
        return SourceProblem(where, "the document has no title; add one.")
    return SourceDoc(doc_id=doc_id, title=title.strip(), text=body, path=where, **meta)  # type: ignore[arg-type]


def _load_markdown(file: Path, text: str) -> SourceDoc | SourceProblem:
    match = _FRONT_MATTER.match(text)
    if text.startswith("---") and match is None:
        return SourceProblem(
            str(file), "front matter starts with '---' but has no closing '---' line; close it."
        )
    if match is None:
        title = _first_heading(text) or _title_from_stem(file.stem)
        return _finish(file, doc_id=file.stem, title=title, body=text, kind="community")
    try:
        raw = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return SourceProblem(
            str(file),
            f"broken YAML front matter{line}: {problem}. Fix the YAML between the '---' lines "
            "(quote values that contain ':').",
        )
    if not isinstance(raw, dict):
        return SourceProblem(
            str(file), "front matter must be a YAML mapping (key: value lines), not a list or text."
        )
    try:
        fm = FrontMatter.model_validate(raw)
    except ValidationError as exc:
        details = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'front matter'}: {err['msg']}" for err in exc.errors()
        )
        return SourceProblem(
            str(file),
            f"front matter does not match the page format: {details}. "
            "Fix those fields (the format is described in corpus/README.md).",
        )
    body = text[match.end() :]
    headings = {m.group(2).strip() for m in HEADING_LINE.finditer(body)}
    unknown = [h for h in fm.questions if h not in headings]
    if unknown:
        return SourceProblem(
            str(file),
            f"questions name {', '.join(repr(h) for h in unknown)}, which is not a heading of this "
            "page; use a heading exactly as written (the page has: "
            f"{', '.join(sorted(headings)) or 'none'}).",
        )
    return _finish(
        file,
        doc_id=file.stem,
        title=fm.title,
        body=body,
        url=str(fm.url) if fm.url else None,
        kind=fm.kind,
        aliases=tuple(fm.aliases),
        summary=fm.summary,
        reviewed=fm.reviewed.isoformat() if fm.reviewed else None,
        sources=tuple({"name": s.name, "url": str(s.url)} for s in fm.sources),
        questions=tuple((h, q) for h, qs in fm.questions.items() for q in qs),
    )


def _first_heading(text: str) -> str | None:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip() or None
    return None


_HTML_DROP = "script, style, noscript, nav, header, footer, aside, form, iframe, svg, template"
_HTML_BLOCKS = {
    "p", "li", "dd", "dt", "blockquote", "pre", "td", "th", "tr", "div", "section", "article",
    "main", "ul", "ol", "dl", "table", "figure", "figcaption", "address", "body",
}  # fmt: skip
_HTML_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def html_to_markdown(html: str) -> tuple[str | None, str]:
    """Main text of an HTML page as light Markdown (headings kept), and its title. Navigation,
    scripts, styles, headers, footers and forms are dropped; <main> or <article> is preferred."""
    tree = HTMLParser(html)
    title_node = tree.css_first("title")
    title = title_node.text(strip=True) if title_node else None
    for node in tree.css(_HTML_DROP):
        node.decompose()
    root = tree.css_first("main") or tree.css_first("article") or tree.body or tree.root
    if root is None:
        return title, ""
    lines: list[str] = []
    buffer: list[str] = []
    prefix = [""]

    def flush() -> None:
        text = " ".join("".join(buffer).split())
        buffer.clear()
        if text:
            lines.append(prefix[0] + text)

    def walk(node: Any) -> None:
        nonlocal title
        for child in node.iter(include_text=True):
            tag = child.tag or ""
            if tag == "-text":
                buffer.append(child.text(deep=False) or "")
            elif tag in _HTML_HEADINGS:
                flush()
                heading = " ".join(child.text(separator=" ", strip=True).split())
                if heading:
                    lines.append("#" * _HTML_HEADINGS[tag] + " " + heading)
                    if tag == "h1" and not title:
                        title = heading
            elif tag == "br":
                flush()
            elif tag in _HTML_BLOCKS:
                flush()
                saved = prefix[0]
                prefix[0] = "- " if tag == "li" else ""
                walk(child)
                flush()
                prefix[0] = saved
            else:
                walk(child)

    walk(root)
    flush()
    return title, "\n\n".join(lines) + "\n"


def _load_html(file: Path, text: str) -> SourceDoc | SourceProblem:
    title, body = html_to_markdown(text)
    return _finish(
        file,
        doc_id=file.stem,
        title=title or _title_from_stem(file.stem),
        body=body,
        kind="external",
    )


def _load_jsonl(file: Path, max_row_bytes: int) -> Iterator[SourceDoc | SourceProblem]:
    try:
        handle = file.open("rb")
    except OSError as exc:
        yield SourceProblem(
            str(file), f"cannot read the file ({exc.strerror or exc}); check its path and permissions."
        )
        return
    with handle:
        for lineno, raw in enumerate(handle, start=1):
            where = f"{file}:{lineno}"
            if not raw.strip():
                continue
            if len(raw) > max_row_bytes:
                yield SourceProblem(
                    where,
                    f"row is too large ({len(raw) / 1e6:.1f} MB; the limit is "
                    f"{max_row_bytes / 1e6:.1f} MB); split the document.",
                )
                continue
            line = _decode(where, raw)
            if isinstance(line, SourceProblem):
                yield line
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield SourceProblem(
                    where, f"not valid JSON ({exc.msg} at column {exc.colno}); fix or remove this line."
                )
                continue
            if not isinstance(row, dict):
                yield SourceProblem(where, 'each line must be a JSON object {"id", "title", ...}.')
                continue
            missing = [k for k in ("id", "title", "text") if not isinstance(row.get(k), str)]
            if missing:
                yield SourceProblem(where, f"missing or non-string field(s): {', '.join(missing)}; add them.")
                continue
            url = row.get("url")
            source = row.get("source")
            yield _finish(
                where,
                doc_id=row["id"],
                title=row["title"],
                body=row["text"],
                url=url if isinstance(url, str) and url else None,
                source=source if isinstance(source, str) else None,
                kind="external",
            )
