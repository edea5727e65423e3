"""Every text the assistant says that does not come from the corpus (see messages.yaml)."""

from __future__ import annotations

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


def without_lead_in(text: str) -> str:
    """`text` without a first paragraph that is the answer's lead-in ("Here is what our library
    says about …:"), so that a reply that brings its own preamble (a referral) has only one."""
    head, sep, rest = text.partition("\n\n")
    lead = messages()["lead_in"]
    before, _, after = lead.partition("{topic}")
    generic = head.strip() == message("lead_in_generic")
    if sep and (generic or (head.startswith(before) and head.rstrip().endswith(after))):
        return rest
    return text


def disclaimer() -> str:
    return message("disclaimer")
