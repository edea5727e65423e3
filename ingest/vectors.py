"""Vector arithmetic shared by the embedder, the ONNX export's check and the embedding-path probe:
torch's token vectors, mean pooling, L2 normalisation, and the digest of a model's weights."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np


def torch_forward(model: Any, inputs: dict[str, np.ndarray]) -> np.ndarray:
    """Token vectors (batch, tokens, dim), float32, from a transformers model in torch."""
    import torch

    with torch.inference_mode():
        hidden = model(**{k: torch.from_numpy(v) for k, v in inputs.items()}).last_hidden_state
        result: np.ndarray = hidden.float().numpy()
    return result


def pooled(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of the token vectors under `mask` (batch, tokens, 1), L2-normalised: the text vectors."""
    return normalise((hidden * mask).sum(1) / np.maximum(mask.sum(1), 1))


def normalise(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (a zero row stays zero), float32."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    normalised: np.ndarray = (matrix / np.maximum(norms, 1e-12)).astype(np.float32)
    return normalised


@cache
def weights_sha256(path: str) -> str:
    """SHA-256 of a model folder's weight files (of the path itself when it has none)."""
    folder = Path(path)
    files = sorted(folder.glob("*.safetensors")) or sorted(folder.glob("pytorch_model*.bin"))
    if not files:
        return hashlib.sha256(path.encode()).hexdigest()
    digest = hashlib.sha256()
    for file in files:
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()
