"""Shared helpers: the conformance corpus in tests/cases (data shared by every language)."""

import json
import pathlib

CASES = pathlib.Path(__file__).resolve().parents[2] / "tests" / "cases"
WORKSPACE = pathlib.Path(__file__).resolve().parents[2]


def read_cases(path: pathlib.Path) -> list:
    """A file holds one case, an array of cases, or JSON lines."""
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        return json.loads(text)
    decoder, i, out = json.JSONDecoder(), 0, []
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return out
        obj, i = decoder.raw_decode(text, i)
        out.append(obj)


def corpus(area: str) -> list:
    files = sorted((CASES / area).glob("*.json*"))
    cases = [c for f in files for c in read_cases(f)]
    if not cases:
        raise RuntimeError(f"tests/cases/{area} is missing or empty")
    return cases
