#!/usr/bin/env bash
# Quick start, command 2: set up (with test tools) and run format check, lint, types and tests.
# Usage: scripts/test.sh [--all] [pytest args...]   (--all also runs tests marked slow)
# Without pytest args, the evaluation gate (scripts/ci_gate.sh) runs after the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
marker=(-m "not slow")
if [ "${1:-}" = "--all" ]; then marker=(); shift; fi
echo "== ruff format --check"; .venv/bin/ruff format --check .
echo "== ruff check";          .venv/bin/ruff check .
echo "== mypy";                .venv/bin/mypy
echo "== pytest"
.venv/bin/python -m pytest "${marker[@]}" "$@"
if [ $# -eq 0 ]; then echo "== eval gate"; bash scripts/ci_gate.sh; fi
