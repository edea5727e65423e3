"""Schemathesis against the service's own OpenAPI schema, over a real server: generated valid
and invalid requests for every operation must never get a 5xx, and every response must match
the schema (status codes, content types, bodies).

CI runs a bounded number of cases per operation; `scripts/fuzz.sh` runs many more
(FUZZ_EXAMPLES: 20 per operation in CI)."""

from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from qa_service.http.app import create_app
from qa_service.settings import Settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))


# The schema the service publishes at /openapi.json (building the app loads no model or index).
schema = schemathesis.openapi.from_dict(create_app(settings=Settings(_env_file=None)).openapi())  # type: ignore[call-arg]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("FUZZ_RANDOM") is None,  # CI: the same cases every run
    suppress_health_check=list(HealthCheck),
)
def test_api_never_fails_and_matches_its_schema(case: schemathesis.Case, base_url: str) -> None:
    # Every check but "schema-valid data is accepted": text fields also refuse control and format
    # characters, non-English text and a conversation that does not end with the user, rules that
    # JSON Schema does not state. Those refusals and their messages are tested in test_api_errors.
    response = case.call_and_validate(base_url=base_url, excluded_checks=[positive_data_acceptance])
    assert response.status_code < 500, response.text
    content_type = (response.headers.get("content-type") or [""])[0]
    if content_type.startswith("application/json"):
        body = response.json()
        assert isinstance(body, dict) and body.get("disclaimer"), (case.path, body)
