#!/usr/bin/env python3
"""A bounded memcached client for tests/real/memcached.sh; every byte of every reply is
checked. Talks to the given 127.x address only.

1. 8 connections at once: set/get of values from 0 bytes to ~4 KiB, incr, delete.
2. Values from 0 bytes to 1 MB at the sizes around buffer and chunk limits.
3. 500 gets pipelined in one write, replies read after the whole batch was sent.
4. One multi-get of 300 keys (about 12 MB of replies) read through a 4 KiB receive buffer
   after a pause, so memcached's writes are partial and it must wait for EV_WRITE."""
import hashlib
import socket
import sys
import threading
import time

ADDR, PORT, MODE = sys.argv[1], int(sys.argv[2]), sys.argv[3]
CONNECTIONS = 8
KEYS_PER_CONNECTION = 200
failures = []
checked = [0]
lock = threading.Lock()


class Conn:
    def __init__(self, rcvbuf=None):
        self.s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.s.settimeout(30)
        self.s.connect((ADDR, PORT))
        self.buf = bytearray()

    def fill(self):
        chunk = self.s.recv(1 << 20)
        if not chunk:
            raise EOFError("server closed the connection")
        self.buf += chunk

    def line(self):
        while True:
            i = self.buf.find(b"\r\n")
            if i >= 0:
                line = bytes(self.buf[:i])
                del self.buf[: i + 2]
                return line
            self.fill()

    def exactly(self, n):
        while len(self.buf) < n:
            self.fill()
        data = bytes(self.buf[:n])
        del self.buf[:n]
        return data


def expect(what, got, want):
    with lock:
        checked[0] += 1
        if got != want:
            g, w = (got[:60] + b"..." if isinstance(got, bytes) and len(got) > 60 else got), (
                want[:60] + b"..." if isinstance(want, bytes) and len(want) > 60 else want)
            failures.append(f"{what}: got {g!r} ({len(got)} bytes), want {w!r} ({len(want)} bytes)")


def value_for(key, size):
    """Deterministic bytes that differ at every offset and between keys."""
    out = bytearray()
    seed = key
    while len(out) < size:
        seed = hashlib.sha256(seed).digest()
        out += seed
    return bytes(out[:size])


def get(c, key, value):
    expect("get header", c.line(), b"VALUE %s 0 %d" % (key, len(value)))
    expect("get value", c.exactly(len(value) + 2), value + b"\r\n")


def mixed(n):
    try:
        c = Conn()
        for k in range(KEYS_PER_CONNECTION):
            key = b"c%d-k%d" % (n, k)
            value = value_for(key, (k * 37) % 4100)  # includes 0 bytes
            c.s.sendall(b"set %s 0 0 %d\r\n%s\r\n" % (key, len(value), value))
            expect("set", c.line(), b"STORED")
            c.s.sendall(b"get %s\r\n" % key)
            get(c, key, value)
            expect("get end", c.line(), b"END")
        c.s.sendall(b"set n%d 0 0 1\r\n0\r\n" % n)
        expect("set counter", c.line(), b"STORED")
        for i in range(1, 51):
            c.s.sendall(b"incr n%d 1\r\n" % n)
            expect("incr", c.line(), b"%d" % i)
        c.s.sendall(b"delete n%d\r\n" % n)
        expect("delete", c.line(), b"DELETED")
        c.s.close()
    except Exception as e:  # a hang or reset is a failure, not a crash of the harness
        failures.append(f"connection {n}: {e!r}")


def sizes():
    c = Conn()
    for size in [0, 1, 2, 1023, 1024, 1025, 4095, 4096, 4097, 16383, 16384, 16385, 65535, 65536,
                 65537, 100000, 262144, 500000, 1000000, 1048000]:
        key = b"size-%d" % size
        value = value_for(key, size)
        c.s.sendall(b"set %s 0 0 %d\r\n%s\r\n" % (key, size, value))
        expect("set %d bytes" % size, c.line(), b"STORED")
        c.s.sendall(b"get %s\r\n" % key)
        get(c, key, value)
        expect("get end", c.line(), b"END")
    c.s.close()


def pipelined():
    c = Conn()
    values = {}
    for k in range(100):
        key = b"p-%d" % k
        values[key] = value_for(key, (k * 211) % 3000)
        c.s.sendall(b"set %s 0 0 %d noreply\r\n%s\r\n" % (key, len(values[key]), values[key]))
    order = [b"p-%d" % ((i * 7) % 100) for i in range(500)]
    c.s.sendall(b"".join(b"get %s\r\n" % k for k in order))
    for k in order:
        get(c, k, values[k])
        expect("pipelined end", c.line(), b"END")
    c.s.close()
    return len(order)


def multiget():
    c = Conn()
    values = {}
    for k in range(300):
        key = b"m-%d" % k
        values[key] = value_for(key, 1000 + (k * 7919) % 80000)
        c.s.sendall(b"set %s 0 0 %d\r\n%s\r\n" % (key, len(values[key]), values[key]))
        expect("set multiget key", c.line(), b"STORED")
    c.s.close()
    slow = Conn(rcvbuf=4096)
    keys = list(values)
    slow.s.sendall(b"get " + b" ".join(keys) + b"\r\n")
    time.sleep(0.5)  # let memcached fill the socket and wait for it to drain
    for k in keys:
        get(slow, k, values[k])
    expect("multiget end", slow.line(), b"END")
    slow.s.close()
    return sum(len(v) for v in values.values())


threads = [threading.Thread(target=mixed, args=(n,)) for n in range(CONNECTIONS)]
for t in threads:
    t.start()
try:
    sizes()
    npipe = pipelined()
    nbytes = multiget()
except Exception as e:
    failures.append(f"sizes/pipelined/multiget: {e!r}")
    npipe = nbytes = 0
for t in threads:
    t.join(60)
if failures:
    print("\n".join(failures[:10]))
    print(f"memcached ({MODE}): {len(failures)} of {checked[0]} checks failed")
    sys.exit(1)
print(f"memcached ({MODE}): {checked[0]} checks passed: {CONNECTIONS} concurrent connections, values 0 B-1 MB, "
      f"{npipe} pipelined gets, a {nbytes // 1000} kB multi-get through a 4 KiB receive buffer")
