#!/usr/bin/env bash
# Every test in every language, from a fresh clone. The README's test command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Rust tests (unit, conformance, shared data, properties, doc tests)"
cargo test --workspace --locked

step "benchmarks compile and run once"
cargo test --benches --locked -p iamkit-core

step "CLI: validate a policy, then every conformance case end to end"
cargo build --locked -q -p iamkit-cli
bin=target/debug/iamkit
"$bin" validate --format text examples/policies/read-only-s3.json
if "$bin" validate examples/policies/broken.json >/dev/null; then
  echo "iamkit validate accepted a broken policy" >&2
  exit 1
fi
"$bin" eval examples/cases.json >/dev/null
summary=$("$bin" eval tests/cases/eval/*.json | tail -n 1)
echo "eval: $summary"
