"""A cheap check that a question is in English, the only language the library is written in."""

from __future__ import annotations

import re

# Common function words of Spanish, French, German, Portuguese and Italian, and of English.
_FOREIGN_WORDS = """
qué que es la el los las del y por para una cómo como cuál cuáles tengo mi mis síntomas tratamiento
enfermedad est et une pour avec je les des quels quelle sont maladie der die das und ist ich wie mit
was sind krankheit welche nicht não uma é os são doença quais com il che di sono come per della
malattia quali cosa
"""
_ENGLISH_WORDS = """
the is are what how can of and my i to a in with for does do it this that be should when why who
which have has will you your me
"""
_FOREIGN = set(_FOREIGN_WORDS.split())
_ENGLISH = set(_ENGLISH_WORDS.split())
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def looks_non_english(text: str) -> bool:
    """True when over 30 % of the letters of `text` are not Latin, or when, in three words or
    more, common Spanish, French, German, Portuguese or Italian words (two at least) outnumber
    the English ones."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    non_latin = sum(1 for c in letters if ord(c) > 0x24F)
    if non_latin / len(letters) > 0.3:
        return True
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 3:
        return False
    foreign = sum(1 for w in words if w in _FOREIGN)
    english = sum(1 for w in words if w in _ENGLISH)
    return foreign >= 2 and foreign > english
