"""Light normalisation of a patient's message before the safety rules read it.

People in distress type fast: "chest pian", "i cant breath", "sucidal", "pleeease help". The
rules in safety.py are written against clean lowercase text, so this module lowercases, unifies
apostrophes, restores the apostrophe of common contractions, collapses letters repeated three or
more times, and corrects near-misses of the few words the emergency rules depend on. Correction is
deliberately narrow: only words of five letters or more that are one edit (or one swap of
neighbouring letters) from a keyword with the same first letter, plus a short map of frequent
misspellings that the edit rule cannot reach. Real words that happen to sit one edit from a
keyword ("chess", "spelling") are listed in `_REAL_WORDS` and left alone.
"""

from __future__ import annotations

import re
from functools import cache

from wordfreq import zipf_frequency


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_KEYWORDS = _words(
    """
    chest pressure crushing heart attack racing pounding breathe breathing breath choking gasping
    wheezing suicide suicidal kill killing myself himself herself yourself overdose overdosed
    swallowed swallow poison poisoned bleach bleeding blood vomiting coughing unconscious
    unresponsive responding seizure seizures seizing fainted fainting drooping droopy slurred
    slurring speech swelling swollen throat tongue anaphylaxis anaphylactic allergic stroke
    numbness weakness urine racing dizzy lightheaded tablets pills capsules medicine medication
    methotrexate prednisone ibuprofen azathioprine mycophenolate acetaminophen tylenol statin
    suddenly sudden lethal alive wake waking sweating sweaty crushing emergency collapsed
    breathless hanging hurting cutting harming infusion rituximab
    """
)

# Frequent misspellings the one-edit rule cannot reach (short words, two edits, or a different
# first letter), and contractions typed without the apostrophe.
_TYPOS = {
    "pian": "pain",
    "pane": "pain",
    "paine": "pain",
    "chst": "chest",
    "chets": "chest",
    "hart": "heart",
    "brethe": "breathe",
    "breth": "breath",
    "brathe": "breathe",
    "breate": "breathe",
    "breating": "breathing",
    "sucide": "suicide",
    "sucidal": "suicidal",
    "suicdal": "suicidal",
    "suiside": "suicide",
    "suisidal": "suicidal",
    "kil": "kill",
    "myslef": "myself",
    "mysef": "myself",
    "overdoes": "overdose",
    "chestpain": "chest pain",
    "ovedose": "overdose",
    "ovrdose": "overdose",
    "od'd": "overdosed",
    "odd'd": "overdosed",
    "unconcious": "unconscious",
    "unconsious": "unconscious",
    "siezure": "seizure",
    "seizur": "seizure",
    "sezure": "seizure",
    "feinted": "fainted",
    "bledding": "bleeding",
    "bleading": "bleeding",
    "throte": "throat",
    "swolen": "swollen",
    "sweling": "swelling",
    "stroak": "stroke",
    "storke": "stroke",
    "stoke": "stroke",
    "urin": "urine",
    "pils": "pills",
    "cant": "can't",
    "cannt": "can't",
    "dont": "don't",
    "wont": "won't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "isnt": "isn't",
    "wasnt": "wasn't",
    "arent": "aren't",
    "couldnt": "couldn't",
    "wouldnt": "wouldn't",
    "shouldnt": "shouldn't",
    "havent": "haven't",
    "hasnt": "hasn't",
    "im": "i'm",
    "ive": "i've",
    "hes": "he's",
    "shes": "she's",
    "theres": "there's",
    "thats": "that's",
    "whats": "what's",
}

REAL_WORD_ZIPF = 2.0
"""A word at least this common in English (wordfreq's Zipf scale: 2 is about once in ten million
words) is a real word, never "corrected" into an emergency word ("overdone" is not "overdose")."""

# Real words one edit from a keyword that are rarer than REAL_WORD_ZIPF; not "corrected" either.
_REAL_WORDS = frozenset({"chocking", "dizzier"})

_KEYWORD_ORDER = tuple(sorted(_KEYWORDS))
_WORD = re.compile(r"[a-z][a-z']*")


def normalise(text: str) -> str:
    """Lowercase, single-spaced text with common typos of emergency words corrected."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"([a-z])\1{2,}", r"\1\1", text)
    text = _WORD.sub(lambda m: _fix(m.group(0)), text)
    return " ".join(text.split())


@cache
def _fix(word: str) -> str:
    if word in _TYPOS:
        return _TYPOS[word]
    if len(word) < 5 or word in _KEYWORDS or word in _REAL_WORDS:
        return word
    if zipf_frequency(word, "en") >= REAL_WORD_ZIPF:
        return word
    for keyword in _KEYWORD_ORDER:
        if keyword[0] == word[0] and abs(len(keyword) - len(word)) <= 1 and _one_edit(word, keyword):
            return keyword
    return word


def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by exactly one insertion, deletion, substitution or swap of two
    neighbouring letters."""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    if len(long_) - len(short) != 1:
        return False
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]
