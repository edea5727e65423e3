"""The web service around the pipeline: `app.create_app` builds the FastAPI app from the routes
(`ask`: /v1/ask, its stream, search and documents; `openai` and `openai_models`: the
OpenAI-compatible API; `ops`: health, readiness, index, metrics; `admin`: /v1/admin/*), the request
plumbing (`middleware`, `security`), the OpenAPI pages (`docs`) and the web chat (`web`, `static/`).
It may import everything in qa_service but `cli`; only `cli` imports it (tests/test_layers.py)."""
