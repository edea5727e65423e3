"""Stage 1 of a question's path: safety triage. Before anything is retrieved, `safety.SafetyTriage`
judges the message, per clause, as urgent (an emergency now), refer (a personal dose or medicine
change), out of scope or an ordinary question, with rules over normalised text (`rules`,
`patterns`, `text`, `clauses`) and a small classifier over the embedding model's vectors (`model`,
weights in `model.json`); its knobs are `config.TriageConfig`. It may import `ingest`, `prompts`
and the top-level modules of qa_service, never `answer`, `http` or `cli` (tests/test_layers.py)."""
