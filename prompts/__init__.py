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
def _framing() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return _template("lead_in", "topic"), _template("safety_net", "emergency_number")


def is_lead_in(paragraph: str) -> bool:
    """The paragraph is the answer's lead-in ("Here is what our library says about …:")."""
    flat = " ".join(paragraph.split())
    return flat == message("lead_in_generic") or bool(_framing()[0].fullmatch(flat))


def is_safety_net(paragraph: str) -> bool:
    """The paragraph is the safety-net line ("If this is happening now or getting worse, call …")."""
    return bool(_framing()[1].fullmatch(" ".join(paragraph.split())))


def without_lead_in(text: str) -> str:
    """`text` without a first paragraph that is the answer's lead-in, so that a reply that brings
    its own preamble (a referral) has only one."""
    head, sep, rest = text.partition("\n\n")
    return rest if sep and is_lead_in(head) else text


def disclaimer() -> str:
    return message("disclaimer")
