"""Query rewriting before retrieval: spelling, abbreviations, corpus aliases, chat follow-ups."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Curated medical abbreviations → what they stand for (both directions are searched).
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "ck": ("creatine kinase", "CPK"),
    "cpk": ("creatine kinase", "CK"),
    "creatine kinase": ("CK", "CPK"),
    "creatine phosphokinase": ("CK", "CPK", "creatine kinase"),
    "imnm": ("immune-mediated necrotizing myopathy",),
    "nam": ("necrotizing autoimmune myopathy",),
    "ivig": ("intravenous immunoglobulin",),
    "emg": ("electromyography",),
    "ncs": ("nerve conduction study",),
    "mri": ("magnetic resonance imaging",),
    "ct": ("computed tomography",),
    "hrct": ("high-resolution CT", "chest CT"),
    "ild": ("interstitial lung disease",),
    "pft": ("pulmonary function test", "lung function test"),
    "pfts": ("pulmonary function tests", "lung function tests"),
    "ecg": ("electrocardiogram", "EKG"),
    "ekg": ("electrocardiogram", "ECG"),
    "dm": ("dermatomyositis",),
    "jdm": ("juvenile dermatomyositis",),
    "ibm": ("inclusion body myositis",),
    "sibm": ("sporadic inclusion body myositis",),
    "pm": ("polymyositis",),
    "asys": ("antisynthetase syndrome",),
    "ass": ("antisynthetase syndrome",),
    "hmgcr": ("anti-HMGCR", "HMG-CoA reductase"),
    "srp": ("anti-SRP", "signal recognition particle"),
    "mtx": ("methotrexate",),
    "mmf": ("mycophenolate mofetil", "CellCept"),
    "aza": ("azathioprine",),
    "pt": ("physical therapy",),
    "ot": ("occupational therapy",),
    "slp": ("speech-language pathologist",),
    "sob": ("shortness of breath",),
    "uti": ("urinary tract infection",),
    "copd": ("chronic obstructive pulmonary disease",),
    "ms": ("multiple sclerosis",),
    "als": ("amyotrophic lateral sclerosis",),
    "ra": ("rheumatoid arthritis",),
    "sle": ("systemic lupus erythematosus", "lupus"),
    "tb": ("tuberculosis",),
    "hiv": ("human immunodeficiency virus",),
    "statins": ("statin", "cholesterol medicine"),
    "prednisone": ("corticosteroid", "steroid"),
    "steroids": ("corticosteroids",),
}

# British → American spellings that matter for medical search.
_SPELLING: dict[str, str] = {
    "oesophagus": "esophagus", "oesophageal": "esophageal", "anaemia": "anemia",
    "anaemic": "anemic", "haemorrhage": "hemorrhage", "haemoglobin": "hemoglobin",
    "haematoma": "hematoma", "leukaemia": "leukemia", "oedema": "edema", "diarrhoea": "diarrhea",
    "paediatric": "pediatric", "paediatrician": "pediatrician", "orthopaedic": "orthopedic",
    "tumour": "tumor", "tumours": "tumors", "foetus": "fetus", "foetal": "fetal",
    "gynaecology": "gynecology", "haematology": "hematology", "oestrogen": "estrogen",
    "coeliac": "celiac", "dyspnoea": "dyspnea", "apnoea": "apnea", "behaviour": "behavior",
    "colour": "color", "centre": "center", "centres": "centers", "litre": "liter",
    "fibre": "fiber", "programme": "program", "ageing": "aging", "anaesthesia": "anesthesia",
    "anaesthetic": "anesthetic", "haemolytic": "hemolytic", "ischaemia": "ischemia",
    "ischaemic": "ischemic", "faeces": "feces", "hypoglycaemia": "hypoglycemia",
    "hyperglycaemia": "hyperglycemia", "glycaemic": "glycemic", "septicaemia": "septicemia",
    "myalgic": "myalgic", "tumor's": "tumor's", "labour": "labor", "favour": "favor",
    "recognise": "recognize", "recognised": "recognized", "specialise": "specialize",
    "immunisation": "immunization", "immunise": "immunize", "hospitalised": "hospitalized",
    "organisation": "organization", "paralysed": "paralyzed", "analyse": "analyze",
    "stabilise": "stabilize", "minimise": "minimize", "characterised": "characterized",
}  # fmt: skip
_ISE = re.compile(r"\b([a-z]+?)(is)(e|es|ed|ing|ation|ations)\b")
_ISE_STEMS = ("necrot", "immun", "organ", "hospital", "special", "recogn", "minim", "stabil")


def americanise(text: str) -> str:
    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        lower = word.lower()
        if lower in _SPELLING:
            repl = _SPELLING[lower]
            return repl.capitalize() if word[:1].isupper() else repl
        m = _ISE.fullmatch(lower)
        if m and m.group(1).startswith(_ISE_STEMS):
            repl = m.group(1) + "iz" + m.group(3)
            return repl.capitalize() if word[:1].isupper() else repl
        return word

    return re.sub(r"[A-Za-z']+", fix, text)


@dataclass(frozen=True)
class Expansion:
    text: str  # the rewritten question (spelling fixed, follow-up resolved)
    extra_terms: tuple[str, ...]  # added for retrieval only
    matched_titles: tuple[str, ...]  # corpus pages named by the question (alias or title)

    @property
    def retrieval_text(self) -> str:
        return " ".join([self.text, *self.extra_terms])


class AliasIndex:
    """Names of corpus pages (titles and aliases) → the titles of the pages that carry them.

    Names match whatever their case and possessive: an eponym is written both ways ("Parkinson's
    disease", "Parkinson disease"), and sources differ in which they use for the same condition."""

    def __init__(self, names: Iterable[tuple[str, str]]):
        self._names: dict[str, list[str]] = {}
        for name, title in names:
            key = _norm(name)
            if len(key) >= 2 and title not in self._names.setdefault(key, []):
                self._names[key].append(title)
        longest = sorted(self._names, key=len, reverse=True)
        self._pattern = (
            re.compile(r"\b(" + "|".join(re.escape(n) for n in longest) + r")\b") if longest else None
        )

    def find(self, text: str) -> list[str]:
        if self._pattern is None:
            return []
        seen: list[str] = []
        for match in self._pattern.finditer(_norm(text)):
            seen.extend(t for t in self._names[match.group(1)] if t not in seen)
        return seen


_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")


def _norm(text: str) -> str:
    text = _POSSESSIVE.sub("", text.lower())
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s'-]", " ", text)).strip()


_FOLLOW_UP = re.compile(
    r"^(and|also|what about|how about|so|then|but)\b|\b(it|its|it's|this|that|these|those|they|them|"
    r"their|the condition|the disease|the test|the medicine|the drug)\b",
    re.IGNORECASE,
)
_CONTENT_WORD = re.compile(r"[A-Za-z]{4,}")
_STOP = {
    "what", "when", "where", "which", "does", "have", "with", "that", "this", "there", "about",
    "should", "would", "could", "will", "they", "them", "their", "your", "from", "into", "also",
    "treated", "treat", "treatment", "cause", "causes", "symptoms", "signs", "diagnosed", "test",
    "tests", "long", "much", "many", "help", "make", "take", "like", "know", "tell", "more",
}  # fmt: skip


def is_follow_up(question: str) -> bool:
    words = [w.lower() for w in _CONTENT_WORD.findall(question)]
    topical = [w for w in words if w not in _STOP]
    return bool(_FOLLOW_UP.search(question)) and len(topical) <= 2


def expand(question: str, history: Sequence[tuple[str, str]], aliases: AliasIndex) -> Expansion:
    """Rewrite a question for retrieval. `history` is (role, content) pairs, oldest first."""
    text = americanise(question)
    extra: list[str] = []
    titles = aliases.find(text)
    if not titles and history and is_follow_up(text):
        # Walk back through the user's turns to the one that named the topic. A page it named is
        # the topic: its title is added, not the wording of earlier turns, which asked about
        # something else ("What are its side effects?" must not steer "And how is it given?").
        # Without a named page, the earlier turns' own words carry the topic.
        earlier_turns: list[str] = []
        for role, content in reversed(history):
            if role != "user":
                continue
            earlier = americanise(content)
            titles = aliases.find(earlier)
            if titles:
                break
            earlier_turns.append(earlier)
            if not is_follow_up(earlier):
                break
        if not titles:
            extra.extend(earlier_turns)
    lowered = _norm(text)
    for abbr, meanings in ABBREVIATIONS.items():
        if re.search(rf"\b{re.escape(abbr)}\b", lowered):
            extra.extend(m for m in meanings if m.lower() not in lowered)
    extra.extend(t for t in titles if _norm(t) not in lowered)
    return Expansion(text=text, extra_terms=tuple(dict.fromkeys(extra)), matched_titles=tuple(titles))
