#!/usr/bin/env python3
"""A bounded memcached client for tests/real/memcached.sh: several connections at once, a
fixed number of requests each, every reply checked. Talks to 127.0.0.1 only."""
import socket
import sys
import threading

PORT = int(sys.argv[1])
CONNECTIONS = 8
KEYS_PER_CONNECTION = 200
failures = []


class Conn:
    def __init__(self):
        self.s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
        self.buf = b""

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                raise EOFError("server closed the connection")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def exactly(self, n):
        while len(self.buf) < n:
            chunk = self.s.recv(65536)
            if not chunk:
                raise EOFError("server closed the connection")
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n:]
        return data


def expect(what, got, want):
    if got != want:
        failures.append(f"{what}: got {got!r}, want {want!r}")


def worker(n):
    try:
        c = Conn()
        for k in range(KEYS_PER_CONNECTION):
            key = b"c%d-k%d" % (n, k)
            value = (b"%d:" % k) * (1 + (k * 37) % 900)  # up to ~4 KiB, several reads each
            c.s.sendall(b"set %s 0 0 %d\r\n%s\r\n" % (key, len(value), value))
            expect("set", c.line(), b"STORED")
            c.s.sendall(b"get %s\r\n" % key)
            expect("get header", c.line(), b"VALUE %s 0 %d" % (key, len(value)))
            expect("get value", c.exactly(len(value) + 2), value + b"\r\n")
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


threads = [threading.Thread(target=worker, args=(n,)) for n in range(CONNECTIONS)]
for t in threads:
    t.start()
for t in threads:
    t.join(60)
requests = CONNECTIONS * (KEYS_PER_CONNECTION * 2 + 52)
if failures:
    print("\n".join(failures[:10]))
    print(f"memcached: {len(failures)} failed checks over {requests} requests")
    sys.exit(1)
print(f"memcached: {requests} requests on {CONNECTIONS} connections, every reply correct")
