#!/usr/bin/env bash
# Longer fuzzing than CI: schemathesis against the service's OpenAPI schema over a real server,
# plus the Hypothesis property tests, with random (not the fixed CI) cases.
# Usage: scripts/fuzz.sh [EXAMPLES_PER_OPERATION]   (default 300; CI runs 20)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 FUZZ_RANDOM=1 FUZZ_EXAMPLES="${1:-300}"
.venv/bin/python -m pytest -q tests/qa_service/http/test_fuzz_api.py tests/test_properties.py \
    --hypothesis-show-statistics -p no:cacheprovider
