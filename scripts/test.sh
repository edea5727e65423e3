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
# The browser tests (tests/browser) drive Debian's Chromium; install it when it is missing.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing chromium for the browser tests"
    apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    echo "== chromium is missing and this is not root: the browser tests will be skipped" \
         "(install it with: sudo apt-get install -y chromium)"
  fi
fi
echo "== pytest"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
.venv/bin/python -m pytest "${marker[@]}" "$@" 2>&1 | tee "$log"
if [ $# -eq 0 ]; then
  echo "== eval gate"; bash scripts/ci_gate.sh
  echo "== pytest summary (repeated so it closes the output)"; tail -n 1 "$log"
fi
