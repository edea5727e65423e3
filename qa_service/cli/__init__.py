"""The `wisdom` command (`main.main`, the console entry point in pyproject.toml): ingest, serve,
ask, index and feedback (`feedback`), with what every command shares (`console`: one-line errors,
settings, the embedder, progress). It sits on top: it may import anything in qa_service, `ingest`
and `prompts`, and nothing in qa_service imports it (tests/test_layers.py)."""
