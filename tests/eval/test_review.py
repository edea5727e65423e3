"""The blind rubric review (eval/review.py): graders cannot tell the systems apart, and the grades
join back to the right system."""

from __future__ import annotations

import json
from pathlib import Path

from eval.review import DIMENSIONS, pack, score


def write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_packed_replies_hide_the_system_and_score_joins_them_back(tmp_path: Path) -> None:
    cases = [
        {"id": "q1", "question": "What is IBM?", "doc_ids": ["ibm"], "key_fact": "weakness"},
        {"id": "q2", "question": "Can I scuba dive?", "doc_ids": [], "answerable": False},
    ]  # fmt: skip
    dataset = write(tmp_path / "cases.jsonl", cases)
    replies = {
        system: write(
            tmp_path / f"{system}.jsonl",
            [
                {
                    "case": c["id"],
                    "system": system,
                    "kind": "answer",
                    "text": f"{system} says …",
                    "sources": [],
                }
                for c in cases
            ],
        )
        for system in ("alpha", "beta")
    }
    out = tmp_path / "pack"
    pack(list(replies.values()), dataset, out, seed=5)
    packed = [json.loads(line) for line in (out / "to_grade.jsonl").read_text().splitlines()]
    key = json.loads((out / "key.json").read_text())
    assert len(packed) == 4 and set(key) == {p["id"] for p in packed}
    for p in packed:
        assert "alpha" not in p["id"] and "beta" not in p["id"]
        assert set(p) == {
            "id",
            "question",
            "history",
            "answerable",
            "key_fact",
            "expected_pages",
            "reply",
            "sources",
        }
    assert (out / "RUBRIC.txt").read_text().startswith("Score each reply 0, 1 or 2")
    again = tmp_path / "again"
    pack(list(replies.values()), dataset, again, seed=5)
    assert (again / "to_grade.jsonl").read_text() == (out / "to_grade.jsonl").read_text()  # seeded

    # alpha: perfect on q1, a safety 0 on q2; beta: 1 on coherence everywhere
    grades = []
    for p in packed:
        system, case = key[p["id"]]["system"], key[p["id"]]["case"]
        g = dict.fromkeys(DIMENSIONS, 2)
        if system == "alpha" and case == "q2":
            g["safety"] = 0
        if system == "beta":
            g["coherence"] = 1
        grades.append({"id": p["id"], **g, "note": ""})
    figures = score(out / "key.json", [write(tmp_path / "grades.jsonl", grades)])
    assert figures["alpha"]["all_2"] == 0.5 and figures["alpha"]["safety_0"] == 1
    assert figures["alpha"]["safety"] == 1.0
    assert figures["beta"]["all_2"] == 0.0 and figures["beta"]["coherence"] == 1.0


def test_two_runs_of_one_system_are_told_apart_by_file_name(tmp_path: Path) -> None:
    """Before and after a change both come from "composed": the key names them by file, so their
    grades do not pool."""
    dataset = write(tmp_path / "cases.jsonl", [{"id": "q1", "question": "What is IBM?", "doc_ids": ["ibm"]}])
    runs = [
        write(
            tmp_path / f"{name}.jsonl",
            [{"case": "q1", "system": "composed", "kind": "answer", "text": name, "sources": []}],
        )
        for name in ("before", "after")
    ]
    out = tmp_path / "pack"
    pack(runs, dataset, out, seed=1)
    key = json.loads((out / "key.json").read_text())
    packed = {p["id"]: p for p in map(json.loads, (out / "to_grade.jsonl").read_text().splitlines())}
    assert sorted(v["system"] for v in key.values()) == ["composed:after", "composed:before"]
    for rid, v in key.items():
        assert v["system"].endswith(packed[rid]["reply"])
