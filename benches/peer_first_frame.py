#!/usr/bin/env python3
"""Start-up to first full frame of any terminal program, measured the same way for every one:
the time of the last write (of SMALL bytes or more) before the program has written nothing
more for QUIET seconds, in a 120x40 pseudo-terminal. Used to put rectify beside taskwarrior-tui
holding as many tasks.

Usage: python3 benches/peer_first_frame.py RUNS QUIT_KEYS -- COMMAND [ARGS...]
   e.g. python3 benches/peer_first_frame.py 5 q -- ./target/release/rectify --db /tmp/b10k
        TASKRC=/tmp/tw10k/rc python3 benches/peer_first_frame.py 5 q -- /tmp/twtui/bin/taskwarrior-tui
"""
import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time

QUIET = 1.5
SMALL = 64


def run(argv, quit_keys):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ["RECTIFY_CONFIG"] = "/nonexistent"
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.execvp(argv[0], argv)
    start = time.monotonic()
    last = None
    total = 0
    while True:
        now = time.monotonic()
        if last and now - last >= QUIET:
            break
        wait = (last + QUIET - now) if last else 60
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            if last is None:
                break
            continue
        try:
            data = os.read(fd, 1 << 16)
        except OSError:
            break
        if not data:
            break
        total += len(data)
        # A write of a few bytes is not drawing (taskwarrior-tui rewrites 25 bytes every
        # 0.65 s while idle): only real output moves the end of the first frame.
        if len(data) >= SMALL:
            last = time.monotonic()
    os.write(fd, quit_keys.encode())
    time.sleep(0.3)
    try:
        os.kill(pid, 15)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    return (last - start) if last else float("nan"), total


def main():
    runs = int(sys.argv[1])
    quit_keys = sys.argv[2]
    argv = sys.argv[sys.argv.index("--") + 1:]
    results = sorted(run(argv, quit_keys) for _ in range(runs))
    times = [t for t, _ in results]
    print("%s: first frame median %.0f ms, max %.0f ms over %d runs (%d bytes)"
          % (os.path.basename(argv[0]), times[len(times) // 2] * 1000, times[-1] * 1000,
             runs, results[len(results) // 2][1]))


if __name__ == "__main__":
    main()
