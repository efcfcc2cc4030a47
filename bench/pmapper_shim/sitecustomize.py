"""Loaded (PYTHONPATH) only when bench/compare.py runs PMapper against moto_server:

- PMapper 1.1.5 imports `collections.Mapping` and friends, which Python 3.10 removed: they are
  aliased to `collections.abc`'s;
- moto's GetAccountAuthorizationDetails leaves out `PolicyName` of managed policies, which AWS
  always returns and PMapper reads: it is filled in from the ARN, as AWS would have it.

Neither changes what PMapper computes."""
import collections
import collections.abc

for _name in ("Mapping", "MutableMapping", "Sequence", "Iterable", "Callable"):
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))


def _named(parsed, **_):
    for policy in (parsed or {}).get("Policies", []):
        policy.setdefault("PolicyName", policy.get("Arn", "").rsplit("/", 1)[-1])


try:
    import botocore.session

    _init = botocore.session.Session.__init__

    def _session_init(self, *args, **kwargs):
        _init(self, *args, **kwargs)
        self.register("after-call.iam.GetAccountAuthorizationDetails", _named)

    botocore.session.Session.__init__ = _session_init
except ImportError:  # not PMapper's environment
    pass
