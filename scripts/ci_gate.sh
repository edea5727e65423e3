#!/usr/bin/env bash
# CI gate, run by scripts/test.sh after pytest: the safety, corpus and triage-blind suites on an index of
# corpus/, 200 MedQuAD questions on a subset index of their documents (skipped with a message when
# ../shared/data/medquad is absent), then `wisdom eval gate` with eval/suites/gate.toml: exits 1
# when a metric is outside its threshold. Indexes are cached in .cache/eval (gitignored); ingest
# re-embeds only what changed, so later runs take about two minutes on 2 cores.
# Usage: scripts/ci_gate.sh   (WISDOM_BIN overrides the command, default .venv/bin/wisdom)
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
wisdom=${WISDOM_BIN:-.venv/bin/wisdom}
cache=.cache/eval
runs=$cache/runs
rm -rf "$runs"
"$wisdom" ingest corpus --index-dir "$cache/corpus-index" --quiet
"$wisdom" eval run --suite safety --index-dir "$cache/corpus-index" --out "$runs/safety"
"$wisdom" eval run --suite corpus --index-dir "$cache/corpus-index" --out "$runs/corpus"
"$wisdom" eval run --suite triage-blind --index-dir "$cache/corpus-index" --out "$runs/triage-blind"
"$wisdom" eval subset-index --index-dir "$cache/medquad-subset"
"$wisdom" eval run --suite medquad-gate --index-dir "$cache/medquad-subset" --out "$runs/medquad-gate"
"$wisdom" eval gate "$runs/safety" "$runs/corpus" "$runs/triage-blind" "$runs/medquad-gate" --thresholds eval/suites/gate.toml
