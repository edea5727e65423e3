"""When to abstain: a small logistic model over generic evidence features.

The features describe how well the retrieved passages cover the question and mean the same for
a 40-page library and a 5,000-page one (no corpus statistics): the best passage and sentence
similarity, whether the question names a page among the hits, and the share of the question's
terms (stemmed, stop words removed) that occur in the passages and their titles. A question about
a topic the library lacks usually keeps its key term (the disease or drug name) outside every
passage, even when the passages are about a neighbouring topic and read fluently.

The coefficients live in `abstention.json` next to this module, fitted by
scripts/calibrate_abstention.py on ../shared/data/medquad/dev (answerable vs unanswerable
questions, split by topic); the intercept is shifted so that a score of 0.5 is the calibrated
decision point, and `WISDOM_ABSTENTION__MIN_CONFIDENCE` moves it.

When the pipeline consults the model, and the similarity floors below it, are the knobs of
`AbstentionConfig` (`WISDOM_ABSTENTION__<NAME>`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ingest.text import bm25_query_tokens
from qa_service.answer.expansion import lay_phrases, lay_terms
from qa_service.answer.retrieval import Hit, Retrieval

if TYPE_CHECKING:
    from ingest.index import IndexVersion

MODEL_FILE = "abstention.json"


class AbstentionConfig(BaseModel):
    """Abstention knobs: `WISDOM_ABSTENTION__<NAME>` in the environment."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_similarity: float = Field(
        0.45,
        description="Floor: abstain when no passage's cosine similarity to the question reaches this.",
    )
    small_library_min_similarity: float = Field(
        0.35,
        description="In a library smaller than model_min_documents, where the floors decide alone, a "
        "question whose best passage reaches this but not min_similarity is still answered when its best "
        "sentence reaches small_library_min_sentence_score: a patient's words ('what can I ask my boss "
        "for?', 'mechanics hands') sit far from the page's whole passage while one of its sentences "
        "answers. Not for a referral's information. 1: off.",
    )
    small_library_min_sentence_score: float = Field(
        0.56,
        description="The best sentence's floor for a question let through by small_library_min_similarity. "
        "Round 16, on 26 spent blind sets (1,716 answerable, 260 not): abstained on answerable 0.026 -> "
        "0.022, unanswerable abstained 183 -> 183 (none of the 260 has a sentence above 0.49 there); 0.5 "
        "answered 'What is the treatment for glaucoma?' from the steroid page's glaucoma warning.",
    )
    min_sentence_score: float = Field(
        0.50, description="Floor: abstain when no sentence scores at least this against the question."
    )
    on_unknown_terms: bool = Field(
        False,
        description="Abstain when the question asks about something the library never mentions (a "
        "word found in no passage, not chatter, not a misspelling of a library word). Off: on blind "
        "patient questions it abstained on 24 % of answerable ones (their words are not the library's).",
    )
    unknown_in_remarks: bool = Field(
        False,
        description="Read the unknown-word checks above in a closing remark that is not a question too, "
        "when a question before it names things of its own ('What side effects should I expect from "
        "IVIG? Someone on a forum said the headaches are brutal.'). Off: only the questions are read "
        "then (expansion.asked_part).",
    )
    rare_unknown_zipf: float = Field(
        4.5,
        ge=0.0,
        le=8.0,
        description="Abstain when a word the library never mentions (as for on_unknown_terms; the "
        "questions its pages list per section count as mentions) is also rare in general English: "
        "its Zipf frequency (wordfreq) is below this, and it is not an inflected or describing form "
        "(-ed, -ing, -ly, -er, -able, -ful, -ous, -less). Such a word names something specific the "
        "library lacks ('tofacitinib', "
        "'acupuncture', 'epidural'), where patients' everyday words ('lazy', 'wedding') are common. "
        "Round 6, with emotional, hedging and everyday chat words counted as chatter: on 13 earlier "
        "blind sets, 4.5 abstained on 41 of 130 unanswerable questions against 28 at 3.5 (tattoos, "
        "stem cell transplant, massage, gluten-free diets), and on 3.6 % of 858 answerable ones "
        "against 3.5 %; 5.0 abstained on 0.5 % more answerable for 2 more unanswerable. 0: off.",
    )
    min_question_similarity: float = Field(
        0.7,
        ge=0.0,
        le=1.0,
        description="In a library whose pages list the questions each section answers, a question "
        "this close (cosine) to one listed by a page the question names clears the similarity floors "
        "above ('grapefruit juice on tacrolimus?'). Round 9, on 17 spent blind sets (1,188 answerable, "
        "180 not): abstained on answerable 4.0 % -> 3.2 %, unanswerable abstained 112 -> 112. Any "
        "page's listed question (round 5) also answered 'What is the treatment for glaucoma?' from a "
        "steroid page's listed 'can steroids cause glaucoma?'; 1 turns it off.",
    )
    min_confidence: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Above the floors, answer only when the calibrated abstention model's score "
        "reaches this (qa_service/answer/abstention.json, fitted by scripts/calibrate_abstention.py); "
        "higher abstains more.",
    )
    model_min_documents: int = Field(
        1000,
        ge=0,
        description="Use the abstention model only in libraries of at least this many pages (it was "
        "calibrated on 5,322); smaller libraries use the floors alone.",
    )


FEATURES: tuple[str, ...] = (
    "cos_max",  # highest cosine similarity of a retrieved passage to the question
    "cos_top",  # cosine of the first-ranked passage
    "sentence_best",  # best extractive sentence score (generate.ExtractiveGenerator.candidates)
    "title_named",  # 1 if the question names (title or alias) a page among the hits
    "cover_top",  # share of the question's terms found in the first passage (with its title)
    "cover_hits",  # … found in any retrieved passage (with titles)
    "cover_titles",  # … found in the titles and section headings of the hits
    "log_terms",  # log(1 + number of distinct question terms)
)


def _stems(text: str) -> set[str]:
    return set(bm25_query_tokens(text))


def _share(terms: set[str], found: set[str]) -> float:
    return len(terms & found) / len(terms) if terms else 0.0


def features(retrieval: Retrieval, sentence_best: float, question: str | None = None) -> dict[str, float]:
    """The FEATURES of one question's retrieval (`question`: the text whose terms count; by
    default the rewritten question, without the retrieval-only expansion terms)."""
    hits: Sequence[Hit] = retrieval.hits
    terms = _stems(question if question is not None else retrieval.expansion.text)
    out = dict.fromkeys(FEATURES, 0.0)
    out["log_terms"] = math.log1p(len(terms))
    if not hits:
        return out
    titles = {h.chunk.title for h in hits}
    per_hit = [_stems(f"{h.chunk.title}\n{h.chunk.section}\n{h.chunk.text}") for h in hits]
    out["cos_max"] = max(h.dense_score for h in hits)
    out["cos_top"] = hits[0].dense_score
    out["sentence_best"] = sentence_best
    out["title_named"] = float(any(t in titles for t in retrieval.expansion.matched_titles))
    out["cover_top"] = _share(terms, per_hit[0])
    out["cover_hits"] = _share(terms, set().union(*per_hit))
    out["cover_titles"] = _share(terms, _stems(" ".join(f"{h.chunk.title} {h.chunk.section}" for h in hits)))
    return out


# Words of patients' chatter that a library of condition pages need not contain: a question is not
# unanswerable because the library never says "wondering" or "okay".
_CHATTER_WORDS = """
    okay ok hi hello hey thanks thank please pls wondering wonder worried worry scared asking anyone
    someone somebody anything something everything really actually basically dont doesnt didnt isnt
    wasnt hasnt havent cant wont wouldnt couldnt shouldnt monday tuesday wednesday thursday friday
    saturday sunday honestly pretty quite just still even ever never always maybe perhaps probably
    sure yeah yes dad mom mum mother father husband wife partner son daughter kid kids child
    children baby brother sister friend grandma grandpa grandmother grandfather aunt uncle family
    mine myself yourself ourselves themselves guys folks lately recently today tomorrow yesterday
    week weeks month months year years morning night evening weekend time times day days thing
    things stuff lot lots bit little much many every each other another else know think thought feel
    felt want wanted need needed tried trying going gonna wanna gotta told tell says said asked mean
    means meant heard read seen look looks looked seem seems doctor doctors nurse question questions
    answer wrong right good bad better worse best worst normal weird strange fine bother bothering
    happen happens happened poke pokes poking
    supposed somehow doubt sooner later beforehand afterwards forth irrelevant commenting reluctant
    literally totally seriously genuinely terrified terrifies frightened panic panicking panicked
    freaking freaked freak anxious nervous paranoid upset crying cried lazy crazy stupid silly gross
    horror horrible awful terrible rotten nice lovely annoying annoyed frustrated fed swears swear
    lunch breakfast dinner tea slept asleep awake miles hours minutes ages earth googling googled
    google online internet facebook forum group groups reddit youtube tiktok instagram eldest
    youngest oldest middle miserable unhappy sad gutted grumpy weirdly glad happy scary hate hating
    hated love loved sucks rubbish dreadful embarrassed embarrassing ashamed grim bleak gloomy
    mates mate pals
    grandchildren grandchild grandkids grandkid grandson granddaughter grandsons granddaughters nan
    nana nanna gran granny grandad grandparents drag drags dragging dragged
"""
CHATTER = frozenset(_CHATTER_WORDS.split())


def unknown_terms(
    question: str, has_term: Callable[[str], bool], like: Callable[[str], list[str]]
) -> list[str]:
    """The question's words that nothing in the library mentions, neither as written, nor through
    the patients'-words vocabulary, nor as a misspelling of a library word: "Is the keto diet good
    for myositis?" → ["keto"]. Chatter (CHATTER) and short words never count, except three-letter
    words in capitals ("is CBD oil ok?" → ["CBD"])."""
    out: list[str] = []
    # A word of a patients' phrase the vocabulary maps ("won't pile the weight on") is known.
    phrased = {w.lower() for phrase in lay_phrases(question) for w in phrase.split()}
    for found in dict.fromkeys(re.findall(r"[A-Za-z][A-Za-z0-9'’-]*[A-Za-z0-9]", question)):
        if found.lower() in phrased:
            continue
        word = re.sub(r"(.)\1{2,}", r"\1", re.sub(r"['’]s$", "", found))  # "sooo" is "so"
        short = len(word) < 4 and not (len(word) == 3 and word.isupper())  # "CBD", "HRT" count
        if short or word.lower() in CHATTER or word.lower().rstrip("s") in CHATTER:
            continue
        stems = bm25_query_tokens(word)
        if not stems or all(has_term(t) for t in stems):
            continue
        if any(has_term(t) for s in lay_terms(word) for t in bm25_query_tokens(s)):
            continue
        if all(has_term(t) or (len(t) >= 5 and like(t)) for t in stems):
            continue
        out.append(found)
    return out


def misspelt_in(version: IndexVersion) -> Callable[[str], list[str]]:
    """The library's stems a question's stem may be a misspelling of (`version.terms_like`): a
    long word may be two letters off ("myositus" for "myositis")."""
    return lambda token: version.terms_like(token, 0.8 if len(token) >= 8 else 0.85)


# Inflected and derived forms (-ed, -ing, -ly; adjectives in -able, -ful, -ous, -less...) describe;
# the thing the library lacks is named by a noun ("tofacitinib", "acupuncture").
_INFLECTED = re.compile(r"(ed|ing|ly|er|ers|able|ible|ful|ous|less)$")


def rare_terms(terms: Sequence[str], below: float) -> list[str]:
    """The `terms` (from unknown_terms) that are rare in general English: Zipf frequency (wordfreq,
    English) below `below`, not inflected forms of other words."""
    from wordfreq import zipf_frequency  # loads its word lists on first use

    return [t for t in terms if not _INFLECTED.search(t.lower()) and zipf_frequency(t.lower(), "en") < below]


@dataclass(frozen=True)
class AbstentionModel:
    """Logistic regression on standardised FEATURES; `score` is in (0, 1), answer at >= 0.5."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    meta: dict[str, Any]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AbstentionModel:
        """The model as abstention.json stores it; an unknown feature name is a ValueError, keys
        other than the numbers go to `meta`."""
        names = tuple(data["features"])
        unknown = set(names) - set(FEATURES)
        if unknown:
            raise ValueError(f"abstention model uses unknown features: {sorted(unknown)}")
        return cls(
            names,
            np.asarray(data["mean"], dtype=np.float64),
            np.asarray(data["scale"], dtype=np.float64),
            np.asarray(data["coef"], dtype=np.float64),
            float(data["intercept"]),
            {k: v for k, v in data.items() if k not in ("features", "mean", "scale", "coef", "intercept")},
        )

    def to_dict(self) -> dict[str, Any]:
        """The model as abstention.json stores it: `meta`, then the numbers rounded to six places."""
        return {
            **self.meta,
            "features": list(self.features),
            "mean": [round(float(x), 6) for x in self.mean],
            "scale": [round(float(x), 6) for x in self.scale],
            "coef": [round(float(x), 6) for x in self.coef],
            "intercept": round(self.intercept, 6),
        }

    def score(self, values: dict[str, float]) -> float:
        """The score of one question's feature `values` (one per name in `features`), in (0, 1)."""
        x = np.array([values[name] for name in self.features], dtype=np.float64)
        z = float(((x - self.mean) / self.scale) @ self.coef) + self.intercept
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


@cache
def default_model() -> AbstentionModel:
    """The model shipped in the package (qa_service/answer/abstention.json)."""
    text = resources.files("qa_service.answer").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return AbstentionModel.from_dict(json.loads(text))
