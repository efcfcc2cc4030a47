"""An AWS Organization read from a folder (``scripts/collect-org.sh`` fills it): a handle of kind
``organization``, with typed one-liners over its generic :meth:`Handle.call`. Each call answers
every account (or those named in ``accounts``), each account with its own SCPs and RCPs, side by
side on ``threads`` threads (default: one per core) with the GIL released. All IAM logic is in the
core; ``iamkit.spark`` runs the same calls inside Spark executors."""

from __future__ import annotations

import os
from typing import List, Optional, Sequence, Union

from ._calls import _given
from ._contract import AuditOptions, Context, Member, OrgAnswer, Policies
from ._native import Handle, _error


def _ids(accounts: Optional[Sequence[str]]) -> Optional[List[str]]:
    if accounts is None:
        return None
    if isinstance(accounts, str):
        raise _error("IAM_INVALID_ARGUMENT", "accounts must be a sequence of account ids, not one string")
    return list(accounts)


class Organization(Handle):
    """An AWS Organization: its tree, SCPs and RCPs read once; each account's folder read when a
    call asks about it (memory holds the accounts in flight, not the organization).

    >>> org = Organization("examples/demo-org")  # doctest: +SKIP
    >>> [a["accountId"] for a in org.assume()["accounts"] if a.get("assume")]  # doctest: +SKIP
    ['333333333333']
    """

    __slots__ = ()

    def __new__(cls, path: Union[str, "os.PathLike[str]"]) -> "Organization":
        try:
            name = os.fspath(path)
        except TypeError:
            raise _error("IAM_INVALID_ARGUMENT", f"a path must be str or os.PathLike, not {type(path).__qualname__}") from None
        return super().__new__(cls, "organization", {"path": name})

    def members(self) -> List[Member]:
        """The member accounts the organization lists, in id order (``members``)."""
        return self.call("members", {})

    def summary(self, accounts: Optional[Sequence[str]] = None, threads: Optional[int] = None) -> OrgAnswer:
        """Each account's OU path, SCPs and RCPs by level, counts and administrators
        (``summary``). ``accounts=[]`` reads the tree alone."""
        return self.call("summary", _given(accounts=_ids(accounts), threads=threads))

    def audit(self, options: Optional[AuditOptions] = None, accounts: Optional[Sequence[str]] = None,
              threads: Optional[int] = None) -> OrgAnswer:
        """Each account's audit under its SCPs and RCPs, with the organization's checks
        (``audit``)."""
        return self.call("audit", _given(options=options, accounts=_ids(accounts), threads=threads))

    def who_can(self, action: str, resource: str, context: Context = None, policies: Optional[Policies] = None,
                literal_resource: bool = False, resource_account: Optional[str] = None,
                accounts: Optional[Sequence[str]] = None, threads: Optional[int] = None) -> OrgAnswer:
        """Who in each account can do ``action`` on ``resource``; a resource of another account is
        decided with its RCPs, an STS action on one of its roles with the role's trust policy
        (``whoCan``). A single resource whose ARN names no account (an S3 object) needs
        ``resource_account``."""
        return self.call("whoCan", _given(action=action, resource=resource, context=context, policies=policies,
                                          literalResource=literal_resource or None, resourceAccount=resource_account,
                                          accounts=_ids(accounts), threads=threads))

    def escalations(self, as_of: Optional[str] = None, accounts: Optional[Sequence[str]] = None,
                    threads: Optional[int] = None) -> OrgAnswer:
        """Each account's privilege-escalation paths under its SCPs (``escalations``)."""
        return self.call("escalations", _given(asOf=as_of, accounts=_ids(accounts), threads=threads))

    def assume(self, accounts: Optional[Sequence[str]] = None, threads: Optional[int] = None) -> OrgAnswer:
        """Who in each account can assume roles of other accounts (``assume``)."""
        return self.call("assume", _given(accounts=_ids(accounts), threads=threads))

    def __repr__(self) -> str:
        return "<iamkit.Organization>"
