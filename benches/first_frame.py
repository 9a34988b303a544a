#!/usr/bin/env python3
"""Time from process start to the first full frame of `rectify` in a pseudo-terminal.

Usage: python3 benches/first_frame.py LEDGER_DIR [RUNS] [BINARY]

Starts the app on a 120x40 pty, waits for the end of the first synchronized-output frame
(ESC[?2026l after a screenful of output) and records the time; then presses Down at once and
records when the frame answering it (the selection marker drawn on its new row) ends: that is
when the app is ready for keys (on a large ledger the findings load after the first frame).
Quits with `q`. Prints median and maximum of both over RUNS (default 15). The figures go to
BENCHMARKS.md.
"""
import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time

END = b"\x1b[?2026l"
MARKER = "▶".encode()


def first_frame(binary, ledger):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ["RECTIFY_CONFIG"] = "/nonexistent"
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.execv(binary, [binary, "--db", ledger])
    start = time.monotonic()
    seen = b""
    elapsed = ready_at = None
    while ready_at is None:
        ready, _, _ = select.select([fd], [], [], 30)
        if not ready:
            break
        try:
            seen += os.read(fd, 65536)
        except OSError:
            break
        if elapsed is None and len(seen) > 1000 and END in seen:
            elapsed = time.monotonic() - start
            seen = seen[seen.index(END) + len(END):]
            os.write(fd, b"\x1b[B")
        while elapsed is not None and ready_at is None and END in seen:
            frame = seen[:seen.index(END)]
            seen = seen[seen.index(END) + len(END):]
            if MARKER in frame:
                ready_at = time.monotonic() - start
    os.write(fd, b"q")
    os.waitpid(pid, 0)
    if elapsed is None or ready_at is None:
        sys.exit("no frame: is the ledger locked or empty?")
    return elapsed, ready_at


def main():
    ledger = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    binary = sys.argv[3] if len(sys.argv) > 3 else "./target/release/rectify"
    runs_done = [first_frame(binary, ledger) for _ in range(runs)]
    for name, times in (("first frame", sorted(r[0] for r in runs_done)),
                        ("ready for keys", sorted(r[1] for r in runs_done))):
        print("%s: median %.1f ms, max %.1f ms over %d runs"
              % (name, times[len(times) // 2] * 1000, times[-1] * 1000, runs))


if __name__ == "__main__":
    main()
