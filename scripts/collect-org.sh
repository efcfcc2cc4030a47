#!/usr/bin/env bash
# Collects an AWS Organization into the folder `iamkit org` reads, with read-only AWS CLI calls.
#
#   scripts/collect-org.sh ORG [--role ROLE] [--accounts ID,ID,...] [--no-accounts]
#
# Run it with credentials of the management account (or of a delegated administrator for AWS
# Organizations). It writes ORG/organization/ (the tree, the SCPs and RCPs with their targets) and,
# for each ACTIVE member account, ORG/accounts/<id>/ with the files `iamkit audit DIR` reads,
# reached by `aws sts assume-role` into ROLE of that account (default
# OrganizationAccountAccessRole; any role allowed the read-only calls below will do, e.g. one with
# SecurityAudit). The caller's own account is read with the credentials given. An account that
# cannot be read gets ORG/accounts/<id>/collect-error.txt (which `iamkit org` reports as that
# account's error) and the others go on; the exit status is 3 when some account failed. Accounts
# that are not ACTIVE (suspended, closed) are not read; `iamkit org` leaves them out unless their
# folder exists. Set AWS_RETRY_MODE=adaptive for large organizations (the Organizations API
# throttles).
#
# The calls (every list is paginated by the AWS CLI itself):
#   organizations describe-organization | list-roots | list-organizational-units-for-parent |
#     list-accounts-for-parent | list-policies --filter SERVICE_CONTROL_POLICY and
#     RESOURCE_CONTROL_POLICY | describe-policy | list-targets-for-policy
#   sts get-caller-identity | assume-role (one session per member account)
#   iam get-account-authorization-details | generate-credential-report | get-credential-report |
#     get-account-password-policy | get-account-summary | list-virtual-mfa-devices
# Needs bash, the AWS CLI (v2) and python3 (to read the ids out of the JSON answers).
set -euo pipefail

usage() { sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 1 ] || usage
out=$1
shift
role=OrganizationAccountAccessRole
only=""
members=1
while [ $# -gt 0 ]; do
  case $1 in
    --role) [ $# -ge 2 ] || usage; role=$2; shift 2 ;;
    --accounts) [ $# -ge 2 ] || usage; only=",$2,"; shift 2 ;;
    --no-accounts) members=0; shift ;;
    *) usage ;;
  esac
done

say() { printf 'collect-org: %s\n' "$*" >&2; }
call() { aws --output json "$@"; }
# ids FILE EXPRESSION: the values a Python expression over the JSON document `d` lists
ids() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print("\n".join(eval(sys.argv[2])))' "$1" "$2"; }

o=$out/organization
mkdir -p "$o/list-organizational-units-for-parent" "$o/list-accounts-for-parent" "$o/list-policies" \
  "$o/describe-policy" "$o/list-targets-for-policy"
call organizations describe-organization > "$o/describe-organization.json"
call organizations list-roots > "$o/list-roots.json"
management=$(ids "$o/describe-organization.json" '[d["Organization"].get("MasterAccountId", "")]')

# the tree, breadth first from each root
queue=$(ids "$o/list-roots.json" '[r["Id"] for r in d["Roots"]]')
accounts=""
while [ -n "$queue" ]; do
  next=""
  for parent in $queue; do
    call organizations list-organizational-units-for-parent --parent-id "$parent" \
      > "$o/list-organizational-units-for-parent/$parent.json"
    call organizations list-accounts-for-parent --parent-id "$parent" > "$o/list-accounts-for-parent/$parent.json"
    next="$next $(ids "$o/list-organizational-units-for-parent/$parent.json" '[u["Id"] for u in d["OrganizationalUnits"]]')"
    accounts="$accounts $(ids "$o/list-accounts-for-parent/$parent.json" \
      '[a["Id"] for a in d["Accounts"] if a.get("State", a.get("Status", "ACTIVE")) == "ACTIVE"]')"
  done
  queue=$(echo "$next" | xargs)
done

# the SCPs and RCPs enabled in the root, each with its content and targets
for kind in SERVICE_CONTROL_POLICY RESOURCE_CONTROL_POLICY; do
  enabled=$(ids "$o/list-roots.json" \
    "[t['Status'] for r in d['Roots'] for t in r.get('PolicyTypes', []) if t['Type'] == '$kind']")
  [ "$enabled" = ENABLED ] || continue
  call organizations list-policies --filter "$kind" > "$o/list-policies/$kind.json"
  for p in $(ids "$o/list-policies/$kind.json" '[p["Id"] for p in d["Policies"]]'); do
    call organizations describe-policy --policy-id "$p" > "$o/describe-policy/$p.json"
    call organizations list-targets-for-policy --policy-id "$p" > "$o/list-targets-for-policy/$p.json"
  done
done
say "the organization: $(echo $accounts | wc -w) active accounts"
[ "$members" = 1 ] || exit 0

# one account's IAM data, with the credentials in the environment; every call must succeed (the
# function runs in a subshell under `if`, where `set -e` does not apply: each call says so itself)
account_files() {
  local d=$1
  call iam get-account-authorization-details > "$d/authorization-details.json" || return 1
  # the report is generated at most every 4 hours; poll until it is complete (at most ~2 minutes);
  # a report that cannot be generated (no permission, ...) is left out, with the reason, and the
  # checks that need it are notEvaluated
  local state="" tries=0
  while [ "$state" != COMPLETE ]; do
    if ! state=$(call iam generate-credential-report --query State --output text); then
      say "account $(basename "$d"): no credential report (above)"
      break
    fi
    [ "$state" = COMPLETE ] && break
    tries=$((tries + 1))
    [ $tries -lt 60 ] || { say "account $(basename "$d"): the credential report is not ready after 2 minutes"; break; }
    sleep 2
  done
  if [ "$state" = COMPLETE ]; then
    call iam get-credential-report > "$d/credential-report.json" || return 1
  else
    rm -f "$d/credential-report.json"
  fi
  if ! call iam get-account-password-policy > "$d/password-policy.json" 2> "$d/.password-policy.err"; then
    if grep -q NoSuchEntity "$d/.password-policy.err"; then
      echo '{"Error": {"Code": "NoSuchEntity", "Message": "The account has no password policy"}}' > "$d/password-policy.json"
      rm -f "$d/.password-policy.err"
    else
      cat "$d/.password-policy.err" >&2
      rm -f "$d/.password-policy.err" "$d/password-policy.json"
      return 1
    fi
  fi
  call iam get-account-summary > "$d/account-summary.json" || return 1
  call iam list-virtual-mfa-devices > "$d/virtual-mfa-devices.json" || return 1
}

# the caller's own account is read with the credentials given; every other account, the
# management account too when a delegated administrator runs this, through the role
caller=$(call sts get-caller-identity --query Account --output text)
failed=0
for a in $accounts; do
  if [ -n "$only" ] && [[ $only != *",$a,"* ]]; then
    continue
  fi
  d=$out/accounts/$a
  mkdir -p "$d"
  rm -f "$d/collect-error.txt"
  if [ "$a" = "$caller" ]; then
    if ( account_files "$d" ) 2> "$d/collect-error.txt"; then
      rm -f "$d/collect-error.txt"
    else
      say "account $a: failed (see $d/collect-error.txt)"
      failed=$((failed + 1))
    fi
    continue
  fi
  if ! creds=$(aws sts assume-role --role-arn "arn:aws:iam::$a:role/$role" --role-session-name iamkit-collect \
      --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text 2> "$d/collect-error.txt"); then
    say "account $a: cannot assume $role (see $d/collect-error.txt)"
    failed=$((failed + 1))
    continue
  fi
  read -r key secret token <<< "$creds"
  if ( export AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=$token
       unset AWS_PROFILE AWS_DEFAULT_PROFILE; account_files "$d" ) 2> "$d/collect-error.txt"; then
    rm -f "$d/collect-error.txt"
  else
    say "account $a: failed (see $d/collect-error.txt)"
    failed=$((failed + 1))
  fi
done
say "done: $(echo $accounts | wc -w) accounts, $failed failed"
[ "$failed" = 0 ] || exit 3
