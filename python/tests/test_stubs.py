"""The type stubs (_native.pyi) describe exactly what the native module exports."""

import ast
import pathlib

import iamkit
from iamkit import _native

STUB = pathlib.Path(iamkit.__file__).with_name("_native.pyi")


def stub_names():
    tree = ast.parse(STUB.read_text())
    top, members = set(), {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            top.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            top.add(node.target.id)
        if isinstance(node, ast.ClassDef):
            members[node.name] = {
                n.name if isinstance(n, ast.FunctionDef) else n.target.id
                for n in node.body
                if isinstance(n, ast.FunctionDef) or (isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name))
            }
    return top, members


def test_stubs_ship_with_the_package():
    assert STUB.is_file()
    assert STUB.with_name("py.typed").is_file()


def test_every_export_has_a_stub_and_every_stub_exists():
    top, members = stub_names()
    exported = {n for n in dir(_native) if not n.startswith("_") or n == "__version__"}
    aliases = {"Decision", "PolicyType", "JsonDoc"}  # typing aliases, not runtime names
    assert exported == top - aliases
    python_level = {"Account", "credentials", "NO_PASSWORD_POLICY", "AuditReport", "CredentialReport",
                    "CredentialRow", "Finding", "Special", "audit", "parse_credential_report",
                    "catalog_source", "expand_actions", "lint_policy", "lookup_action", "review_policy",
                    "summarize_policy"}
    assert set(iamkit.__all__) - python_level <= exported  # Python-level helpers
    for cls, names in members.items():
        obj = getattr(_native, cls)
        instance_only = {"code", "details"} if issubclass(obj, BaseException) else set()
        for name in names - {"__init__"} - instance_only:
            assert hasattr(obj, name), f"{cls}.{name} is in the stub but not in the module"
        public = {n for n in dir(obj) if not n.startswith("_")} - {"args", "with_traceback", "add_note"}
        missing = public - names
        assert not missing, f"{cls} has {missing} without a stub"
