#!/usr/bin/env python3
"""Frame Streams senders for tests/real/fstrm_capture.sh, and the checks of the capture files.

    fstrm_peer.py SOCKET PID STDERR_LOG OUTPUT TMPDIR

fstrm_capture (PID) listens on the unix socket SOCKET with `-t CTYPE -b 65536 -c 6 -d -d -d`,
writes to OUTPUT, its stderr goes to STDERR_LOG. Frame Streams: a data frame is a big-endian
32-bit length and that many bytes; a control frame is a zero length, its own length, its type
(ACCEPT 1, START 2, STOP 3, READY 4, FINISH 5) and fields (CONTENT_TYPE 1: length, bytes).
A sender does the bidirectional handshake (READY -> ACCEPT, START), sends data frames, STOP,
and waits for FINISH, after which fstrm_capture closes the connection.

1. One sender, 400 frames; SIGHUP makes fstrm_capture flush: OUTPUT must then be exactly the
   START frame and those frames, byte for byte.
2. 12 senders at once (only 6 connections allowed at a time: fstrm_capture disables its
   listener at the limit and enables it when one closes), 150 frames each of 1 B to 150 kB;
   frames of more than the 64 KiB buffer (4-byte length included) are skipped by
   fstrm_capture while its read high watermark holds the rest back. OUTPUT is renamed and
   SIGUSR1 makes fstrm_capture close it (STOP) and open a new OUTPUT: the closed file must be
   START, phase 1's frames, every kept frame of phase 2 exactly once with each sender's frames
   in its order, and STOP; its "(wrote N frames, M bytes)" line must agree, and every
   connection's "closing (read N frames, M bytes)" line must match what its sender sent.
3. Senders that misbehave: a wrong content type (closed without ACCEPT), a connection cut in
   the middle of a frame (the partial frame is not written), a malformed control frame; then
   one good sender of 300 frames. Writes TMPDIR/expected-final: what OUTPUT must hold after
   fstrm_capture's SIGTERM (START, that sender's frames, STOP); fstrm_capture.sh compares.
Prints one summary line; exits 1 with the failures otherwise."""
import os
import random
import re
import signal
import socket
import struct
import sys
import threading
import time

SOCK, PID, LOG, OUT, TMP = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
CTYPE = b"protobuf:evshim.Test"
BUF = 65536
failures = []
lock = threading.Lock()


def fail(msg):
    with lock:
        failures.append(msg)


def control(ctype, with_type=True):
    fields = struct.pack("!II", 1, len(CTYPE)) + CTYPE if with_type else b""
    body = struct.pack("!I", ctype) + fields
    return struct.pack("!II", 0, len(body)) + body


START = control(2)
STOP = control(3, with_type=False)


def frames_for(sender, n, big=False):
    """Deterministic frames; each payload starts with its sender and sequence number."""
    rng = random.Random(sender)
    out = []
    for seq in range(n):
        r = rng.random()
        if not big or r < 0.70:
            size = rng.randrange(1, 1000)
        elif r < 0.95:
            size = rng.randrange(1000, 20000)
        elif r < 0.98:
            size = rng.randrange(20000, BUF - 4 + 1)  # up to exactly the buffer size
        else:
            size = rng.randrange(BUF - 3, 150000)  # more than the buffer: skipped
        tag = f"{sender}:{seq}:".encode()
        payload = (tag + rng.randbytes(size))[:max(size, len(tag))]
        out.append(payload)
    return out


def kept(frame):
    return 4 + len(frame) <= BUF


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise EOFError(f"EOF after {len(buf)} of {n} bytes")
        buf += chunk
    return buf


def recv_control(s):
    esc, length = struct.unpack("!II", recv_exact(s, 8))
    if esc != 0:
        raise ValueError(f"expected a control frame, got a data frame of {esc} bytes")
    body = recv_exact(s, length)
    return struct.unpack("!I", body[:4])[0], body[4:]


def connect():
    for _ in range(100):  # the socket file exists from bind(), connections from listen()
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(30)
        try:
            s.connect(SOCK)
            return s
        except (FileNotFoundError, ConnectionRefusedError):
            s.close()
            time.sleep(0.05)
    raise RuntimeError(f"cannot connect to {SOCK}")


def handshake(s):
    s.sendall(control(4))  # READY
    ctype, fields = recv_control(s)
    if ctype != 1 or fields != struct.pack("!II", 1, len(CTYPE)) + CTYPE:
        raise ValueError(f"expected ACCEPT with our content type, got type {ctype} {fields!r}")
    s.sendall(START)


def send_all(name, frames, pieces=False):
    """One well-behaved sender; returns nothing, records failures."""
    try:
        s = connect()
        handshake(s)
        stream = b"".join(struct.pack("!I", len(f)) + f for f in frames)
        if pieces:  # odd-sized writes, so frames straddle reads
            rng = random.Random(name + "pieces")
            i = 0
            while i < len(stream):
                n = rng.randrange(1, 9000)
                s.sendall(stream[i:i + n])
                i += n
        else:
            s.sendall(stream)
        s.sendall(STOP)
        ctype, _ = recv_control(s)
        if ctype != 5:
            fail(f"{name}: expected FINISH, got control type {ctype}")
        if s.recv(1) != b"":
            fail(f"{name}: fstrm_capture did not close after FINISH")
        s.close()
    except Exception as e:  # noqa: BLE001 - any failure of a sender is a test failure
        fail(f"{name}: {e!r}")


def parse(blob):
    """Split a capture file into ('c', type, body) and ('d', payload) items."""
    items, i = [], 0
    while i < len(blob):
        (n,) = struct.unpack_from("!I", blob, i)
        if n == 0:
            (clen,) = struct.unpack_from("!I", blob, i + 4)
            items.append(("c", blob[i:i + 8 + clen]))
            i += 8 + clen
        else:
            items.append(("d", blob[i + 4:i + 4 + n]))
            i += 4 + n
    if i != len(blob):
        raise ValueError("the file ends inside a frame")
    return items


def log_text():
    with open(LOG, errors="replace") as f:
        return f.read()


def wait_log(pattern, count, what):
    for _ in range(200):
        if len(re.findall(pattern, log_text())) >= count:
            return
        time.sleep(0.05)
    fail(f"fstrm_capture never logged {what} ({count} times)")


def encode(frames):
    return b"".join(struct.pack("!I", len(f)) + f for f in frames)


def main():
    # 1. one sender, then SIGHUP (flush): the file is exactly START + its frames.
    p1 = frames_for("p1", 400)
    send_all("p1", p1, pieces=True)
    os.kill(PID, signal.SIGHUP)
    wait_log(r"received SIGHUP, flushing output", 1, "the SIGHUP flush")
    with open(OUT, "rb") as f:
        got = f.read()
    if got != START + encode(p1):
        fail(f"phase 1: after SIGHUP the file has {len(got)} bytes, want {len(START + encode(p1))}")

    # 2. 12 concurrent senders through at most 6 connections, oversized frames skipped.
    senders = {f"s{k}": frames_for(f"s{k}", 150, big=True) for k in range(12)}
    threads = [threading.Thread(target=send_all, args=(n, fr, k % 2 == 0))
               for k, (n, fr) in enumerate(senders.items())]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    os.rename(OUT, OUT + ".1")
    os.kill(PID, signal.SIGUSR1)
    wait_log(r"received SIGUSR1, rotating output file", 1, "the SIGUSR1 rotation")
    wait_log(r"opened output file", 2, "opening the new output file")
    with open(OUT + ".1", "rb") as f:
        blob = f.read()
    items = parse(blob)
    if items[0] != ("c", START) or items[-1] != ("c", STOP):
        fail("phase 2: the rotated file does not start with START and end with STOP")
    data = [x[1] for x in items[1:-1]]
    if any(x[0] != "d" for x in items[1:-1]):
        fail("phase 2: a control frame among the data frames")
    if data[:len(p1)] != p1:
        fail("phase 2: phase 1's frames are not at the start of the rotated file")
    per = {}
    for d in data[len(p1):]:
        per.setdefault(d.split(b":", 1)[0].decode(errors="replace"), []).append(d)
    skipped = 0
    for name, fr in senders.items():
        want = [f for f in fr if kept(f)]
        skipped += len(fr) - len(want)
        if per.pop(name, []) != want:
            fail(f"phase 2: {name}'s frames in the file differ from the {len(want)} kept frames it sent")
    if per:
        fail(f"phase 2: frames from unknown senders {sorted(per)}")
    if skipped == 0:
        fail("phase 2: no oversized frame was sent (test data)")
    m = re.search(r"closed output file \S+ \(wrote (\d+) frames, (\d+) bytes\)", log_text())
    if not m or (int(m.group(1)), int(m.group(2))) != (len(items), len(blob)):
        fail(f"phase 2: fstrm_capture says {m and m.group(0)}, the file has {len(items)} frames, {len(blob)} bytes")
    # Every connection's own count: "closing (read N frames, M bytes)", M counting lengths.
    closes = sorted((int(a), int(b)) for a, b in re.findall(r"closing \(read (\d+) frames, (\d+) bytes\)", log_text()))
    want = sorted([(len(p1), len(encode(p1)))]
                  + [(sum(1 for f in fr if kept(f)), len(encode([f for f in fr if kept(f)])))
                     for fr in senders.values()])
    if closes != want:
        fail(f"phase 2: per-connection counts {closes} != {want}")
    # The connection limit: never more than 6 open at once, and 6 reached (12 senders).
    open_now = peak = 0
    for line in log_text().splitlines():
        if "accepted new connection" in line:
            open_now += 1
            peak = max(peak, open_now)
        elif "closing (read" in line:
            open_now -= 1
    if peak != 6:
        fail(f"phase 2: at most {peak} connections were open at once, want exactly the limit 6")

    # 3. misbehaving senders, then one good one.
    s = connect()  # wrong content type: no ACCEPT, the connection is closed
    body = struct.pack("!I", 4) + struct.pack("!II", 1, 9) + b"text/evil"
    s.sendall(struct.pack("!II", 0, len(body)) + body)
    if s.recv(100) != b"":
        fail("phase 3: a READY with a wrong content type was answered")
    s.close()
    s = connect()  # cut in the middle of a data frame
    handshake(s)
    cut = frames_for("cut", 5)
    s.sendall(encode(cut) + struct.pack("!I", 5000) + b"x" * 1000)
    s.close()
    s = connect()  # a control frame too long to be one
    s.sendall(struct.pack("!II", 0, 100000))
    if s.recv(100) != b"":
        fail("phase 3: a malformed control frame was answered")
    s.close()
    wait_log(r"closing \(read", len(want) + 3, "the misbehaving connections' closes")
    last = frames_for("last", 300, big=True)
    send_all("last", last, pieces=True)
    wait_log(r"closing \(read", len(want) + 4, "the last sender's close")
    with open(os.path.join(TMP, "expected-final"), "wb") as f:
        f.write(START + encode(cut) + encode([x for x in last if kept(x)]) + STOP)
    return sum(len(encode(fr)) for fr in senders.values()) + len(encode(p1)) + len(encode(last)), skipped


if __name__ == "__main__":
    total, skipped = main()
    if failures:
        print("\n".join(failures[:30]))
        sys.exit(1)
    print(f"14 senders, {total} bytes of frames, {skipped} oversized frames skipped, "
          "both capture files checked byte for byte, misbehaving senders closed")
