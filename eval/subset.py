"""The CI gate's MedQuAD subset index: the documents of the `medquad-gate` questions only.

A full MedQuAD index takes 25+ minutes to build here; the gate's 200 questions are drawn from
short documents, so their subset ingests in about a minute, and re-running ingest on an
unchanged subset re-embeds nothing. The subset file is written to a temporary folder (never into
the repository) and only the built index is kept, in the folder the caller names.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from eval.datasets import load_suite, medquad_dir
from ingest import IngestConfig, IngestReport, Reporter, run_ingest
from ingest.embedding import Embedder


def gate_doc_ids() -> set[str]:
    """The documents the `medquad-gate` questions are about (raises SuiteUnavailable without
    ../shared)."""
    return {d for case in load_suite("medquad-gate").cases for d in case.doc_ids}


def build_subset_index(
    config: IngestConfig, embedder: Embedder, reporter: Reporter | None = None
) -> IngestReport:
    """Ingest the MedQuAD documents the `medquad-gate` questions are about, and only those, into
    `config.index_dir` (incremental, like any ingest)."""
    wanted = gate_doc_ids()
    with tempfile.TemporaryDirectory(prefix="wisdom-gate-") as tmp:
        subset = Path(tmp) / "medquad-gate-subset.jsonl"
        found = 0
        with (
            (medquad_dir() / "corpus.jsonl").open(encoding="utf-8") as src,
            subset.open("w", encoding="utf-8") as dst,
        ):
            for line in src:
                if json.loads(line)["id"] in wanted:
                    dst.write(line)
                    found += 1
        if found != len(wanted):
            raise ValueError(f"corpus.jsonl holds {found} of the gate's {len(wanted)} documents")
        return run_ingest([subset], config, embedder, reporter)
