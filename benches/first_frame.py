#!/usr/bin/env python3
"""Time from process start to the first full frame of `rectify` in a pseudo-terminal.

Usage: python3 benches/first_frame.py LEDGER_DIR [RUNS] [BINARY]

Starts the app on a 120x40 pty, waits for the end of the first synchronized-output frame
(ESC[?2026l after a screenful of output), records the time, quits with `q`. Prints the median
and the maximum over RUNS (default 15). The figures go to BENCHMARKS.md.
"""
import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time


def first_frame(binary, ledger):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ["RECTIFY_CONFIG"] = "/nonexistent"
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.execv(binary, [binary, "--db", ledger])
    start = time.monotonic()
    seen = b""
    elapsed = None
    while elapsed is None:
        ready, _, _ = select.select([fd], [], [], 30)
        if not ready:
            break
        try:
            seen += os.read(fd, 65536)
        except OSError:
            break
        if len(seen) > 1000 and b"\x1b[?2026l" in seen:
            elapsed = time.monotonic() - start
    os.write(fd, b"q")
    os.waitpid(pid, 0)
    if elapsed is None:
        sys.exit("no frame: is the ledger locked or empty?")
    return elapsed


def main():
    ledger = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    binary = sys.argv[3] if len(sys.argv) > 3 else "./target/release/rectify"
    times = sorted(first_frame(binary, ledger) for _ in range(runs))
    print("first frame: median %.1f ms, max %.1f ms over %d runs"
          % (times[len(times) // 2] * 1000, times[-1] * 1000, runs))


if __name__ == "__main__":
    main()
