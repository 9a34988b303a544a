#!/usr/bin/env bash
# Install what the test suite needs, then run all of it. This is the README's test command, and
# .ci/run runs exactly this after fmt and clippy. Needs only the Rust toolchain to start with;
# anything else (tmux, sshd, PostgreSQL … as the suite grows) is installed here.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for tool in tmux; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# Doc tests and benches are left out: the crate has no doc examples, and the benches are
# measurements (BENCHMARKS.md), not tests.
cargo test --locked --lib --bins --tests
