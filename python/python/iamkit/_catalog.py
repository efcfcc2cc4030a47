"""The AWS service catalog iamkit embeds: action lookups, pattern expansion, the policy linter and
the console-style summary. All rules are in the native core."""

from __future__ import annotations

import json
from typing import Any, Mapping, Optional, Sequence, Union

from ._native import catalog_json

Json = Union[Mapping[str, Any], str]


def _query(q: dict) -> Any:
    return json.loads(catalog_json(json.dumps(q)))


def lookup_action(action: str) -> Optional[dict]:
    """An action (``service:Action``, any case): access level, resource types, condition keys; or
    ``None`` when the catalog does not list it."""
    return _query({"query": "action", "action": action})


def expand_actions(*patterns: str, not_action: bool = False) -> list:
    """The actions the patterns cover (``s3:Get*``, ``*:Describe*``), or with ``not_action`` every
    action they do not, as ``{"action", "access"}`` dicts."""
    return _query({"query": "expand", "patterns": list(patterns), "notAction": not_action})


def lint_policy(policy: Json, type: str = "identity") -> dict:
    """Lints a policy (a dict or JSON text) against the catalog, on top of the validator:
    ``{"valid", "findings": [{"code", "severity", "message", "location", "fix"}]}``."""
    return _query({"query": "lint", "policy": policy, "type": type})


def summarize_policy(policy: Json, type: str = "identity") -> dict:
    """The policy's access by service and access level, as the IAM console summarizes it."""
    return _query({"query": "summarize", "policy": policy, "type": type})


def review_policy(policy: Json, type: str = "identity") -> dict:
    """Lints and summarizes a policy in one reading: ``{"lint": <lint_policy's answer>,
    "summary": <summarize_policy's answer, or None when the policy has errors>}``."""
    return _query({"query": "review", "policy": policy, "type": type})


def catalog_source() -> dict:
    """Where the embedded catalog comes from, and its size."""
    return _query({"query": "source"})
