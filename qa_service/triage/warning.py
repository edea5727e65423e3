"""The learned warning-sign head: does a message that is not an emergency still name a warning sign
(so its reply carries the safety-net line, "if this is happening now or getting worse, call …")?

The rules and the taxonomy's cue words (rules.net_cue, safety._sign_in) catch the words the team
has seen; this head catches the same signs in other words. It is a logistic regression over the
embedding model's vector of the whole message (the vector the triage classifier reads), trained
by scripts/train_warning.py on the spent blind sets: their near misses, each labelled by its
reviewer as naming a warning sign or not, and their patient questions about the library (none).
Two bars: the line joins an answer or a referral above `bar`, and an abstention above the lower
`bar_abstain` ("a warning sign never gets a bare abstain": there is no answer for the line to
crowd). The weights live in `warning.json` beside this module, with the embedding model they were
trained on; with another model the rules decide alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from qa_service.triage.model import packaged

MODEL_FILE = "warning.json"


@dataclass(frozen=True)
class WarningHead:
    """A logistic regression: probability that a message names a warning sign."""

    weights: np.ndarray  # (dim,)
    bias: float
    bar: float
    """Probability above which an answer or referral carries the safety-net line."""
    bar_abstain: float
    """Probability above which an abstention carries it."""
    model_id: str
    meta: dict[str, Any]

    def probability(self, vector: np.ndarray) -> float:
        """The probability for one message vector."""
        return float(1.0 / (1.0 + np.exp(-(float(vector @ self.weights) + self.bias))))

    def to_json(self) -> dict[str, Any]:
        """The head as plain numbers (warning.json)."""
        return {
            "model_id": self.model_id,
            "weights": [round(float(w), 7) for w in self.weights],
            "bias": self.bias,
            "bar": self.bar,
            "bar_abstain": self.bar_abstain,
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WarningHead:
        """The head from `to_json`'s form."""
        return cls(
            weights=np.asarray(data["weights"], dtype=np.float32),
            bias=float(data["bias"]),
            bar=float(data["bar"]),
            bar_abstain=float(data["bar_abstain"]),
            model_id=str(data["model_id"]),
            meta=dict(data.get("meta", {})),
        )


@cache
def default_warning_head() -> WarningHead | None:
    """The shipped head, or None when warning.json is absent (rules alone)."""
    data = packaged(MODEL_FILE)
    return None if data is None else WarningHead.from_json(data)
