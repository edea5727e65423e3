"""Which embedding path `auto` means on this machine, chosen by measurement.

A CPU flag is a poor guide: on a 2-core AMD EPYC (Zen 5) with AVX-512 BF16 and VNNI, bf16 in
torch ingests 50.9 chunks/s where int8 in ONNX Runtime does 70.8 (scripts/bench_ingest.py, first
300 MedQuAD documents). So the first `auto` embedder on a machine embeds a fixed set of
chunk-sized texts with every path it may use, a few short rounds each, interleaved so a busy
neighbour slows them alike, and keeps the fastest whose text vectors stay within
`MIN_COSINE` of fp32's (the tolerance int8 meets with unchanged retrieval quality, README
Performance). The choice is written as JSON beside the exported graphs, keyed by CPU model,
flags, core count, model weights and library versions, and read back by every later process:
ingest and service agree without measuring again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import platform
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Protocol

import numpy as np

from ingest.onnx_export import INT8_MIN_COSINE

MIN_COSINE = INT8_MIN_COSINE
"""Smallest cosine between a path's text vectors and fp32's on the probe texts for it to be chosen."""
ROUNDS = 3
"""Rounds of the probe; each path's best round counts."""
ROUND_SECONDS = 0.4
"""Least time each path embeds in a round (it finishes the pass it is in)."""
PROBE_VERSION = "2"
"""Part of the cache key: a change to the probe measures again."""

log = logging.getLogger("wisdom.embedding")

_PARAGRAPH = (
    "Immune-mediated necrotizing myopathy (IMNM) is a rare disease of the muscles. It causes "
    "weakness in the muscles closest to the trunk: the hips, thighs, shoulders and upper arms. "
    "People with IMNM may find it hard to climb stairs, get up from a chair or lift objects over "
    "their head. A blood test usually shows a high level of creatine kinase (CK), an enzyme that "
    "leaks out of damaged muscle. Some people have antibodies against SRP or HMGCR; the HMGCR "
    "form can follow treatment with statins. Diagnosis uses blood tests, electromyography, MRI "
    "of the thighs and a muscle biopsy. Treatment usually starts with corticosteroids and adds "
    "methotrexate, intravenous immunoglobulin (IVIG) or rituximab. Physical therapy helps keep "
    "strength and movement. With early treatment many people regain much of their strength."
)
TEXTS = [(_PARAGRAPH + " " + _PARAGRAPH)[48 * i : 48 * i + 640] for i in range(16)]
"""16 chunk-like texts of about 160 word pieces each (ingest cuts chunks of up to 200). Nearly equal
lengths, as in ingest's length-sorted batches: torch pays for padding no more than it does there."""


class ProbeEmbedder(Protocol):
    """What the probe needs of an embedder built for one path."""

    dtype: str

    def embed_with_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Vectors of the texts and of their spans (as `Embedder.embed_with_spans`)."""
        ...


@dataclass(frozen=True)
class Measurement:
    """One path on this machine: texts embedded per second (best round) and the lowest cosine
    of its text vectors to fp32's; `problem` when it could not run."""

    dtype: str
    texts_per_s: float = 0.0
    min_cosine: float = 0.0
    problem: str | None = None

    @property
    def eligible(self) -> bool:
        """Ran, and its vectors stay within `MIN_COSINE` of fp32's."""
        return self.problem is None and self.min_cosine >= MIN_COSINE


@dataclass(frozen=True)
class Choice:
    """The path `auto` uses here, with what it was chosen from."""

    dtype: str
    measurements: tuple[Measurement, ...]
    key: dict[str, str]
    measured_at: str
    cached: bool = False


def machine_key(model_sha256: str, backend: str, candidates: Sequence[str]) -> dict[str, str]:
    """What the measurement depends on: CPU model, flags and cores; model; library versions."""
    model_name, flags = _cpu()
    versions = {}
    for package in ("torch", "onnxruntime", "transformers", "alike-wisdom"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "absent"
    return {
        "cpu_model": model_name,
        "cpu_flags_sha256": hashlib.sha256(flags.encode()).hexdigest()[:16],
        "cpu_count": str(os.cpu_count() or 1),
        "machine": platform.machine(),
        "model_sha256": model_sha256,
        "backend": backend,
        "candidates": ",".join(candidates),
        "probe": PROBE_VERSION,
        **versions,
    }


def cache_file(cache_dir: Path, key: dict[str, str]) -> Path:
    """The JSON file a choice for `key` is kept in."""
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:20]
    return cache_dir / f"embedding-path-{digest}.json"


def choose(
    key: dict[str, str],
    candidates: Sequence[str],
    build: Callable[[str], ProbeEmbedder],
    cache_dir: Path,
    clock: Callable[[], float] = time.perf_counter,
    remeasure: bool = False,
) -> Choice:
    """The cached choice for `key`, or measure every candidate (built by `build(dtype)`; "fp32"
    must be among them, it is the reference) and cache the fastest eligible one. One process
    measures at a time; the others wait for its answer. `remeasure` measures (and caches) anew."""
    path = cache_file(cache_dir, key)
    cached = None if remeasure else _read(path, key)
    if cached is not None:
        return cached
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with _locked(cache_dir / ".embedding-path.lock"):
            cached = None if remeasure else _read(path, key)
            if cached is not None:
                return cached
            choice = measure(key, candidates, build, clock)
            tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
            tmp.write_text(json.dumps(_as_json(choice), indent=2), encoding="utf-8")
            os.replace(tmp, path)
    except OSError as exc:  # a read-only cache: measure in every process, say so once each
        log.warning("cannot cache the embedding path in %s (%s): measuring without caching", cache_dir, exc)
        choice = measure(key, candidates, build, clock)
    log.info(
        "embedding path measured: %s (%s)",
        choice.dtype,
        ", ".join(f"{m.dtype} {m.texts_per_s:.1f}/s" for m in choice.measurements),
    )
    return choice


def measure(
    key: dict[str, str],
    candidates: Sequence[str],
    build: Callable[[str], ProbeEmbedder],
    clock: Callable[[], float] = time.perf_counter,
) -> Choice:
    """Embed `TEXTS` with each candidate for `ROUNDS` interleaved rounds; pick the fastest eligible."""
    if "fp32" not in candidates:
        raise ValueError("the probe needs fp32 among the candidates: it is the quality reference")
    spans = [[(0, len(t) // 2), (len(t) // 2, len(t))] for t in TEXTS]
    embedders: dict[str, ProbeEmbedder] = {}
    problems: dict[str, str] = {}
    for dtype in candidates:
        try:
            embedder = build(dtype)
            if embedder.dtype != dtype:
                raise ValueError(f"runs as {embedder.dtype}")
            embedder.embed_with_spans(TEXTS, spans)  # warm-up: first calls allocate
            embedders[dtype] = embedder
        except Exception as exc:  # a path this machine cannot run is not a candidate
            problems[dtype] = f"{type(exc).__name__}: {exc}"
    if "fp32" not in embedders:
        raise ValueError(f"fp32 cannot run, so no path can be checked: {problems.get('fp32')}")
    reference, _ = embedders["fp32"].embed_with_spans(TEXTS, spans)
    cosines = {d: float(np.min(np.sum(e.embed_with_spans(TEXTS, spans)[0] * reference, axis=1)))
               for d, e in embedders.items()}  # fmt: skip
    best: dict[str, float] = dict.fromkeys(embedders, 0.0)
    for _ in range(ROUNDS):
        for dtype, embedder in embedders.items():
            done, start = 0, clock()
            while True:
                embedder.embed_with_spans(TEXTS, spans)
                done += len(TEXTS)
                elapsed = clock() - start
                if elapsed >= ROUND_SECONDS:
                    break
            best[dtype] = max(best[dtype], done / elapsed)
    measurements = tuple(
        Measurement(d, best[d], cosines[d]) if d in embedders else Measurement(d, problem=problems[d])
        for d in candidates
    )
    eligible = [m for m in measurements if m.eligible]
    chosen = max(eligible, key=lambda m: m.texts_per_s)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return Choice(chosen.dtype, measurements, dict(key), now)


def _cpu() -> tuple[str, str]:
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor() or "unknown", ""
    fields: dict[str, str] = {}
    for line in info.splitlines():
        name, _, value = line.partition(":")
        fields.setdefault(name.strip(), value.strip())
    return fields.get("model name", "unknown"), fields.get("flags", "")


def cpu_description() -> str:
    """CPU model and the SIMD flags that decide the embedding path, for benchmark output."""
    name, flags = _cpu()
    wanted = ("avx2", "avx512f", "avx512_bf16", "avx512_vnni", "amx_bf16", "amx_int8", "avx_vnni")
    return f"{name} ({' '.join(f for f in wanted if f in flags.split()) or 'no AVX2'})"


def _as_json(choice: Choice) -> dict[str, object]:
    data = asdict(choice)
    data.pop("cached")
    return data


def _read(path: Path, key: dict[str, str]) -> Choice | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["key"] != key:
            return None
        measurements = tuple(Measurement(**m) for m in data["measurements"])
        return Choice(str(data["dtype"]), measurements, key, str(data["measured_at"]), cached=True)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent or unreadable: measure again


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
