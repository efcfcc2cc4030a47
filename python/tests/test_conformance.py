"""The conformance corpus (tests/cases) as one call stream, answered through the generic API
(iamkit.call, PolicySet(...).call, Account(...).call) and checked by iamkit-conformance; every
answer is also validated against the contract's JSON Schema (the output of its call)."""

import json

import jsonschema

import iamkit
from conftest import conformance, contract

OPEN = {
    "policySet": iamkit.PolicySet,
    # an input that is not an object (a case of a refused shape) opens through the generic Handle
    "account": lambda i: iamkit.Account(i["details"], i.get("managedPolicyDocuments"), i.get("credentialReport"))
    if isinstance(i, dict) else iamkit.Handle("account", i),
    "organization": lambda i: iamkit.Organization(i["path"])
    if isinstance(i, dict) and set(i) == {"path"} else iamkit.Handle("organization", i),
}


def validators():
    """A validator of each call's answer (`kind.name` for a handle's) and of errors."""
    c = contract()
    check = lambda schema: jsonschema.Draft202012Validator({**schema, "$defs": c["$defs"]})  # noqa: E731
    out = {call["name"]: check(call["output"]) for call in c["calls"]}
    out.update({f"{h['kind']}.{call['name']}": check(call["output"]) for h in c["handles"] for call in h["calls"]})
    out["error"] = check(c["error"])
    return out


def test_the_corpus_through_the_generic_api(tmp_path, capsys):
    emitted = conformance("emit", check=True).stdout.splitlines()
    schemas, handles, answers, mismatches = validators(), {}, [], []
    for line in emitted:
        msg = json.loads(line)
        if "open" in msg:
            try:
                handles[msg["open"]] = OPEN[msg["kind"]](msg["input"])
            except iamkit.IamkitError as e:
                handles[msg["open"]] = e
            continue
        on = handles.get(msg.get("on"))
        name = f"{on.kind}.{msg['call']}" if isinstance(on, iamkit.Handle) else msg["call"]
        try:
            if isinstance(on, iamkit.IamkitError):
                answers.append({"id": msg["id"], "error": on.details})
                continue
            answer = (on or iamkit).call(msg["call"], msg["input"])
            answers.append({"id": msg["id"], "answer": answer})
            schema = schemas.get(name)
        except iamkit.IamkitError as e:
            answer, schema = e.details, schemas["error"]
            answers.append({"id": msg["id"], "error": e.details})
        for err in schema.iter_errors(answer) if schema else ():
            mismatches.append(f"{name} (id {msg['id']}): {err.message[:300]} at {err.json_path}")
    path = tmp_path / "python-answers.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in answers), encoding="utf-8")
    checked = conformance("check", "--label", "python", str(path))
    with capsys.disabled():
        print("\n" + checked.stdout.strip().splitlines()[-1])
    assert checked.returncode == 0, checked.stdout[-5000:] + checked.stderr
    assert not mismatches, f"{len(mismatches)} answers do not match the contract's schema:\n" + "\n".join(mismatches[:40])
