"""How often a medicine is taken ("every day", "daily", "weekly") asks about its dosing
(qa_service/answer/intents.py): a refer reply to "can I take my methotrexate daily to make it work
faster?" quotes the page's warning that taking it every day by mistake can be fatal, not how long
it takes to work."""

from __future__ import annotations

import pytest

from qa_service.answer.intents import question_intents
from qa_service.models import AskRequest
from qa_service.pipeline import Pipeline
from tests.qa_service.conftest import flat


@pytest.mark.parametrize(
    "question",
    ["is azathioprine taken every day?", "do you take it daily or weekly", "can I take it twice a day"],
)
def test_how_often_is_a_dosing_question(question: str) -> None:
    assert "dosing" in question_intents(question)


def test_a_daily_methotrexate_question_quotes_the_weekly_warning(shared_pipeline: Pipeline) -> None:
    reply = shared_pipeline.ask(
        AskRequest(
            question="I've been on methotrexate for three weeks and nothing has changed. Could I take it "
            "daily instead so it kicks in sooner?"
        )
    )
    assert reply.kind == "refer"
    fact = "Taking methotrexate every day by mistake can cause serious harm"
    assert fact in flat(reply.text)
    assert any(c.doc_id == "methotrexate" and fact in flat(c.quote) for c in reply.citations)
