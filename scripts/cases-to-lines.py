#!/usr/bin/env python3
"""Flattens tests/cases/eval into lines for the C test program: EXPECTED<TAB>DENIED_BY<TAB>CASE_JSON,
where EXPECTED is a decision or error:CODE and DENIED_BY is a step or '-'. Fails on an empty corpus."""
import json, pathlib, sys

def cases(path):
    text = path.read_text()
    s = text.lstrip()
    if s.startswith('['):
        return json.loads(text)
    dec, i, out = json.JSONDecoder(), 0, []
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return out
        obj, i = dec.raw_decode(text, i)
        out.append(obj)

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else 'tests/cases/eval')
n = 0
for f in sorted(root.glob('*.json*')):
    for c in cases(f):
        exp = c.get('expected') or {}
        want = 'error:' + exp['error']['code'] if 'error' in exp else exp.get('decision', '?')
        case = {'request': c['request'], 'policies': c.get('policies', {})}
        print(f"{want}\t{exp.get('deniedBy', '-')}\t{json.dumps(case, separators=(',', ':'))}")
        n += 1
if n == 0:
    sys.exit(f"no cases under {root}")
