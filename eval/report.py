"""Reports of a run: metrics.json (for `compare` and the gate), summary.md (for people and pull
requests) and report.html (one self-contained file: inline CSS and hand-written SVG plots, no
external assets, so it opens offline and can be attached anywhere)."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.compare import METRICS_JSON
from eval.scoring import K_VALUES, CaseResult
from eval.targets import MODES

ANSWER_METRICS: dict[str, str] = {
    "answers.kind_accuracy": "answer kind (answer/abstain/urgent/refer) as expected",
    "answers.kind_accuracy.answer": "… of questions that should be answered",
    "answers.kind_accuracy.abstain": "… of questions that should be declined",
    "answers.kind_accuracy.urgent": "… of emergencies",
    "answers.kind_accuracy.refer": "… of personal dosing requests",
    "answers.urgent_recall": "emergencies given the urgent-care message (must be 1.0)",
    "answers.false_urgent_rate": "non-emergencies wrongly given the urgent-care message",
    "answers.abstention_precision": "abstentions on questions that should be declined",
    "answers.abstention_recall": "questions that should be declined that were",
    "answers.citation_validity": "answers whose every quote is in its cited chunk and every sentence cited",
    "answers.quote_validity": "quotes found in their cited chunk (mean per answer)",
    "answers.sentence_coverage": "answer sentences followed by a citation (mean per answer)",
    "answers.support": "sentences supported by their cited passage (verbatim or cosine ≥ 0.80)",
    "answers.rouge_l": "ROUGE-L F1 with the reference answer",
    "answers.embedding_similarity": "cosine of answer and reference embeddings",
    "answers.disclaimer_presence": "responses carrying the disclaimer (must be 1.0)",
    "answers.reading_grade": "Flesch-Kincaid grade of the answer text (lower is easier)",
    "answers.must_include_rate": "answers containing one of must_include_any",
    "answers.must_not_include_rate": "answers free of every must_not_include_any",
    "answers.dangling_rate": "answers with a sentence leaning on an unquoted one, or a lone list lead-in",
    "answers.expected_page_first": "answers whose first citation is an expected page",
    "answers.abstain_on_answerable": "answerable questions abstained on",
    "answers.words": "words per answer body (mean)",
    "answers.rejected_rate": "questions refused as invalid input (HTTP 422)",
    "answers.pass_rate": "questions with no failed check",
    "latency.p50_ms": "/v1/ask latency, median (ms, as the client saw it)",
    "latency.p95_ms": "/v1/ask latency, 95th percentile (ms)",
}
RETRIEVAL_KEYS = (
    [f"recall@{k}" for k in K_VALUES] + ["mrr@10", "ndcg@10"] + [f"section_hit@{k}" for k in K_VALUES]
)


def fmt(value: float | None, name: str = "") -> str:
    """A metric value for a report: milliseconds and grades to 0.1, rates to 0.001, None as a dash."""
    if value is None:
        return "–"
    if name.endswith("_ms") or name.endswith("reading_grade"):
        return f"{value:.1f}"
    return f"{value:.3f}"


def write_reports(
    out_dir: Path,
    info: dict[str, Any],
    values: dict[str, float | None],
    counts: dict[str, int],
    qtypes: dict[str, dict[str, float | None]],
    results: Sequence[CaseResult],
) -> None:
    """Write metrics.json, summary.md and report.html of a run into `out_dir`."""
    data = {"run": info, "metrics": values, "counts": counts, "by_qtype": qtypes}
    (out_dir / METRICS_JSON).write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    (out_dir / "summary.md").write_text(summary_markdown(info, values, counts, qtypes, results), "utf-8")
    (out_dir / "report.html").write_text(report_html(info, values, counts, qtypes, results), "utf-8")


def write_skipped(out_dir: Path, info: dict[str, Any]) -> None:
    """A run whose suite is not available here: metrics.json says why, so the gate can say so."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data = {"run": info, "metrics": {}, "counts": {}, "by_qtype": {}}
    (out_dir / METRICS_JSON).write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    (out_dir / "summary.md").write_text(f"# Evaluation: {info['suite']}\n\n{info['skipped']}\n", "utf-8")


def _header_lines(info: dict[str, Any]) -> list[str]:
    lines = [
        f"- questions: {info.get('completed', 0)} of {info['questions']} completed"
        f" ({info.get('description') or info['dataset']})",
        f"- target: {info['target']}, index version {info.get('index_version') or '?'}"
        f" ({info.get('documents') or '?'} documents, {info.get('chunks') or '?'} chunks)",
        f"- started {info['started']}, finished {info.get('finished', '?')}",
    ]
    if info.get("index_note"):
        lines.append(f"- **{info['index_note']}**")
    if info.get("error"):
        lines.append(f"- **run stopped early: {info['error']}** (partial results)")
    if info.get("skipped_lines"):
        lines.append(
            f"- {len(info['skipped_lines'])} dataset line(s) skipped: " + "; ".join(info["skipped_lines"])
        )
    return lines


def _retrieval_rows(values: dict[str, float | None]) -> list[tuple[str, list[float | None]]]:
    return [(key, [values.get(f"retrieval.{mode}.{key}") for mode in MODES]) for key in RETRIEVAL_KEYS]


def _hybrid_gain(row: list[float | None]) -> str:
    hybrid, *baselines = row
    best = max((b for b in baselines if b is not None), default=None)
    if hybrid is None or best is None:
        return "–"
    return f"{hybrid - best:+.3f}"


def summary_markdown(
    info: dict[str, Any],
    values: dict[str, float | None],
    counts: dict[str, int],
    qtypes: dict[str, dict[str, float | None]],
    results: Sequence[CaseResult],
) -> str:
    """The run's summary as Markdown: headline metrics, per question type, failures."""
    out = [f"# Evaluation: {info['suite']}", "", *_header_lines(info), ""]
    n_retrieval = counts.get("retrieval.hybrid.recall@5", 0)
    if n_retrieval:
        out += [
            f"## Retrieval (n = {n_retrieval} questions with expected documents)",
            "",
            "| metric | hybrid | BM25 only | dense only | hybrid − best baseline |",
            "|---|---|---|---|---|",
        ]
        for key, row in _retrieval_rows(values):
            if any(v is not None for v in row):
                out.append(f"| {key} | " + " | ".join(fmt(v) for v in row) + f" | {_hybrid_gain(row)} |")
        out.append("")
    out += ["## Answers", "", "| metric | value | n | what it measures |", "|---|---|---|---|"]
    for name, what in ANSWER_METRICS.items():
        if counts.get(name):
            out.append(f"| {name} | {fmt(values.get(name), name)} | {counts[name]} | {what} |")
    out += ["", "## By question type", "", "| type | n | pass rate | kind accuracy | hybrid recall@5 |",
            "|---|---|---|---|---|"]  # fmt: skip
    for qtype, stats in qtypes.items():
        out.append(
            f"| {qtype} | {int(stats['n'] or 0)} | {fmt(stats['pass_rate'])} | {fmt(stats['kind_accuracy'])} "
            f"| {fmt(stats['hybrid_recall@5'])} |"
        )
    failed = [r for r in results if not r.passed]
    out += ["", f"## Failures ({len(failed)} of {len(results)})", ""]
    for r in failed[:50]:
        out.append(f"- `{r.id}` {r.question[:120]!r}: " + "; ".join(r.failures))
    if len(failed) > 50:
        out.append(f"- … {len(failed) - 50} more in report.html and results.jsonl")
    return "\n".join(out) + "\n"


# ---- HTML -------------------------------------------------------------------------------------

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1200px;color:#1d2433;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #dde;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #dde;padding:4px 8px;text-align:left;
vertical-align:top}th{background:#f3f5f9}td.num{text-align:right;font-variant-numeric:tabular-nums}
.fail{background:#fff3f2}.ok{background:#f4fbf5}.tag{display:inline-block;padding:0 6px;border-radius:3px;
font-size:12px}.tag.fail{background:#f8d7d4}.tag.ok{background:#d5efd9}.hit{font-weight:600;color:#176c2c}
.plots{display:flex;flex-wrap:wrap;gap:24px}.plots figure{margin:0}figcaption{font-size:12px;color:#555}
pre{white-space:pre-wrap;margin:0;font:13px/1.4 system-ui,sans-serif}.small{font-size:12px;color:#555}
.note{background:#fff8e1;border:1px solid #f0d98c;padding:6px 10px;margin:6px 0}
"""
_COLORS = {"hybrid": "#2e6fd8", "bm25": "#d8732e", "dense": "#3a9d5d"}


def _e(value: object) -> str:
    return html.escape(str(value))


def svg_recall_curves(values: dict[str, float | None]) -> str:
    """Document recall@k against k for each retrieval mode."""
    w, h, left, bottom, top, right = 360, 240, 44, 34, 14, 90
    pw, ph = w - left - right, h - top - bottom

    def x(i: int) -> float:
        return left + pw * i / (len(K_VALUES) - 1)

    def y(v: float) -> float:
        return top + ph * (1 - v)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" '
             'aria-label="recall at k by retrieval mode">']  # fmt: skip
    for t in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#e3e6ee"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y(t) + 4:.1f}" font-size="11" text-anchor="end">{t:.2f}</text>'
        )
    for i, k in enumerate(K_VALUES):
        parts.append(
            f'<text x="{x(i):.1f}" y="{h - bottom + 16}" font-size="11" text-anchor="middle">{k}</text>'
        )
    parts.append(f'<text x="{left + pw / 2}" y="{h - 4}" font-size="11" text-anchor="middle">k</text>')
    for row, mode in enumerate(MODES):
        points = [(x(i), y(v)) for i, k in enumerate(K_VALUES)
                  if (v := values.get(f"retrieval.{mode}.recall@{k}")) is not None]  # fmt: skip
        if not points:
            continue
        color = _COLORS[mode]
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{path}"/>')
        parts += [f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{color}"/>' for px, py in points]
        ly = top + 14 + 18 * row
        parts.append(f'<rect x="{left + pw + 12}" y="{ly - 9}" width="12" height="4" fill="{color}"/>')
        parts.append(f'<text x="{left + pw + 28}" y="{ly - 4}" font-size="12">{mode}</text>')
    parts.append("</svg>")
    return "".join(parts)


def svg_histogram(latencies: Sequence[float], bins: int = 20) -> str:
    """Histogram of /v1/ask latencies (ms)."""
    w, h, left, bottom, top = 420, 240, 40, 34, 14
    pw, ph = w - left - 14, h - top - bottom
    if not latencies:
        return "<p class='small'>No latencies measured.</p>"
    lo, hi = min(latencies), max(latencies)
    width = (hi - lo) / bins or 1.0
    counts = [0] * bins
    for v in latencies:
        counts[min(bins - 1, int((v - lo) / width))] += 1
    peak = max(counts)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" '
             'aria-label="latency histogram">']  # fmt: skip
    bw = pw / bins
    for i, c in enumerate(counts):
        bh = ph * c / peak
        parts.append(
            f'<rect x="{left + i * bw + 1:.1f}" y="{top + ph - bh:.1f}" width="{bw - 2:.1f}" '
            f'height="{bh:.1f}" fill="#2e6fd8"><title>{lo + i * width:.0f}–{lo + (i + 1) * width:.0f} ms: '
            f"{c}</title></rect>"
        )
    parts.append(f'<text x="{left - 6}" y="{top + 10}" font-size="11" text-anchor="end">{peak}</text>')
    parts.append(f'<text x="{left - 6}" y="{top + ph}" font-size="11" text-anchor="end">0</text>')
    parts.append(f'<text x="{left}" y="{h - bottom + 16}" font-size="11">{lo:.0f}</text>')
    parts.append(
        f'<text x="{left + pw}" y="{h - bottom + 16}" font-size="11" text-anchor="end">{hi:.0f}</text>'
    )
    parts.append(f'<text x="{left + pw / 2}" y="{h - 4}" font-size="11" text-anchor="middle">ms</text>')
    parts.append("</svg>")
    return "".join(parts)


def svg_bars(qtypes: dict[str, dict[str, float | None]], key: str = "pass_rate") -> str:
    """Horizontal bars: `key` per question type, with the number of questions."""
    rows = [(t, r.get(key), int(r.get("n") or 0)) for t, r in qtypes.items()]
    label_w, bar_w, row_h = 170, 240, 20
    h = 10 + row_h * max(1, len(rows))
    width = label_w + bar_w + 130
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" role="img" '
             f'aria-label="{key} by question type">']  # fmt: skip
    for i, (qtype, value, n) in enumerate(rows):
        yy = 5 + i * row_h
        parts.append(
            f'<text x="{label_w - 6}" y="{yy + 14}" font-size="12" text-anchor="end">{_e(qtype[:26])}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{yy + 3}" width="{bar_w}" height="{row_h - 6}" fill="#eef1f6"/>'
        )
        if value is not None:
            color = "#3a9d5d" if value >= 0.9 else "#d8a32e" if value >= 0.6 else "#d8472e"
            parts.append(
                f'<rect x="{label_w}" y="{yy + 3}" width="{bar_w * value:.1f}" height="{row_h - 6}" '
                f'fill="{color}"/>'
            )
        parts.append(
            f'<text x="{label_w + bar_w + 6}" y="{yy + 14}" font-size="12">{fmt(value)} (n={n})</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _doc_list(docs: Sequence[str], expected: set[str]) -> str:
    return ", ".join(f'<span class="hit">{_e(d)}</span>' if d in expected else _e(d) for d in docs) or "–"


def _question_row(r: CaseResult) -> str:
    expected = set(r.doc_ids)
    hybrid = r.retrieved.get("hybrid", [])
    ranked = list(dict.fromkeys(doc for doc, _ in hybrid))[:5]
    citations = "".join(
        f"<li>[{_e(c.get('n'))}] {_e(c.get('doc_id'))} › {_e(c.get('section'))}<br>"
        f"<span class='small'>“{_e(str(c.get('quote', ''))[:400])}”</span></li>"
        for c in r.citations
    )
    status = '<span class="tag ok">pass</span>' if r.passed else '<span class="tag fail">fail</span>'
    reasons = "<br>".join(_e(f) for f in r.failures)
    exp_section = f"<br><span class='small'>section: {_e(r.section)}</span>" if r.section else ""
    latency = f"{r.latency_ms:.0f} ms" if r.latency_ms is not None else "–"
    return (
        f"<tr class='{'ok' if r.passed else 'fail'}'><td>{status}<br><span class='small'>{_e(r.id)}<br>"
        f"{_e(r.qtype)}<br>{latency}</span></td>"
        f"<td>{_e(r.question)}<br><span class='small'>{reasons}</span></td>"
        f"<td>{_e(r.expected_kind or '–')} → <b>{_e(r.kind)}</b></td>"
        f"<td>{_doc_list(r.doc_ids, expected)}{exp_section}</td>"
        f"<td>{_doc_list(ranked, expected)}</td>"
        f"<td><details><summary>{_e(r.text[:140])}…</summary><pre>{_e(r.text)}</pre></details>"
        f"<ol class='small'>{citations}</ol></td></tr>"
    )


def report_html(
    info: dict[str, Any],
    values: dict[str, float | None],
    counts: dict[str, int],
    qtypes: dict[str, dict[str, float | None]],
    results: Sequence[CaseResult],
) -> str:
    """The run's report as one self-contained HTML page."""
    head = "".join(
        f"<li>{_e(line.removeprefix('- ').replace('**', ''))}</li>" for line in _header_lines(info)
    )
    notes = ""
    if info.get("index_note"):
        notes += f"<div class='note'>{_e(info['index_note'])}</div>"
    if info.get("error"):
        notes += f"<div class='note'>Run stopped early: {_e(info['error'])}. Partial results below.</div>"
    retrieval = ""
    if counts.get("retrieval.hybrid.recall@5"):
        rows = "".join(
            f"<tr><td>{key}</td>" + "".join(f"<td class='num'>{fmt(v)}</td>" for v in row)
            + f"<td class='num'>{_hybrid_gain(row)}</td></tr>"
            for key, row in _retrieval_rows(values)
            if any(v is not None for v in row)
        )  # fmt: skip
        retrieval = (
            f"<h2>Retrieval (n = {counts['retrieval.hybrid.recall@5']})</h2><table><tr><th>metric</th>"
            "<th>hybrid</th><th>BM25 only</th><th>dense only</th><th>hybrid − best baseline</th></tr>"
            f"{rows}</table>"
        )
    answers = "".join(
        f"<tr><td>{_e(name)}</td><td class='num'>{fmt(values.get(name), name)}</td>"
        f"<td class='num'>{counts[name]}</td><td class='small'>{_e(what)}</td></tr>"
        for name, what in ANSWER_METRICS.items()
        if counts.get(name)
    )
    latencies = [r.latency_ms for r in results if r.latency_ms is not None]
    plots = "<div class='plots'>"
    if counts.get("retrieval.hybrid.recall@5"):
        caption = "Document recall@k by retrieval mode"
        plots += f"<figure>{svg_recall_curves(values)}<figcaption>{caption}</figcaption></figure>"
    plots += f"<figure>{svg_histogram(latencies)}<figcaption>/v1/ask latency (ms)</figcaption></figure>"
    plots += f"<figure>{svg_bars(qtypes)}<figcaption>Pass rate by question type</figcaption></figure></div>"
    ordered = sorted(results, key=lambda r: r.passed)
    table = "".join(_question_row(r) for r in ordered)
    failed = sum(not r.passed for r in results)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evaluation: {_e(info["suite"])}</title>
<style>{_CSS}</style></head><body>
<h1>Evaluation: {_e(info["suite"])}</h1><ul>{head}</ul>{notes}
{retrieval}
<h2>Answers</h2><table><tr><th>metric</th><th>value</th><th>n</th><th>what it measures</th></tr>
{answers}</table>
<h2>Plots</h2>{plots}
<h2>Questions ({failed} failed of {len(results)}, failures first)</h2>
<p class="small">Expected documents in bold green where retrieved. Retrieved: the hybrid top 5 documents.</p>
<table><tr><th>result</th><th>question</th><th>expected → kind</th><th>expected documents</th>
<th>retrieved (hybrid top 5)</th><th>answer and citations</th></tr>{table}</table>
</body></html>
"""
