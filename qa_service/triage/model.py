"""The learned part of safety triage: classifiers over the embedding model's vectors.

Two heads share the vectors. A binary head (`urgent_probability`) says whether a message (or one
clause of it) describes an emergency; it decides. Since round 8 it is the mean of two models
(`Network.blend`): a linear one and a network with one hidden layer (ReLU). The network alone
generalised better to writers never seen in training (two held-out team writers: 390 of 400
emergencies against 377, ordinary messages made urgent 14 of 600 against 24) but saturates on
emergency words in topic questions ("how is an overdose of prednisone treated?"); the mean kept
every emergency the linear head caught on the spent blind sets while making fewer ordinary
messages urgent there and on the blind answer sets. A multinomial head names the red-flag category of
prompts/triage_taxonomy.yaml, `refer` (a personal dose or medicine change) or `none`; it picks the
urgent message to show and refers medicine questions. (Summing the multinomial head's 21 urgent
classes instead over-rates clauses unlike anything in training: their probability spreads over
many classes and the sum looks urgent.) It was
trained by scripts/train_triage.py on the team's labelled patient messages
(scripts/triage_training/: several writers and registers, augmented with background sentences,
hedged closings, typos and third-person openers) and is stored as plain numbers in
`model.json` beside this module, with the embedding model it was trained on, its decision
thresholds and its held-out figures. The weights only mean something for that embedding model:
with another model the service runs the rules alone and logs why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

MODEL_FILE = "model.json"
NONE = "none"
REFER = "refer"


@dataclass(frozen=True)
class Thresholds:
    """The classifier's decision thresholds, stored with it in model.json."""

    urgent: float
    """The binary head's urgent probability on the whole message."""
    urgent_unit: float
    """The same on one sentence or clause (units are short, so the bar is higher)."""
    urgent_framed: float
    """The same on the whole message, when it asks about a topic or places the event in the past."""
    refer: float
    """`refer` probability on the whole message that refers a person's medicine question."""
    warning: float
    """Urgent probability above which a message that is not urgent gets the safety-net line."""


@dataclass(frozen=True)
class Network:
    """The binary head's second model: one hidden layer of ReLU units, then a logistic output.
    Its probability is mixed with the linear head's: `blend` * network + (1 - `blend`) * linear."""

    hidden_weights: np.ndarray  # (dim, hidden)
    hidden_bias: np.ndarray  # (hidden,)
    weights: np.ndarray  # (hidden,)
    bias: float
    blend: float

    def probability(self, vectors: np.ndarray) -> np.ndarray:
        """(n,) the network's own urgent probability for (n, dim) vectors."""
        hidden = np.maximum(vectors @ self.hidden_weights + self.hidden_bias, 0.0)
        return np.asarray(_sigmoid(hidden @ self.weights + self.bias))

    def to_json(self) -> dict[str, Any]:
        """The network as model.json stores it (under `gate_network`), numbers rounded to six places."""
        return {
            "blend": self.blend,
            "bias": round(float(self.bias), 6),
            "weights": [round(float(w), 6) for w in self.weights],
            "hidden_bias": [round(float(b), 6) for b in self.hidden_bias],
            "hidden_weights": [[round(float(w), 6) for w in row] for row in self.hidden_weights],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Network:
        """The network from model.json's `gate_network`."""
        return cls(
            hidden_weights=np.asarray(data["hidden_weights"], dtype=np.float32),
            hidden_bias=np.asarray(data["hidden_bias"], dtype=np.float32),
            weights=np.asarray(data["weights"], dtype=np.float32),
            bias=float(data["bias"]),
            blend=float(data["blend"]),
        )


def _sigmoid(logits: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-logits)))


@dataclass(frozen=True)
class TriageModel:
    """The triage classifier's two heads, the embedding model it was trained for and its thresholds."""

    classes: tuple[str, ...]
    weights: np.ndarray  # (classes, dim)
    bias: np.ndarray  # (classes,)
    gate_weights: np.ndarray  # (dim,)  binary head: urgent or not
    gate_bias: float
    model_id: str
    thresholds: Thresholds
    info: dict[str, Any]
    network: Network | None = None
    """The binary head's network, mixed with the linear gate (None: the linear gate alone)."""

    @property
    def urgent_classes(self) -> np.ndarray:
        """A mask of the classes that are urgent categories (all but `none` and `refer`)."""
        return np.array([c not in (NONE, REFER) for c in self.classes])

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """(n, classes) softmax probabilities for (n, dim) L2-normalised vectors."""
        logits = vectors.astype(np.float32) @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))

    def urgent_probability(self, vectors: np.ndarray) -> np.ndarray:
        """(n,) probability that each vector's text describes an emergency happening now."""
        x = vectors.astype(np.float32)
        linear = _sigmoid(x @ self.gate_weights + self.gate_bias)
        if self.network is None:
            return linear
        blend = self.network.blend
        return np.asarray(blend * self.network.probability(x) + (1.0 - blend) * linear)

    def to_json(self) -> dict[str, Any]:
        """The model as model.json stores it, numbers rounded to six places."""
        return {
            "model_id": self.model_id,
            "classes": list(self.classes),
            "thresholds": self.thresholds.__dict__,
            "info": self.info,
            "bias": [round(float(b), 6) for b in self.bias],
            "weights": [[round(float(w), 6) for w in row] for row in self.weights],
            "gate_bias": round(float(self.gate_bias), 6),
            "gate_weights": [round(float(w), 6) for w in self.gate_weights],
            **({"gate_network": self.network.to_json()} if self.network is not None else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TriageModel:
        """The model from the data of model.json."""
        return cls(
            classes=tuple(data["classes"]),
            weights=np.asarray(data["weights"], dtype=np.float32),
            bias=np.asarray(data["bias"], dtype=np.float32),
            gate_weights=np.asarray(data["gate_weights"], dtype=np.float32),
            gate_bias=float(data["gate_bias"]),
            model_id=str(data["model_id"]),
            thresholds=Thresholds(**data["thresholds"]),
            info=dict(data.get("info", {})),
            network=Network.from_json(data["gate_network"]) if "gate_network" in data else None,
        )


def packaged(name: str) -> dict[str, Any] | None:
    """A JSON file shipped beside this module (model.json, warning.json), or None when absent."""
    path = resources.files("qa_service.triage").joinpath(name)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


@cache
def default_model() -> TriageModel | None:
    """The shipped classifier, or None when model.json is absent (rules alone)."""
    data = packaged(MODEL_FILE)
    return None if data is None else TriageModel.from_json(data)


@dataclass(frozen=True)
class UnitScores:
    """The classifier's two heads on every unit of a message, computed once."""

    model: TriageModel
    urgent: np.ndarray  # (units,) binary head: an emergency happening now
    probs: np.ndarray  # (units, classes) multinomial head

    @classmethod
    def of(cls, model: TriageModel, vectors: np.ndarray) -> UnitScores:
        """Both heads on the units' (n, dim) vectors."""
        return cls(model, model.urgent_probability(vectors), model.probabilities(vectors))

    def category(self, i: int, but: str = "") -> str:
        """The most likely urgent category of unit i (other than `but`)."""
        masked = np.where(
            self.model.urgent_classes & (np.asarray(self.model.classes) != but), self.probs[i], -1.0
        )
        return self.model.classes[int(np.argmax(masked))]

    def next_category(self, but: str) -> str | None:
        """The whole message's most likely urgent category other than `but`, when the whole message
        is urgent; None when it is not (then a sentence alone made the call). Used for a "poisoning"
        call on a message that names nothing swallowed (rules.model_call_stands): "keeps coughing
        when she drinks" read one sentence as a child getting into something."""
        return self.category(0, but) if self.urgent[0] >= self.model.thresholds.urgent else None
