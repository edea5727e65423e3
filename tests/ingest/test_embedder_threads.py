"""The embedder is shared by the service's request threads and an admin ingest in the same
process. Hugging Face's fast tokenizer keeps padding and truncation as mutable state, so calls
with different settings from several threads must not interleave (CI once saw a request fail with
"Unable to create tensor ... padding" while an in-process ingest counted tokens)."""

from __future__ import annotations

import threading

import numpy as np

from ingest import TransformerEmbedder

_WORDS = [
    "muscle",
    "weakness",
    "is",
    "measured",
    "in",
    "clinic",
    "and",
    "IVIG",
    "is",
    "made",
    "from",
    "the",
    "plasma",
    "of",
    "many",
    "donors",
]
# Many texts of different lengths: a long batched encode leaves a wide window for another thread.
TEXTS = [" ".join(_WORDS[: 1 + i % len(_WORDS)] * (1 + i % 7)) for i in range(64)]


def test_embedding_and_token_counting_from_many_threads_agree_with_one_thread(
    embedder: TransformerEmbedder,
) -> None:
    expected_vectors = embedder.embed(TEXTS)
    expected_counts = embedder.count_tokens(TEXTS * 3)
    failures: list[str] = []
    start = threading.Barrier(6)

    def embed_loop() -> None:
        start.wait()
        for _ in range(15):
            try:
                if not np.allclose(embedder.embed(TEXTS), expected_vectors, atol=1e-5):
                    failures.append("vectors differ")
            except Exception as exc:
                failures.append(repr(exc))

    def count_loop() -> None:
        start.wait()
        for _ in range(60):
            try:
                if embedder.count_tokens(TEXTS * 3) != expected_counts:
                    failures.append("counts differ")
            except Exception as exc:
                failures.append(repr(exc))

    threads = [threading.Thread(target=embed_loop) for _ in range(3)]
    threads += [threading.Thread(target=count_loop) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
