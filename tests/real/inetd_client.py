#!/usr/bin/env python3
"""Client for tests/real/openbsd-inetd.sh. Talks to the given 127.x address only; every
reply is checked byte for byte.

  inetd_client.py ADDR CAT_PORT          internal services and the /bin/cat service
  inetd_client.py ADDR PORT upper        the tr a-z A-Z service added by SIGHUP"""
import hashlib
import re
import socket
import sys
import threading

ADDR, PORT = sys.argv[1], int(sys.argv[2])
UPPER = len(sys.argv) > 3 and sys.argv[3] == "upper"
failures = []
done = {"echo": 0, "cat": 0, "upper": 0}
lock = threading.Lock()


def data_for(n, size):
    out = bytearray()
    seed = b"inetd-%d" % n
    while len(out) < size:
        seed = hashlib.sha256(seed).digest()
        out += seed
    return bytes(out[:size])


def conn(port):
    s = socket.create_connection((ADDR, port), timeout=30)
    return s


def recv_all(s):
    parts = []
    while True:
        b = s.recv(1 << 16)
        if not b:
            return b"".join(parts)
        parts.append(b)


def round_trip(kind, port, n, size, transform=lambda b: b):
    """Sends size bytes from a thread while reading the reply (so neither side blocks on
    full buffers), closes our write side, reads until EOF."""
    try:
        s = conn(port)
        data = data_for(n, size)
        sender = threading.Thread(target=lambda: (s.sendall(data), s.shutdown(socket.SHUT_WR)))
        sender.start()
        got = recv_all(s)
        sender.join()
        s.close()
        if got != transform(data):
            failures.append(f"{kind} {n}: {len(got)} bytes back, want {size}, equal prefix "
                            f"{next((i for i, (a, b) in enumerate(zip(got, transform(data))) if a != b), min(len(got), size))}")
        else:
            with lock:
                done[kind] += 1
    except Exception as e:
        failures.append(f"{kind} {n}: {e!r}")


def run_parallel(jobs):
    threads = [threading.Thread(target=round_trip, args=j) for j in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)


if UPPER:
    run_parallel([("upper", PORT, n, 20000 + n * 1000, bytes.upper) for n in range(10)])
    # bytes.upper on random bytes changes only a-z, which is what tr a-z A-Z does.
    if failures:
        print("\n".join(failures[:10]))
        sys.exit(1)
    print(f"after SIGHUP: {done['upper']} round trips through tr,", end=" ")
    sys.exit(0)

run_parallel([("echo", 7, n, 1000 + n * 9000) for n in range(30)] +
             [("cat", PORT, 100 + n, n * 7000) for n in range(40)])

# chargen: the rotating 72-column pattern, 200 000 bytes of it.
pattern = bytes(range(32, 127))
lines = b"".join(bytes(pattern[(i + j) % 95] for j in range(72)) + b"\r\n" for i in range(95))
try:
    s = conn(19)
    got = b""
    while len(got) < 200000:
        b = s.recv(1 << 16)
        if not b:
            break
        got += b
    s.close()
    want = (lines * (len(got) // len(lines) + 1))[: len(got)]
    if len(got) < 200000 or got != want:
        failures.append(f"chargen: {len(got)} bytes, pattern {'ok' if got == want else 'wrong'}")
except Exception as e:
    failures.append(f"chargen: {e!r}")

# daytime: one line in ctime's format, then EOF.
try:
    got = recv_all(conn(13))
    if not re.fullmatch(rb"[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d \d{4}\r\n", got):
        failures.append(f"daytime: {got!r}")
except Exception as e:
    failures.append(f"daytime: {e!r}")

# discard: 2 MB swallowed, then a clean EOF and nothing sent back.
try:
    s = conn(9)
    s.sendall(data_for(7, 2_000_000))
    s.shutdown(socket.SHUT_WR)
    got = recv_all(s)
    if got:
        failures.append(f"discard sent {len(got)} bytes")
except Exception as e:
    failures.append(f"discard: {e!r}")

if failures:
    print("\n".join(failures[:10]))
    sys.exit(1)
print(f"{done['echo']} echo and {done['cat']} cat round trips (up to 351 kB each, all bytes checked), "
      f"chargen 200 kB, daytime, discard 2 MB;", end=" ")
