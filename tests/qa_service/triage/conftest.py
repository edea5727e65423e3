"""The real safety triage, on the suite's shared embedder, for every triage test module."""

from __future__ import annotations

import pytest

from ingest import TransformerEmbedder
from qa_service.triage.safety import SafetyTriage


@pytest.fixture(scope="session")
def triage(embedder: TransformerEmbedder) -> SafetyTriage:
    return SafetyTriage(embedder)
