"""The model runs in ONNX Runtime (fp32) or torch. The exported graph must give the vectors torch
gives, so an index built with either serves queries embedded with the other."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ingest import TransformerEmbedder
from ingest import embedding as emb

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
    monkeypatch.setenv("WISDOM_ONNX_CACHE", str(tmp_path))
    emb._onnx_session.cache_clear()
    try:
        TransformerEmbedder(dtype="fp32", backend="onnx")
        (graph,) = tmp_path.glob("*.onnx")
        graph.write_bytes(b"not a model")  # a disk that filled up, a careless copy
        emb._onnx_session.cache_clear()
        again = TransformerEmbedder(dtype="fp32", backend="onnx")
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


def test_auto_is_bf16_where_the_cpu_has_it_else_int8_and_fp32_for_torch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(emb, "cpu_supports_bf16", lambda: False)
    assert (emb.default_dtype(), emb.default_dtype("onnx"), emb.default_dtype("torch")) == (
        "int8", "int8", "fp32",
    )  # fmt: skip
    auto = TransformerEmbedder()
    assert (auto.backend, auto.dtype) == ("onnx", "int8")
    monkeypatch.setattr(emb, "cpu_supports_bf16", lambda: True)
    assert emb.default_dtype() == "bf16"


def test_auto_falls_back_to_torch_fp32_when_onnx_runtime_cannot_run(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, torch_embedder: TransformerEmbedder
) -> None:
    monkeypatch.setattr(emb, "cpu_supports_bf16", lambda: False)

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
