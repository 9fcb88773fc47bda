#!/usr/bin/env python3
"""The proxies and clients for tests/real/redsocks.sh (127.x only).

    redsocks_peer.py ADDR BASE_PORT REDSOCKS_PID LOG

redsocks (configured by redsocks.sh, `redirector = generic`) listens on ADDR:BASE+i for each
instance i below and relays every accepted connection to the upstream proxy of that instance
on ADDR:BASE+10+i, which this script runs. With the generic redirector a connection's
destination is the address it was accepted on (getsockname), so every proxy checks that the
destination redsocks asks for is exactly ADDR:BASE+i, then serves the connection itself
(there is nothing behind it to reach): it is the proxy and the service in one.

The clients connect to redsocks. Each relayed connection starts with a header line
"ID MODE UP DOWN" and runs one MODE (every byte is checked, by the client or the service):
  c2s   the client sends UP bytes and shuts down its write side; the service reads to EOF,
        then answers DOWN bytes derived from what it received, and closes
  s2c   the service sends DOWN bytes first and shuts down its write side while the client is
        still sending its UP bytes; the service checks them after the client's EOF
  slow  c2s with a 1.5 MB answer that the client reads late and in small pieces (redsocks's
        backpressure: it stops reading the relay while the client's buffer is full)
  ping  40 length-prefixed frames, each answered by the service with its bytes reversed
  abort the client sends part of its data and resets the connection (SO_LINGER 0) while the
        service is sending 2 MB; redsocks must drop both sides and go on
Instances (i: redsocks type -> what the proxy on BASE+10+i does):
  0 socks5, buffer pump            SOCKS5, no auth
  1 http-connect, login/password   HTTP CONNECT; 407 with a Basic challenge until redsocks
                                   sends the right Proxy-Authorization (it reconnects)
  2 socks4, splice pump            SOCKS4
  3 socks5 -> nothing listens      redsocks's connect is refused: the client gets no byte
  4 http-connect, forward_http_err the proxy refuses (403 with a body): the client receives
                                   the proxy's status line and the rest of its answer
  5 socks5                         the proxy answers "connection refused" (REP 5)
  6 http-relay                     redsocks rewrites each request line to an absolute URI;
                                   POST bodies up to 300 kB, answered with derived bodies
Then a few connections stay open on instances 0 and 2 and redsocks is sent SIGUSR1: its
client list (bufferevent_getfd, the `enabled` field of struct bufferevent, event_pending on
the splice pump's events) must show exactly them. Last, redsocks's log (its stderr, LOG)
must say for every connection what happened to it: "connection closed" after a complete
exchange; a reset for an aborted client; the refused connect, the proxy's 403, the SOCKS5
refusal; and nothing at error or warning level (but http-relay's warning about itself).
Prints one summary line; exits 1 with the list of failures otherwise."""
import asyncio
import base64
import hashlib
import os
import random
import re
import signal
import socket
import struct
import sys

ADDR, BASE, PID, LOG = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
LOGIN, PASSWORD = "evshim", "pa55:w0rd"
failures = []
served = {}  # ID -> what the service saw (s2c: digest of the client's bytes; abort: "ended")
sent = {}  # ID -> digest of what an s2c client sent
stats = {"up": 0, "down": 0, "conns": 0, "auth407": 0}
# (client port, instance, ident, [patterns the log must show for that connection])
expect = []
CLOSED = "connection closed"
DROPPED = r"dropping client \(.*\), relay \(.*\), idle"
ERROR_PAGE = (b"HTTP/1.0 403 Forbidden\r\nContent-Type: text/plain\r\nX-Evshim: refused\r\n\r\n"
              + b"".join(b"no tunnel for you, line %d\n" % i for i in range(200)))


def fail(msg):
    failures.append(msg)


def data(seed, n):
    return random.Random(seed).randbytes(n)


def answer_for(ident, received, n):
    return data(hashlib.sha256(ident.encode() + received).digest(), n)


# ---------------------------------------------------------------- the service behind a proxy

async def serve(reader, writer, inst):
    header = await reader.readline()
    try:
        ident, mode, up, down = header.decode().split()
        up, down = int(up), int(down)
    except ValueError:
        fail(f"instance {inst}: bad header {header[:80]!r}")
        writer.close()
        return
    if mode in ("c2s", "slow"):
        got = await reader.readexactly(up)
        rest = await reader.read(1)
        if rest:
            fail(f"{ident}: more than {up} bytes before EOF")
        writer.write(answer_for(ident, got, down))
        await writer.drain()
    elif mode == "s2c":
        writer.write(data(ident + "down", down))
        await writer.drain()
        writer.write_eof()
        got = await reader.read()
        served[ident] = hashlib.sha256(got).hexdigest()
    elif mode == "ping":
        while True:
            try:
                hdr = await reader.readexactly(4)
            except asyncio.IncompleteReadError as e:
                if e.partial:
                    fail(f"{ident}: {len(e.partial)} bytes of a frame header before EOF")
                break
            (n,) = struct.unpack("!I", hdr)
            frame = await reader.readexactly(n)
            writer.write(frame[::-1])
            await writer.drain()
    elif mode == "abort":
        try:
            for i in range(32):
                writer.write(data(ident + str(i), 65536))
                await writer.drain()
            await reader.read()
        except (ConnectionError, OSError):
            pass
        served[ident] = "ended"
    writer.close()


def check_dest(inst, host, port):
    want = (ADDR, BASE + inst)
    if (host, port) != want:
        fail(f"instance {inst}: redsocks asked for {host}:{port}, want {want[0]}:{want[1]}")


async def proxy(reader, writer, inst):
    stats["conns"] += 1
    try:
        if inst in (0, 5):  # SOCKS5
            ver, n = await reader.readexactly(2)
            methods = await reader.readexactly(n)
            if ver != 5 or 0 not in methods:
                fail(f"instance {inst}: socks5 greeting {ver} {methods!r}")
            writer.write(b"\x05\x00")
            req = await reader.readexactly(10)
            if req[:4] != b"\x05\x01\x00\x01":
                fail(f"instance {inst}: socks5 request {req!r}")
            check_dest(inst, socket.inet_ntoa(req[4:8]), struct.unpack("!H", req[8:10])[0])
            if inst == 5:
                writer.write(b"\x05\x05\x00\x01" + bytes(6))
                await writer.drain()
                writer.close()
                return
            writer.write(b"\x05\x00\x00\x01" + socket.inet_aton(ADDR) + struct.pack("!H", 1))
        elif inst == 2:  # SOCKS4
            req = await reader.readexactly(8)
            user = await reader.readuntil(b"\x00")
            if req[:2] != b"\x04\x01":
                fail(f"instance 2: socks4 request {req!r} {user!r}")
            check_dest(2, socket.inet_ntoa(req[4:8]), struct.unpack("!H", req[2:4])[0])
            writer.write(b"\x00\x5a" + bytes(6))
        elif inst in (1, 4):  # HTTP CONNECT
            head = (await reader.readuntil(b"\r\n\r\n")).decode()
            lines = head.split("\r\n")
            method, target, _ = lines[0].split(" ")
            host, port = target.rsplit(":", 1)
            if method != "CONNECT":
                fail(f"instance {inst}: {lines[0]!r}")
            check_dest(inst, host, int(port))
            if inst == 4:
                writer.write(ERROR_PAGE)
                await writer.drain()
                writer.close()
                return
            want = "Proxy-Authorization: Basic " + base64.b64encode(f"{LOGIN}:{PASSWORD}".encode()).decode()
            if want not in lines:
                stats["auth407"] += 1
                writer.write(b"HTTP/1.0 407 Proxy Authentication Required\r\n"
                             b"Proxy-Authenticate: Basic realm=\"evshim\"\r\n\r\n")
                await writer.drain()
                writer.close()
                return
            writer.write(b"HTTP/1.0 200 Connection established\r\nX-Filler: " + b"x" * 100 + b"\r\n\r\n")
        elif inst == 6:  # http-relay: a plain proxied HTTP request with an absolute URI
            head = (await reader.readuntil(b"\r\n\r\n")).decode()
            lines = head.split("\r\n")
            method, uri, version = lines[0].split(" ")
            want_prefix = "http://relay.evshim.test/upload/"
            if method != "POST" or not uri.startswith(want_prefix) or version != "HTTP/1.0":
                fail(f"http-relay: request line {lines[0]!r}")
                writer.close()
                return
            ident = uri[len(want_prefix):]
            length = [int(h.split(":", 1)[1]) for h in lines if h.lower().startswith("content-length:")]
            body = await reader.readexactly(length[0]) if length else b""
            if body != data(ident, len(body)):
                fail(f"{ident}: http-relay body differs ({len(body)} bytes)")
            reply = answer_for(ident, body, len(body) // 2 + 7)
            writer.write(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n" % len(reply) + reply)
            await writer.drain()
            writer.close()
            return
        await writer.drain()
        await serve(reader, writer, inst)
    except (asyncio.IncompleteReadError, ConnectionError) as e:
        if inst != 3:
            fail(f"instance {inst}: proxy side: {e!r}")
        writer.close()


# ---------------------------------------------------------------- clients

async def client(inst, ident, mode, up, down):
    reader, writer = await asyncio.open_connection(ADDR, BASE + inst)
    port = writer.get_extra_info("sockname")[1]
    if mode == "abort":
        # redsocks reads the reset (buffer pump: the bufferevent's error event; splice
        # pump: splice's error), or meets it writing: either way it drops both sides.
        expect.append((port, inst, ident, [r"client (socket )?error, code .*|splice\(\w+ client\): "
                                            r"(Connection reset by peer|Broken pipe)", DROPPED]))
    else:
        expect.append((port, inst, ident, [CLOSED]))
    writer.write(f"{ident} {mode} {up} {down}\n".encode())
    out = data(ident, up)
    if mode in ("c2s", "slow"):
        writer.write(out)
        await writer.drain()
        writer.write_eof()
        if mode == "slow":
            await asyncio.sleep(0.3)
            got = bytearray()
            while True:
                chunk = await reader.read(16384)
                if not chunk:
                    break
                got += chunk
                await asyncio.sleep(0.001)
            got = bytes(got)
        else:
            got = await reader.read()
        want = answer_for(ident, out, down)
        if got != want:
            fail(f"{ident}: answer of {len(got)} bytes, want {len(want)}, equal prefix {_prefix(got, want)}")
    elif mode == "s2c":
        sent[ident] = hashlib.sha256(out).hexdigest()

        async def send():
            for i in range(0, len(out), 32768):
                writer.write(out[i:i + 32768])
                await writer.drain()
                await asyncio.sleep(0)
        sender = asyncio.ensure_future(send())
        got = await reader.read()  # the service's EOF arrives while we may still be sending
        await sender
        writer.write_eof()
        if got != data(ident + "down", down):
            fail(f"{ident}: s2c got {len(got)} bytes, want {down}")
        rest = await reader.read()
        if rest:
            fail(f"{ident}: bytes after EOF")
    elif mode == "ping":
        rng = random.Random(ident)
        for i in range(40):
            frame = data(f"{ident}/{i}", rng.randrange(1, 3000))
            writer.write(struct.pack("!I", len(frame)) + frame)
            got = await reader.readexactly(len(frame))
            if got != frame[::-1]:
                fail(f"{ident}: frame {i} answered wrongly")
            up += 4 + len(frame)
            down += len(frame)
        writer.write_eof()
        if await reader.read():
            fail(f"{ident}: bytes after the last frame")
    elif mode == "abort":
        writer.write(out[: up // 2])
        await writer.drain()
        await reader.readexactly(100000)  # the service is sending; take some, then reset
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()
        return
    writer.close()
    stats["up"] += up
    stats["down"] += down


def _prefix(a, b):
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


async def refused(inst, ident):
    """A connection redsocks cannot complete: the client must see EOF (or a reset) and no
    byte, except on instance 4 where the proxy's refusal is forwarded."""
    reader, writer = await asyncio.open_connection(ADDR, BASE + inst)
    port = writer.get_extra_info("sockname")[1]
    expect.append((port, inst, ident, {
        3: [r"red_is_socket_connected_ok: Connection refused", DROPPED],
        4: [r"HTTP Proxy error: HTTP/1.0 403 Forbidden", CLOSED],
        5: [r"Socks5 server status: connection refused \(5\)", DROPPED]}[inst]))
    writer.write(f"{ident} c2s 10 10\n".encode() + data(ident, 10))
    await writer.drain()
    try:
        got = await asyncio.wait_for(reader.read(), 10)
    except ConnectionResetError:
        got = b""
    writer.close()
    if inst == 4:
        # redsocks writes the proxy's status line itself, then relays the rest of the answer
        # (what was left in the relay's input, then what arrives until the proxy's EOF).
        if got != ERROR_PAGE:
            fail(f"{ident}: forwarded refusal is {len(got)} bytes {got[:60]!r}..., want the proxy's {len(ERROR_PAGE)}")
    elif got:
        fail(f"{ident}: refused connection delivered {len(got)} bytes")


async def relay_request(ident, size):
    reader, writer = await asyncio.open_connection(ADDR, BASE + 6)
    expect.append((writer.get_extra_info("sockname")[1], 6, ident, [CLOSED]))
    body = data(ident, size)
    writer.write(b"POST /upload/%s HTTP/1.0\r\nHost: relay.evshim.test\r\nContent-Length: %d\r\n"
                 b"User-Agent: evshim-test\r\n\r\n" % (ident.encode(), size) + body)
    await writer.drain()
    got = await reader.read()
    writer.close()
    reply = answer_for(ident, body, size // 2 + 7)
    want = b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n" % len(reply) + reply
    if got != want:
        fail(f"{ident}: http-relay answer of {len(got)} bytes, want {len(want)} ({got[:40]!r})")
    stats["up"] += size
    stats["down"] += len(reply)


async def main():
    servers = []
    for inst in (0, 1, 2, 4, 5, 6):
        servers.append(await asyncio.start_server(
            lambda r, w, i=inst: proxy(r, w, i), ADDR, BASE + 10 + inst, limit=1 << 20))
    # redsocks keeps one authentication state per instance and counts the requests made
    # with it: a 407 to a request sent before the first challenge was answered reads as
    # "auth failed". One connection first, so the challenge is answered once; every later
    # CONNECT carries the credentials.
    await client(1, "i1warmup", "c2s", 1000, 1000)
    if stats["auth407"] != 1:
        fail(f"instance 1: {stats['auth407']} authentication challenges for the first connection, want 1")
    rng = random.Random(1)
    jobs = []
    for inst in (0, 1, 2):
        for k in range(24):
            mode = ("c2s", "s2c", "ping", "c2s", "s2c", "slow", "abort", "c2s")[k % 8]
            up = rng.choice((0, 1, 100, 5000, rng.randrange(1, 300000)))
            down = {"slow": 1500000, "abort": 0}.get(mode, rng.choice((0, 1, 7000, rng.randrange(1, 300000))))
            if mode == "abort":
                up = 200000
            jobs.append(client(inst, f"i{inst}c{k}", mode, up, down))
    for inst in (3, 4, 5):
        for k in range(6):
            jobs.append(refused(inst, f"i{inst}r{k}"))
    for k in range(12):
        jobs.append(relay_request(f"r{k}", rng.choice((0, 10, 4000, rng.randrange(1, 300000)))))
    results = await asyncio.wait_for(asyncio.gather(*jobs, return_exceptions=True), 60)
    for r in results:
        if isinstance(r, BaseException):
            fail(f"client: {r!r}")
    # The s2c services check the client's bytes after its EOF; an abort's service must see
    # the connection end (redsocks drops the relay when the client resets).
    aborts = [f"i{inst}c{k}" for inst in (0, 1, 2) for k in range(24) if k % 8 == 6]
    for _ in range(200):
        if len(served) >= len(sent) + len(aborts):
            break
        await asyncio.sleep(0.05)
    for ident, digest in sent.items():
        if served.get(ident) != digest:
            fail(f"{ident}: the service received other bytes than the s2c client sent")
    for ident in aborts:
        if served.get(ident) != "ended":
            fail(f"{ident}: the service never saw the aborted connection end")
    await held_connections()
    for s in servers:
        s.close()
    check_log()


async def held_connections():
    """Connections kept open (relayed, idle) while redsocks dumps its client list."""
    held = []
    for inst, n in ((0, 3), (2, 2)):
        for k in range(n):
            ident = f"i{inst}h{k}"
            reader, writer = await asyncio.open_connection(ADDR, BASE + inst)
            expect.append((writer.get_extra_info("sockname")[1], inst, ident, [CLOSED]))
            writer.write(f"{ident} ping 0 0\n".encode() + struct.pack("!I", 3) + b"abc")
            if await reader.readexactly(3) != b"cba":
                fail(f"{ident}: held connection answered wrongly")
            held.append((inst, reader, writer))
    start = len(open(LOG, errors="replace").read())
    os.kill(PID, signal.SIGUSR1)
    dump = ""
    for _ in range(100):
        dump = open(LOG, errors="replace").read()[start:]
        if dump.count("End of client list.") == 7:
            break
        await asyncio.sleep(0.05)
    sections = re.findall(r"Dumping client list for (\S+) at [\d.]+:(\d+):\n(.*?)End of client list. (\d+) clients.",
                          dump, re.S)
    got = {int(port) - BASE: (kind, body, int(n)) for kind, port, body, n in sections}
    for inst in range(7):
        kind, body, n = got.get(inst, ("?", "", -1))
        want = {0: 3, 2: 2}.get(inst, 0)
        lines = [l for l in body.splitlines() if "client: " in l]
        if n != want or len(lines) != want:
            fail(f"SIGUSR1 dump, instance {inst} ({kind}): {n} clients, {len(lines)} lines, want {want}")
        for l in lines:
            # buffer pump: both bufferevents enabled for reading and writing; splice pump:
            # the bufferevents are freed once empty, the splice events read-pending.
            if inst == 0 and not re.search(r"client: \d+ \(R/W\), relay: \d+ \(R/W\), age", l):
                fail(f"SIGUSR1 dump, buffer pump: {l}")
            if inst == 2 and not re.search(r"client: buf -1 \(NULL\) splice \d+ \(R/-\).*relay: buf -1 \(NULL\) splice \d+ \(R/-\)", l):
                fail(f"SIGUSR1 dump, splice pump: {l}")
    for inst, reader, writer in held:
        writer.write_eof()
        if await reader.read():
            fail("held connection: bytes after the last frame")
        writer.close()
    for _ in range(100):  # the log line of the last close
        if open(LOG, errors="replace").read().count(CLOSED) >= sum(1 for e in expect if CLOSED in e[3]):
            break
        await asyncio.sleep(0.05)


def check_log():
    log = open(LOG, errors="replace").read().splitlines()
    by_port = {}
    for line in log:
        m = re.search(r"\[127\.0\.0\.1:(\d+)->", line)
        if m:
            by_port.setdefault(int(m.group(1)), []).append(line)
        elif re.match(r"\d+\.\d+ (err|warning|crit|alert|emerg) ", line) and "You should avoid `http-relay`" not in line:
            fail(f"redsocks logged: {line}")
    for port, inst, ident, patterns in expect:
        lines = by_port.get(port, [])
        for pat in patterns:
            if not any(re.search(pat, l) for l in lines):
                fail(f"{ident} (instance {inst}): no log line like {pat!r}: {lines[-3:]}")
        for l in lines:
            if re.match(r"\d+\.\d+ (err|warning) ", l):
                fail(f"{ident}: redsocks logged: {l}")
        if not any(f"->{ADDR}:{BASE + inst}]: accepted" in l for l in lines):
            fail(f"{ident}: redsocks did not log accepting the connection")
    stats["logged"] = len(expect)


if __name__ == "__main__":
    asyncio.run(main())
    if failures:
        print("\n".join(failures[:40]))
        sys.exit(1)
    print(f"{stats['conns']} proxied connections, {stats['up']} bytes up and {stats['down']} down checked,"
          f" {stats['auth407']} auth challenge, the log of all {stats['logged']} client connections checked,"
          " SIGUSR1 client list checked")
