"""/v1/ask/stream: Server-Sent Events in the order meta → delta+ → citation* → done, read with
httpx's streaming API; the stream says exactly what /v1/ask says."""

from __future__ import annotations

import httpx
import pytest

import prompts
from qa_service.pipeline import Pipeline
from tests.qa_service.conftest import Stream, ask, assert_disclaimer, assert_grounded, post_stream


def assert_well_formed(stream: Stream) -> None:
    assert stream.status == 200
    assert stream.content_type.startswith("text/event-stream")
    names = stream.names()
    n_deltas = names.count("delta")
    n_citations = names.count("citation")
    assert n_deltas >= 1
    assert names == ["meta"] + ["delta"] * n_deltas + ["citation"] * n_citations + ["done"], names
    meta, done = stream.data("meta")[0], stream.data("done")[0]
    assert meta == {"kind": done["kind"], "index_version": done["index_version"]}
    assert "".join(d["text"] for d in stream.data("delta")) == done["text"]
    assert stream.data("citation") == done["citations"]
    assert_disclaimer(done)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What are the side effects of IVIG?", "answer"),
        ("How much prednisone should I take?", "refer"),
        ("I can't breathe", "urgent"),
        ("Write me a poem", "abstain"),
    ],
)
def test_stream_matches_the_plain_answer(client: httpx.Client, question: str, kind: str) -> None:
    stream = post_stream(client, "/v1/ask/stream", {"question": question})
    assert_well_formed(stream)
    done = stream.data("done")[0]
    assert done["kind"] == kind
    plain = ask(client, question)
    assert (done["text"], done["citations"]) == (plain["text"], plain["citations"])
    if kind in ("urgent", "abstain"):
        assert "citation" not in stream.names()


def test_streamed_answer_is_grounded(client: httpx.Client, shared_pipeline: Pipeline) -> None:
    stream = post_stream(client, "/v1/ask/stream", {"question": "What is the CK test?"})
    assert_well_formed(stream)
    done = stream.data("done")[0]
    assert done["kind"] == "answer"
    assert len(stream.data("citation")) == len(done["citations"]) >= 1
    assert done["citations"][0]["doc_id"] == "ck-blood-test"
    assert_grounded(client, shared_pipeline, done)
    assert len(stream.data("delta")) > 1  # the text really arrives in pieces


def test_stream_uses_history(client: httpx.Client) -> None:
    history = [{"role": "user", "content": "What is dermatomyositis?"}]
    stream = post_stream(client, "/v1/ask/stream", {"question": "And how is it treated?", "history": history})
    assert_well_formed(stream)
    assert {c["doc_id"] for c in stream.data("citation")} == {"dermatomyositis"}


def test_each_delta_is_a_json_object_with_text(client: httpx.Client) -> None:
    stream = post_stream(client, "/v1/ask/stream", {"question": "I want to kill myself"})
    deltas = stream.data("delta")
    assert all(set(d) == {"text"} and d["text"] for d in deltas)
    assert "".join(d["text"] for d in deltas) == prompts.message(
        "urgent.self_harm", emergency_number="911", crisis_line="988", poison_line="1-800-222-1222"
    )
