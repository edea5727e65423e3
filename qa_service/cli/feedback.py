"""`wisdom feedback report`: what patients said about answers, worst page sections first, so an
operator knows which pages to fix. Reads WISDOM_FEEDBACK_DB (or --db); needs no index."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from qa_service.feedback import REASON_LABELS, FeedbackStore, FeedbackUnavailable
from qa_service.settings import get_settings, settings_problem

feedback_app = typer.Typer(help="What patients said about answers (POST /v1/feedback).", no_args_is_help=True)
_err = Console(stderr=True, soft_wrap=True)
_out = Console(soft_wrap=True)


def _reasons(tally: dict[str, int]) -> str:
    return ", ".join(f"{REASON_LABELS.get(r, r)} {n}" for r, n in sorted(tally.items(), key=lambda i: -i[1]))


@feedback_app.command("report")
def report(
    db: Annotated[
        Path | None, typer.Option("--db", help="Feedback database (default: WISDOM_FEEDBACK_DB).")
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Page sections to list.")] = 30,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole report as JSON.")] = False,
) -> None:
    """The unhelpful rate overall, by answer kind, and per page and section that answers cited."""
    try:
        path = db or get_settings().feedback_db
    except ValidationError as exc:
        _err.print(f"[bold red]error:[/] {escape(settings_problem(exc))}", highlight=False)
        raise typer.Exit(1) from None
    try:
        result = FeedbackStore(path).report()
    except FeedbackUnavailable as exc:
        _err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        raise typer.Exit(1) from None
    if as_json:
        _out.print_json(json.dumps(result.as_dict()))
        return
    if not result.rated:
        _out.print(f"No ratings yet in {path}.")
        return
    _out.print(
        f"{result.rated} ratings ({result.first} to {result.last}): {result.not_helpful} not helpful "
        f"({result.unhelpful_rate:.0%})."
        + (f" Reasons: {_reasons(dict(result.reasons))}." if result.reasons else ""),
        highlight=False,
    )
    kinds = Table("answer kind", "rated", "not helpful", "unhelpful rate", title="By kind of answer")
    for kind, (rated, bad) in result.by_kind.items():
        kinds.add_row(kind, str(rated), str(bad), f"{bad / rated:.0%}")
    _out.print(kinds)
    # one line per section (not a table: titles and sections stay whole, and lines can be grepped)
    _out.print(
        escape("By page section cited, worst first (not helpful/rated, rate, page › section [id], reasons):")
    )
    for row in result.pages[:top]:
        where = (
            f"{row.title} › {row.section} [{row.doc_id}]"
            if row.doc_id
            else "(a chunk no longer in the index)"
        )
        reasons = _reasons(dict(row.reasons))
        _out.print(
            f"  {row.not_helpful}/{row.rated}  {row.unhelpful_rate:4.0%}  {escape(where)}"
            + (f"  ({reasons})" if reasons else ""),
            highlight=False,
        )
    if len(result.pages) > top:
        _out.print(f"… and {len(result.pages) - top} more sections (--top to list more).")
