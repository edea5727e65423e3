"""Loading source files: what each format yields, and how every kind of bad input is reported."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest.loaders import LoadResult, load_sources
from tests.ingest.conftest import page_text

LIMIT = 5_000_000

GOOD_PAGE = """\
    ---
    title: Good page
    ---

    ## Overview

    This page is fine and must still load when a neighbour is broken.
    """


def load(*paths: Path, max_bytes: int = LIMIT) -> LoadResult:
    return load_sources(list(paths), max_document_bytes=max_bytes)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- formats -----------------------------------------------------------------------------------


def test_markdown_front_matter_fields(tmp_path: Path) -> None:
    page = write(
        tmp_path / "corpus" / "ibm-basics.md",
        page_text("""\
            ---
            title: Inclusion body myositis
            aliases:
              - IBM
              - " sporadic inclusion body myositis "
            summary: What IBM is and how it is treated.
            reviewed: 2026-03-01
            sources:
              - name: Example Myositis Society
                url: https://example.org/ibm
              - name: Example Neuromuscular Clinic
                url: https://clinic.example.com/myositis/ibm?lang=en
            kind: editorial
            url: https://wisdom.example.org/pages/ibm
            ---

            # Inclusion body myositis

            ## Signs

            Weakness of the finger flexors is typical.
            """),
    )
    result = load(tmp_path / "corpus")

    assert result.problems == []
    assert result.files_read == 1
    [doc] = result.docs
    assert doc.doc_id == "ibm-basics"
    assert doc.title == "Inclusion body myositis"
    assert doc.aliases == ("IBM", "sporadic inclusion body myositis")
    assert doc.summary == "What IBM is and how it is treated."
    assert doc.reviewed == "2026-03-01"
    assert doc.sources == (
        {"name": "Example Myositis Society", "url": "https://example.org/ibm"},
        {
            "name": "Example Neuromuscular Clinic",
            "url": "https://clinic.example.com/myositis/ibm?lang=en",
        },
    )
    assert doc.kind == "editorial"
    assert doc.url == "https://wisdom.example.org/pages/ibm"
    assert doc.path == str(page)
    # The body is everything after the closing '---': no front matter left in the text.
    body = "\n# Inclusion body myositis\n\n## Signs\n\nWeakness of the finger flexors is typical.\n"
    assert doc.text == body


def test_markdown_without_front_matter_takes_title_from_first_heading(tmp_path: Path) -> None:
    write(tmp_path / "c" / "my-story.md", "# Living with IBM\n\nI walk with a cane now.\n")
    [doc] = load(tmp_path / "c").docs
    assert (doc.doc_id, doc.title, doc.kind) == ("my-story", "Living with IBM", "community")
    assert doc.aliases == () and doc.sources == () and doc.reviewed is None


def test_txt_file(tmp_path: Path) -> None:
    body = "Fatigue is common in myositis.\n\nPace yourself during the day.\n"
    page = write(tmp_path / "c" / "living-with_fatigue.txt", body)
    [doc] = load(page).docs
    assert doc.doc_id == "living-with_fatigue"
    assert doc.title == "Living with fatigue"
    assert doc.text == body
    assert doc.kind == "external"


def test_crlf_and_bom_are_normalised(tmp_path: Path) -> None:
    page = tmp_path / "c" / "windows.md"
    page.parent.mkdir()
    page.write_bytes(b"\xef\xbb\xbf---\r\ntitle: Windows page\r\n---\r\n\r\nLine one.\r\nLine two.\r\n")
    [doc] = load(page).docs
    assert doc.title == "Windows page"
    assert doc.text == "\nLine one.\nLine two.\n"


HTML_PAGE = """\
<!doctype html>
<html>
<head>
  <title>Dermatomyositis | Example Org</title>
  <style>.secret-style { color: red }</style>
  <script>var trackingScript = "SCRIPT-TEXT";</script>
</head>
<body>
  <header><div>HEADER-BANNER text</div></header>
  <nav><ul><li><a href="/">NAV-HOME link</a></li><li>NAV-ABOUT link</li></ul></nav>
  <main>
    <h1>Dermatomyositis</h1>
    <p>Dermatomyositis affects the <b>skin</b> and the muscles.</p>
    <h2>Diagnosis</h2>
    <p>A skin biopsy can help.</p>
    <h3>Blood tests</h3>
    <ul><li>CK level</li><li>Antibody panel</li></ul>
    <script>console.log("INLINE-SCRIPT")</script>
  </main>
  <aside>ASIDE-PROMO text</aside>
  <footer><p>FOOTER-COPYRIGHT 2026</p></footer>
</body>
</html>
"""


def test_html_keeps_main_text_and_headings_only(tmp_path: Path) -> None:
    page = write(tmp_path / "c" / "dermatomyositis.html", HTML_PAGE)
    result = load(page)

    assert result.problems == []
    [doc] = result.docs
    assert doc.doc_id == "dermatomyositis"
    assert doc.title == "Dermatomyositis | Example Org"
    assert doc.kind == "external"
    lines = doc.text.splitlines()
    assert "# Dermatomyositis" in lines
    assert "## Diagnosis" in lines
    assert "### Blood tests" in lines
    assert "Dermatomyositis affects the skin and the muscles." in lines
    assert "A skin biopsy can help." in lines
    assert "- CK level" in lines and "- Antibody panel" in lines
    # Order is the page's order.
    assert lines.index("## Diagnosis") < lines.index("A skin biopsy can help.")
    assert lines.index("### Blood tests") < lines.index("- CK level")
    for chrome in (
        "HEADER-BANNER",
        "NAV-HOME",
        "NAV-ABOUT",
        "SCRIPT-TEXT",
        "INLINE-SCRIPT",
        "secret-style",
        "ASIDE-PROMO",
        "FOOTER-COPYRIGHT",
    ):
        assert chrome not in doc.text


def test_html_without_main_uses_body_and_h1_as_title(tmp_path: Path) -> None:
    html = "<html><body><nav>NAV-MENU</nav><h1>Polymyositis</h1><p>Muscle weakness.</p></body></html>"
    [doc] = load(write(tmp_path / "polymyositis.htm", html)).docs
    assert doc.title == "Polymyositis"
    assert doc.text.splitlines() == ["# Polymyositis", "", "Muscle weakness."]


def test_html_text_directly_inside_main_is_kept(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Myositis</title></head><body><main><h2>Overview</h2>"
        "Myositis means inflamed muscles.<br>It is rare.<p>See a specialist.</p></main></body></html>"
    )
    [doc] = load(write(tmp_path / "myositis.html", html)).docs
    assert "Myositis means inflamed muscles." in doc.text
    assert "It is rare." in doc.text


def test_jsonl_rows(tmp_path: Path) -> None:
    rows = [
        {
            "id": "medquad-0001",
            "title": "What is IMNM?",
            "source": "MedQuAD",
            "url": "https://example.org/imnm",
            "text": "IMNM is a rare myositis.",
        },
        {"id": "medquad-0002", "title": "Is IBM inherited?", "text": "Usually not."},
    ]
    path = write(tmp_path / "rows.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n\n")
    result = load(path)

    assert result.problems == []
    first, second = result.docs
    assert (first.doc_id, first.title, first.text) == (
        "medquad-0001",
        "What is IMNM?",
        "IMNM is a rare myositis.",
    )
    assert first.source == "MedQuAD" and first.url == "https://example.org/imnm"
    assert first.kind == "external"
    assert first.path == f"{path}:1"
    assert (second.doc_id, second.url, second.source) == ("medquad-0002", None, None)
    assert second.path == f"{path}:2"


def test_readme_and_hidden_files_in_a_folder_are_ignored(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus / "README.md", "# About this folder\n\nHow to write pages.\n")
    write(corpus / "sub" / "Readme.md", "Notes for editors.\n")
    write(corpus / "CHANGELOG.md", "Added pages.\n")
    write(corpus / ".draft.md", "Not ready.\n")
    write(corpus / ".hidden" / "secret.md", "Not a page.\n")
    write(corpus / "picture.png.txt.bak", "Unsupported suffix.\n")
    write(corpus / "page.md", page_text(GOOD_PAGE))

    result = load(corpus)

    assert result.problems == []
    assert [d.doc_id for d in result.docs] == ["page"]
    assert result.files_read == 1


def test_originals_folder_is_kept_for_provenance_and_not_loaded(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus / "originals" / "page.txt", "The article exactly as received, errors included.\n")
    write(corpus / "sub" / "Originals" / "old.md", page_text(GOOD_PAGE))
    write(corpus / "page.md", page_text(GOOD_PAGE))

    result = load(corpus)

    assert result.problems == []
    assert [d.doc_id for d in result.docs] == ["page"]
    assert result.files_read == 1


def test_several_paths_are_loaded_in_order(tmp_path: Path) -> None:
    write(tmp_path / "a" / "one.md", page_text(GOOD_PAGE))
    write(tmp_path / "b" / "two.txt", "Second source.\n")
    result = load(tmp_path / "a", tmp_path / "b" / "two.txt")
    assert [d.doc_id for d in result.docs] == ["one", "two"]


# --- bad input ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bad:
    """A broken input: how to create it, where the problem must point, what it must say."""

    make: Callable[[Path], Path]  # writes into the corpus folder, returns the path to report
    says: str  # regex the problem text must match
    line: int | None = None  # JSONL line the problem must name


def _not_utf8(c: Path) -> Path:
    path = c / "latin1.md"
    path.write_bytes("---\ntitle: Café au lait spots\n---\n\nText.\n".encode("latin-1"))
    return path


def _broken_yaml(c: Path) -> Path:
    return write(c / "broken-yaml.md", "---\ntitle: Broken\n  aliases: [a, b\n---\n\nText.\n")


def _bad_url(c: Path) -> Path:
    text = "---\ntitle: Bad url\nsources:\n  - name: Somewhere\n    url: not-a-url\n---\n\nText.\n"
    return write(c / "bad-url.md", text)


def _unknown_key(c: Path) -> Path:
    return write(c / "unknown-key.md", "---\ntitle: Unknown key\ncolour: red\n---\n\nText.\n")


def _unclosed(c: Path) -> Path:
    return write(c / "unclosed.md", "---\ntitle: Unclosed\n\nThe closing line is missing.\n")


def _list_front_matter(c: Path) -> Path:
    return write(c / "list-front-matter.md", "---\n- a\n- b\n---\n\nText.\n")


def _empty(c: Path) -> Path:
    return write(c / "empty.md", "---\ntitle: Empty page\n---\n\n  \n\n")


def _empty_txt(c: Path) -> Path:
    return write(c / "empty.txt", "")


def _duplicate_stem(c: Path) -> Path:
    write(c / "a-first" / "shared-name.md", page_text(GOOD_PAGE))
    return write(c / "b-second" / "shared-name.txt", "Same id, other folder.\n")


def _too_large(c: Path) -> Path:
    path = c / "huge.md"
    with path.open("wb") as handle:
        handle.truncate(50 * 1_000_000)
    return path


def _binary_md(c: Path) -> Path:
    path = c / "scan.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    return path


def _broken_symlink(c: Path) -> Path:
    path = c / "moved.md"
    path.symlink_to(c / "does-not-exist.md")
    return path


def _bad_id(c: Path) -> Path:
    return write(c / "my page.md", page_text(GOOD_PAGE))


def _jsonl(c: Path, *lines: str) -> Path:
    return write(c / "rows.jsonl", "\n".join(lines) + "\n")


_ROW = json.dumps({"id": "row-1", "title": "Row one", "text": "Row text."})

BAD_INPUTS = {
    "not-utf8": Bad(_not_utf8, r"not valid UTF-8 \(byte 0xe9 at offset \d+\)"),
    "broken-yaml": Bad(_broken_yaml, r"broken YAML front matter at line 3"),
    "schema-bad-url": Bad(_bad_url, r"does not match the page format: sources\.0\.url: .*URL"),
    "schema-unknown-key": Bad(_unknown_key, r"does not match the page format: colour: Extra"),
    "unclosed-front-matter": Bad(_unclosed, r"no closing '---' line"),
    "front-matter-not-mapping": Bad(_list_front_matter, r"must be a YAML mapping"),
    "empty-document": Bad(_empty, r"empty document"),
    "empty-txt": Bad(_empty_txt, r"empty document"),
    "duplicate-id-across-folders": Bad(
        _duplicate_stem, r"duplicate document id 'shared-name' \(already loaded from .*a-first"
    ),
    "too-large": Bad(_too_large, r"too large \(50\.0 MB; the limit is 5\.0 MB\)"),
    "binary-named-md": Bad(_binary_md, r"binary"),
    "broken-symlink": Bad(_broken_symlink, r"cannot read the file"),
    "unusable-id": Bad(_bad_id, r"document id 'my page' is not usable"),
    "jsonl-malformed-line": Bad(
        lambda c: _jsonl(c, _ROW, '{"id": "row-2", "title": '), r"not valid JSON", line=2
    ),
    "jsonl-duplicate-id": Bad(
        lambda c: _jsonl(c, _ROW, _ROW.replace("Row one", "Row again")),
        r"duplicate document id 'row-1' \(already loaded from .*rows\.jsonl:1\)",
        line=2,
    ),
    "jsonl-not-an-object": Bad(lambda c: _jsonl(c, _ROW, "[1, 2]"), r"JSON object", line=2),
    "jsonl-missing-field": Bad(
        lambda c: _jsonl(c, _ROW, json.dumps({"id": "row-3", "text": "x"})),
        r"missing or non-string field\(s\): title",
        line=2,
    ),
}


@pytest.mark.parametrize("case", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_is_reported_and_skipped(tmp_path: Path, case: Bad) -> None:
    corpus = tmp_path / "corpus"
    write(corpus / "good-page.md", page_text(GOOD_PAGE))
    bad = case.make(corpus)

    result = load(corpus)

    assert len(result.problems) == 1, result.problems
    [problem] = result.problems
    expected_where = f"{bad}:{case.line}" if case.line else str(bad)
    assert problem.where == expected_where
    assert re.search(case.says, problem.problem), problem.problem
    assert str(problem) == f"{expected_where}: {problem.problem}"
    # The neighbours still load (for JSONL, the good row on line 1 too).
    doc_ids = {d.doc_id for d in result.docs}
    assert "good-page" in doc_ids
    assert "my page" not in doc_ids and "huge" not in doc_ids and "scan" not in doc_ids


def test_nonexistent_path_is_a_problem_and_other_paths_still_load(tmp_path: Path) -> None:
    good = write(tmp_path / "good-page.md", page_text(GOOD_PAGE))
    missing = tmp_path / "no-such-folder"
    result = load(missing, good)
    assert [str(p) for p in result.problems] == [f"{missing}: no such file or folder; check the path."]
    assert [d.doc_id for d in result.docs] == ["good-page"]


def test_unsupported_file_given_directly_is_a_problem(tmp_path: Path) -> None:
    notes = write(tmp_path / "notes.docx", "not really a docx")
    [problem] = load(notes).problems
    assert problem.where == str(notes)
    assert "unsupported file type" in problem.problem and ".md" in problem.problem


def test_large_file_under_a_raised_limit_loads(tmp_path: Path) -> None:
    page = write(tmp_path / "long.txt", "Muscle weakness. " * 400_000)  # 6.8 MB
    assert load(page).problems[0].problem.startswith("file is too large (6.8 MB")
    assert [d.doc_id for d in load(page, max_bytes=10_000_000).docs] == ["long"]


_HINT = re.compile(
    r"\b(re-save|add|close|rename|split|raise|check|fix|remove|delete|convert|quote|must be)\b",
    re.IGNORECASE,
)


def _hint_case(name: str) -> object:
    return pytest.param(BAD_INPUTS[name], id=name)


@pytest.mark.parametrize("case", [_hint_case(name) for name in BAD_INPUTS])
def test_problem_message_says_what_to_do(tmp_path: Path, case: Bad) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    case.make(corpus)
    [problem] = load(corpus).problems
    assert _HINT.search(problem.problem), f"no advice in: {problem.problem}"
