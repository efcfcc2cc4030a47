"""The type stubs (_native.pyi) describe exactly what the native module exports, and the package's
__all__ exactly what it holds."""

import ast
import inspect
import pathlib

import iamkit
from iamkit import _native

STUB = pathlib.Path(iamkit.__file__).with_name("_native.pyi")
ALIASES = {"Input", "_H", "_P", "RowKey"}  # typing aliases and type variables, not runtime names
TEST_ONLY = {"_test_panic"}  # only in builds with the test-panic feature


def stub():
    """The stub's top-level names, each class's members (with its bases'), and its bases."""
    tree = ast.parse(STUB.read_text())
    top, members, bases = set(), {}, {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            top.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            top.add(node.target.id)
        elif isinstance(node, ast.Assign):
            top.update(t.id for t in node.targets if isinstance(t, ast.Name))
        if isinstance(node, ast.ClassDef):
            bases[node.name] = [b.id for b in node.bases if isinstance(b, ast.Name)]
            members[node.name] = {
                n.name if isinstance(n, ast.FunctionDef) else n.target.id
                for n in node.body
                if isinstance(n, ast.FunctionDef) or (isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name))
            }
    for name in members:
        for base in bases[name]:
            members[name] |= members.get(base, set())
    return top, members


def test_stubs_ship_with_the_package():
    assert STUB.is_file()
    assert STUB.with_name("py.typed").is_file()


def test_every_export_has_a_stub_and_every_stub_exists():
    top, members = stub()
    exported = {n for n in dir(_native) if not n.startswith("__") or n == "__version__"}
    assert exported - TEST_ONLY == top - ALIASES - TEST_ONLY
    for cls, names in members.items():
        obj = getattr(_native, cls)
        instance_only = {"code", "message", "location", "details"} if issubclass(obj, BaseException) else set()
        for name in names - {"__new__"} - instance_only:
            assert hasattr(obj, name), f"{cls}.{name} is in the stub but not in the module"
        public = {n for n in dir(obj) if not n.startswith("_")} - {"args", "with_traceback", "add_note"}
        missing = public - names
        assert not missing, f"{cls} has {missing} without a stub"


def test_the_stub_signatures_match_the_module():
    tree = ast.parse(STUB.read_text())
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and hasattr(_native, node.name):
            params = [a.arg for a in node.args.args]
            assert params == list(inspect.signature(getattr(_native, node.name)).parameters), node.name


def test_all_is_what_the_package_holds():
    assert sorted(iamkit.__all__) == sorted(set(iamkit.__all__))
    for name in iamkit.__all__:
        assert hasattr(iamkit, name), name
    public = {n for n, v in vars(iamkit).items() if not n.startswith("_") and not inspect.ismodule(v)}
    assert public == set(iamkit.__all__) - {"__version__"}
    for cls in (iamkit.InputError, iamkit.PolicyParseError, iamkit.PolicyValidationError, iamkit.RequestError,
                iamkit.AccountError, iamkit.AuditInputError, iamkit.InternalError):
        assert issubclass(cls, iamkit.IamkitError)
    assert issubclass(iamkit.PolicySet, iamkit.Handle) and issubclass(iamkit.Account, iamkit.Handle)
