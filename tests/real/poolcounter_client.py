#!/usr/bin/env python3
"""Client for tests/real/poolcounter.sh (127.x only). Checks poolcounterd's guarantees:
1. mutual exclusion: 30 clients x 10 rounds of ACQ4ME on a key with 3 workers; never more
   than 3 holders at once, every round LOCKED then RELEASED;
2. the queue limit (QUEUE_FULL), the waiting client getting the lock on RELEASE, RELEASE
   without a lock (NOT_LOCKED);
3. a waiter's timeout (TIMEOUT, from a libevent timer);
4. ACQ4ANY waiters all told DONE when the holder releases;
5. a holder that disconnects hands the lock to the next waiter;
6. STATS and an unknown command."""
import socket
import sys
import threading
import time

ADDR, PORT = sys.argv[1], int(sys.argv[2])
failures = []
lock = threading.Lock()
state = {"holders": 0, "max": 0, "locked": 0}


class Client:
    def __init__(self):
        self.s = socket.create_connection((ADDR, PORT), timeout=20)
        self.buf = b""

    def send(self, line):
        self.s.sendall(line.encode() + b"\n")

    def reply(self):
        while b"\n" not in self.buf:
            b = self.s.recv(4096)
            if not b:
                raise EOFError("server closed")
            self.buf += b
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode()

    def cmd(self, line):
        self.send(line)
        return self.reply()


def expect(what, got, want):
    if got != want:
        failures.append(f"{what}: got {got!r}, want {want!r}")


def contender(n):
    try:
        c = Client()
        for r in range(10):
            expect(f"client {n} round {r}", c.cmd("ACQ4ME shared 3 100 30"), "LOCKED")
            with lock:
                state["holders"] += 1
                state["locked"] += 1
                state["max"] = max(state["max"], state["holders"])
            time.sleep(0.002 + (n % 4) * 0.001)
            with lock:
                state["holders"] -= 1
            expect(f"client {n} release {r}", c.cmd("RELEASE"), "RELEASED")
    except Exception as e:
        failures.append(f"client {n}: {e!r}")


threads = [threading.Thread(target=contender, args=(n,)) for n in range(30)]
for t in threads:
    t.start()
for t in threads:
    t.join(100)
if state["max"] > 3 or state["locked"] != 300:
    failures.append(f"mutual exclusion: {state['locked']} locks, at most {state['max']} holders at once (limit 3)")

try:
    # 2. Queue limit: 2 workers, at most 3 clients holding or waiting.
    a, b, w, x = Client(), Client(), Client(), Client()
    expect("a", a.cmd("ACQ4ME q 2 3 10"), "LOCKED")
    expect("b", b.cmd("ACQ4ME q 2 3 10"), "LOCKED")
    w.send("ACQ4ME q 2 3 10")
    time.sleep(0.5)  # w is queued now
    expect("x over the queue limit", x.cmd("ACQ4ME q 2 3 10"), "QUEUE_FULL")
    expect("a releases", a.cmd("RELEASE"), "RELEASED")
    expect("w gets the lock", w.reply(), "LOCKED")
    expect("a again", a.cmd("RELEASE"), "NOT_LOCKED")
    expect("b releases", b.cmd("RELEASE"), "RELEASED")
    expect("w releases", w.cmd("RELEASE"), "RELEASED")

    # 3. Timeout of a waiter (1 s), the holder unaffected.
    h, t = Client(), Client()
    expect("holder", h.cmd("ACQ4ME t 1 5 1"), "LOCKED")
    expect("waiter times out", t.cmd("ACQ4ME t 1 5 1"), "TIMEOUT")
    expect("holder releases", h.cmd("RELEASE"), "RELEASED")

    # 4. ACQ4ANY: whoever waits is told DONE when the worker finishes.
    h = Client()
    expect("any holder", h.cmd("ACQ4ANY d 1 10 10"), "LOCKED")
    waiters = [Client() for _ in range(5)]
    for c in waiters:
        c.send("ACQ4ANY d 1 10 10")
    time.sleep(0.5)
    expect("any holder releases", h.cmd("RELEASE"), "RELEASED")
    for i, c in enumerate(waiters):
        expect(f"any waiter {i}", c.reply(), "DONE")

    # 5. A holder that disconnects frees the lock for the next waiter.
    h, nxt = Client(), Client()
    expect("holder before disconnect", h.cmd("ACQ4ME g 1 5 10"), "LOCKED")
    nxt.send("ACQ4ME g 1 5 10")
    time.sleep(0.5)
    h.s.close()
    expect("next after disconnect", nxt.reply(), "LOCKED")
    expect("next releases", nxt.cmd("RELEASE"), "RELEASED")

    # 6. STATS and errors.
    s = Client()
    stats = s.cmd("STATS UPTIME")
    if not stats.startswith("uptime:"):
        failures.append(f"STATS UPTIME: {stats!r}")
    err = s.cmd("BOGUS command")
    if not err.startswith("ERROR"):
        failures.append(f"unknown command: {err!r}")
except Exception as e:
    failures.append(f"scenarios: {e!r}")

if failures:
    print("\n".join(failures[:10]))
    sys.exit(1)
print(f"{state['locked']} locks by 30 clients, never more than 3 holders; queue limit, handover, "
      f"timeout, ACQ4ANY DONE, disconnect handover, stats and errors all correct")
