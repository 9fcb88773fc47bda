#!/usr/bin/env python3
"""DNS client for tests/real/nsd.sh: queries the zone that script writes, over UDP (20
threads) and TCP (pipelined on several connections), and checks every answer. 127.x only.

  dns_client.py ADDR PORT VERSION [--version-only]"""
import random
import socket
import struct
import sys
import threading

ADDR, PORT, VERSION = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()
VERSION_ONLY = "--version-only" in sys.argv
A, NS, MX, TXT, SOA = 1, 2, 15, 16, 6
failures = []
counts = {"udp": 0, "tcp": 0}
lock = threading.Lock()


def query(qid, name, qtype):
    q = struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", qtype, 1)


def read_name(msg, off):
    labels, jumped, end = [], False, off
    while True:
        n = msg[off]
        if n & 0xC0 == 0xC0:
            if not jumped:
                end = off + 2
            off, jumped = ((n & 0x3F) << 8) | msg[off + 1], True
            continue
        off += 1
        if n == 0:
            return ".".join(labels), (end if jumped else off)
        labels.append(msg[off:off + n].decode())
        off += n


def parse(msg):
    qid, flags, qd, an, ns, ar = struct.unpack(">HHHHHH", msg[:12])
    off = 12
    for _ in range(qd):
        _, off = read_name(msg, off)
        off += 4
    answers = []
    for _ in range(an):
        name, off = read_name(msg, off)
        rtype, _, _, rdlen = struct.unpack(">HHIH", msg[off:off + 10])
        off += 10
        rdata = msg[off:off + rdlen]
        if rtype == A:
            value = socket.inet_ntoa(rdata)
        elif rtype == TXT:
            value, i = b"", 0
            while i < len(rdata):
                value += rdata[i + 1:i + 1 + rdata[i]]
                i += 1 + rdata[i]
            value = value.decode()
        elif rtype == MX:
            value = (struct.unpack(">H", rdata[:2])[0], read_name(msg, off + 2)[0])
        else:
            value = rdata
        answers.append((name, rtype, value))
        off += rdlen
    return qid, flags, answers


def expected(name, qtype):
    """(rcode, sorted answers) NSD must give, from the zone tests/real/nsd.sh wrote."""
    host = name.split(".")[0]
    if host.startswith("host") and qtype == A and int(host[4:]) < 500:
        i = int(host[4:])
        return 0, [(name, A, f"198.51.{100 + i // 256}.{i % 256}")]
    if host == "version" and qtype == TXT:
        return 0, [(name, TXT, VERSION.decode())]
    if host == "evshim" and qtype == MX:
        return 0, [(name, MX, (10, "mail.evshim.test"))]
    if host == "big" and qtype == TXT:
        return 0, sorted((name, TXT, f"record {i} " + "x" * 60) for i in range(40))
    return 3, []  # NXDOMAIN


def check(kind, qid, name, qtype, msg, truncated_ok=False):
    rid, flags, answers = parse(msg)
    rcode, want = expected(name, qtype)
    if truncated_ok and flags & 0x0200:
        ok = rid == qid  # too big for UDP without EDNS: truncated, retried over TCP below
    else:
        ok = rid == qid and flags & 0x8000 and flags & 0x000F == rcode and sorted(answers) == want
    with lock:
        counts[kind] += 1
        if not ok:
            failures.append(f"{kind} {name} type {qtype}: id {rid}/{qid} rcode {flags & 15}/{rcode} "
                            f"answers {sorted(answers)[:3]} want {want[:3]}")


def names(seed, n):
    r = random.Random(seed)
    out = []
    for _ in range(n):
        k = r.randrange(10)
        if k < 6:
            out.append((f"host{r.randrange(520)}.evshim.test", A))
        elif k == 6:
            out.append(("version.evshim.test", TXT))
        elif k == 7:
            out.append(("evshim.test", MX))
        elif k == 8:
            out.append(("big.evshim.test", TXT))
        else:
            out.append((f"nothing{r.randrange(99)}.evshim.test", A))
    return out


def udp_worker(seed):
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(5)
        for i, (name, qtype) in enumerate(names(seed, 60)):
            qid = (seed * 1000 + i) & 0xFFFF
            s.sendto(query(qid, name, qtype), (ADDR, PORT))
            msg, _ = s.recvfrom(65535)
            check("udp", qid, name, qtype, msg, truncated_ok=True)
        s.close()
    except Exception as e:
        failures.append(f"udp worker {seed}: {e!r}")


def recv_exactly(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise EOFError("server closed")
        b += c
    return b


def tcp_worker(seed):
    try:
        s = socket.create_connection((ADDR, PORT), timeout=10)
        batch = names(seed, 50)
        out = b""
        for i, (name, qtype) in enumerate(batch):
            q = query(i, name, qtype)
            out += struct.pack(">H", len(q)) + q
        s.sendall(out)  # pipelined: NSD answers them in order on this connection
        for i, (name, qtype) in enumerate(batch):
            (n,) = struct.unpack(">H", recv_exactly(s, 2))
            check("tcp", i, name, qtype, recv_exactly(s, n))
        s.close()
    except Exception as e:
        failures.append(f"tcp worker {seed}: {e!r}")


if VERSION_ONLY:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1)
    s.sendto(query(7, "version.evshim.test", TXT), (ADDR, PORT))
    _, _, answers = parse(s.recvfrom(65535)[0])
    sys.exit(0 if answers == [("version.evshim.test", TXT, VERSION.decode())] else 1)

threads = [threading.Thread(target=udp_worker, args=(n,)) for n in range(20)]
threads += [threading.Thread(target=tcp_worker, args=(100 + n,)) for n in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join(60)
if failures:
    print("\n".join(failures[:10]))
    sys.exit(1)
print(f"{counts['udp']} UDP and {counts['tcp']} pipelined TCP queries answered correctly;", end=" ")
