#!/usr/bin/env bash
# rectify beside its peers, in one run on the same machine (BENCHMARKS.md, "Against peers"):
#   - start-up: rectify vs taskwarrior-tui holding the same number of tasks,
#   - a whole listing: `rectify list findings` vs `task list`,
#   - search: `rectify search` vs `fzf --filter` on the same titles.
#
# Usage: bash benches/peers.sh N [RUNS]        (N findings, e.g. 10000 or 100000)
# Needs: Debian's taskwarrior and fzf (apt-get install taskwarrior fzf), and taskwarrior-tui
# (`cargo install taskwarrior-tui --version 0.27.0`; set TWTUI to its path if not on PATH).
# Everything is built under /tmp/peers-N and reused on the next run.
set -euo pipefail
N=${1:?usage: bash benches/peers.sh N [RUNS]}
RUNS=${2:-5}
cd "$(dirname "$0")/.."
R=./target/release/rectify
TWTUI=${TWTUI:-$(command -v taskwarrior-tui || echo "$HOME/.cargo/bin/taskwarrior-tui")}
for tool in task fzf "$TWTUI"; do
    command -v "$tool" >/dev/null || { echo "missing: $tool (see the header)" >&2; exit 1; }
done
cargo build --release -q
W=/tmp/peers-$N
mkdir -p "$W"
if [ ! -d "$W/ledger" ]; then
    $R --db "$W/ledger" demo --synthetic "$N" --seed 1 >/dev/null
fi
if [ ! -f "$W/titles.txt" ]; then
    # The same findings, as fzf lines and as taskwarrior tasks (number + title as description).
    $R --db "$W/ledger" list findings --json >"$W/findings.json"
    python3 - "$W" <<'EOF'
import json, sys, uuid
w = sys.argv[1]
findings = json.load(open(w + "/findings.json"))
with open(w + "/titles.txt", "w") as out:
    for f in findings:
        out.write("%s %s\n" % (f["number"], f["title"]))
tasks = [{"uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f["number"])),
          "description": "%s %s" % (f["number"], f["title"]),
          "status": "pending", "entry": "20260101T000000Z",
          "project": f["number"][:4]} for f in findings]
json.dump(tasks, open(w + "/tasks.json", "w"), ensure_ascii=False)
EOF
fi
export TASKRC=$W/taskrc
if [ ! -f "$TASKRC" ]; then
    mkdir -p "$W/taskdata"
    printf 'data.location=%s\nconfirmation=off\nverbose=nothing\nrecurrence=off\n' \
        "$W/taskdata" >"$TASKRC"
    task import "$W/tasks.json" >/dev/null
fi
echo "== $N findings / tasks, $RUNS runs each"

# A current search index and a current cached 总览, as after any earlier use.
$R --db "$W/ledger" search czj >/dev/null
python3 benches/first_frame.py "$W/ledger" 1 >/dev/null

echo "-- start-up (120x40 pty)"
python3 benches/first_frame.py "$W/ledger" "$RUNS"
python3 benches/peer_first_frame.py "$RUNS" q -- $R --db "$W/ledger"
python3 benches/peer_first_frame.py "$RUNS" q -- "$TWTUI"

timed() { # the median wall time of RUNS runs of a command, in milliseconds (exit status
          # ignored: fzf says 1 when nothing matches)
    python3 - "$RUNS" "$@" <<'EOF'
import subprocess, sys, time
runs, argv = int(sys.argv[1]), sys.argv[2:]
times = []
for _ in range(runs):
    start = time.monotonic()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append(time.monotonic() - start)
times.sort()
print("%.1f" % (times[len(times) // 2] * 1000))
EOF
}
echo "-- a whole listing"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
a=$(timed $R --db "$W/ledger" list findings)
b=$(timed task list)
echo "rectify list findings $a ms, task list $b ms: ratio $(ratio "$a" "$b")"

echo "-- search, whole processes"
for q in 预算 czj 专项债 "2022 zx"; do
    a=$(timed $R --db "$W/ledger" search "$q")
    b=$(timed sh -c 'fzf --filter "$0" <"$1"' "$q" "$W/titles.txt")
    echo "$q: rectify $a ms, fzf $b ms: ratio $(ratio "$a" "$b")"
done
