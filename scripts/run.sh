#!/usr/bin/env bash
# Quick start, command 1: set up, build the index from corpus/ if there is none, then serve the
# chat and API on http://127.0.0.1:8000 (WISDOM_HOST / WISDOM_PORT, or pass --host/--port).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
if ! .venv/bin/wisdom index show >/dev/null 2>&1; then
  .venv/bin/wisdom ingest
fi
exec .venv/bin/wisdom serve "$@"
