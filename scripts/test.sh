#!/usr/bin/env bash
# Quick start, command 2: set up (with test tools) and run format check, lint, types and tests.
# Usage: scripts/test.sh [--all] [pytest args...]   (--all also runs tests marked slow)
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
