"""Text normalisation shared by indexing and querying (they must tokenise identically)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import bm25s


@cache
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def bm25_tokenize(texts: Sequence[str]) -> Any:
    """bm25s tokens (ids + vocabulary) for indexing."""
    return bm25s.tokenize(list(texts), stopwords="en", stemmer=_stemmer(), show_progress=False)


def bm25_query_tokens(text: str) -> list[str]:
    """Stemmed query terms, as strings, for a loaded BM25 index."""
    tokens = bm25s.tokenize([text], stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False)
    return list(tokens[0])
