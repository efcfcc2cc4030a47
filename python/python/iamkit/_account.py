"""The entity model: an AWS account loaded from ``aws iam get-account-authorization-details``
output, queried with dicts in and dicts out. All IAM logic is in the native core."""

from __future__ import annotations

import datetime
import json
import os
from typing import Any, Iterable, Mapping, Optional, Union

from ._native import NativeAccount, credentials_json

Json = Union[Mapping[str, Any], str]


def _default(o: Any) -> Any:
    # boto3 returns dates as datetime objects
    if isinstance(o, (datetime.datetime, datetime.date)):
        return o.isoformat()
    raise TypeError(f"{type(o).__name__} is not JSON serializable")


def _text(doc: Any) -> str:
    if isinstance(doc, str):
        return doc
    return json.dumps(doc, default=_default)


def _options(managed_policy_documents: Optional[Mapping[str, Json]], credential_report: Any = None) -> Optional[str]:
    opts: dict = {}
    if managed_policy_documents:
        opts["managedPolicyDocuments"] = dict(managed_policy_documents)
    if credential_report is not None:
        if isinstance(credential_report, (bytes, bytearray)):
            credential_report = bytes(credential_report).decode("utf-8")
        elif isinstance(credential_report, Mapping):
            env = dict(credential_report)
            if isinstance(env.get("Content"), (bytes, bytearray)):
                env["Content"] = bytes(env["Content"]).decode("utf-8")
            env.pop("ResponseMetadata", None)
            credential_report = env
        opts["credentialReport"] = credential_report
    return json.dumps(opts, default=_default) if opts else None


class Account:
    """One AWS account: users, groups, roles, managed policies and instance profiles, compiled
    once; immutable and safe to share across threads. Queries release the GIL.

    >>> acct = Account.from_boto3(iam.get_account_authorization_details())   # doctest: +SKIP
    >>> [e["principal"] for e in acct.who_can("iam:CreateUser", "*")["allowed"]]  # doctest: +SKIP
    """

    __slots__ = ("_native",)

    def __init__(self, details_json: str, managed_policy_documents: Optional[Mapping[str, Json]] = None,
                 credential_report: Any = None):
        """Loads authorization details given as JSON text (one page, an array of pages, or pages
        one after another). ``managed_policy_documents`` maps ARNs of managed policies the output
        references but does not list to their documents; ``credential_report`` (CSV text or bytes,
        or the ``get_credential_report`` response) adds each user's console password, MFA and
        access keys."""
        self._native = NativeAccount(details_json, _options(managed_policy_documents, credential_report))

    @classmethod
    def from_json(cls, text: str, managed_policy_documents: Optional[Mapping[str, Json]] = None,
                  credential_report: Any = None) -> "Account":
        """Loads authorization details from JSON text."""
        return cls(text, managed_policy_documents, credential_report)

    @classmethod
    def from_file(cls, path: Union[str, os.PathLike], managed_policy_documents: Optional[Mapping[str, Json]] = None,
                  credential_report: Any = None) -> "Account":
        """Loads authorization details from a file (as ``aws iam get-account-authorization-details`` writes it)."""
        with open(path, encoding="utf-8") as f:
            return cls(f.read(), managed_policy_documents, credential_report)

    @classmethod
    def from_boto3(cls, response: Union[Mapping[str, Any], Iterable[Mapping[str, Any]]],
                   managed_policy_documents: Optional[Mapping[str, Json]] = None, credential_report: Any = None) -> "Account":
        """Loads what boto3 returns: one ``get_account_authorization_details`` response, or the
        pages of its paginator (a list or any iterable of responses). Dates may be datetimes."""
        pages = [response] if isinstance(response, Mapping) else list(response)
        return cls(json.dumps(pages, default=_default), managed_policy_documents, credential_report)

    def query(self, query: Mapping[str, Any]) -> Any:
        """Answers one query dict (``{"query": "summary" | "principals" | "evaluate" | "whoCan" |
        "whoCanAssume" | "permissions" | "isAdministrator", ...}``) with the answer as a dict."""
        return json.loads(self._native.query_json(json.dumps(query, default=_default)))

    def query_json(self, query_json: str) -> str:
        """Answers one query given as JSON text; returns JSON text (the entry point shared with C)."""
        return self._native.query_json(query_json)

    @staticmethod
    def _q(kind: str, context: Optional[Mapping[str, Any]], policies: Optional[Mapping[str, Any]], **fields: Any) -> dict:
        q = {"query": kind, **{k: v for k, v in fields.items() if v is not None}}
        if context:
            q["context"] = dict(context)
        if policies:
            q["policies"] = dict(policies)
        return q

    def summary(self) -> dict:
        """Counts, administrators (by evaluation) and the issues found while loading."""
        return self.query({"query": "summary"})

    def principals(self) -> list:
        """Every user and role, with its policies, boundary, groups and instance profiles."""
        return self.query({"query": "principals"})

    def evaluate(self, principal: str, action: str, resource: str, context: Optional[Mapping[str, Any]] = None,
                 policies: Optional[Mapping[str, Any]] = None, resource_account: Optional[str] = None) -> dict:
        """Decides one request of ``principal`` (an ARN, ``user/NAME``, ``role/NAME`` or a unique
        name) with its own policies, plus ``policies`` (``scps``, ``rcps``, ``resource``,
        ``session``). Returns ``{"principal", "decision", "explain", "incomplete"?}``."""
        return self.query(self._q("evaluate", context, policies, principal=principal, action=action,
                                  resource=resource, resourceAccount=resource_account))

    def who_can(self, action: str, resource: str, context: Optional[Mapping[str, Any]] = None,
                policies: Optional[Mapping[str, Any]] = None) -> dict:
        """Every user and role allowed ``action`` on ``resource``: ``{"allowed", "undecided"}``."""
        return self.query(self._q("whoCan", context, policies, action=action, resource=resource))

    def who_can_assume(self, role: str, policies: Optional[Mapping[str, Any]] = None) -> dict:
        """Who can become ``role``: ``{"role", "principals", "undecided", "trusted"}``."""
        return self.query(self._q("whoCanAssume", None, policies, role=role))

    def effective_permissions(self, principal: str) -> dict:
        """What ``principal`` may do, by service, net of its denies and its boundary."""
        return self.query({"query": "permissions", "principal": principal})

    def is_administrator(self, principal: str) -> bool:
        """Whether ``principal`` is allowed ``*`` on ``*`` (by evaluation)."""
        return bool(self.query({"query": "isAdministrator", "principal": principal})["administrator"])

    def __repr__(self) -> str:
        s = self.summary()
        return f"<iamkit.Account {s['accountId']}: {s['users']} users, {s['roles']} roles>"


def credentials(document: Json, as_of: Optional[str] = None) -> dict:
    """Reads an EC2 instance-metadata credential document (``{Code, LastUpdated, Type,
    AccessKeyId, SecretAccessKey, Token, Expiration}``) and reports it without its secrets:
    ``{"code", "type", "accessKeyId", "keyKind", "lastUpdated", "expiration", "expired"}``,
    expired as of ``as_of`` (ISO 8601; default now)."""
    return json.loads(credentials_json(_text(document), as_of))
