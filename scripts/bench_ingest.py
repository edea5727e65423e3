"""Ingest benchmark: Alike Wisdom's ingest on every embedding path vs the plain LangChain recipe,
same input, same run.

    .venv/bin/python scripts/bench_ingest.py [--limit N] [--dtype all|auto|int8|fp32|bf16]
        [--skip-langchain] [--recipe-dir DIR]

Input: corpus.jsonl of the MedQuAD folder (WISDOM_EVAL_MEDQUAD_DIR, default ../shared/data/medquad,
read in place). Each contender runs in its own fresh process so peak RSS is its own. `--dtype all`
(the default) ingests with int8, fp32 and bf16 one after the other and prints them side by side
with what `auto` chose on this machine (and the probe's own figures); chunks/s, documents/s, wall
time, peak RSS, index size, each path's ratio to the fastest and to the recipe, and the time to
re-ingest after changing 1 % of the documents (on the auto path). The recipe needs the `bench`
extra (pip install -e '.[bench]'); without it the recipe is skipped with a note. `--recipe-dir`
keeps the recipe's index, so scripts/bench_service.py --recipe-dir can score it without building
it again. The machine may be shared: compare ratios from the same run.
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

from ingest.dtype_probe import cpu_description
from qa_service.settings import get_settings

REPO = Path(__file__).resolve().parents[1]
CORPUS = get_settings().eval_medquad_dir / "corpus.jsonl"
PATHS = ("int8", "fp32", "bf16")


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def child_ours(src: Path, index_dir: Path, dtype: str) -> dict[str, object]:
    from ingest import IngestConfig, TransformerEmbedder, run_ingest

    t0 = time.perf_counter()
    embedder = TransformerEmbedder(dtype=dtype, cache_dir=get_settings().onnx_cache)
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
        "dtype": embedder.dtype,
        "backend": embedder.backend,
    }


def child_langchain(src: Path, index_dir: Path, dtype: str) -> dict[str, object]:
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


def run_child(kind: str, src: Path, index_dir: Path, dtype: str = "auto") -> dict[str, object]:
    cmd = [sys.executable, __file__, "--child", kind, str(src), str(index_dir), dtype]
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


def recipe_available() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) for m in ("langchain_community", "langchain_huggingface"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, help="Use only the first N documents.")
    parser.add_argument("--skip-langchain", action="store_true")
    parser.add_argument("--recipe-dir", type=Path, help="Keep the LangChain recipe's index here.")
    parser.add_argument(
        "--dtype",
        choices=["all", "auto", *PATHS],
        default="all",
        help="Our embedding path(s): all (side by side, the default), auto, or one dtype.",
    )
    parser.add_argument("--keep-ours", type=Path, help="Keep our index (after the re-ingest) here.")
    parser.add_argument(
        "--probe", action="store_true", help="Measure auto's choice again now (and cache it), in this run."
    )
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, src, index_dir, dtype = args.child
        fn = child_ours if kind == "ours" else child_langchain
        result = fn(Path(src), Path(index_dir), dtype)
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    if not CORPUS.is_file():
        print(f"skipped: {CORPUS} not found (set WISDOM_EVAL_MEDQUAD_DIR to the MedQuAD folder).")
        return
    from ingest.embedding import measured_dtype

    settings = get_settings()
    choice = measured_dtype(
        settings.embedding_model, settings.embedding_backend, settings.onnx_cache, remeasure=args.probe
    )
    probe = ", ".join(
        f"{m.dtype} {m.texts_per_s:.1f} texts/s (cosine {m.min_cosine:.4f})" if m.problem is None
        else f"{m.dtype}: {m.problem}"
        for m in choice.measurements
    )  # fmt: skip
    dtypes = list(PATHS) if args.dtype == "all" else [choice.dtype if args.dtype == "auto" else args.dtype]
    skip_recipe = args.skip_langchain or not recipe_available()
    work = Path(tempfile.mkdtemp(prefix="wisdom-bench-"))
    try:
        src = subset(args.limit, work)
        cpu = cpu_description()
        print(f"input: {src} ({sum(1 for _ in src.open())} documents), {os.cpu_count()} CPUs: {cpu}")
        print(
            f"auto on this machine: {choice.dtype} ({'cached' if choice.cached else 'measured now'} "
            f"{choice.measured_at}; probe: {probe})"
        )
        if skip_recipe and not args.skip_langchain:
            print("LangChain recipe skipped: the `bench` extra is not installed (pip install -e '.[bench]').")
        runs: dict[str, dict[str, object]] = {}
        for dtype in dtypes:
            runs[dtype] = run_child("ours", src, work / f"ours-{dtype}", dtype)
            print(f"ours, {dtype}: {json.dumps(runs[dtype])}", flush=True)
        again = choice.dtype if choice.dtype in runs else dtypes[0]
        inc_dir = work / f"ours-{again}"
        changed_src = work / "changed.jsonl"
        n_changed = change_one_percent(src, changed_src)
        # Same document ids, 1 % edited: the incremental ingest reuses the rest.
        changed_src = changed_src.rename(work / src.name) if src.parent != work else changed_src
        incremental = run_child("ours", changed_src, inc_dir, again)
        print(
            f"re-ingest ({again}) after changing {n_changed} documents: {json.dumps(incremental)}", flush=True
        )
        if args.keep_ours:
            shutil.copytree(inc_dir, args.keep_ours, dirs_exist_ok=True)
        recipe = None if skip_recipe else run_child("langchain", src, work / "langchain")
        if recipe:
            print(f"langchain recipe: {json.dumps(recipe)}", flush=True)
            if args.recipe_dir:
                shutil.copytree(work / "langchain", args.recipe_dir, dirs_exist_ok=True)
                print(f"recipe index kept in {args.recipe_dir}", flush=True)
        print_table(runs, recipe, choice.dtype)
        docs = float(runs[again]["documents"])  # type: ignore[arg-type]
        inc_wall = float(incremental["wall_s"])  # type: ignore[arg-type]
        full_wall = float(runs[again]["wall_s"])  # type: ignore[arg-type]
        print()
        print(
            f"re-ingest ({again}) after changing {n_changed} of {int(docs)} documents: {inc_wall:.1f} s = "
            f"{100 * inc_wall / full_wall:.1f} % of the full ingest "
            f"({incremental['embedded']} chunks embedded, {incremental['reused']} reused)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def print_table(runs: dict[str, dict[str, object]], recipe: dict[str, object] | None, auto: str) -> None:
    """Every path side by side: throughput, its ratio to the fastest path and to the recipe."""
    rate = {d: float(r["chunks"]) / float(r["wall_s"]) for d, r in runs.items()}  # type: ignore[arg-type]
    fastest = max(rate.values())
    print()
    print(
        "| contender | documents | chunks | wall s | embed s | chunks/s | docs/s | vs fastest | vs recipe "
        "(docs/s) | peak RSS MB | index MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    rows = [(f"Alike Wisdom, {d}" + (" (auto)" if d == auto else ""), r) for d, r in runs.items()]
    for name, r in rows + ([("LangChain recipe", recipe)] if recipe else []):
        wall = float(r["wall_s"])  # type: ignore[arg-type]
        chunks = float(r["chunks"])  # type: ignore[arg-type]
        docs = float(r["documents"])  # type: ignore[arg-type]
        embed = r.get("stages_s", {}).get("embed")  # type: ignore[union-attr]
        ratio_fastest = f"{(chunks / wall) / fastest:.2f}" if r is not recipe else "–"
        ratio_recipe = (
            f"{(docs / wall) / (docs / float(recipe['wall_s'])):.2f}x" if recipe else "–"  # type: ignore[arg-type]
        )
        print(
            f"| {name} | {int(docs)} | {int(chunks)} | {wall:.1f} | "
            f"{'–' if embed is None else f'{float(embed):.1f}'} | {chunks / wall:.1f} | {docs / wall:.2f} | "
            f"{ratio_fastest} | {ratio_recipe} | {float(r['peak_rss_mb']):.0f} | {float(r['index_mb']):.1f} |"  # type: ignore[arg-type]
        )


if __name__ == "__main__":
    main()
