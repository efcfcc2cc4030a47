#!/usr/bin/env bash
# scripts/collect-org.sh against a stub `aws` replaying examples/demo-org: the organization files
# come out as the AWS CLI gave them, each reachable account's IAM data is written, the account the
# role cannot be assumed in is reported (exit 3), and `iamkit org summary` of the collected folder
# answers as for the replayed one. Usage: tests/collect-org/run.sh IAMKIT_BINARY
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:?the iamkit binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export IAMKIT_REPLAY=$root/examples/demo-org IAMKIT_STUB_LOG=$tmp/calls.log
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE
set +e
PATH="$root/tests/collect-org:$PATH" bash "$root/scripts/collect-org.sh" "$tmp/org" 2> "$tmp/stderr"
code=$?
set -e
[ "$code" = 3 ] || { echo "collect-org.sh exited $code (want 3: 555555555555 cannot be reached)" >&2; cat "$tmp/stderr" >&2; exit 1; }
grep -q "account 555555555555: cannot assume" "$tmp/stderr" || { echo "the unreachable account is not reported" >&2; exit 1; }
# every call was read-only
if grep -Ev '^(organizations (describe|list)-|sts (assume-role |get-caller-identity)|iam (get|list|generate-credential-report))' "$tmp/calls.log"; then
  echo "collect-org.sh made a call that is not read-only (above)" >&2
  exit 1
fi
python3 - "$IAMKIT_REPLAY" "$tmp/org" << 'PY'
import json, pathlib, sys
want, got = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for f in sorted((want / "organization").rglob("*.json")):
    g = got / f.relative_to(want)
    assert g.is_file(), f"missing {g}"
    assert json.loads(f.read_text()) == json.loads(g.read_text()), f"{g} differs from {f}"
for account in ["111111111111", "222222222222", "333333333333"]:
    d = got / "accounts" / account
    assert (d / "authorization-details.json").read_text() == (want / "accounts" / account / "authorization-details.json").read_text()
    for name in ["password-policy.json", "account-summary.json", "virtual-mfa-devices.json"]:
        assert (d / name).is_file(), f"missing {d / name}"
    assert not (d / "credential-report.json").exists(), "a report the account did not give was written"
assert (got / "accounts" / "555555555555" / "collect-error.txt").read_text().strip()
PY
# the collected folder answers as the replayed one (the accounts reached, their SCPs and administrators)
summary() {
  set +e
  "$bin" org summary "$1" --format jsonl | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print(r["accountId"], r.get("error", {}).get("code", ""), json.dumps(r.get("scps")), json.dumps((r.get("summary") or {}).get("administrators")))'
  set -e
}
diff <(summary "$IAMKIT_REPLAY") <(summary "$tmp/org")
# a call denied after the role was assumed: the account is reported, not saved half read
set +e
IAMKIT_STUB_DENY=222222222222:get-account-summary PATH="$root/tests/collect-org:$PATH" \
  bash "$root/scripts/collect-org.sh" "$tmp/denied" --accounts 222222222222,333333333333 2> "$tmp/stderr"
code=$?
set -e
[ "$code" = 3 ] || { echo "collect-org.sh exited $code with a denied call (want 3)" >&2; cat "$tmp/stderr" >&2; exit 1; }
grep -q AccessDenied "$tmp/denied/accounts/222222222222/collect-error.txt"
[ ! -e "$tmp/denied/accounts/333333333333/collect-error.txt" ] && [ -s "$tmp/denied/accounts/333333333333/account-summary.json" ]
denied=$("$bin" org summary "$tmp/denied" --format jsonl || true)
grep '"222222222222"' <<< "$denied" | grep -q 'could not be collected' ||
  { echo "the account whose collection failed is not reported by iamkit org" >&2; exit 1; }
echo "collect-org.sh: the organization, 4 accounts read, 1 reported unreachable, a denied call reported"
