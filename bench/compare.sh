#!/usr/bin/env bash
# iamkit beside its peers, from one run on the same generated inputs (issue 13, "One benchmark
# command"). From a checkout with ../shared beside it:
#
#   bash bench/compare.sh              the full run (< 15 minutes once built; prints the table)
#   bash bench/compare.sh --quick      a smaller smoke run (every row, smaller inputs, 1 repeat)
#   bash bench/compare.sh --readme     the full run, then rewrites README.md's "Measured" table
#                                      (between <!-- measured:start --> and <!-- measured:end -->)
#   options: --reps N (timings repeated N times, the median kept; default 3, --quick 1)
#
# What it does:
# 1. builds iamkit in release: the CLI (cargo build --release -p iamkit-cli), the Node addon
#    (npm run build in node/), the Python package (pip install ./python into a venv);
# 2. installs the peers AT RUN TIME from the package registries into target/bench-peers/ (never
#    vendored, never committed, never shipped): @cloud-copilot/iam-simulate and its policy parser
#    @cloud-copilot/iam-policy (npm), the iam-rs crate (crates.io, in a scratch cargo project),
#    pandas (PyPI, in the venv); Python's csv module is the standard library's; PMapper
#    (principalmapper) and moto_server (PyPI, in their own venv: PMapper reads an account only
#    through the AWS API, so the lab is loaded into moto_server first);
# 3. builds the in-process drivers (bench/rust/*.rs) in scratch cargo projects;
# 4. runs bench/compare.py: generates the inputs (bench/gen_inputs.py, deterministic), times every
#    row of the issue's targets table, and prints iamkit's figure, each peer's and the ratio.
#
# A peer that cannot be installed or built is reported "n/a" with the reason; only iamkit's own
# CLI build failing stops the run. Exit status: 1 when one of iamkit's own figures is n/a (the
# harness or iamkit broke), else 0 whatever the targets (it is a benchmark, not a timed test).
# Every figure, and the cases the evaluators decide differently, are saved under
# target/bench-peers/results/. Peer versions are pinned below for reproducible figures; override
# one with its variable (e.g. IAM_SIMULATE_VERSION=latest bash bench/compare.sh).
set -uo pipefail # no -e: each step reports its own failure
script=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$script")/.."
root=$PWD
scratch=$root/target/bench-peers
IAM_SIMULATE_VERSION=${IAM_SIMULATE_VERSION:-0.1.173}
IAM_POLICY_VERSION=${IAM_POLICY_VERSION:-0.1.109}
IAM_RS_VERSION=${IAM_RS_VERSION:-0.8.0}
PANDAS_VERSION=${PANDAS_VERSION:-3.1.1}
PMAPPER_VERSION=${PMAPPER_VERSION:-1.1.5}
MOTO_VERSION=${MOTO_VERSION:-5.2.5}

quick=0
readme=0
reps=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --readme) readme=1 ;;
    --reps) reps=$2; shift ;;
    -h | --help) sed -n '2,27p' "$script"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$quick" = 1 ] && [ "$readme" = 1 ]; then
  echo "--readme needs a full run: the README's figures are never the quick run's" >&2
  exit 2
fi
[ -n "$reps" ] || reps=$([ "$quick" = 1 ] && echo 1 || echo 3)

mkdir -p "$scratch/logs"
status=$scratch/status.txt # one line per unavailable part: NAME<TAB>reason
: > "$status"
started=$(date +%s)
step() { printf '\n==> %s\n' "$*" >&2; }
# na NAME REASON LOG: record that NAME is unavailable, with the log's last lines as the reason
na() {
  local reason=$2
  [ -n "${3:-}" ] && [ -s "$3" ] && reason="$reason: $(tail -n 3 "$3" | tr '\n\t' '  ' | cut -c1-300)"
  printf '%s\t%s\n' "$1" "$reason" >> "$status"
  echo "   n/a: $1 ($reason)" >&2
}

step "iamkit: release CLI"
if ! cargo build --release --locked -q -p iamkit-cli 2> "$scratch/logs/cli.log"; then
  cat "$scratch/logs/cli.log" >&2
  echo "cannot build iamkit's CLI: nothing to measure" >&2
  exit 1
fi

step "iamkit: the Node addon (npm run build in node/)"
(
  cd node || exit 1
  [ -x node_modules/.bin/napi ] || npm ci --no-audit --no-fund --loglevel=error
  npm run build --silent
) > "$scratch/logs/node-addon.log" 2>&1 || na iamkit-node "npm run build in node/ failed" "$scratch/logs/node-addon.log"

step "Python venv (target/bench-peers/venv): iamkit from pip install ./python, pandas $PANDAS_VERSION"
venv=$scratch/venv
py=$venv/bin/python
if [ ! -x "$py" ]; then
  python3 -m venv "$venv" > "$scratch/logs/venv.log" 2>&1 || na python "python3 -m venv failed" "$scratch/logs/venv.log"
fi
if [ -x "$py" ]; then
  # reinstall iamkit only when the sources it is built from changed (a stamp of their git state)
  stamp=$( (git rev-parse HEAD; git status --porcelain -- crates python Cargo.lock; git diff HEAD -- crates python Cargo.lock) | sha256sum | cut -c1-16)
  if [ "$(cat "$venv/iamkit.stamp" 2>/dev/null)" != "$stamp" ] || ! "$py" -c 'import iamkit' 2>/dev/null; then
    if "$py" -m pip install -q --upgrade pip > "$scratch/logs/python-iamkit.log" 2>&1 &&
      "$py" -m pip install -q --force-reinstall ./python >> "$scratch/logs/python-iamkit.log" 2>&1; then
      echo "$stamp" > "$venv/iamkit.stamp"
    else
      na iamkit-python "pip install ./python failed" "$scratch/logs/python-iamkit.log"
    fi
  fi
  "$py" -c "import pandas, sys; sys.exit(pandas.__version__ != '$PANDAS_VERSION')" 2>/dev/null ||
    "$py" -m pip install -q "pandas==$PANDAS_VERSION" > "$scratch/logs/pandas.log" 2>&1 ||
    na pandas "pip install pandas==$PANDAS_VERSION failed" "$scratch/logs/pandas.log"
else
  na iamkit-python "no venv"
  na pandas "no venv"
fi

step "npm peers (target/bench-peers/node): @cloud-copilot/iam-simulate@$IAM_SIMULATE_VERSION, @cloud-copilot/iam-policy@$IAM_POLICY_VERSION"
mkdir -p "$scratch/node"
cat > "$scratch/node/package.json" << EOF
{
  "name": "iamkit-bench-peers",
  "private": true,
  "description": "written by bench/compare.sh: the peers, installed at run time, never committed",
  "dependencies": {
    "@cloud-copilot/iam-simulate": "$IAM_SIMULATE_VERSION",
    "@cloud-copilot/iam-policy": "$IAM_POLICY_VERSION"
  }
}
EOF
(cd "$scratch/node" && npm install --no-audit --no-fund --loglevel=error) > "$scratch/logs/npm-peers.log" 2>&1 ||
  na iam-simulate "npm install failed" "$scratch/logs/npm-peers.log"

step "Rust drivers (target/bench-peers/rust-*): iamkit-core by path, iam-rs $IAM_RS_VERSION from crates.io"
export CARGO_TARGET_DIR=$scratch/rust-target # shared by both scratch projects, apart from target/
# iamkit's driver: the checkout's iamkit-core, the workspace's lock file and release profile
mkdir -p "$scratch/rust-iamkit"
cat > "$scratch/rust-iamkit/Cargo.toml" << EOF
# written by bench/compare.sh; not part of the workspace
[package]
name = "iamkit-driver"
version = "0.0.0"
edition = "2021"
publish = false

[[bin]]
name = "iamkit-driver"
path = "$root/bench/rust/iamkit_driver.rs"

[dependencies]
iamkit-core = { path = "$root/crates/iamkit-core" }
serde_json = "1"

[profile.release] # the workspace's, as iamkit ships
overflow-checks = true
debug = 1

[workspace]
EOF
cp Cargo.lock "$scratch/rust-iamkit/Cargo.lock" # the same dependency versions as the workspace
cargo build --release -q --manifest-path "$scratch/rust-iamkit/Cargo.toml" > "$scratch/logs/rust-iamkit.log" 2>&1 ||
  na iamkit-rust "the iamkit driver did not build (bench/rust/iamkit_driver.rs against the checkout's iamkit-core)" "$scratch/logs/rust-iamkit.log"
# the peer's driver: iam-rs pinned exactly (its README asks for it), cargo's default release profile
mkdir -p "$scratch/rust-iam-rs"
cat > "$scratch/rust-iam-rs/Cargo.toml" << EOF
# written by bench/compare.sh; not part of the workspace
[package]
name = "iamrs-driver"
version = "0.0.0"
edition = "2021"
publish = false

[[bin]]
name = "iamrs-driver"
path = "$root/bench/rust/iamrs_driver.rs"

[dependencies]
iam-rs = "=$IAM_RS_VERSION"
serde = { version = "1", features = ["derive"] }
serde_json = { version = "1", features = ["raw_value"] }

[workspace]
EOF
cargo build --release -q --manifest-path "$scratch/rust-iam-rs/Cargo.toml" > "$scratch/logs/rust-iam-rs.log" 2>&1 ||
  na iam-rs "the iam-rs driver did not build" "$scratch/logs/rust-iam-rs.log"
iam_rs_version=$(cargo pkgid -q --manifest-path "$scratch/rust-iam-rs/Cargo.toml" iam-rs 2>/dev/null | sed 's/.*[#@]//')

step "PMapper (target/bench-peers/pmapper-venv): principalmapper==$PMAPPER_VERSION, moto[server]==$MOTO_VERSION"
if [ ! -x "$scratch/pmapper-venv/bin/pmapper" ]; then
  { python3 -m venv "$scratch/pmapper-venv" &&
    "$scratch/pmapper-venv/bin/pip" install -q "principalmapper==$PMAPPER_VERSION" "moto[server]==$MOTO_VERSION" boto3; } \
    > "$scratch/logs/pmapper.log" 2>&1 || na pmapper "pip install principalmapper failed" "$scratch/logs/pmapper.log"
fi

step "peak memory: /usr/bin/time (Debian's time package)"
if [ ! -x /usr/bin/time ]; then
  if command -v apt-get > /dev/null; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time; } > "$scratch/logs/time.log" 2>&1 ||
      na time "apt-get install time failed" "$scratch/logs/time.log"
  else
    na time "no /usr/bin/time and no apt-get"
  fi
fi

echo "   setup took $(($(date +%s) - started)) s" >&2
args=(--root "$root" --scratch "$scratch" --reps "$reps" --status "$status"
  --iam-rs-version "${iam_rs_version:-}")
[ "$quick" = 1 ] && args+=(--quick)
[ "$readme" = 1 ] && args+=(--readme "$root/README.md")
python3 bench/compare.py "${args[@]}"
rc=$?
echo "   the whole run took $(($(date +%s) - started)) s" >&2
exit $rc
