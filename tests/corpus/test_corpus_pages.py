"""Every page in corpus/ is complete, safe to quote sentence by sentence, and easy to read.

Run: .venv/bin/python -m pytest tests/corpus -q   (the format and rules are in corpus/README.md)

When a check fails, fix the page, not the test. The one exception is the seed page
(necrotizing-autoimmune-myopathy.md): it keeps the original article's wording except for the
corrections listed in SEED_CORRECTED (and in the page's "Corrections" section), so it is exempt from
the checks that only a full rewrite could pass (minimum length, reading grade). The article exactly as
received is kept, unindexed, in corpus/originals/.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from eval.readability import plain_text, reading_grade
from ingest.documents import FrontMatter
from ingest.loaders import IGNORED_NAMES
from ingest.text import leans_on_previous
from tests.conftest import CORPUS, REPO

SEED = "necrotizing-autoimmune-myopathy"
SEED_ORIGINAL = REPO.parent / "shared" / "seed" / f"{SEED}.txt"
SEED_KEPT = CORPUS / "originals" / f"{SEED}.txt"  # the original, in the repository, not indexed
PAGE_PATHS = sorted(p for p in CORPUS.glob("*.md") if p.name.lower() not in IGNORED_NAMES)

MIN_WORDS, MAX_WORDS = 300, 900
MIN_SOURCES = 2
MAX_MEDIAN_GRADE, MAX_PAGE_GRADE = 9.0, 11.0

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")

# A dose, a dose unit after a number, or an instruction to take a number of pills.
_DOSING = re.compile(
    r"""
      \b\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|milligrams?|micrograms?|grams?)\b
    | \b\d+(?:[.,]\d+)?\s*g\s*/\s*kg\b
    | \bmg\s*(?:/|per)\s*(?:kg|kilogram|day|dose|week)\b
    | \b\d+(?:[.,]\d+)?\s*(?:international\s+)?(?:units?|IU)\s+(?:per|/|a|each)\b
    | \btake\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|half\s+a)\s+
        (?:tablets?|pills?|capsules?|doses?|shots?|injections?)\b
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Page furniture of the website the seed page was copied from.
FURNITURE = (
    "Alikes with",
    "Learn from others",
    "Thank you! Your submission",
    "100% Free",
    "Find people who are",
    "This is not a substitute for professional medical advice",
)

# Distinctive sentences of the original seed article that must survive in the seed page.
SEED_KEY_SENTENCES = (
    "The condition is characterized by signs of necrosis, or cell death, in the muscles, "
    "which causes weakness and fatigue.",
    "Due to the rarity of immune-mediated necrotizing myopathy (IMNM), diagnosis and treatment "
    "are usually managed by a specialty center with experience in diagnosing and treating "
    "inflammatory myopathies and may include rheumatologists, neurologists, and neuromuscular "
    "specialists.",
    "With IMNM, the EMG may show an irritable myopathy pattern as with other inflammatory myopathies.",
    "The muscle biopsy is important for a diagnosis of IMNM, especially when the antibodies "
    "(HMGCR and SRP) are negative.",
)
SEED_SECTIONS = (
    "What is it?",
    "Signs & symptoms",
    "Clinical and Physical Exam",
    "Blood Testing",
    "EMG and Nerve Conduction Study",
    "MRI",
    "Muscle Biopsy",
    "Treatment",
    "Causes",
    "When to get help",
    "Corrections",
)
# Every sentence of the original article that the seed page no longer carries word for word, by its
# opening words, with the reason. The page's "Corrections" section and corpus/README.md say the same.
SEED_CORRECTED = {
    "As with other types of myositis, there is no known cause or cure": "error: statins are a known "
    "trigger of anti-HMGCR myopathy; the cause is now in a Causes section",
    "However, treatments are available": "stands alone: 'However' removed, subject named",
    "Weakness in the muscles closest to the center of the body, such as the forearms": "error: the "
    "forearms are distal, not proximal; upper arms listed instead",
    "This may be in coordination with a primary care physician": "stands alone: subject named",
    "Therefore, you may also see a physical therapist": "stands alone: reason named instead of 'Therefore'",
    "A complete medical and family history is important in helping to diagnosis": "typo: 'diagnose'",
    "We suggest writing a detailed medical and family history": "the website's voice ('We'); the "
    "same advice is on preparing-for-appointments",
    "Your doctor will choose the weakest muscle": "error: badly damaged muscle may show only "
    "end-stage change; a weak but not badly wasted muscle is chosen (as on muscle-biopsy, muscle-mri)",
    "Such as with statins, it was once thought": "garbled: rewritten to name statin-triggered IMNM",
    "However, in recent years it has become recognized": "stands alone, and names the statin",
    "There are no FDA approved therapies for IMNM or any of the inflammatory myopathies": "error: an "
    "IVIG product is FDA approved for adult dermatomyositis (2021); corticosteroids are labelled for it",
    "Patients use off-label medications with very little science behind them": "overstated: "
    "off-label treatment of IMNM is standard care backed by studies and guidelines",
    "These are a few standard medications": "stands alone: the medicines are named",
    "There are no FDA approved therapies for IMNM, aside from steroids": "imprecise and repeated: "
    "steroids are not approved for IMNM itself; replaced by the corrected FDA paragraph",
}
# Lines of the original web page that were never part of the article.
_SEED_FURNITURE_LINES = (
    "who are experiencing",
    "Necrotizing autoimmune myopathy.",
    "Alike Wisdom",
    "Instantly get answers",
    "Learn more about our editorial",
    "medical reality",
    "experiencing a similar",
)


@dataclass(frozen=True)
class Page:
    path: Path
    meta: dict[str, Any]
    body: str

    @property
    def slug(self) -> str:
        return self.path.stem

    @property
    def prose(self) -> str:
        return plain_text(self.body)


@cache
def load_page(path: Path) -> Page:
    text = path.read_text(encoding="utf-8")
    match = _FRONT_MATTER.match(text)
    assert match, f"{path.name}: no YAML front matter between '---' lines at the top of the file"
    meta = yaml.safe_load(match.group(1))
    assert isinstance(meta, dict), f"{path.name}: front matter is not a YAML mapping"
    return Page(path, meta, text[match.end() :])


def pages() -> list[Page]:
    return [load_page(p) for p in PAGE_PATHS]


def headings(body: str) -> list[tuple[int, int, str]]:
    """(line number, level, text) of every Markdown heading in `body`."""
    found = []
    for number, line in enumerate(body.splitlines(), start=1):
        match = _HEADING.match(line)
        if match:
            found.append((number, len(match.group(1)), match.group(2).strip()))
    return found


def normalize_space(text: str) -> str:
    return " ".join(text.split())


def by_page(test: Any) -> Any:
    return pytest.mark.parametrize("path", PAGE_PATHS, ids=[p.stem for p in PAGE_PATHS])(test)


def test_corpus_has_pages() -> None:
    assert len(PAGE_PATHS) >= 2, f"expected the corpus pages in {CORPUS}"
    assert (CORPUS / f"{SEED}.md") in PAGE_PATHS


# --- front matter -------------------------------------------------------------------------------


@by_page
def test_front_matter_is_complete_and_valid(path: Path) -> None:
    page = load_page(path)
    fm = FrontMatter.model_validate(page.meta)  # raises with the field and the reason
    required = ("title", "aliases", "summary", "reviewed", "sources", "kind")
    missing = [f for f in required if page.meta.get(f) in (None, "", [])]
    assert not missing, f"{path.name}: front matter lacks {missing}"
    assert fm.kind == "editorial", f"{path.name}: kind must be 'editorial'"
    assert fm.summary and fm.summary.strip()
    assert len(fm.sources) >= MIN_SOURCES, f"{path.name}: needs at least {MIN_SOURCES} sources"


@by_page
def test_section_questions_cover_the_page_and_name_its_headings(path: Path) -> None:
    page = load_page(path)
    questions: dict[str, list[str]] = page.meta.get("questions") or {}
    names = {h for _, _, h in headings(page.body)}
    top = {h for _, level, h in headings(page.body) if level == 2}
    assert set(questions) <= names, f"{path.name}: questions for headings it lacks"
    assert len(set(questions) & top) >= len(top) - 1, f"{path.name}: sections without questions"
    listed = [normalize_space(q).lower() for qs in questions.values() for q in qs]
    assert len(listed) == len(set(listed)), f"{path.name}: a question is listed twice"


def test_section_questions_copy_no_test_question() -> None:
    """The questions retrieval matches against are the team's; none may be a test question."""
    from eval.datasets import SUITES, load_dataset

    listed = {
        normalize_space(q).lower().rstrip("?. ")
        for page in pages()
        for qs in (page.meta.get("questions") or {}).values()
        for q in qs
    }
    assert len(listed) > 1000
    for name, suite in SUITES.items():
        if not suite.path.is_file():
            continue
        asked = {normalize_space(c.question).lower().rstrip("?. ") for c in load_dataset(suite.path).cases}
        assert not (listed & asked), f"{name}: {sorted(listed & asked)[:3]}"


@by_page
def test_source_urls_are_https_with_a_host(path: Path) -> None:
    for source in load_page(path).meta["sources"]:
        url = str(source["url"])
        parts = urlsplit(url)
        assert parts.scheme == "https", f"{path.name}: {url} is not https"
        assert parts.hostname and "." in parts.hostname, f"{path.name}: {url} has no host"
        assert not re.search(r"\s", url), f"{path.name}: {url} contains whitespace"


def test_titles_and_aliases_are_unique_across_pages() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for page in pages():
        names = [page.meta["title"], *page.meta.get("aliases", [])]
        for name in names:
            owners[str(name).strip().casefold()].add(page.slug)
    clashes = {name: sorted(slugs) for name, slugs in owners.items() if len(slugs) > 1}
    assert not clashes, f"a title or alias names more than one page: {clashes}"


# --- body structure -----------------------------------------------------------------------------


@by_page
def test_no_h1_in_body(path: Path) -> None:
    h1 = [text for _, level, text in headings(load_page(path).body) if level == 1]
    assert not h1, f"{path.name}: the title lives in the front matter; remove '# {h1[0]}'"


@by_page
def test_no_empty_sections(path: Path) -> None:
    lines = load_page(path).body.splitlines()
    found = headings(load_page(path).body)
    for number, level, text in found:
        rest = [line for line in lines[number:] if line.strip()]
        nxt = _HEADING.match(rest[0]) if rest else None
        empty = not rest or (nxt is not None and len(nxt.group(1)) <= level)
        assert not empty, f"{path.name}: section {text!r} (line {number}) has no text under it"


@by_page
def test_body_length(path: Path) -> None:
    page = load_page(path)
    words = len(page.prose.split())
    assert words <= MAX_WORDS, f"{path.name}: {words} words; split the page (max {MAX_WORDS})"
    if page.slug != SEED:
        assert words >= MIN_WORDS, f"{path.name}: {words} words; at least {MIN_WORDS} needed"


# --- content rules ------------------------------------------------------------------------------


@by_page
def test_no_personal_dosing(path: Path) -> None:
    page = load_page(path)
    text = " ".join([str(page.meta.get("summary", "")), page.prose])
    hits = [m.group(0) for m in _DOSING.finditer(text)]
    assert not hits, f"{path.name}: looks like dosing advice: {hits}; say the doctor decides"


@by_page
def test_no_website_furniture(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [s for s in FURNITURE if s.casefold() in text.casefold()]
    assert not found, f"{path.name}: remove page furniture from the original website: {found}"


def test_reading_grade(capsys: pytest.CaptureFixture[str]) -> None:
    grades = {page.slug: reading_grade(page.prose) for page in pages()}
    median = statistics.median(grades.values())
    with capsys.disabled():
        print(f"\n{'page':<42} {'words':>5} {'FK grade':>8}")
        for page in pages():
            note = "  (seed: original wording, corrections listed)" if page.slug == SEED else ""
            words = len(page.prose.split())
            print(f"{page.slug:<42} {words:>5} {grades[page.slug]:>8.1f}{note}")
        print(f"{'median':<42} {'':>5} {median:>8.1f}   max {max(grades.values()):.1f}")
    assert median <= MAX_MEDIAN_GRADE, f"median Flesch-Kincaid grade {median:.1f}"
    too_hard = {
        slug: round(grade, 1) for slug, grade in grades.items() if grade > MAX_PAGE_GRADE and slug != SEED
    }
    assert not too_hard, f"pages above grade {MAX_PAGE_GRADE}: {too_hard}; shorten sentences"


# --- the seed page ------------------------------------------------------------------------------


def original_article_sentences(text: str) -> list[str]:
    """The sentences of the original article, without the website's furniture and with the
    run-in sub-headings ("Blood Testing- Your doctor ...") split off."""
    from ingest.chunking import split_sentences

    article = text.split("\u261d", 1)[0]  # the pointing-finger disclaimer starts the furniture
    sentences = []
    for block in re.split(r"\n\s*\n", article):
        if any(f.casefold() in block.casefold() for f in (*FURNITURE, *_SEED_FURNITURE_LINES)):
            continue
        for line in block.splitlines():
            line = re.sub(r"^\*\s+", "", line.strip())
            line = re.sub(r"^[A-Z][^.]{2,60}?- (?=[A-Z])", "", line)
            line = re.sub(r"(?<=[a-z])\.(?=[A-Z])", ". ", line)  # "appointments.The physical"
            sentences += [normalize_space(line[a:b]) for a, b in split_sentences(line)]
    return [s for s in sentences if s]


def test_seed_original_is_kept_unchanged() -> None:
    assert SEED_KEPT.is_file(), f"keep the original article, unchanged, at {SEED_KEPT}"
    if not SEED_ORIGINAL.is_file():
        pytest.skip(f"product's original seed article not found at {SEED_ORIGINAL}; cannot compare")
    assert SEED_KEPT.read_bytes() == SEED_ORIGINAL.read_bytes(), (
        f"{SEED_KEPT} differs from the product's original {SEED_ORIGINAL}; restore it byte for byte "
        "(corrections belong in the indexed page, never in the kept original)"
    )


def test_originals_are_not_indexed() -> None:
    from ingest.loaders import load_sources

    result = load_sources([CORPUS], max_document_bytes=5_000_000)
    paths = [Path(d.path) for d in result.docs]
    assert not [p for p in paths if "originals" in p.parts], "corpus/originals/ must not be indexed"
    assert len(result.docs) == len(PAGE_PATHS)


def test_every_change_to_the_seed_is_listed() -> None:
    page = normalize_space(plain_text(load_page(CORPUS / f"{SEED}.md").body))
    original = original_article_sentences(SEED_KEPT.read_text(encoding="utf-8"))
    assert len(original) > 30, "could not read the original article's sentences"
    unlisted = [s for s in original if s not in page and not any(s.startswith(key) for key in SEED_CORRECTED)]
    assert not unlisted, (
        f"{SEED}.md changed these original sentences without listing why in SEED_CORRECTED "
        f"(and in the page's Corrections section and corpus/README.md): {unlisted}"
    )
    stale = [key for key in SEED_CORRECTED if not any(s.startswith(key) for s in original)]
    assert not stale, f"SEED_CORRECTED lists text that is not in the original: {stale}"
    still_there = [key for key in SEED_CORRECTED if key in page]
    assert not still_there, f"corrected text is still on the seed page: {still_there}"


def test_seed_keeps_key_sentences_verbatim() -> None:
    body = normalize_space(load_page(CORPUS / f"{SEED}.md").body)
    missing = [s for s in SEED_KEY_SENTENCES if normalize_space(s) not in body]
    assert not missing, f"{SEED}.md changed sentences of the original article: {missing}"


def test_seed_key_sentences_come_from_the_original() -> None:
    original = normalize_space(SEED_KEPT.read_text(encoding="utf-8"))
    assert all(normalize_space(s) in original for s in SEED_KEY_SENTENCES)


def test_seed_has_its_sections() -> None:
    found = {text for _, _, text in headings(load_page(CORPUS / f"{SEED}.md").body)}
    # "MRI (Magnetic Resonance Imaging)" counts as "MRI".
    found |= {re.sub(r"\s*\([^)]*\)$", "", text) for text in found}
    missing = [s for s in SEED_SECTIONS if s not in found]
    assert not missing, f"{SEED}.md lacks the sections {missing}"


# --- the readability helper ---------------------------------------------------------------------


def test_plain_text_strips_markdown() -> None:
    page = (
        "---\ntitle: T\n---\n\n## What is it?\n\n- A [CK test](https://example.org) is "
        "**simple**.\n1. Second item.\n"
    )
    assert plain_text(page) == "What is it?\n\nA CK test is simple.\nSecond item."


def test_reading_grade_never_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    import nltk

    def no_network(*args: object, **kwargs: object) -> bool:
        raise AssertionError("textstat asked NLTK to download cmudict")

    def not_installed(*args: object, **kwargs: object) -> None:
        raise LookupError("cmudict")

    monkeypatch.setattr(nltk, "download", no_network)
    monkeypatch.setattr(nltk.data, "find", not_installed)
    easy = reading_grade("The cat sat on the mat. The dog ran to the park.")
    hard = reading_grade("Immunosuppressive medications occasionally precipitate opportunistic infections.")
    assert easy < 3 < hard


# --- sentences that stand alone -----------------------------------------------------------------

# A sentence that leans on the one before (ingest.text.leans_on_previous: "This", "It", "However",
# "For example", "Tell the doctor if you do.") cannot be quoted alone. Name the subject instead, or
# fold the example into the sentence it illustrates.
# Sentences allowed to open that way, because they read clearly alone. Keep the list below 1 % of
# the library's sentences; every entry is (page slug, the sentence's opening words).
ANAPHOR_ALLOWED: tuple[tuple[str, str], ...] = ()
MAX_ANAPHOR_SHARE = 0.01


def page_sentences(page: Page) -> list[str]:
    """The body's sentences as the index splits them; headings and list lead-ins (ending in ':')
    are not quoted alone and are left out."""
    from ingest.chunking import split_sentences

    body = "\n".join(line for line in page.body.splitlines() if not _HEADING.match(line))
    text = plain_text(body)
    found = (normalize_space(text[a:b]) for a, b in split_sentences(text))
    return [s for s in found if s and not s.endswith(":")]


def test_sentences_stand_alone() -> None:
    total, opening = 0, []
    for page in pages():
        for sentence in page_sentences(page):
            total += 1
            if leans_on_previous(sentence):
                opening.append((page.slug, sentence))
    allowed = [
        (slug, s) for slug, s in opening if any(slug == a and s.startswith(o) for a, o in ANAPHOR_ALLOWED)
    ]
    unlisted = [f"{slug}: {s}" for slug, s in opening if (slug, s) not in allowed]
    assert not unlisted, (
        "these sentences lean on the one before; name the subject (or fold 'For example' into the "
        "sentence it illustrates):\n" + "\n".join(unlisted)
    )
    assert len(ANAPHOR_ALLOWED) <= MAX_ANAPHOR_SHARE * total, (
        f"{len(ANAPHOR_ALLOWED)} allowed anaphoric openings is more than {MAX_ANAPHOR_SHARE:.0%} "
        f"of {total} sentences"
    )
    stale = [
        o for o in ANAPHOR_ALLOWED if not any(o[0] == slug and s.startswith(o[1]) for slug, s in opening)
    ]
    assert not stale, f"ANAPHOR_ALLOWED lists sentences that no longer exist: {stale}"


def test_anaphor_check_catches_dependent_sentences() -> None:
    for bad in (
        "This is why CK rises.",
        "For example, IBM affects the thighs.",
        "After that, it heals.",
        "However, steroids help.",
        "Also call 911 for chest pain.",
        "Tell the doctor if you do.",
        "It can take months.",
    ):
        assert leans_on_previous(bad), bad
    for good in (
        "Thighs are often weak.",
        "Itching can be a sign of dermatomyositis.",
        "Other medicines, such as methotrexate, may be added.",
        "Therapists help.",
        "Tell the doctor if you take a blood thinner.",
        "It is important to rest after a biopsy.",
    ):
        assert not leans_on_previous(good), good


# --- red flags on every clinical page -----------------------------------------------------------

# Headings that mark a condition, test or treatment page (corpus/README.md, "Section headings").
_CLINICAL_HEADINGS = {
    "Signs & symptoms",
    "Causes",
    "Why is it done?",
    "Results",
    "Why is it used?",
    "How is it given?",
    "Side effects and what to watch for",
    "Treatment",
}


@by_page
def test_clinical_pages_say_when_to_get_help(path: Path) -> None:
    found = {text for _, _, text in headings(load_page(path).body)}
    if not found & _CLINICAL_HEADINGS:
        pytest.skip("not a condition, test or treatment page")
    assert "When to get help" in found, f"{path.name}: add a 'When to get help' section with its red flags"
    section = load_page(path).body.split("## When to get help", 1)[1].split("\n## ", 1)[0]
    assert re.search(r"\b(?:911|emergency room|care team|doctor)\b", section), (
        f"{path.name}: 'When to get help' should say whom to call (911, the emergency room, the care team)"
    )
