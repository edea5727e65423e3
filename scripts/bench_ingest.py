"""Ingest benchmark: Alike Wisdom's ingest vs the plain LangChain recipe, same input, same run.

    .venv/bin/python scripts/bench_ingest.py [--limit N] [--skip-langchain] [--recipe-dir DIR]

Input: ../shared/data/medquad/corpus.jsonl (read in place). Each contender runs in its own
fresh process so peak RSS is its own. Prints chunks, chunks/s, documents/s, wall time, peak RSS
and index size, the throughput ratio (documents/s, ours ÷ recipe), and the time to re-ingest
after changing 1 % of the documents. Needs the `bench` extra: pip install -e '.[bench]'.
`--recipe-dir` keeps the recipe's index, so scripts/bench_service.py --recipe-dir can score it
without building it again.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "data" / "medquad" / "corpus.jsonl"


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def child_ours(src: Path, index_dir: Path) -> dict[str, object]:
    from ingest import IngestConfig, TransformerEmbedder, run_ingest

    t0 = time.perf_counter()
    embedder = TransformerEmbedder(dtype=os.environ.get("WISDOM_EMBEDDING_DTYPE", "auto"))
    report = run_ingest([src], IngestConfig(index_dir=index_dir, max_document_bytes=50_000_000), embedder)
    wall = time.perf_counter() - t0
    return {
        "wall_s": wall,
        "chunks": report.chunks,
        "sentences": report.sentences,
        "documents": report.documents,
        "embedded": report.chunks_embedded,
        "reused": report.chunks_reused,
        "stages_s": report.seconds,
    }


def child_langchain(src: Path, index_dir: Path) -> dict[str, object]:
    os.environ["HF_HUB_OFFLINE"] = "1"
    from langchain_community.vectorstores import FAISS
    from langchain_core.documents import Document
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from ingest.embedding import resolve_model_path

    t0 = time.perf_counter()
    docs = []
    with src.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            docs.append(Document(page_content=row["text"], metadata={"id": row["id"], "title": row["title"]}))
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=100)
    chunks = splitter.split_documents(docs)
    embeddings = HuggingFaceEmbeddings(model_name=resolve_model_path("all-MiniLM-L6-v2"))
    store = FAISS.from_documents(chunks, embeddings)
    store.save_local(str(index_dir))
    return {"wall_s": time.perf_counter() - t0, "chunks": len(chunks), "documents": len(docs)}


def run_child(kind: str, src: Path, index_dir: Path) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--child", kind, str(src), str(index_dir)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=REPO)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    result["index_mb"] = folder_size(index_dir) / 1e6
    return result


def subset(limit: int | None, folder: Path) -> Path:
    if limit is None:
        return CORPUS
    path = folder / "corpus.jsonl"
    with CORPUS.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= limit:
                break
            dst.write(line)
    return path


def change_one_percent(src: Path, dst: Path, seed: int = 7) -> int:
    lines = src.read_text(encoding="utf-8").splitlines()
    picked = random.Random(seed).sample(range(len(lines)), max(1, len(lines) // 100))
    for i in picked:
        row = json.loads(lines[i])
        row["text"] += "\n\nThis page was updated for the benchmark with one new sentence."
        lines[i] = json.dumps(row, ensure_ascii=False)
    dst.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(picked)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, help="Use only the first N documents.")
    parser.add_argument("--skip-langchain", action="store_true")
    parser.add_argument("--recipe-dir", type=Path, help="Keep the LangChain recipe's index here.")
    parser.add_argument(
        "--dtype", choices=["auto", "fp32", "bf16", "int8"], default="auto", help="Our embedding dtype."
    )
    parser.add_argument("--keep-ours", type=Path, help="Keep our index (after the re-ingest) here.")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, src, index_dir = args.child
        fn = child_ours if kind == "ours" else child_langchain
        result = fn(Path(src), Path(index_dir))
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    if not CORPUS.is_file():
        print(f"skipped: {CORPUS} not found (this benchmark reads ../shared/data/medquad).")
        return
    from ingest.embedding import default_dtype

    os.environ["WISDOM_EMBEDDING_DTYPE"] = args.dtype  # the children read it
    work = Path(tempfile.mkdtemp(prefix="wisdom-bench-"))
    try:
        src = subset(args.limit, work)
        print(
            f"input: {src} ({sum(1 for _ in src.open())} documents), {os.cpu_count()} CPUs, "
            f"our embedding dtype {args.dtype}" + (f" ({default_dtype()})" if args.dtype == "auto" else "")
        )
        ours = run_child("ours", src, work / "ours")
        print(f"ours: {json.dumps(ours)}", flush=True)
        changed_src = work / "changed.jsonl"
        n_changed = change_one_percent(src, changed_src)
        # Same document ids, 1 % edited: the incremental ingest reuses the rest.
        inc_dir = work / "ours"
        changed_src = changed_src.rename(work / src.name) if src.parent != work else changed_src
        incremental = run_child("ours", changed_src, inc_dir)
        print(f"re-ingest after changing {n_changed} documents: {json.dumps(incremental)}", flush=True)
        if args.keep_ours:
            shutil.copytree(inc_dir, args.keep_ours, dirs_exist_ok=True)
        recipe = None if args.skip_langchain else run_child("langchain", src, work / "langchain")
        if recipe:
            print(f"langchain recipe: {json.dumps(recipe)}", flush=True)
            if args.recipe_dir:
                shutil.copytree(work / "langchain", args.recipe_dir, dirs_exist_ok=True)
                print(f"recipe index kept in {args.recipe_dir}", flush=True)
        docs = float(ours["documents"])  # type: ignore[arg-type]
        rows = [("Alike Wisdom ingest", ours)] + ([("LangChain recipe", recipe)] if recipe else [])
        print()
        print("| contender | documents | chunks | wall s | chunks/s | docs/s | peak RSS MB | index MB |")
        print("|---|---|---|---|---|---|---|---|")
        for name, r in rows:
            wall = float(r["wall_s"])  # type: ignore[arg-type]
            chunks = float(r["chunks"])  # type: ignore[arg-type]
            print(
                f"| {name} | {int(docs)} | {int(chunks)} | {wall:.1f} | {chunks / wall:.1f} | "
                f"{docs / wall:.2f} | {float(r['peak_rss_mb']):.0f} | {float(r['index_mb']):.1f} |"  # type: ignore[arg-type]
            )
        inc_wall = float(incremental["wall_s"])  # type: ignore[arg-type]
        full_wall = float(ours["wall_s"])  # type: ignore[arg-type]
        print()
        print(
            f"re-ingest after changing {n_changed} of {int(docs)} documents: {inc_wall:.1f} s = "
            f"{100 * inc_wall / full_wall:.1f} % of the full ingest "
            f"({incremental['embedded']} chunks embedded, {incremental['reused']} reused)"
        )
        if recipe:
            ratio = (docs / full_wall) / (docs / float(recipe["wall_s"]))  # type: ignore[arg-type]
            print(f"throughput ratio (documents/s, ours ÷ LangChain recipe): {ratio:.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
