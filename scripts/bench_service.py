"""Service benchmark on an index of ../shared/data/medquad/corpus.jsonl.

    .venv/bin/wisdom ingest ../shared/data/medquad/corpus.jsonl --index-dir IDX
    .venv/bin/python scripts/bench_service.py --index-dir IDX [--recipe-dir DIR] [--seconds 30]

Prints, in one run: retrieval quality on the dev consumer questions (strict doc_ids) for hybrid,
dense-only and BM25-only retrieval and the plain LangChain recipe (RecursiveCharacterTextSplitter
(1000, 100) + HuggingFaceEmbeddings + FAISS, top 20 chunks → documents; built once into
--recipe-dir, needs the `bench` extra); passage-level hits on MedQuAD sample1000 (right document
and section in the top 5); abstention on the unanswerable set vs answers on answerable
questions (the calibrated abstention model: scripts/calibrate_abstention.py); /v1/ask latency
p50/p95 in process, and requests/s and latency over HTTP with 8 concurrent clients.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import time
from pathlib import Path
from typing import Any

from eval.metrics import doc_ranking, percentile, reciprocal_rank, section_hit_at_k, success_at_k
from qa_service.settings import get_settings

REPO = Path(__file__).resolve().parents[1]
DEV = get_settings().eval_medquad_dir / "dev"
CORPUS = get_settings().eval_medquad_dir / "corpus.jsonl"


def load(name: str) -> list[dict[str, Any]]:
    with (DEV / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def recall_mrr(rankings: list[list[str]], gold: list[set[str]], k: int = 5) -> tuple[float, float]:
    """Success@k (any relevant document in the top k: the README's "recall@5") and MRR@10."""
    n = len(gold)
    success = sum(success_at_k(r, g, k) for r, g in zip(rankings, gold, strict=True))
    mrr = sum(reciprocal_rank(r, g, 10) for r, g in zip(rankings, gold, strict=True))
    return success / n, mrr / n


def pct(values: list[float], q: float) -> float:
    return percentile(values, q) or 0.0


def recipe_rankings(questions: list[str], recipe_dir: Path) -> list[list[str]]:
    os.environ["HF_HUB_OFFLINE"] = "1"
    from langchain_community.vectorstores import FAISS
    from langchain_core.documents import Document
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from ingest.embedding import resolve_model_path

    embeddings = HuggingFaceEmbeddings(model_name=resolve_model_path("all-MiniLM-L6-v2"))
    if (recipe_dir / "index.faiss").is_file():
        # Our own file, written by this script or bench_ingest.py: the recipe keeps a pickle.
        store = FAISS.load_local(str(recipe_dir), embeddings, allow_dangerous_deserialization=True)
    else:
        print(f"building the LangChain recipe index into {recipe_dir} (full corpus; slow)", flush=True)
        docs = []
        with CORPUS.open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                docs.append(Document(page_content=row["text"], metadata={"id": row["id"]}))
        chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=100).split_documents(docs)
        store = FAISS.from_documents(chunks, embeddings)
        store.save_local(str(recipe_dir))
    out = []
    for q in questions:
        found = store.similarity_search(q, k=20)
        out.append(doc_ranking([d.metadata["id"] for d in found]))
    return out


def http_load(
    index_dir: Path, questions: list[str], clients: int, seconds: float, workers: int = 1
) -> dict[str, float]:
    """requests/s, p50/p95 and error rate of `clients` concurrent /v1/ask clients against a real
    `wisdom serve` (the server and load loop of scripts/bench_load.py)."""
    from bench_load import run_load, start_server

    server, base = start_server(index_dir, workers)
    try:
        result = run_load(base, questions, clients, f"{clients} clients", seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "requests": len(result.latencies),
        "rps": result.rps,
        "p50_ms": 1000 * pct(result.latencies, 0.5),
        "p95_ms": 1000 * pct(result.latencies, 0.95),
        "error_rate": result.errors / max(1, len(result.latencies)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument(
        "--recipe-dir", type=Path, help="Where the LangChain recipe index is (built if missing)."
    )
    parser.add_argument("--sample", type=int, default=1000, help="MedQuAD sample1000 questions to use.")
    parser.add_argument("--seconds", type=float, default=30, help="HTTP load duration.")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--http-only", action="store_true", help="Only the HTTP load test.")
    args = parser.parse_args()
    if not DEV.is_dir():
        print(f"skipped: {DEV} not found (this benchmark reads ../shared/data/medquad).")
        return
    os.environ["HF_HUB_OFFLINE"] = "1"
    from qa_service.answer.retrieval import Mode
    from qa_service.models import AskRequest
    from qa_service.pipeline import build_pipeline, pin_threads
    from qa_service.settings import Settings

    if args.http_only:
        rows = load("questions_consumer.jsonl") + load("questions_medquad_sample1000.jsonl")[:300]
        for workers in (1, 2):
            result = http_load(args.index_dir, [r["question"] for r in rows], 8, args.seconds, workers)
            print(f"HTTP, {workers} worker(s), 8 clients, {args.seconds:.0f} s: {json.dumps(result)}")
        return
    settings = Settings(index_dir=args.index_dir)
    pin_threads(settings.service_threads)
    pipeline = build_pipeline(settings)
    loaded = pipeline.index.get()
    print(f"index {loaded.version.version_id}: {loaded.version.n_chunks} chunks")

    consumer = [r for r in load("questions_consumer.jsonl") if r["doc_ids"]]
    gold = [set(r["doc_ids"]) for r in consumer]
    # MedQuAD holds several pages with the same title from different sources ("Heart Attack"
    # from two institutes); the strict labels name one of them. The last column counts pages
    # that share a title as one page, to show how much of the gap is that.
    title_of = {d: t.casefold() for d, t in loaded.version.store.titles().items()}

    def by_title(rankings: list[list[str]]) -> tuple[list[list[str]], list[set[str]]]:
        ranked = [list(dict.fromkeys(title_of.get(d, d) for d in r)) for r in rankings]
        return ranked, [{title_of.get(d, d) for d in g} for g in gold]

    print(f"\n## Retrieval, dev consumer questions with strict doc_ids (n={len(consumer)})\n")
    print("| retriever | recall@5 | MRR@10 | mean ms/query | recall@5 / MRR@10, same-title pages as one |")
    print("|---|---|---|---|---|")

    def report(name: str, rankings: list[list[str]], ms: float | None) -> None:
        r5, mrr = recall_mrr(rankings, gold)
        t5, tmrr = recall_mrr(*by_title(rankings))
        timing = f"{ms:.1f}" if ms is not None else "–"
        print(f"| {name} | {r5:.3f} | {mrr:.3f} | {timing} | {t5:.3f} / {tmrr:.3f} |", flush=True)

    modes: tuple[Mode, ...] = ("hybrid", "dense", "bm25")
    for mode in modes:
        t0 = time.perf_counter()
        retrieve = functools.partial(loaded.retriever.retrieve, k=20, mode=mode)
        rankings = [doc_ranking([h.chunk.doc_id for h in retrieve(r["question"]).hits]) for r in consumer]
        report(mode, rankings, 1000 * (time.perf_counter() - t0) / len(consumer))
    if args.recipe_dir:
        report("LangChain recipe", recipe_rankings([r["question"] for r in consumer], args.recipe_dir), None)

    sample = load("questions_medquad_sample1000.jsonl")[: args.sample]
    hits_ok = 0.0
    for r in sample:
        hits = loaded.retriever.retrieve(r["question"], k=5).hits
        chunks = [(h.chunk.doc_id, h.chunk.section) for h in hits]
        hits_ok += section_hit_at_k(chunks, set(r["doc_ids"]), r.get("section") or "", 5)
    print(
        f"\nMedQuAD sample ({len(sample)}): right document and section in the top 5: "
        f"{hits_ok / len(sample):.3f}"
    )

    print("\n## Answers and abstention\n")
    from pydantic import ValidationError

    unanswerable = load("questions_unanswerable.jsonl")
    answerable = sample[:300]
    latencies: list[float] = []

    def run(rows: list[dict[str, Any]]) -> list[str]:
        """The kind of answer each question gets; 'rejected' for a question the API refuses."""
        kinds: list[str] = []
        for r in rows:
            try:
                request = AskRequest(question=r["question"][:2000])
            except ValidationError:
                kinds.append("rejected")
                continue
            t0 = time.perf_counter()
            answer = pipeline.ask(request)
            latencies.append(time.perf_counter() - t0)
            kinds.append(answer.kind)
        return kinds

    un = run(unanswerable)
    an = run(answerable)

    def share(kinds: list[str], wanted: tuple[str, ...]) -> float:
        return sum(k in wanted for k in kinds) / len(kinds)

    print(
        f"unanswerable set (n={len(un)}): abstained {share(un, ('abstain',)):.3f}, referred "
        f"{share(un, ('refer',)):.3f}, urgent {share(un, ('urgent',)):.3f}, rejected as invalid "
        f"{share(un, ('rejected',)):.3f}, answered {share(un, ('answer',)):.3f}"
    )
    print(f"answerable MedQuAD (n={len(an)}): answered {share(an, ('answer', 'refer')):.3f}")
    print("(how the abstention model was fitted, by split: scripts/calibrate_abstention.py)")
    print(
        f"\n/v1/ask in process over {len(latencies)} questions: p50 {1000 * pct(latencies, 0.5):.1f} ms, "
        f"p95 {1000 * pct(latencies, 0.95):.1f} ms"
    )
    if not args.skip_http:
        questions = [r["question"] for r in consumer + answerable]
        for workers in (1, 2):
            result = http_load(args.index_dir, questions, clients=8, seconds=args.seconds, workers=workers)
            print(
                f"HTTP, {workers} worker(s), 8 concurrent clients for {args.seconds:.0f} s: "
                f"{result['rps']:.1f} requests/s, p50 {result['p50_ms']:.0f} ms, "
                f"p95 {result['p95_ms']:.0f} ms, errors {result['error_rate']:.3f}"
            )


if __name__ == "__main__":
    main()
