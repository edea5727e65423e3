"""Fit the abstention model (qa_service/answer/abstention.json) on ../shared/data/medquad/dev and print
how often it abstains and answers.

    .venv/bin/python scripts/calibrate_abstention.py --index-dir IDX            # figures only
    .venv/bin/python scripts/calibrate_abstention.py --index-dir IDX --write    # re-fit and save

IDX is an index of ../shared/data/medquad/corpus.jsonl. Questions: the 522 unanswerable ones
(must abstain), MedQuAD sample1000 and the consumer questions marked answerable (true or
"likely"; should be answered). They are split by topic, not by row (MedQuAD topic group; the drug
of a MedicationQA question; the first linked page of a consumer question): about 70 % of the
topics calibrate (fit the logistic regression, choose the decision point), the rest are held
out. The decision point is the laxest that still abstains on `--min-abstained` of the calibration
unanswerable questions; the intercept is shifted so that it is 0.5 (`WISDOM_ABSTENTION__MIN_CONFIDENCE`).
Features are cached in --cache (keyed by index version and question id).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qa_service.settings import get_settings

REPO = Path(__file__).resolve().parents[1]
DATA = get_settings().eval_medquad_dir
DEV = DATA / "dev"
MODEL_PATH = REPO / "qa_service" / "answer" / "abstention.json"


@dataclass
class Row:
    id: str
    group: str  # user-facing set: unanswerable-removed, unanswerable-drug, medquad, consumer-true, …
    topic: str
    answerable: bool
    triage: str  # none | refer | urgent | out_of_scope (SafetyTriage), or rejected (invalid request)
    features: dict[str, float]
    floors_ok: bool

    @property
    def heldout(self) -> bool:
        return int(hashlib.md5(self.topic.encode()).hexdigest(), 16) % 10 < 3


def load(name: str) -> list[dict[str, Any]]:
    with (DEV / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def questions() -> list[tuple[dict[str, Any], str, str, bool]]:
    """(row, group, topic, answerable)."""
    out: list[tuple[dict[str, Any], str, str, bool]] = []
    for r in load("questions_unanswerable.jsonl"):
        if r.get("topic_group"):
            out.append((r, "unanswerable: removed topics", r["topic_group"], False))
        else:
            out.append((r, "unanswerable: medication", "drug:" + str(r.get("focus", "")).lower(), False))
    for r in load("questions_medquad_sample1000.jsonl"):
        out.append((r, "answerable: MedQuAD", r["topic_group"], True))
    for r in load("questions_consumer.jsonl"):
        if r["answerable"] in (True, "likely"):
            links = r["doc_ids"] or r.get("topic_doc_ids") or [r["id"]]
            out.append((r, f"answerable: consumer ({r['answerable']})", "doc:" + links[0], True))
    return out


def feature_pass(index_dir: Path, cache: Path) -> list[Row]:
    os.environ["HF_HUB_OFFLINE"] = "1"
    from pydantic import ValidationError

    from qa_service.models import AskRequest
    from qa_service.pipeline import build_pipeline, pin_threads
    from qa_service.settings import Settings

    settings = Settings(_env_file=None, index_dir=index_dir)  # type: ignore[call-arg]
    pin_threads(settings.service_threads)
    pipeline = build_pipeline(settings)
    loaded = pipeline.index.get()
    version = loaded.version.version_id
    cached: dict[str, dict[str, Any]] = {}
    if cache.is_file():
        for line in cache.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if item["version"] == version:
                cached[item["id"]] = item
    rows: list[Row] = []
    with cache.open("a", encoding="utf-8") as out:
        for n, (r, group, topic, answerable) in enumerate(questions()):
            item = cached.get(r["id"])
            if item is None:
                item = {"id": r["id"], "version": version, "features": {}, "floors_ok": False}
                try:
                    request = AskRequest(question=r["question"][:2000])
                except ValidationError:
                    item["triage"] = "rejected"
                else:
                    decision = pipeline.triage.triage(request.question)
                    item["triage"] = decision.kind
                    if decision.kind in ("none", "refer"):
                        retrieval = loaded.retriever.retrieve(request.question, k=request.k)
                        if retrieval.hits:
                            floors = pipeline.assess(loaded, retrieval)
                            item["features"] = floors.features
                            item["floors_ok"] = floors.score > 0.0
                out.write(json.dumps(item) + "\n")
                if n % 200 == 0:
                    print(f"  features: {n} questions", flush=True)
            rows.append(
                Row(r["id"], group, topic, answerable, item["triage"], item["features"], item["floors_ok"])
            )
    return rows


def fit_logistic(
    x: np.ndarray, y: np.ndarray, weight: np.ndarray, l2: float, iterations: int = 50
) -> np.ndarray:
    """Weighted, L2-regularised logistic regression by Newton's method. x: standardised features
    with a leading column of ones (its coefficient, the intercept, is not penalised)."""
    beta = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(x @ beta)))
        gradient = x.T @ (weight * (p - y)) + penalty * beta
        hessian = (x * (weight * p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return beta


def decide(row: Row, answers: Callable[[dict[str, float]], bool]) -> str:
    """What the service does with the question: answer, refer (with information), declined
    (abstain, or refer with no information), urgent, rejected."""
    if row.triage in ("urgent", "rejected"):
        return row.triage
    if row.triage == "out_of_scope":
        return "declined"
    if not row.floors_ok or not answers(row.features):
        return "declined"
    return "refer" if row.triage == "refer" else "answer"


def report(title: str, rows: list[Row], answers: Callable[[dict[str, float]], bool]) -> None:
    print(f"\n{title}")
    groups = sorted({r.group for r in rows}, key=lambda g: (not g.startswith("unanswerable"), g))
    for group in groups:
        members = [r for r in rows if r.group == group]
        kinds = [decide(r, answers) for r in members]
        if group.startswith("unanswerable"):
            share = sum(k == "declined" for k in kinds) / len(kinds)
            extra = ", ".join(f"{k} {kinds.count(k)}" for k in ("urgent", "refer", "rejected") if k in kinds)
            print(
                f"  {group:34s} n={len(members):4d}  abstained {share:.3f}" + (f" ({extra})" if extra else "")
            )
        else:
            share = sum(k in ("answer", "refer") for k in kinds) / len(kinds)
            print(f"  {group:34s} n={len(members):4d}  answered  {share:.3f}")
    un = [r for r in rows if not r.answerable]
    if un:
        share = sum(decide(r, answers) == "declined" for r in un) / len(un)
        print(f"  {'unanswerable: all':34s} n={len(un):4d}  abstained {share:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index-dir", type=Path, required=True, help="An index of the MedQuAD corpus.")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/wisdom-abstention-features.jsonl"))
    parser.add_argument(
        "--min-abstained", type=float, default=0.89, help="Calibration unanswerable share to abstain on."
    )
    parser.add_argument("--consumer-weight", type=float, default=0.3)
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--write", action="store_true", help=f"Re-fit and write {MODEL_PATH.name}.")
    args = parser.parse_args()
    if not DEV.is_dir():
        print(f"skipped: {DEV} not found (the calibration reads ../shared/data/medquad).")
        return
    from qa_service.answer.abstention import default_model
    from qa_service.settings import Settings

    rows = feature_pass(args.index_dir, args.cache)
    calibration = [r for r in rows if not r.heldout]
    heldout = [r for r in rows if r.heldout]
    print(
        f"{len(rows)} questions; calibration {len(calibration)} "
        f"({len({r.topic for r in calibration})} topics), held out {len(heldout)} "
        f"({len({r.topic for r in heldout})} topics)"
    )
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    if args.write:
        model = fit(calibration, args.l2, args.consumer_weight, args.min_abstained)
        MODEL_PATH.write_text(json.dumps(model.to_dict(), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH}")
    else:
        model = default_model()
    threshold = settings.abstention.min_confidence
    print("features and coefficients (standardised):")
    for name, coef in zip(model.features, model.coef, strict=True):
        print(f"  {name:16s} {coef:+.3f}")

    def floors_only(values: dict[str, float]) -> bool:
        return True

    def calibrated(values: dict[str, float]) -> bool:
        return bool(model.score(values) >= threshold)

    floors = settings.abstention
    floors_label = f"cosine >= {floors.min_similarity}, sentence >= {floors.min_sentence_score}"
    report(f"floors only ({floors_label}), all dev questions:", rows, floors_only)
    report("calibrated model, calibration split:", calibration, calibrated)
    report("calibrated model, held-out split:", heldout, calibrated)
    report("calibrated model, all dev questions:", rows, calibrated)


def fit(calibration: list[Row], l2: float, consumer_weight: float, min_abstained: float) -> Any:
    """Fit on the calibration questions the model decides (past triage and the floors). The two
    classes weigh the same; within the answerable class the consumer questions get
    `consumer_weight` of the weight (they are few, but they are how patients ask). The decision
    point is the laxest at which `min_abstained` of the calibration unanswerable questions are
    still abstained on; the intercept is shifted to put it at 0.5."""
    from qa_service.answer.abstention import FEATURES, AbstentionModel

    deciding = [r for r in calibration if r.triage in ("none", "refer") and r.floors_ok]
    x = np.array([[r.features[f] for f in FEATURES] for r in deciding])
    y = np.array([1.0 if r.answerable else 0.0 for r in deciding])
    consumer = np.array([r.group.startswith("answerable: consumer") for r in deciding])
    medquad = (y == 1) & ~consumer
    weight = np.zeros(len(deciding))
    weight[y == 0] = 0.5 / max(1, int((y == 0).sum()))
    weight[medquad] = 0.5 * (1 - consumer_weight) / max(1, int(medquad.sum()))
    weight[consumer] = 0.5 * consumer_weight / max(1, int(consumer.sum()))
    weight *= len(deciding)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    beta = fit_logistic(z, y, weight, l2)
    logits = z @ beta
    n_unanswerable = sum(not r.answerable for r in calibration)
    declined_before = sum(not r.answerable and decide(r, lambda _: True) == "declined" for r in calibration)
    needed = int(np.ceil(min_abstained * n_unanswerable)) - declined_before
    ordered = np.sort(logits[y == 0])
    # Cut just above the `needed`-th lowest unanswerable logit: those below it are declined.
    cut = float(ordered[min(max(needed, 1), len(ordered)) - 1]) + 1e-4 if needed > 0 else float(ordered[0])
    return AbstentionModel(
        FEATURES,
        mean,
        scale,
        beta[1:],
        float(beta[0]) - cut,
        {
            "version": 1,
            "fitted_by": "scripts/calibrate_abstention.py --write",
            "data": "../shared/data/medquad/dev: unanswerable vs MedQuAD sample1000 + answerable "
            "consumer questions, calibration split (about 70 % of topics)",
            "l2": l2,
            "consumer_weight": consumer_weight,
            "min_abstained": min_abstained,
        },
    )


if __name__ == "__main__":
    main()
