"""Every text the assistant says that does not come from the corpus (see messages.yaml)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def messages() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("messages.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise RuntimeError("prompts/messages.yaml must be a mapping")
    return data


def message(path: str, **values: str) -> str:
    """A message by dotted path, e.g. message("urgent.general", emergency_number="911")."""
    node: Any = messages()
    for part in path.split("."):
        node = node[part]
    if not isinstance(node, str):
        raise KeyError(path)
    return node.format(**values) if values else node


def _template(key: str, placeholder: str) -> re.Pattern[str]:
    """A message of messages.yaml as a pattern over one whitespace-normalised paragraph, any text
    standing for its placeholder."""
    flat = re.escape(" ".join(messages()[key].split()))
    return re.compile(flat.replace(re.escape("{" + placeholder + "}"), r"\S.{0,200}?"))


@cache
def _framing() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    return (
        _template("lead_in", "topic"),
        _template("safety_net", "emergency_number"),
        _template("lead_in_pages", "topics"),
    )


def is_lead_in(paragraph: str) -> bool:
    """The paragraph is the answer's lead-in ("From our page “…”:")."""
    flat = " ".join(paragraph.split())
    lead, _, pages = _framing()
    return flat == message("lead_in_generic") or bool(lead.fullmatch(flat) or pages.fullmatch(flat))


def is_safety_net(paragraph: str) -> bool:
    """The paragraph is the safety-net line ("If this is happening now or getting worse, call …")."""
    return bool(_framing()[1].fullmatch(" ".join(paragraph.split())))


def with_safety_net(text: str, emergency_number: str) -> str:
    """`text` closed by the safety-net line (messages.yaml: safety_net): the reply answers the
    question first, then says when to call, as clinical safety-netting advice is given at the end
    of a consultation."""
    return f"{text}\n\n{message('safety_net', emergency_number=emergency_number)}"


def without_lead_in(text: str) -> str:
    """`text` without a first paragraph that is the answer's lead-in, so that a reply that brings
    its own preamble (a referral) has only one."""
    head, sep, rest = text.partition("\n\n")
    return rest if sep and is_lead_in(head) else text


def disclaimer() -> str:
    return message("disclaimer")


@cache
def vocabulary() -> dict[str, tuple[str, ...]]:
    """Patients' words → the library's (vocabulary.yaml), keys lower-case."""
    text = resources.files(__package__).joinpath("vocabulary.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise RuntimeError("prompts/vocabulary.yaml must be a mapping")
    out: dict[str, tuple[str, ...]] = {}
    for lay, library in data.items():
        terms = library if isinstance(library, list) else [library]
        out[str(lay).lower()] = tuple(str(t) for t in terms)
    return out
