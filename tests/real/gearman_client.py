#!/usr/bin/env python3
"""Gearman clients and workers for tests/real/gearmand.sh (127.x only), speaking the binary
protocol: 4 workers (CAN_DO, GRAB_JOB, PRE_SLEEP until NOOP, WORK_COMPLETE) reverse the
data of 400 jobs that 8 clients submit (SUBMIT_JOB, JOB_CREATED, WORK_COMPLETE), payloads
0 B to 200 kB; every result is checked, as are ECHO_REQ and the job spread over workers."""
import hashlib
import socket
import struct
import sys
import threading

ADDR, PORT = sys.argv[1], int(sys.argv[2])
CAN_DO, PRE_SLEEP, NOOP, SUBMIT_JOB, JOB_CREATED, GRAB_JOB, NO_JOB, JOB_ASSIGN = 1, 4, 6, 7, 8, 9, 10, 11
WORK_COMPLETE, ECHO_REQ, ECHO_RES = 13, 16, 17
failures = []
done_by = {}
lock = threading.Lock()
stop = threading.Event()


class Conn:
    def __init__(self):
        self.s = socket.create_connection((ADDR, PORT), timeout=30)
        self.buf = b""

    def send(self, ptype, *args):
        body = b"\0".join(args)
        self.s.sendall(b"\0REQ" + struct.pack(">II", ptype, len(body)) + body)

    def recv(self):
        while True:
            if len(self.buf) >= 12:
                magic, ptype, n = struct.unpack(">4sII", self.buf[:12])
                if magic != b"\0RES":
                    raise ValueError(f"bad magic {magic!r}")
                if len(self.buf) >= 12 + n:
                    body, self.buf = self.buf[12:12 + n], self.buf[12 + n:]
                    return ptype, body
            b = self.s.recv(1 << 20)
            if not b:
                raise EOFError("server closed")
            self.buf += b


def payload(n):
    size = (n * 4919) % 200001 if n % 10 else 0
    out, seed = bytearray(), b"job-%d" % n
    while len(out) < size:
        seed = hashlib.sha256(seed).digest()
        out += seed
    return bytes(out[:size])


def worker(w):
    try:
        c = Conn()
        c.send(CAN_DO, b"reverse")
        while not stop.is_set():
            c.send(GRAB_JOB)
            ptype, body = c.recv()
            if ptype == NO_JOB:
                c.send(PRE_SLEEP)
                c.s.settimeout(0.5)
                try:
                    ptype, body = c.recv()  # NOOP when a job arrives
                    if ptype != NOOP:
                        failures.append(f"worker {w}: {ptype} instead of NOOP")
                except socket.timeout:
                    pass
                c.s.settimeout(30)
                continue
            if ptype != JOB_ASSIGN:
                failures.append(f"worker {w}: packet {ptype} instead of JOB_ASSIGN")
                return
            handle, func, data = body.split(b"\0", 2)
            c.send(WORK_COMPLETE, handle, data[::-1])
            with lock:
                done_by[w] = done_by.get(w, 0) + 1
    except Exception as e:
        if not stop.is_set():
            failures.append(f"worker {w}: {e!r}")


def client(k):
    try:
        c = Conn()
        c.send(ECHO_REQ, b"ping-%d" % k)
        ptype, body = c.recv()
        if (ptype, body) != (ECHO_RES, b"ping-%d" % k):
            failures.append(f"client {k}: echo {ptype} {body!r}")
        for j in range(50):
            n = k * 50 + j
            data = payload(n)
            c.send(SUBMIT_JOB, b"reverse", b"u-%d" % n, data)
            ptype, handle = c.recv()
            if ptype != JOB_CREATED:
                failures.append(f"job {n}: {ptype} instead of JOB_CREATED")
                return
            ptype, body = c.recv()
            if ptype != WORK_COMPLETE or body != handle + b"\0" + data[::-1]:
                failures.append(f"job {n}: packet {ptype}, {len(body)} bytes, result wrong")
    except Exception as e:
        failures.append(f"client {k}: {e!r}")


workers = [threading.Thread(target=worker, args=(w,)) for w in range(4)]
clients = [threading.Thread(target=client, args=(k,)) for k in range(8)]
for t in workers + clients:
    t.start()
for t in clients:
    t.join(100)
stop.set()
for t in workers:
    t.join(5)
total = sum(done_by.values())
if total != 400:
    failures.append(f"{total} jobs done, want 400")
if failures:
    print("\n".join(failures[:10]))
    sys.exit(1)
print(f"400 jobs (0 B-200 kB) from 8 clients done by {len(done_by)} workers, every result checked")
