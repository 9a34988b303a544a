#!/usr/bin/env bash
# Install what the test suite needs, then run all of it. This is the README's test command, and
# .ci/run runs exactly this after fmt and clippy. Needs only the Rust toolchain to start with;
# anything else (tmux, sshd, PostgreSQL …) is installed here from Debian's packages.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi

# The newest PostgreSQL server installed from Debian's packages (its binaries are not on PATH).
pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/psql" ]; then
        echo "$dir"
    fi
}

missing=()
# tmux drives the end-to-end tests; sshd and ssh run one of them over `ssh localhost`, as
# auditors use the app (the test starts its own sshd on a free loopback port).
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
# tests/sync_git.rs keeps a hub in a git repository.
command -v git >/dev/null 2>&1 || missing+=(git)
# tests/sync_pg.rs syncs through a private PostgreSQL server started below.
[ -n "$(pg_bin)" ] || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    # Packages must not start services here (the PostgreSQL package would start its own
    # cluster): the Debian way is a policy-rc.d that says no, for the length of the install.
    policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        policy=/usr/sbin/policy-rc.d
        printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
        $SUDO chmod 755 "$policy"
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
    if [ -n "$policy" ]; then $SUDO rm -f "$policy"; fi
fi

export RECTIFY_E2E_SSH=1

# A private PostgreSQL server for tests/sync_pg.rs: a new cluster in a temp dir, run by the
# `postgres` account, reached only through a unix socket in that dir (no TCP port), with peer
# authentication so an OS account logs in as the role of the same name, as a bureau's auditors
# would; root, which runs the tests, is mapped to the superuser `postgres`. The test creates its
# auditors (OS accounts and roles) and one database per test. Stopped and removed on exit.
pg_tmp=""
stop_pg() {
    if [ -n "$pg_tmp" ] && [ -d "$pg_tmp" ]; then
        runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$pg_tmp/data" -m immediate stop \
            >/dev/null 2>&1 || true
        rm -rf "$pg_tmp"
    fi
}
start_pg() {
    local bin
    bin=$(pg_bin)
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    pg_tmp=$(mktemp -d /tmp/rectify-pg.XXXXXX)
    trap stop_pg EXIT
    trap 'exit 130' INT TERM
    chmod 755 "$pg_tmp"
    mkdir "$pg_tmp/data" "$pg_tmp/sock"
    chown postgres "$pg_tmp/data" "$pg_tmp/sock"
    runuser -u postgres -- "$bin/initdb" -D "$pg_tmp/data" -U postgres -E UTF8 --no-locale \
        --auth-local=peer --auth-host=reject >"$pg_tmp/initdb.log" 2>&1 || {
        cat "$pg_tmp/initdb.log"
        return 1
    }
    cat >"$pg_tmp/data/pg_hba.conf" <<'EOF'
local all all peer map=rectify
EOF
    cat >"$pg_tmp/data/pg_ident.conf" <<'EOF'
rectify root postgres
rectify /^(.*)$ \1
EOF
    cat >>"$pg_tmp/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$pg_tmp/sock'
port = 5432
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    chown postgres "$pg_tmp/data/pg_hba.conf" "$pg_tmp/data/pg_ident.conf"
    runuser -u postgres -- "$bin/pg_ctl" -D "$pg_tmp/data" -l "$pg_tmp/data/server.log" -w -t 60 \
        start >/dev/null || {
        cat "$pg_tmp/data/server.log"
        return 1
    }
    "$bin/psql" -X -q -h "$pg_tmp/sock" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c 'CREATE DATABASE rectify_test'
    # The socket directory, percent-encoded as the host of a URL.
    export RECTIFY_TEST_PG="postgresql://postgres@${pg_tmp//\//%2F}%2Fsock:5432/rectify_test"
    echo "PostgreSQL for tests: $RECTIFY_TEST_PG"
}
if [ "$(id -u)" -eq 0 ]; then
    start_pg
else
    echo "not root: the PostgreSQL sync test needs root (a server run as postgres, OS accounts"
    echo "for its auditors) and will print 'skipped'"
fi

# Doc tests and benches are left out: the crate has no doc examples, and the benches are
# measurements (BENCHMARKS.md), not tests.
cargo test --locked --lib --bins --tests
