#!/usr/bin/env python3
"""The catalog cases for the C test program (which has no JSON library of its own).

emit [DIR]: prints NAME<TAB>QUERY (one line of JSON) per case of tests/cases/catalog.
check ANSWERS [DIR]: compares the answers the C program wrote (NAME<TAB>{"answer"|"error": ...})
  with each case's expected value (a part of the answer, as tests/README.md says); prints
  "N passed, N failed" and exits 1 on a failure or an empty corpus."""
import json, pathlib, sys

def cases(root):
    out = []
    for f in sorted(root.glob('*.json')):
        out.extend(json.loads(f.read_text()))
    if not out:
        sys.exit(f"no cases under {root}")
    return out

def subset(exp, got):
    if isinstance(exp, dict):
        return isinstance(got, dict) and all(k in got and subset(v, got[k]) for k, v in exp.items())
    if isinstance(exp, list):
        return isinstance(got, list) and len(exp) == len(got) and all(subset(a, b) for a, b in zip(exp, got))
    if isinstance(exp, bool) or isinstance(got, bool):
        return exp is got
    return exp == got

def main():
    mode = sys.argv[1]
    if mode == 'emit':
        root = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else 'tests/cases/catalog')
        for c in cases(root):
            print(f"{c['name']}\t{json.dumps(c['query'], separators=(',', ':'))}")
    elif mode == 'check':
        root = pathlib.Path(sys.argv[3] if len(sys.argv) > 3 else 'tests/cases/catalog')
        got = {}
        for line in pathlib.Path(sys.argv[2]).read_text().splitlines():
            name, _, answer = line.partition('\t')
            got[name] = json.loads(answer)
        passed = failed = 0
        for c in cases(root):
            g = got.get(c['name'])
            if g is not None and subset(c['expected'], g):
                passed += 1
            else:
                failed += 1
                print(f"FAIL {c['name']}", file=sys.stderr)
        print(f"c catalog cases: {passed} passed, {failed} failed")
        sys.exit(1 if failed or passed == 0 else 0)
    else:
        sys.exit(__doc__)

main()
