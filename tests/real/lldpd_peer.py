#!/usr/bin/env python3
"""The LLDP neighbour and the lldpcli driver for tests/real/lldpd.sh. Runs inside the
script's private network namespace, where lldpd manages v0 and this script owns v1, the
other end of the veth pair (an AF_PACKET socket: it reads lldpd's LLDPDUs and sends its own).

    lldpd_peer.py CTL_SOCKET LLDPD_CHILD_PID LLDPD_LOG

lldpd was configured at start by lldpcli (-O: hostname, description, tx-interval 1).
1. lldpd's LLDPDUs on the wire (its transmit timer) carry that configuration; after
   `lldpcli configure system hostname ...` the next ones carry the new name.
2. `lldpcli watch` (a control connection that lldpd writes notifications to) and the
   neighbour table, as the peer's LLDPDUs come and go: neighbour A added, A updated, A's
   shutdown LLDPDU (TTL 0) deletes it, neighbour B with a TTL of 2 s is expired by lldpd;
   the watcher must see exactly those notifications, in that order.
3. Control-socket load: 8 lldpcli processes at once, each sending 60 commands over its one
   connection; every answer checked.
4. SIGUSR1: lldpd's child dumps its events with event_base_dump_events into its log.
Prints one summary line; exits 1 with the failures otherwise."""
import os
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

CTL, CHILD, LOG = sys.argv[1], int(sys.argv[2]), sys.argv[3]
failures = []


def fail(msg):
    failures.append(msg)


def lldpcli(*args, stdin=None):
    r = subprocess.run(["lldpcli", "-u", CTL, "-f", "keyvalue", *args], input=stdin,
                       capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        fail(f"lldpcli {' '.join(args)}: exit {r.returncode}: {r.stderr.strip()[:200]}")
    return r.stdout


def keyvalues(text):
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88CC))
sock.bind(("v1", 0x88CC))
MAC = sock.getsockname()[4]
with socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0) as v0:
    v0.bind(("v0", 0))
    V0_MAC = v0.getsockname()[4]


def tlv(t, v):
    return struct.pack("!H", (t << 9) | len(v)) + v


def lldpdu(name, ttl, descr):
    """Chassis ID (locally assigned), port ID (interface name), TTL, system name and
    description, end."""
    return (bytes.fromhex("0180c200000e") + MAC + b"\x88\xcc"
            + tlv(1, b"\x07chassis-" + name.encode()) + tlv(2, b"\x05peer-port")
            + tlv(3, struct.pack("!H", ttl)) + tlv(5, name.encode()) + tlv(6, descr.encode())
            + tlv(0, b""))


def parse(frame):
    """lldpd's LLDPDU -> {type: [values]}; None unless it is LLDP from v0."""
    if frame[12:14] != b"\x88\xcc" or frame[:6] != bytes.fromhex("0180c200000e") or frame[6:12] != V0_MAC:
        return None
    tlvs, i = {}, 14
    while i + 2 <= len(frame):
        (h,) = struct.unpack_from("!H", frame, i)
        t, n = h >> 9, h & 0x1FF
        tlvs.setdefault(t, []).append(frame[i + 2:i + 2 + n])
        i += 2 + n
        if t == 0:
            break
    return tlvs


def lldpdus(count, within, until=None):
    """The next `count` LLDPDUs lldpd sends on v0 (seen on v1), or fewer: up to the first
    for which until(tlvs) is true."""
    got, end = [], time.monotonic() + within
    while len(got) < count and time.monotonic() < end:
        r, _, _ = select.select([sock], [], [], max(0.0, end - time.monotonic()))
        if r:
            t = parse(sock.recv(4096))
            if t is not None:
                got.append(t)
                if until is not None and until(t):
                    break
    return got


def wire_checks():
    frames = lldpdus(3, 15)  # tx-interval 1 s: three transmissions, generously bounded
    if len(frames) < 3:
        fail(f"lldpd sent {len(frames)} LLDPDUs on v0 in 15 s, want 3 (tx-interval 1)")
    for t in frames:
        want = {1: [b"\x04" + V0_MAC], 3: [struct.pack("!H", 4)], 5: [b"evshim-lldp-test"],
                6: [b"evshim test system"], 0: [b""]}
        for k, v in want.items():
            if t.get(k) != v:
                fail(f"lldpd's LLDPDU: TLV {k} is {t.get(k)}, want {v}")
    lldpcli("configure", "system", "hostname", "evshim-renamed")
    renamed = lldpdus(20, 15, until=lambda t: t.get(5) == [b"evshim-renamed"])
    if not renamed or renamed[-1].get(5) != [b"evshim-renamed"]:
        fail("lldpd's LLDPDUs never carried the hostname configured through lldpcli")
    if keyvalues(lldpcli("show", "chassis")).get("local-chassis.chassis.name") != "evshim-renamed":
        fail("show chassis does not report the new hostname")


def neighbour(expect_name, expect_descr, within=10):
    """Poll `show neighbors` until it reports the expected neighbour (None: no neighbour)."""
    kv = {}
    end = time.monotonic() + within
    while time.monotonic() < end:
        kv = keyvalues(lldpcli("show", "neighbors"))
        if expect_name is None and not kv:
            return kv
        if expect_name is not None and kv.get("lldp.v0.chassis.name") == expect_name \
                and kv.get("lldp.v0.chassis.descr") == expect_descr:
            return kv
        time.sleep(0.1)
    fail(f"show neighbors never showed {expect_name} ({expect_descr}): {kv}")
    return kv


def neighbour_checks():
    watch = subprocess.Popen(["lldpcli", "-u", CTL, "-f", "keyvalue", "watch"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    notes = []
    reader = threading.Thread(target=lambda: notes.extend(watch.stdout), daemon=True)
    reader.start()
    time.sleep(0.5)  # the watcher subscribes before anything changes
    sock.send(lldpdu("peerA", 120, "first description"))
    kv = neighbour("peerA", "first description")
    want = {"lldp.v0.via": "LLDP", "lldp.v0.chassis.local": "chassis-peerA",
            "lldp.v0.chassis.name": "peerA", "lldp.v0.chassis.descr": "first description",
            "lldp.v0.port.ifname": "peer-port", "lldp.v0.port.ttl": "120"}
    for k, v in want.items():
        if kv.get(k) != v:
            fail(f"neighbour A: {k}={kv.get(k)}, want {v}")
    sock.send(lldpdu("peerA", 120, "second description"))
    neighbour("peerA", "second description")
    control_load()
    sock.send(lldpdu("peerA", 0, "second description"))  # shutdown LLDPDU
    neighbour(None, None)
    sock.send(lldpdu("peerB", 2, "short-lived"))  # expires after 2 s
    neighbour("peerB", "short-lived")
    neighbour(None, None, within=15)
    time.sleep(0.3)
    watch.terminate()
    watch.wait(10)
    reader.join(10)
    # One notification is a block of lines "lldp-KIND.v0.KEY=VALUE" starting with "via".
    events = []
    for line in notes:
        m = re.match(r"lldp-(added|updated|deleted)\.v0\.(via|chassis\.name|port\.ttl)=(.*)", line.strip())
        if not m:
            continue
        if m.group(2) == "via":
            events.append([m.group(1)])
        elif events:
            events[-1].append(m.group(3))
    events = [" ".join(e) for e in events]
    # A shutdown LLDPDU updates the neighbour (TTL 0, which lldpcli leaves out); lldpd's next
    # cleanup deletes it.
    want_events = ["added peerA 120", "updated peerA 120", "updated peerA", "deleted peerA",
                   "added peerB 2", "deleted peerB 2"]
    if events != want_events:
        fail(f"lldpcli watch saw {events}, want {want_events}")
    return len(notes)


def control_load():
    """8 concurrent lldpcli processes, 60 commands each on one control connection."""
    cmds = "".join(("show neighbors\n", "show chassis\n", "show configuration\n")[i % 3] for i in range(60))
    procs = [subprocess.Popen(["lldpcli", "-u", CTL, "-f", "keyvalue"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(8)]
    outs = [p.communicate(cmds, timeout=60) for p in procs]
    for p, (out, err) in zip(procs, outs):
        counts = (out.count("lldp.v0.chassis.name=peerA\n"),
                  out.count("local-chassis.chassis.name=evshim-renamed\n"),
                  out.count("configuration.config.hostname=evshim-renamed\n"))
        if p.returncode != 0 or counts != (20, 20, 20):
            fail(f"lldpcli batch: exit {p.returncode}, answers {counts}, want (20, 20, 20): {err.strip()[:200]}")


def dump_check():
    start = os.path.getsize(LOG)
    os.kill(CHILD, signal.SIGUSR1)
    text = ""
    for _ in range(100):
        with open(LOG, errors="replace") as f:
            f.seek(start)
            text = f.read()
        if "Active events:" in text:
            break
        time.sleep(0.05)
    for sig in (2, 10, 15):  # lldpd's SIGINT, SIGUSR1, SIGTERM events
        if not re.search(rf"\[sig {sig}\] Signal Persist", text):
            fail(f"SIGUSR1: event dump without the signal {sig} event: {text[:300]!r}")
    if "Inserted events:" not in text:
        fail("SIGUSR1: no event dump in lldpd's log")


def main():
    for _ in range(100):
        with open(LOG, errors="replace") as f:
            if "lldpd should resume operations" in f.read():
                break
        time.sleep(0.1)
    else:
        fail("lldpd was never resumed by its lldpcli configuration run")
    conf = keyvalues(lldpcli("show", "configuration"))
    for k, v in (("hostname", "evshim-lldp-test"), ("description", "evshim test system"),
                 ("tx-delay", "1"), ("iface-pattern", "v0")):
        if conf.get(f"configuration.config.{k}") != v:
            fail(f"configuration {k} is {conf.get(f'configuration.config.{k}')}, want {v}")
    wire_checks()
    n = neighbour_checks()
    dump_check()
    return n


if __name__ == "__main__":
    n = main()
    if failures:
        print("\n".join(failures[:30]))
        sys.exit(1)
    print(f"configuration, LLDPDUs on the wire, hostname change, neighbours added/updated/"
          f"shut down/expired, {n} lines of lldpcli watch, 8x60 concurrent lldpcli commands, event dump")
