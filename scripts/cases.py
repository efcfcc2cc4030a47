#!/usr/bin/env python3
"""The account, audit and catalog cases for the C test programs (which have no JSON library).

emit AREA: prints one line per case of tests/cases/AREA, tab-separated, for the C program:
  account: NAME, DETAILS (inline, or read from ../shared/data/authorization-details/SAMPLE),
           OPTIONS or "-", QUERY
  audit:   NAME, INPUTS
  catalog: NAME, QUERY
check AREA ANSWERS: compares the answers the C program wrote (NAME<TAB>{"answer"|"error": ...})
  with each case's expectation as tests/README.md states it; prints "c AREA cases: N passed,
  N failed" and exits 1 on a failure or an empty corpus. A missing sample fails under CI=true."""
import json, os, pathlib, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / 'shared' / 'data' / 'authorization-details'


def cases(area):
    out = []
    for f in sorted((ROOT / 'tests' / 'cases' / area).glob('*.json')):
        out.extend(json.loads(f.read_text()))
    if not out:
        sys.exit(f"no cases under tests/cases/{area}")
    return out


def subset(exp, got):
    """Whether exp is a part of got: objects key by key, arrays element by element, scalars equal."""
    if isinstance(exp, dict):
        return isinstance(got, dict) and all(k in got and subset(v, got[k]) for k, v in exp.items())
    if isinstance(exp, list):
        return isinstance(got, list) and len(exp) == len(got) and all(subset(a, b) for a, b in zip(exp, got))
    if isinstance(exp, bool) or isinstance(got, bool):
        return exp is got
    return exp == got


def audit_met(expected, got):
    """Audit cases: contains / lacks findings, other members of the answer, or an error."""
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


def compact(v):
    return json.dumps(v, separators=(',', ':'))


def sample_missing(c):
    if 'sample' not in c or (SAMPLES / c['sample']).exists():
        return False
    if os.environ.get('CI') == 'true':
        sys.exit(f"missing sample {SAMPLES / c['sample']}")
    return True


def emit(area):
    for c in cases(area):
        if area == 'account':
            if sample_missing(c):
                continue
            details = compact(c['account']) if 'account' in c else compact(json.loads((SAMPLES / c['sample']).read_text()))
            options = compact(c['options']) if 'options' in c else '-'
            print(f"{c['name']}\t{details}\t{options}\t{compact(c['query'])}")
        elif area == 'audit':
            print(f"{c['name']}\t{compact(c['inputs'])}")
        else:
            print(f"{c['name']}\t{compact(c['query'])}")


def check(area, answers):
    got = {}
    for line in pathlib.Path(answers).read_text().splitlines():
        name, _, answer = line.partition('\t')
        got[name] = json.loads(answer)
    passed = failed = 0
    for c in cases(area):
        if area == 'account' and sample_missing(c):
            continue
        g = got.get(c['name'])
        ok = g is not None and (audit_met(c['expected'], g) if area == 'audit' else subset(c['expected'], g))
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {c['name']}: got {json.dumps(g)[:400]}", file=sys.stderr)
    print(f"c {area} cases: {passed} passed, {failed} failed")
    sys.exit(1 if failed or passed == 0 else 0)


if len(sys.argv) < 3 or sys.argv[1] not in ('emit', 'check') or sys.argv[2] not in ('account', 'audit', 'catalog'):
    sys.exit(__doc__)
if sys.argv[1] == 'emit':
    emit(sys.argv[2])
else:
    check(sys.argv[2], sys.argv[3])
