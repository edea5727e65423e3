"""Train the learned warning-sign head (qa_service/triage/warning.py → warning.json).

Data (all spent: read after their round's figures were recorded, see eval/datasets.py):
- the near misses and dosing questions of the spent blind triage sets, labelled by their
  reviewer as naming a warning sign or not (`warning_sign`); their emergencies are left out (the
  head only speaks for messages triage did not call urgent);
- the questions of the spent blind answer sets: questions about the library, labelled as naming
  no warning sign (they carry none by construction; a line there reads as having no referent).
Sets written this round or never read (NOT_SPENT) are kept out, so they still measure the head.

Method (deterministic): each message is normalised and reduced to the text whose vector triage's
classifier reads for the whole message (hypothetical clauses dropped), embedded with the bundled
model, and a logistic regression (scikit-learn, L2 strength 1/C, classes weighted equally) is
fitted. Leave one set out: the head is fitted without a set and judges it, combined with the rules
as the service combines them (rules or head), so the figures printed are held out. The bars are
then chosen on those figures and the head is refitted on every set.

Usage:
  .venv/bin/python scripts/train_warning.py            # held-out figures for the bar grid
  .venv/bin/python scripts/train_warning.py --write    # … and write qa_service/triage/warning.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from eval.datasets import SUITES  # noqa: E402
from ingest import TransformerEmbedder  # noqa: E402
from qa_service.triage.safety import SafetyTriage  # noqa: E402
from qa_service.triage.warning import MODEL_FILE, WarningHead  # noqa: E402
from scripts.train_triage import prepared  # noqa: E402  (the whole-message text triage embeds)

OUT = REPO / "qa_service" / "triage" / MODEL_FILE
NOT_SPENT = (
    "triage-blind-t",
    "triage-blind-u",
    "triage-blind-v",
    "answers-blind-21",
    "answers-blind-22",
    "answers-blind-23",
    "triage-blind-w",
    "answers-blind-24",
    "triage-blind-x",
    "answers-blind-25",
    "triage-blind-y",
    "answers-blind-26",
    "triage-blind-z",
    "answers-blind-27",
    "answers-blind-28",
    "triage-blind-aa",
    "answers-blind-29",
    "triage-blind-ab",
    "triage-blind-ac",
    "triage-blind-ad",
    "triage-blind-ae",
    "answers-blind-30",
)
"""Never read (t, u, v, z, ad; w until round 14, x until round 15, y until round 16), or written in
rounds 11 to 17 (21 to 29, aa to ac): kept out of training so they still measure the head and the script
reproduces the shipped warning.json (only its abstention bar changed in round 12)."""
C = 8.0
BAR = 0.9
"""Answers and referrals. Held out (round 11): the line on 0.968 of warning signs against 0.953 by
the rules alone, on 3.4 % of library questions against 2.4 % (0.8: 0.969 and 4.1 %)."""
BAR_ABSTAIN = 0.3
"""Abstentions: a lower bar, since an abstention has no answer for the line to crowd. Round 12 (a
never-read set still had 3 warning signs with a bare abstention at 0.5), held out: 0.995 of warning
signs at 0.3 against 0.990 at 0.5, on 21.5 % of library questions against 13.1 % (on abstentions
only)."""
GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
MEDQUAD = REPO.parent / "shared" / "data" / "medquad" / "dev"
MEDQUAD_QUESTIONS = 1500
"""Templated MedQuAD questions added as negatives: without them the head put the line on 13.7 % of
the MedQuAD benchmark's questions ("What are the symptoms of …?" reads like "what are the signs of a
stroke?", a warning sign in the triage sets)."""
SEED = 20261201


def medquad_questions() -> list[str]:
    """MEDQUAD_QUESTIONS templated MedQuAD questions ("What are the symptoms of X?": library questions
    that name no warning sign), none about a page of the benchmark sample (sample1000), so the
    benchmark's questions stay unseen. Empty, with a message, when ../shared is absent."""
    if not (MEDQUAD / "questions_medquad.jsonl").is_file():
        print(f"skipping MedQuAD negatives: {MEDQUAD} is absent")
        return []
    read = (MEDQUAD / "questions_medquad_sample1000.jsonl").read_text(encoding="utf-8").splitlines()
    benchmark = {d for line in read for d in json.loads(line)["doc_ids"]}
    cases = [json.loads(line) for line in (MEDQUAD / "questions_medquad.jsonl").open(encoding="utf-8")]
    pool = sorted(c["question"] for c in cases if not benchmark & set(c["doc_ids"]))
    return random.Random(SEED).sample(pool, min(MEDQUAD_QUESTIONS, len(pool)))


def rows() -> list[tuple[str, str, int, str]]:
    """(set, question, label, kind): kind "triage" (a near miss or dosing), "answers" or "medquad"."""
    out: list[tuple[str, str, int, str]] = [("medquad", q, 0, "medquad") for q in medquad_questions()]
    for name, suite in sorted(SUITES.items()):
        if name in NOT_SPENT or not name.startswith(("triage-blind", "answers-blind")):
            continue
        for line in suite.path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            if name.startswith("triage-blind"):
                if case["expect_kind"] != "urgent":
                    out.append((name, case["question"], int(bool(case.get("warning_sign"))), "triage"))
            else:
                out.append((name, case["question"], 0, "answers"))
    return out


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """A balanced L2 logistic regression: (weights, bias)."""
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(x, y)
    return clf.coef_[0].astype(np.float32), float(clf.intercept_[0])


def main() -> None:
    """Held-out figures, then (with --write) the head fitted on every spent set."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(REPO)}")
    args = parser.parse_args()
    data = rows()
    embedder = TransformerEmbedder(dtype="fp32", threads=2)
    triage = SafetyTriage(embedder, warning_head=None)  # the rules and classifier without the head
    decisions = [triage.triage(q) for _, q, _, _ in data]
    keep = [i for i, d in enumerate(decisions) if d.kind != "urgent"]
    sets = np.array([data[i][0] for i in keep])
    y = np.array([data[i][2] for i in keep])
    kind = np.array([data[i][3] for i in keep])
    rule = np.array([decisions[i].warning is not None for i in keep])
    x = embedder.embed([prepared(data[i][1]) for i in keep])
    print(f"{len(keep)} messages from {len(set(sets))} spent sets; {int(y.sum())} name a warning sign")
    held = np.zeros(len(keep))
    for name in sorted(set(sets)):
        out = sets == name
        w, b = fit(x[~out], y[~out])
        held[out] = 1.0 / (1.0 + np.exp(-(x[out] @ w + b)))
    signs, plain, library = (kind == "triage") & (y == 1), (kind == "triage") & (y == 0), kind == "answers"
    medquad = kind == "medquad"
    print(f"rules alone: line on {rule[signs].mean():.3f} of warning signs, {rule[plain].mean():.3f} of "
          f"sign-less near misses, {rule[library].mean():.3f} of library questions, "
          f"{rule[medquad].mean():.3f} of MedQuAD questions")  # fmt: skip
    for bar in GRID:
        on = rule | (held >= bar)
        print(
            f"rules or head ≥ {bar}: {on[signs].mean():.3f} / {on[plain].mean():.3f} / "
            f"{on[library].mean():.3f} / {on[medquad].mean():.3f}"
        )
    if args.write:
        w, b = fit(x, y)
        meta = {"trained_on": sorted(set(sets)), "messages": len(keep), "C": C}
        head = WarningHead(w, b, BAR, BAR_ABSTAIN, embedder.model_id, meta)
        OUT.write_text(json.dumps(head.to_json()) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
