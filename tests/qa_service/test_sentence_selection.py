"""The extractive generator's sentence choice: relevant, diverse, never the same sentence twice."""

from __future__ import annotations

from typing import Any, cast

import numpy as np

from qa_service.generate import Candidate, ExtractiveGenerator


def candidate(row: int, text: str, score: float, direction: int) -> Candidate:
    vector = np.zeros(8, dtype=np.float32)
    vector[direction] = 1.0
    return Candidate(row, cast(Any, None), row, 0, len(text), text, vector, score, False, False)


def test_the_same_sentence_from_two_pages_is_chosen_once() -> None:
    # Two sources carry the same sentence; in their own passages' context the sentence vectors
    # point different ways (orthogonal here), so only the wording shows they say the same.
    generator = ExtractiveGenerator(cast(Any, None))
    copied = "Diagnosis is based on a person's medical history and a neurological examination."
    chosen = generator._select(
        [
            candidate(0, copied, 0.9, 0),
            candidate(1, "  " + copied.replace(" a neurological", "  a Neurological"), 0.85, 1),
            candidate(2, "There are no blood tests that confirm the disease in most people.", 0.8, 2),
        ]
    )
    assert [c.row for c in chosen] == [0, 2]
