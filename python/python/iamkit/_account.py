"""An AWS account loaded from ``get-account-authorization-details`` output: a handle of kind
``account``, with typed one-liners over its generic :meth:`Handle.call`. All IAM logic is in the
core."""

from __future__ import annotations

import os
from typing import Any, List, Mapping, Optional, Union

from ._calls import Doc, _given
from ._contract import (
    AccountEvaluation,
    Context,
    EffectivePermissions,
    Escalations,
    Policies,
    PrincipalInfo,
    Summary,
    WhoCan,
    WhoCanAssume,
)
from ._native import Handle, _error


# values the converter reads as they are (or refuses); any other iterable is a paginator's pages
_AS_IS = (dict, list, tuple, str, bytes, bytearray, memoryview, set, frozenset)


class Account(Handle):
    """One AWS account: users, groups, roles, managed policies and instance profiles, loaded once;
    immutable and safe to share between threads. Loading and queries release the GIL.

    ``details`` is the authorization details: a dict (one page), a list of pages, or JSON text (or
    bytes holding it; pages may follow one another). ``managed_policy_documents`` maps ARNs of
    managed policies the details reference but do not list to their documents;
    ``credential_report`` (CSV text or bytes, or the ``get_credential_report`` response) adds each
    user's console password, MFA and access keys.

    >>> acct = Account.from_boto3(iam.get_paginator("get_account_authorization_details").paginate())  # doctest: +SKIP
    >>> [e["principal"] for e in acct.who_can("iam:CreateUser", "*")["allowed"]]  # doctest: +SKIP
    """

    __slots__ = ()

    def __new__(cls, details: Doc, managed_policy_documents: Optional[Mapping[str, Doc]] = None,
                credential_report: Doc = None) -> "Account":
        return super().__new__(cls, "account", _given(
            details=details, managedPolicyDocuments=managed_policy_documents, credentialReport=credential_report))

    @classmethod
    def from_file(cls, path: Union[str, "os.PathLike[str]"], managed_policy_documents: Optional[Mapping[str, Doc]] = None,
                  credential_report: Doc = None) -> "Account":
        """Loads authorization details from a file, as ``aws iam get-account-authorization-details``
        writes it. A file that cannot be read is an ``IAM_IO`` error."""
        try:
            name = os.fspath(path)
        except TypeError:
            raise _error("IAM_INVALID_ARGUMENT", f"a path must be str or os.PathLike, not {type(path).__qualname__}") from None
        try:
            with open(name, "rb") as f:
                text = f.read()
        except OSError as e:
            raise _error("IAM_IO", f"cannot read {os.fsdecode(name)!r}: {e.strerror or e}") from e
        except ValueError as e:  # a NUL byte or a lone surrogate in the path
            raise _error("IAM_INVALID_ARGUMENT", f"the path cannot be opened: {e}") from e
        return cls(text, managed_policy_documents, credential_report)

    @classmethod
    def from_boto3(cls, response_or_pages: Any, managed_policy_documents: Optional[Mapping[str, Doc]] = None,
                   credential_report: Doc = None) -> "Account":
        """Loads what boto3 returns: one ``get_account_authorization_details`` response, a list of
        them, or its paginator's pages (any iterable of responses). Datetimes and
        ``ResponseMetadata`` are fine as they are."""
        pages = response_or_pages
        if not isinstance(pages, _AS_IS) and hasattr(type(pages), "__iter__"):
            try:
                pages = list(pages)
            except Exception as e:
                raise _error("IAM_INVALID_ARGUMENT",
                             f"the pages of a {type(response_or_pages).__qualname__} cannot be read: {type(e).__qualname__}") from e
        return cls(pages, managed_policy_documents, credential_report)

    def summary(self) -> Summary:
        """Counts, administrators (found by evaluation) and the issues found while loading."""
        return self.call("summary", {})

    def principals(self) -> List[PrincipalInfo]:
        """Every user and role, with its policies, boundary, groups and credentials."""
        return self.call("principals", {})

    def principal(self, principal: str) -> PrincipalInfo:
        """One user or role (an ARN, ``user/NAME``, ``role/NAME`` or a unique name), as
        :meth:`principals` lists it."""
        return self.call("principal", {"principal": principal})

    def evaluate(self, principal: str, action: str, resource: str, context: Context = None,
                 policies: Optional[Policies] = None, resource_account: Optional[str] = None,
                 literal_resource: bool = False) -> AccountEvaluation:
        """Decides one request of ``principal`` (an ARN, ``user/NAME``, ``role/NAME`` or a unique
        name) with its own policies, plus ``policies`` (``scps``, ``rcps``, ``resource``, ``session``,
        ``vpcEndpoint``). A ``resource`` holding ``*`` or ``?`` is a pattern (allowed on some resource
        it covers? ``explain["resourceWitness"]`` names one) unless ``literal_resource``."""
        return self.call("evaluate", _given(principal=principal, action=action, resource=resource,
                                            context=context, policies=policies, resourceAccount=resource_account,
                                            literalResource=literal_resource or None))

    def who_can(self, action: str, resource: str, context: Context = None, policies: Optional[Policies] = None,
                resource_account: Optional[str] = None, literal_resource: bool = False) -> WhoCan:
        """Every user and role allowed ``action`` on ``resource``: ``{"allowed", "undecided"?}``. A
        ``resource`` holding ``*`` or ``?`` is a pattern (each entry's ``resourceWitness`` names a
        resource it covers that the principal may act on) unless ``literal_resource``."""
        return self.call("whoCan", _given(action=action, resource=resource, context=context, policies=policies,
                                          resourceAccount=resource_account,
                                          literalResource=literal_resource or None))

    def who_can_assume(self, role: str, context: Context = None, policies: Optional[Policies] = None) -> WhoCanAssume:
        """Who can assume ``role``: principals of the account, and what the trust policy names outside it."""
        return self.call("whoCanAssume", _given(role=role, context=context, policies=policies))

    def effective_permissions(self, principal: str) -> EffectivePermissions:
        """What ``principal`` may do, by service, net of its denies and its boundary."""
        return self.call("permissions", {"principal": principal})

    def is_administrator(self, principal: str) -> bool:
        """Whether ``principal`` is allowed ``*`` on ``*`` (found by evaluation): the answer's
        ``administrator``."""
        return self.call("isAdministrator", {"principal": principal})["administrator"]

    def escalations(self, principal: Optional[str] = None, as_of: Optional[str] = None,
                    context: Context = None, policies: Optional[Policies] = None,
                    to: Optional[str] = None, resources: Any = None) -> Escalations:
        """Who can become an administrator, and how: each principal's shortest privilege-escalation
        path (only ``principal``'s when given), every hop decided by evaluation. ``as_of`` (RFC
        3339, default now) is the analysis instant time condition keys are set to; ``policies``
        may hold the SCP and RCP levels that apply to the account; ``to`` (a principal) asks who
        can obtain that principal's permissions instead. ``resources`` is a resource inventory:
        boto3's responses as they come (``lambda.list_functions()``, ``ec2.describe_instances()``,
        ``cloudformation.describe_stacks()``, ``codebuild.batch_get_projects()``), iamkit's
        ``{"complete": [...], "resources": [...]}``, or a list of these; a technique that takes
        over a running resource is then exact for the resources listed."""
        return self.call("escalations", _given(principal=principal, to=to, asOf=as_of,
                                                context=context, policies=policies,
                                                resources=resources))

    def __repr__(self) -> str:
        return "<iamkit.Account>"
