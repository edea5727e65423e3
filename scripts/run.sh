#!/usr/bin/env bash
# Quick start, command 1: set up, build the index from corpus/ if there is none, then serve.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1
if ! .venv/bin/wisdom index show >/dev/null 2>&1; then
  .venv/bin/wisdom ingest
fi
if .venv/bin/wisdom --help 2>/dev/null | grep -q ' serve '; then
  exec .venv/bin/wisdom serve "$@"
fi
echo "The index is built (.venv/bin/wisdom index list). The service is not part of this version yet."
