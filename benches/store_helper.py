#!/usr/bin/env python3
"""Wake-ups when idle, and what the store helper's coming and going costs a user.

Usage: python3 benches/store_helper.py LEDGER_DIR [ROUNDS] [BINARY]

The app runs its store in a helper process (`rectify store-host`, src/tui/host) that leaves
10 s after the app's last call to it. In a 120x40 pty this measures:
  - context switches of the app's threads, and of the helper's, over 5 s while the helper is
    still there (just after loading), then over 10 s after it has left: the idle wake-ups;
  - opening a finding's page as the very first key after the helper left (the page needs the
    store, so this key waits for a new helper: the worst case), ROUNDS times;
  - opening a page after one other key (a move) pressed after the helper left: that key starts
    a helper behind its frame, as any key does, so the page should not wait.
The figures go to BENCHMARKS.md with the command that produced them.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from keys import App, live_helpers  # noqa: E402

IDLE = 10.0  # config.toml store_idle_seconds, 10 by default (src/config.rs)


def switches(pid):
    """Voluntary plus involuntary context switches of every thread of `pid`."""
    total = 0
    try:
        for task in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/status" % (pid, task)) as f:
                for line in f:
                    if "ctxt_switches" in line:
                        total += int(line.split()[1])
    except OSError:
        pass
    return total


def idle_switches(app, seconds=10.0):
    helpers = live_helpers(app.pid)
    before = (switches(app.pid), sum(switches(h) for h in helpers))
    time.sleep(seconds)
    after = (switches(app.pid), sum(switches(h) for h in helpers))
    return (after[0] - before[0]) / seconds, (after[1] - before[1]) / seconds, len(helpers)


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def main():
    ledger = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    binary = sys.argv[3] if len(sys.argv) > 3 else "./target/release/rectify"
    app = App(binary, ledger)
    app.frame()
    app.settle(1.0)
    # Well inside the helper's 10 s: it must still be there at the end of the window.
    app_rate, helper_rate, n = idle_switches(app, 5.0)
    print("wake-ups/s with the helper there: app %.1f, helper %.1f (%d helper)"
          % (app_rate, helper_rate, n))
    time.sleep(IDLE - 5.0)
    app_rate, helper_rate, n = idle_switches(app)
    print("wake-ups/s after it left:         app %.1f (%d helpers running)" % (app_rate, n))
    app.key(b"3")
    app.settle()
    cold, after_a_key = [], []
    for _ in range(rounds):
        time.sleep(IDLE + 1)
        cold.append(app.key(b"\r")[0] * 1000)
        app.settle(0.2)
        app.key(b"\x1b")
        app.settle(0.2)
        time.sleep(IDLE + 1)
        app.key(b"\x1b[B")
        app.settle(0.5)
        after_a_key.append(app.key(b"\r")[0] * 1000)
        app.settle(0.2)
        app.key(b"\x1b")
        app.settle(0.2)
    print("open a page as the first key after it left: median %.1f ms, max %.1f ms"
          % (median(cold), max(cold)))
    print("open a page after one other key:            median %.1f ms, max %.1f ms"
          % (median(after_a_key), max(after_a_key)))
    app.quit()


if __name__ == "__main__":
    main()
