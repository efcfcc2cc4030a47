#!/usr/bin/env python3
"""The audit cases for the C test program (which has no JSON library of its own).

emit [DIR]: prints NAME<TAB>INPUTS (one line of JSON) per case of tests/cases/audit.
check ANSWERS [DIR]: compares the answers the C program wrote (NAME<TAB>{"answer"|"error": ...})
  with each case's expectation (tests/README.md, "Audit cases"); prints "N passed, N failed" and
  exits 1 on a failure or an empty corpus."""
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

def met(expected, got):
    if 'error' in expected:
        return 'error' in got and subset(expected['error'], got['error'])
    answer = got.get('answer')
    if not isinstance(answer, dict):
        return False
    findings = answer.get('findings', [])
    if not all(any(subset(e, f) for f in findings) for e in expected.get('contains', [])):
        return False
    if any(any(subset(e, f) for f in findings) for e in expected.get('lacks', [])):
        return False
    return all(k in answer and subset(v, answer[k]) for k, v in expected.items() if k not in ('contains', 'lacks'))

def main():
    mode = sys.argv[1]
    if mode == 'emit':
        root = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else 'tests/cases/audit')
        for c in cases(root):
            print(f"{c['name']}\t{json.dumps(c['inputs'], separators=(',', ':'))}")
    elif mode == 'check':
        root = pathlib.Path(sys.argv[3] if len(sys.argv) > 3 else 'tests/cases/audit')
        got = {}
        for line in pathlib.Path(sys.argv[2]).read_text().splitlines():
            name, _, answer = line.partition('\t')
            got[name] = json.loads(answer)
        passed = failed = 0
        for c in cases(root):
            g = got.get(c['name'])
            if g is not None and met(c['expected'], g):
                passed += 1
            else:
                failed += 1
                print(f"FAIL {c['name']}", file=sys.stderr)
        print(f"c audit cases: {passed} passed, {failed} failed")
        sys.exit(1 if failed or passed == 0 else 0)
    else:
        sys.exit(__doc__)

main()
