"""The model runs in ONNX Runtime (fp32, int8) or torch (fp32, bf16). The exported graph must give
the vectors torch gives, so an index built with either serves queries embedded with the other; and
"auto" is the path measured fastest on this machine, measured once and read back after."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from ingest import TransformerEmbedder, dtype_probe
from ingest import embedding as emb
from ingest.vectors import weights_sha256

TEXTS = [
    "IMNM",
    "What are the symptoms of immune-mediated necrotizing myopathy?",
    "Necrotizing myopathy: weakness in the hips, thighs and shoulders. A high CK level in the blood "
    "shows muscle damage. " * 6,
]


@pytest.fixture(scope="module")
def torch_embedder() -> TransformerEmbedder:
    return TransformerEmbedder(dtype="fp32", backend="torch")


def test_onnx_gives_the_vectors_torch_gives(torch_embedder: TransformerEmbedder) -> None:
    onnx = TransformerEmbedder(dtype="fp32", backend="onnx")
    assert (onnx.backend, torch_embedder.backend) == ("onnx", "torch")
    spans = [[(0, len(t) // 2), (len(t) // 2, len(t))] for t in TEXTS]
    vectors, span_vectors = onnx.embed_with_spans(TEXTS, spans)
    expected, expected_spans = torch_embedder.embed_with_spans(TEXTS, spans)
    assert np.abs(vectors - expected).max() < 1e-5
    for got, want in zip(span_vectors, expected_spans, strict=True):
        assert got.shape == (2, onnx.dim)
        assert np.abs(got - want).max() < 1e-5
    # And the question is still nearest to the passage that answers it.
    assert float(vectors[1] @ vectors[2]) > 0.5


def test_int8_keeps_each_text_vector_close_and_the_ranking(torch_embedder: TransformerEmbedder) -> None:
    int8 = TransformerEmbedder(dtype="int8")
    assert (int8.backend, int8.dtype) == ("onnx", "int8")
    vectors, expected = int8.embed(TEXTS), torch_embedder.embed(TEXTS)
    cosines = np.sum(vectors * expected, axis=1)
    assert cosines.min() > emb.INT8_MIN_COSINE
    assert np.abs(vectors - expected).max() > 1e-4  # it is a different graph, not fp32 again
    # The question still finds the passage that answers it, ahead of the bare abbreviation.
    assert float(vectors[1] @ vectors[2]) > float(vectors[1] @ vectors[0])


def test_a_damaged_cached_graph_is_exported_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, torch_embedder: TransformerEmbedder
) -> None:
    emb._onnx_session.cache_clear()
    try:
        TransformerEmbedder(dtype="fp32", backend="onnx", cache_dir=tmp_path)
        (graph,) = tmp_path.glob("*.onnx")
        graph.write_bytes(b"not a model")  # a disk that filled up, a careless copy
        emb._onnx_session.cache_clear()
        again = TransformerEmbedder(dtype="fp32", backend="onnx", cache_dir=tmp_path)
        assert again.backend == "onnx"
        assert graph.stat().st_size > 1_000_000
        assert np.abs(again.embed(TEXTS) - torch_embedder.embed(TEXTS)).max() < 1e-5
        assert [p.name for p in tmp_path.iterdir()] == [graph.name]  # no export leftovers
    finally:
        emb._onnx_session.cache_clear()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"backend": "tensorflow"}, "backend must be auto, torch or onnx"),
        ({"backend": "onnx", "dtype": "bf16"}, "runs fp32 or int8"),
        ({"backend": "torch", "dtype": "int8"}, "int8 runs in ONNX Runtime only"),
        ({"dtype": "fp16"}, "dtype must be auto, fp32, bf16 or int8"),
    ],
)
def test_bad_backend_settings_say_what_to_use(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TransformerEmbedder(**kwargs)


@pytest.fixture
def short_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dtype_probe, "ROUNDS", 1)
    monkeypatch.setattr(dtype_probe, "ROUND_SECONDS", 0.05)


def machine_key() -> dict[str, str]:
    path = emb.resolve_model_path(emb.BUNDLED_MODEL)
    return dtype_probe.machine_key(weights_sha256(path), "auto", emb.CANDIDATES["auto"])


@pytest.mark.usefixtures("short_probe")
def test_auto_measures_every_path_once_then_reads_the_cached_choice(tmp_path: Path) -> None:
    built: list[str] = []

    def build(dtype: str) -> TransformerEmbedder:
        built.append(dtype)
        return TransformerEmbedder(dtype=dtype, threads=2)  # the real model, graphs already exported

    first = dtype_probe.choose(machine_key(), emb.CANDIDATES["auto"], build, tmp_path)
    measured = {m.dtype: m for m in first.measurements}
    assert (first.cached, sorted(built), sorted(measured)) == (False, ["bf16", "fp32", "int8"], sorted(built))
    assert all(m.problem is None and m.texts_per_s > 0 for m in measured.values())
    assert measured[first.dtype].eligible
    assert measured[first.dtype].texts_per_s == max(m.texts_per_s for m in measured.values() if m.eligible)
    assert measured["fp32"].min_cosine > 0.9999 and measured["int8"].min_cosine > dtype_probe.MIN_COSINE

    built.clear()
    again = dtype_probe.choose(machine_key(), emb.CANDIDATES["auto"], build, tmp_path)
    assert (again.cached, again.dtype, built) == (True, first.dtype, [])
    # Another CPU, or another library version, is measured afresh.
    other_cpu = {**machine_key(), "cpu_model": "Some Other CPU"}
    assert dtype_probe.cache_file(tmp_path, other_cpu) != dtype_probe.cache_file(tmp_path, machine_key())


def test_an_auto_embedder_uses_the_choice_cached_for_this_machine(tmp_path: Path) -> None:
    measurements = (dtype_probe.Measurement("bf16", 99.0, 0.9999), dtype_probe.Measurement("int8", 1.0, 0.99))
    choice = dtype_probe.Choice("bf16", measurements, machine_key(), "2026-01-01T00:00:00+00:00")
    path = dtype_probe.cache_file(tmp_path, machine_key())
    path.write_text(json.dumps(dtype_probe._as_json(choice)), encoding="utf-8")
    auto = TransformerEmbedder(cache_dir=tmp_path)
    assert (auto.dtype, auto.backend) == ("bf16", "torch")
    assert auto.choice is not None and auto.choice.cached


class Fake:
    """A path the probe can time: vectors `noise` away from fp32's, `seconds` per pass."""

    def __init__(self, dtype: str, noise: float, seconds: float) -> None:
        self.dtype, self.noise, self.seconds = dtype, noise, seconds

    def embed_with_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        time.sleep(self.seconds)
        base = np.eye(len(texts), 16, dtype=np.float32)
        vectors = base + self.noise * np.roll(base, 1, axis=1)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True), []


@pytest.mark.usefixtures("short_probe")
def test_the_fastest_path_is_not_chosen_when_its_vectors_drift_from_fp32(tmp_path: Path) -> None:
    paths = {
        "int8": Fake("int8", 0.5, 0.001),
        "fp32": Fake("fp32", 0.0, 0.02),
        "bf16": Fake("bf16", 0.05, 0.01),
    }
    choice = dtype_probe.choose({"machine": "test"}, list(paths), paths.__getitem__, tmp_path)
    measured = {m.dtype: m for m in choice.measurements}
    assert measured["int8"].texts_per_s > measured["bf16"].texts_per_s > measured["fp32"].texts_per_s
    assert not measured["int8"].eligible  # cosine ~0.89 to fp32's
    assert choice.dtype == "bf16"


def test_a_path_that_cannot_run_is_recorded_and_skipped(tmp_path: Path) -> None:
    def build(dtype: str) -> Fake:
        if dtype == "int8":
            raise ValueError("no onnxruntime wheel for this platform")
        return Fake(dtype, 0.0, 0.001)

    choice = dtype_probe.measure({"machine": "test"}, ["int8", "fp32"], build)
    assert choice.dtype == "fp32"
    assert choice.measurements[0].problem == "ValueError: no onnxruntime wheel for this platform"


def test_auto_falls_back_to_torch_fp32_when_onnx_runtime_cannot_run(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, torch_embedder: TransformerEmbedder
) -> None:
    chosen = dtype_probe.Choice("int8", (), {}, "")
    monkeypatch.setattr(emb, "measured_dtype", lambda *args: chosen)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("no onnxruntime wheel for this platform")

    monkeypatch.setattr(emb, "_onnx_session", broken)
    with caplog.at_level("WARNING", logger="wisdom.embedding"):
        fallback = TransformerEmbedder()
    assert (fallback.backend, fallback.dtype) == ("torch", "fp32")
    assert "no onnxruntime wheel" in caplog.text
    assert np.abs(fallback.embed(TEXTS) - torch_embedder.embed(TEXTS)).max() < 1e-6
    # Asked for by name, int8 does not quietly become fp32.
    with pytest.raises(ValueError, match=r"cannot run .* in ONNX Runtime"):
        TransformerEmbedder(dtype="int8")


def test_a_text_gets_the_same_vector_whatever_is_embedded_beside_it() -> None:
    # int8 quantises activations with one scale per model call: texts batched together would
    # shift each other's vectors, and a vector reused at re-ingest would differ from a fresh one.
    int8 = TransformerEmbedder(dtype="int8")
    together = int8.embed(TEXTS)
    alone = np.vstack([int8.embed([t]) for t in TEXTS])
    assert np.array_equal(alone, together)
    beside_others = int8.embed([TEXTS[2], "Polymyositis " * 150, TEXTS[0]])
    assert np.array_equal(beside_others[[0, 2]], together[[2, 0]])


@pytest.mark.usefixtures("short_probe")
def test_a_cache_folder_that_cannot_be_written_still_gives_a_choice(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("")
    paths = {"int8": Fake("int8", 0.01, 0.001), "fp32": Fake("fp32", 0.0, 0.01)}
    with caplog.at_level("WARNING", logger="wisdom.embedding"):
        choice = dtype_probe.choose({"machine": "test"}, list(paths), paths.__getitem__, blocked / "cache")
    assert (choice.dtype, choice.cached) == ("int8", False)
    assert "cannot cache the embedding path" in caplog.text
