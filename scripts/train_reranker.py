"""Train the learned passage reranker of a small library (qa_service/answer/reranker.json) and
report how it generalises.

Data: the team's spent blind answer sets, eval/suites/answers-blind*.jsonl (patient questions
written from the library's pages by reviewers who saw no code, each labelled with the page and
section that answer it; a set is spent once its results were read). Only answerable questions
count; follow-ups are read with their history, as the service reads them.

Method (deterministic: fixed seed, sorted inputs):
1. Each question is retrieved as the service retrieves it, without the reranker, and the first
   `rerank_depth` passages get their features (qa_service.answer.rerank.FEATURES).
2. A passage is a positive when its page and section are the labelled ones.
3. A network with one hidden layer of HIDDEN ReLU units (scikit-learn MLPClassifier, L2 ALPHA)
   scores passages; the service orders them by that score.
4. Leave-one-set-out: fitted on the other sets, the held-out set's questions are ranked, and the
   share whose first passage is the answering section (and page) is printed against the fusion's.
   Then the model is fitted on every set.

Usage (needs an index of corpus/, e.g. the one scripts/run.sh builds in index/):
  .venv/bin/python scripts/train_reranker.py --index-dir index            # held-out figures
  .venv/bin/python scripts/train_reranker.py --index-dir index --write    # ... and write the model
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from qa_service.answer.rerank import FEATURES, MODEL_FILE, PassageRanker, RankerModel  # noqa: E402
from qa_service.pipeline import build_pipeline, pin_threads  # noqa: E402
from qa_service.settings import Settings  # noqa: E402

HIDDEN = 128
"""Hidden units. Round 12, leave-one-set-out on 1,452 questions of 23 spent sets with the two new
features: the answering section first for 72.5 % at 16 units, 74.1 % at 32, 75.2 % at 64, 77.2 %
at 128 (the 14 older features at 16 units: 71.0 %, at 32: 71.6 %)."""
ALPHA = 0.01
SEED = 0
OUT = REPO / "qa_service" / "answer" / MODEL_FILE

Question = tuple[str, np.ndarray, np.ndarray, np.ndarray]  # set, features, section hit, page hit


def section_matches(section: str, label: str | None) -> bool:
    """A cited heading path ("Treatment > Medicines") answers a label naming any of its headings."""
    return label is not None and (section == label or label in section.split(" > "))


def collect(index_dir: Path, files: list[Path]) -> list[Question]:
    """Features and labels of every answerable question's first passages, per set."""
    settings = Settings(index_dir=index_dir)
    settings.retrieval = settings.retrieval.model_copy(update={"small_library_rerank": False})
    pipeline = build_pipeline(settings)
    loaded = pipeline.index.get()
    ranker = PassageRanker(loaded.version, loaded.scorer.best_score, None)
    depth = settings.retrieval.rerank_depth
    out: list[Question] = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("expect_kind") != "answer" or not row.get("doc_ids"):
                continue
            history = [(m["role"], m["content"]) for m in row.get("history") or []]
            retrieval = loaded.retriever.retrieve(row["question"], history, k=depth)
            if not retrieval.hits:
                continue
            pages = np.array([h.chunk.doc_id in row["doc_ids"] for h in retrieval.hits])
            sections = pages & np.array(
                [section_matches(h.chunk.section, row.get("section")) for h in retrieval.hits]
            )
            out.append((path.name, ranker.features(retrieval), sections, pages))
    return out


def fit(questions: list[Question]) -> RankerModel:
    """The network fitted on `questions` (every passage a row, standardised)."""
    from sklearn.neural_network import MLPClassifier

    x = np.vstack([q[1] for q in questions])
    y = np.concatenate([q[2] for q in questions])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    net = MLPClassifier(hidden_layer_sizes=(HIDDEN,), alpha=ALPHA, max_iter=2000, random_state=SEED)
    net.fit((x - mean) / scale, y)
    return RankerModel(
        FEATURES,
        mean,
        scale,
        net.coefs_[0],
        net.intercepts_[0],
        net.coefs_[1].reshape(-1),
        float(net.intercepts_[1][0]),
        {},
    )


NOT_SPENT: tuple[str, ...] = (
    "answers-blind-23",
    "answers-blind-24",
    "answers-blind-25",
    "answers-blind-26",
    "answers-blind-27",
    "answers-blind-28",
    "answers-blind-29",
    "answers-blind-30",
)
"""Sets kept out of training: round 12's set, which measured this model, and rounds 13's to 18's
(all graded; the next retrain may take them in), so that the script reproduces the shipped
reranker.json."""


def first_right(questions: list[Question], model: RankerModel | None) -> tuple[float, float]:
    """Share of questions whose first passage is the answering section, and page."""
    section = page = 0
    for _, x, sections, pages in questions:
        i = int(np.argmax(model.score(x))) if model is not None else 0
        section += bool(sections[i])
        page += bool(pages[i])
    return section / len(questions), page / len(questions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", type=Path, required=True, help="an index of corpus/")
    parser.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(REPO)}")
    args = parser.parse_args()
    pin_threads(1)
    files = [
        p for p in sorted((REPO / "eval" / "suites").glob("answers-blind*.jsonl")) if p.stem not in NOT_SPENT
    ]
    questions = collect(args.index_dir, files)
    sets = sorted({q[0] for q in questions})
    held: dict[str, float] = {}
    base_all: list[Question] = []
    print(f"{len(questions)} questions from {len(sets)} sets; first passage = answering section (page)")
    for name in sets:
        test = [q for q in questions if q[0] == name]
        model = fit([q for q in questions if q[0] != name])
        (bs, bp), (rs, rp) = first_right(test, None), first_right(test, model)
        print(f"  {name:28s} fusion {bs:.3f} ({bp:.3f})  reranked {rs:.3f} ({rp:.3f})  n={len(test)}")
        held[name] = rs
        base_all += test
    fusion = first_right(questions, None)
    reranked = sum(held[q[0]] for q in questions) / len(questions)  # question-weighted
    print(f"all held out: fusion {fusion[0]:.3f} ({fusion[1]:.3f})  reranked {reranked:.3f}")
    model = fit(questions)
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()[:16]
    meta = {
        "trained_on": [p.name for p in files],
        "data_sha256": digest,
        "questions": len(questions),
        "held_out_section_first": {"fusion": round(fusion[0], 3), "reranked": round(reranked, 3)},
    }
    model = dataclasses.replace(model, meta=meta)
    if args.write:
        OUT.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
