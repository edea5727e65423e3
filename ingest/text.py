"""Text normalisation shared by indexing and querying (they must tokenise identically)."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

import bm25s
from bm25s.stopwords import STOPWORDS_EN

# bm25s.tokenize's defaults: scikit-learn's token pattern over lower-cased text.
_SPLIT = re.compile(r"(?u)\b\w\w+\b").findall
_STOPWORDS = frozenset(STOPWORDS_EN)
_local = threading.local()


@cache
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def bm25_tokenize(texts: Sequence[str]) -> Any:
    """bm25s tokens (ids + vocabulary) for indexing."""
    return bm25s.tokenize(list(texts), stopwords="en", stemmer=_stemmer(), show_progress=False)


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    # A PyStemmer object is not safe to share between threads: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        import Stemmer

        stemmer = _local.stemmer = Stemmer.Stemmer("english")
    return str(stemmer.stemWord(word))


def bm25_query_tokens(text: str) -> list[str]:
    """Stemmed terms of a query or sentence, as strings, exactly as `bm25_tokenize` makes them.

    The same steps as bm25s.tokenize without its per-call set-up (a progress bar object, a
    vocabulary): the service calls this for the question and for every candidate sentence."""
    return [_stem(t) for t in _SPLIT(text.lower()) if t not in _STOPWORDS]
