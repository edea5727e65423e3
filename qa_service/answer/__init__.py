"""Stage 2 of a question's path: the answer. A question triage let through is expanded
(`expansion`: aliases, abbreviations, patients' words, follow-ups), retrieved (`retrieval`: dense +
BM25, fusion, priors), weighed for abstention (`abstention`, model in `abstention.json`) and
answered by verbatim cited spans (`compose`, `generate`) or, when configured, by an LLM held to
those citations (`llm`); `langchain_adapter` offers the retriever to LangChain chains. It may import
`ingest`, `prompts` and the top-level modules of qa_service, never `triage`, `http` or `cli`
(tests/test_layers.py)."""
