#!/usr/bin/env python3
"""Builds iamkit's privilege-escalation technique table from the pathfinding.cloud catalog
(DataDog/pathfinding.cloud, Apache-2.0), a copy of whose data/paths/ lives next to this repository
at ../shared/data/privesc-paths/ (see its README.md; commit and date are read from there).

    python3 scripts/gen-escalation-techniques.py          # write crates/iamkit-core/data/escalation-techniques.tsv
    python3 scripts/gen-escalation-techniques.py --check  # fail if the committed file differs from a fresh build

Output: comment lines (`# ...`: provenance, the upstream NOTICE, the column header), then one line
per technique, sorted by id, five tab-separated columns:

    id  name  category  required  services

`required` is `permissions.required[].permission` joined by `,` in the YAML's order; `services`
is the service principals (`*.amazonaws.com`) named in `prerequisites.admin`/`.lateral`,
deduplicated in first-seen order and joined by `,` (empty if none). Only these fields are taken
from upstream: no descriptions, recommendations or other text. One technique not in the catalog is
appended, with the id `iamkit-001`. The output is deterministic (same input, same bytes; LF).

Techniques of category new-passrole or existing-passrole that name no service principal are listed
on stderr so that the person running this can check them."""
import pathlib
import re
import sys
from typing import NoReturn

try:
    import yaml
except ImportError:
    sys.exit("error: PyYAML is required; install it with: python3 -m pip install pyyaml")

ROOT = pathlib.Path(__file__).resolve().parent.parent
SRC = ROOT.parent / "shared" / "data" / "privesc-paths"
OUT = ROOT / "crates" / "iamkit-core" / "data" / "escalation-techniques.tsv"
SCRIPT = "scripts/gen-escalation-techniques.py"
CATEGORIES = ("self-escalation", "principal-access", "new-passrole", "existing-passrole")
PASSROLE_CATEGORIES = ("new-passrole", "existing-passrole")
# a service principal, e.g. ec2.amazonaws.com, tasks.apprunner.amazonaws.com; the guards keep it
# from starting or ending inside a longer word
SERVICE_PRINCIPAL = re.compile(r"(?<![A-Za-z0-9.-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.amazonaws\.com(?![A-Za-z0-9-])")
UPSTREAM = re.compile(r"DataDog/pathfinding\.cloud @ ([0-9a-f]{7,40}) \((\d{4}-\d{2}-\d{2})\)")
EXTRA_COMMENT = ("# not in pathfinding.cloud: added by iamkit (a well-known path; see Rhino Security Labs' "
                 "\"AWS Privilege Escalation Methods\")")
EXTRA = ("iamkit-001", "iam:SetDefaultPolicyVersion", "self-escalation", "iam:SetDefaultPolicyVersion", "")


def fail(msg: str) -> NoReturn:
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(1)


def nonempty_str(value, what: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        fail(f"{where}: required field `{what}` is missing or not a non-empty string")
    return value


def prerequisite_texts(prereq, where: str) -> list[str]:
    """The admin then lateral prerequisite strings. A few files use the older flat-list form (or
    have none); those strings are scanned as they are."""
    if prereq is None:
        return []
    if isinstance(prereq, list):
        lists = [prereq]
    elif isinstance(prereq, dict):
        lists = [prereq.get("admin") or [], prereq.get("lateral") or []]
    else:
        fail(f"{where}: `prerequisites` is neither a mapping nor a list")
    texts = []
    for items in lists:
        if not isinstance(items, list):
            fail(f"{where}: a `prerequisites` list is not a list")
        for item in items:
            if isinstance(item, str):
                texts.append(item)
            elif isinstance(item, dict) and isinstance(item.get("condition"), str):
                texts.append(item["condition"])  # the schema's legacy {condition, type} form
            else:
                fail(f"{where}: a prerequisite is neither a string nor a {{condition: ...}} mapping")
    return texts


def technique(path: pathlib.Path) -> tuple[str, str, str, str, str]:
    where = str(path.relative_to(SRC))
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        fail(f"{where}: not valid YAML: {e}")
    if not isinstance(doc, dict):
        fail(f"{where}: not a YAML mapping")
    tid = nonempty_str(doc.get("id"), "id", where)
    name = nonempty_str(doc.get("name"), "name", where)
    category = nonempty_str(doc.get("category"), "category", where)
    if category not in CATEGORIES:
        fail(f"{where}: category `{category}` is not one of {', '.join(CATEGORIES)}")
    perms = doc.get("permissions")
    required = perms.get("required") if isinstance(perms, dict) else None
    if not isinstance(required, list) or not required:
        fail(f"{where}: required field `permissions.required` is missing or not a non-empty list")
    actions = []
    for i, entry in enumerate(required):
        if not isinstance(entry, dict):
            fail(f"{where}: permissions.required[{i}] is not a mapping")
        actions.append(nonempty_str(entry.get("permission"), f"permissions.required[{i}].permission", where))
    services: list[str] = []
    for text in prerequisite_texts(doc.get("prerequisites"), where):
        for m in SERVICE_PRINCIPAL.finditer(text):
            if m.group(0) not in services:
                services.append(m.group(0))
    for label, items in (("permission", actions), ("service", services)):
        for item in items:
            if "," in item:
                fail(f"{where}: {label} `{item}` contains a comma, the list separator")
    if tid != path.stem:
        print(f"warning: {where}: id `{tid}` differs from the file name", file=sys.stderr)
    return tid, name, category, ",".join(actions), ",".join(services)


def line(fields: tuple[str, ...], where: str) -> str:
    for f in fields:
        if "\t" in f or "\n" in f or "\r" in f:
            fail(f"{where}: field {f!r} contains a tab or a line break")
    return "\t".join(fields)


def build() -> str:
    if not SRC.is_dir():
        fail(f"the pathfinding.cloud catalog is missing: expected the directory {SRC} "
             "(../shared/data/privesc-paths relative to the repository root)")
    for name in ("README.md", "NOTICE", "LICENSE"):
        if not (SRC / name).is_file():
            fail(f"{SRC / name} is missing (the catalog must be kept with its README, NOTICE and LICENSE)")
    m = UPSTREAM.search((SRC / "README.md").read_text(encoding="utf-8"))
    if not m:
        fail(f"{SRC / 'README.md'} does not name the upstream as `DataDog/pathfinding.cloud @ <commit> (<date>)`")
    commit, date = m.groups()
    notice = (SRC / "NOTICE").read_text(encoding="utf-8").splitlines()
    files = sorted((SRC / "paths").glob("*/*.yaml"))
    if not files:
        fail(f"no YAML files under {SRC / 'paths'}")

    rows: dict[str, tuple] = {}
    origin: dict[str, str] = {}
    for path in files:
        row = technique(path)
        if row[0] in rows:
            fail(f"{path.relative_to(SRC)}: id `{row[0]}` occurs twice (also in {origin[row[0]]})")
        rows[row[0]] = row
        origin[row[0]] = str(path.relative_to(SRC))
    if EXTRA[0] in rows:
        fail(f"the catalog now has an id `{EXTRA[0]}`, the id of iamkit's own extra technique")
    if any(r[3] == EXTRA[3] for r in rows.values()):
        print(f"warning: the catalog now has a technique requiring just {EXTRA[3]}; "
              f"the extra line {EXTRA[0]} may be redundant", file=sys.stderr)

    out = [
        f"# generated by {SCRIPT} from pathfinding.cloud:",
        f"# DataDog/pathfinding.cloud @ {commit} ({date}), directory data/paths/,",
        "# licensed under the Apache License 2.0. The upstream NOTICE text follows:",
    ]
    out += [f"# {l}" for l in notice]
    out += [
        f"# do not edit: regenerate with python3 {SCRIPT}",
        "# " + "\t".join(("id", "name", "category", "required", "services")),
    ]
    out += [line(rows[k], origin[k]) for k in sorted(rows)]
    out += [EXTRA_COMMENT, line(EXTRA, f"the extra technique {EXTRA[0]}")]

    unchecked = [r for k, r in sorted(rows.items()) if r[2] in PASSROLE_CATEGORIES and not r[4]]
    if unchecked:
        print(f"note: {len(unchecked)} new-passrole/existing-passrole techniques name no service principal "
              "in their prerequisites (services column empty); please check them:", file=sys.stderr)
        for r in unchecked:
            print(f"  {r[0]}\t{r[2]}\t{r[1]}", file=sys.stderr)
    return "\n".join(out) + "\n"


def main() -> None:
    args = sys.argv[1:]
    if args not in ([], ["--check"]):
        sys.exit(f"usage: python3 {SCRIPT} [--check]")
    text = build()
    if args == ["--check"]:
        current = OUT.read_bytes() if OUT.is_file() else b""
        if current != text.encode("utf-8"):
            fail(f"{OUT.relative_to(ROOT)} is out of date: regenerate with python3 {SCRIPT}")
        print(f"{OUT.relative_to(ROOT)} is up to date", file=sys.stderr)
        return
    tmp = OUT.with_suffix(".tsv.tmp")
    tmp.write_bytes(text.encode("utf-8"))
    tmp.replace(OUT)
    count = sum(1 for l in text.splitlines() if l and not l.startswith("#"))
    print(f"wrote {OUT.relative_to(ROOT)}: {count} techniques", file=sys.stderr)


if __name__ == "__main__":
    main()
