#!/usr/bin/env python3
"""Keystroke-to-frame latency, bytes per frame and peak memory of `rectify` in a pseudo-terminal.

Usage: python3 benches/keys.py LEDGER_DIR [REPEATS] [BINARY]

Starts the app on a 120x40 pty and waits for its first frame (its size is what a full redraw
costs over SSH). Then, REPEATS times each, it sends one key and measures the time until the end of
the frame that answers it (the synchronized-output end, ESC[?2026l) and the bytes that frame took:
  - moving the selection down one row in the findings list,
  - opening the finder (the first time may build its index; each opening reads the kept one,
    since a closing finder lets its index go), typing one character into it (realistic
    queries, each typed once), and closing it (Esc: the index freed and handed back),
  - opening a finding's page (Enter) and going back (Esc).
Prints median and p99 of each, then the peak RSS (VmHWM) of the app and of its store helper
(`rectify store-host`, sampled while it runs), the largest sum of the two seen while loading and
after it (sampled: every 20 ms from the process's start while loading, after each key later),
the same with the pages the two share counted once (PSS: while loading and after the moves and
the pages), and the app's peak over the whole run including quitting (from wait4). The figures
go to BENCHMARKS.md with the command that produced them.
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

# What auditors type into the finder: characters, pinyin initials, numbers, mixed; typed one
# character at a time into a fresh finder, each query once (the index keeps earlier queries'
# hits, so a repeated query would cost nothing and flatter the figures).
QUERIES = ["预算", "czj", "专项债", "2022 zx", "y", "gz", "政府采购", "fsr", "2019-0001",
           "医保", "jsgc", "土地出让", "b", "往来款", "zfcg", "教育局", "kz", "2021", "住建",
           "hs", "涉粮", "m", "扶贫", "dx", "公务"]


def live_helpers(app_pid):
    """The pids of the running (not exited) store helpers of the app `app_pid`."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        state, ppid = stat[stat.rindex(")") + 2:].split()[:2]
        if comm == "rectify-store" and int(ppid) == app_pid and state != "Z":
            out.append(int(entry))
    return out


class App:
    def __init__(self, binary, ledger):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ["TERM"] = "xterm-256color"
            os.environ["RECTIFY_CONFIG"] = "/nonexistent"
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
            os.execv(binary, [binary, "--db", ledger])
        self.buf = b""
        self.helpers = {}
        # The largest sum of the app's and its helpers' resident memory seen at one moment,
        # while loading and afterwards (the helper that loaded a large ledger is let go then).
        self.together = {"loading": 0.0, "working": 0.0}
        self.together_pss = {"loading": 0.0, "working": 0.0}
        self.phase = "loading"

    def frame(self, timeout=60, sample=False):
        """Read until the end of the next frame; return (seconds waited, bytes of the frame).
        With `sample`, note the helpers' memory every 20 ms meanwhile (the first frame: without
        a current cached 总览 the app loads everything before it)."""
        start = time.monotonic()
        while END not in self.buf:
            ready, _, _ = select.select([self.fd], [], [], 0.02 if sample else timeout)
            if sample:
                self.note_helpers(pss=True)
            if not ready:
                if time.monotonic() - start < timeout:
                    continue
                raise SystemExit("no frame within %ds" % timeout)
            self.buf += os.read(self.fd, 1 << 16)
        cut = self.buf.index(END) + len(END)
        frame, self.buf = self.buf[:cut], self.buf[cut:]
        return time.monotonic() - start, len(frame)

    def settle(self, quiet=0.3):
        """Swallow output until the app has been quiet for `quiet` seconds."""
        while True:
            ready, _, _ = select.select([self.fd], [], [], quiet)
            if not ready:
                self.buf = b""
                return
            os.read(self.fd, 1 << 16)

    def key(self, data):
        """Send one key and time the frame that answers it."""
        self.buf = b""
        start = time.monotonic()
        os.write(self.fd, data)
        _, size = self.frame()
        return time.monotonic() - start, size

    def rss_mb(self, field="VmHWM"):
        with open("/proc/%d/status" % self.pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def note_helpers(self, pss=False):
        """Remember the peak RSS of each live store helper of this app (`rectify store-host`,
        which holds sled and leaves when the app is idle; see src/tui/host), and the largest
        sum of the app's and its helpers' resident memory seen at one moment."""
        now = self.rss_mb("VmRSS")
        # PSS walks the page tables: while loading and at the end of each phase, not after
        # every key, where it would slow the app's next one.
        pids = [self.pid] + live_helpers(self.pid)
        counted_once = sum(pss_mb(pid) for pid in pids) if pss else 0.0
        for pid in pids[1:]:
            try:
                with open("/proc/%d/status" % pid) as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            mb = int(line.split()[1]) / 1024
                            self.helpers[pid] = max(self.helpers.get(pid, 0), mb)
                        if line.startswith("VmRSS:"):
                            now += int(line.split()[1]) / 1024
            except (OSError, ValueError):
                continue
        self.together[self.phase] = max(self.together[self.phase], now)
        self.together_pss[self.phase] = max(self.together_pss[self.phase], counted_once)

    def settle_sampling(self, quiet):
        """`settle`, noting the helpers' memory every 20 ms meanwhile (loading: where the app
        and its helper are both large)."""
        last = time.monotonic()
        while time.monotonic() - last < quiet:
            ready, _, _ = select.select([self.fd], [], [], 0.02)
            if ready:
                os.read(self.fd, 1 << 16)
                last = time.monotonic()
            self.note_helpers(pss=True)
        self.buf = b""

    def quit(self):
        os.write(self.fd, b"\x1b")
        time.sleep(0.1)
        os.write(self.fd, b"q")
        _, _, usage = os.wait4(self.pid, 0)
        return usage.ru_maxrss / 1024                # KiB: the peak of the whole run, quitting too


def pss_mb(pid):
    """A process's proportional set size: its resident memory with each page shared with other
    processes (the binary's code, which the app and its helper both map) split among them, so
    that the app's and its helper's figures add up to the memory they take together."""
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def stats(name, samples):
    times = sorted(t for t, _ in samples)
    sizes = sorted(s for _, s in samples)
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print("%-28s median %6.2f ms  p99 %6.2f ms  bytes median %6d  max %6d"
          % (name, times[len(times) // 2] * 1000, p99 * 1000,
             sizes[len(sizes) // 2], sizes[-1]))


def main():
    ledger = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    binary = sys.argv[3] if len(sys.argv) > 3 else "./target/release/rectify"
    app = App(binary, ledger)
    _, first = app.frame(sample=True)
    print("first frame (a full redraw)   %d bytes" % first)
    app.settle_sampling(3.0)                         # the findings load after the first frame
    print("RSS when loaded               %.0f MB (peak so far %.0f MB)"
          % (app.rss_mb("VmRSS"), app.rss_mb("VmHWM")))
    app.note_helpers()
    app.phase = "working"
    app.key(b"3")                                    # the findings list
    app.settle()
    stats("move selection (down)", [app.key(b"\x1b[B") for _ in range(repeats)])
    rss_after = {"moves": app.rss_mb("VmRSS")}
    app.note_helpers(pss=True)
    app.settle()
    typing = []
    typed = []
    opening_finder = []
    closing = []
    for query in QUERIES:                            # each once: a repeated query is cached
        opening_finder.append(app.key(b"/"))         # the first one builds the index
        app.settle(0.3)
        for i, ch in enumerate(query):
            typing.append(app.key(ch.encode()))      # one character into the finder
            typed.append(query[:i + 1])
            app.note_helpers()                       # the finder's index is in memory now
        app.settle(0.2)
        closing.append(app.key(b"\x1b"))
        app.settle(0.2)
    stats("close the finder", closing)
    rss_after["finder"] = app.rss_mb("VmRSS")
    print("open the finder: first       %6.2f ms (builds or reads the index)"
          % (opening_finder[0][0] * 1000))
    stats("open the finder again", opening_finder[1:])
    stats("type in the finder", typing)
    slowest = sorted(zip(typing, typed), reverse=True)[:5]
    print("  slowest: " + ", ".join("%s %.1f ms" % (q, t * 1000) for (t, _), q in slowest))
    opening = []
    for _ in range(repeats):
        app.key(b"\x1b[B")                          # another finding each time: the page
        app.settle(0.1)                              # keeps the history it read per finding
        opening.append(app.key(b"\r"))               # open the finding's page
        app.note_helpers()
        app.settle(0.1)
        app.key(b"\x1b")
        app.settle(0.1)
    stats("open a finding's page", opening)
    app.note_helpers(pss=True)
    rss_after["pages"] = app.rss_mb("VmRSS")
    print("RSS after the moves / the finder / the pages  %.0f / %.0f / %.0f MB"
          % (rss_after["moves"], rss_after["finder"], rss_after["pages"]))
    print("peak RSS                      %.0f MB (now %.0f MB)"
          % (app.rss_mb("VmHWM"), app.rss_mb("VmRSS")))
    print("store helper                  %d seen, peak RSS %.0f MB (the app's own figure above)"
          % (len(app.helpers), max(app.helpers.values(), default=0)))
    print("app and helper together       %.0f MB at most while loading, %.0f MB after (sampled)"
          % (app.together["loading"], app.together["working"]))
    print("  their pages counted once     %.0f MB at most while loading, %.0f MB after the moves"
          " and the pages (PSS)"
          % (app.together_pss["loading"], app.together_pss["working"]))
    print("peak RSS until the app ended    %.0f MB (quitting included)"
          % app.quit())


if __name__ == "__main__":
    main()
