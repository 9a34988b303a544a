#!/usr/bin/env bash
# Install what the test suite needs, then run all of it. This is the README's test command, and
# .ci/run runs exactly this after fmt and clippy. Needs only the Rust toolchain to start with;
# anything else (tmux, sshd, PostgreSQL … as the suite grows) is installed here.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
# tmux drives the end-to-end tests; sshd and ssh run one of them over `ssh localhost`, as
# auditors use the app (the test starts its own sshd on a free loopback port).
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

export RECTIFY_E2E_SSH=1

# Doc tests and benches are left out: the crate has no doc examples, and the benches are
# measurements (BENCHMARKS.md), not tests.
cargo test --locked --lib --bins --tests
