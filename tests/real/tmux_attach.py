#!/usr/bin/env python3
"""tmux_attach.py SOCKET SESSION: attaches a tmux client on a pseudo-terminal (the
environment, LD_PRELOAD or LD_LIBRARY_PATH, is inherited), checks the server lists it,
types a command through the client and sees its output on the client's screen, detaches it
with detach-client from another tmux command, and checks the client exits. Prints a summary."""
import os
import pty
import select
import subprocess
import sys
import time

sock, session = sys.argv[1], sys.argv[2]
env = dict(os.environ, TERM="xterm", SHELL="/bin/sh", PS1="$ ", ENV="")
pid, fd = pty.fork()
if pid == 0:
    os.execvpe("tmux", ["tmux", "-S", sock, "attach-session", "-t", session], env)

seen = bytearray()


def read_until(pattern, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            seen.extend(data)
            if pattern in seen:
                return True
    return pattern in seen


def tmux(*args):
    return subprocess.run(["tmux", "-S", sock, *args], env=env, capture_output=True, text=True, timeout=10).stdout


def fail(msg):
    print(f"tmux attach: {msg}; the client's last output: {bytes(seen[-300:])!r}")
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass
    sys.exit(1)


for _ in range(100):
    if tmux("list-clients", "-F", "#{client_session}").strip() == session:
        break
    time.sleep(0.05)
else:
    fail("the attached client is not listed")
os.write(fd, b"echo attached$((6*7))\r")
if not read_until(b"attached42"):
    fail("typed command's output never reached the client's screen")
tmux("detach-client", "-s", session)
read_until(b"[detached", 10)
end = time.time() + 10
status = None
while time.time() < end:
    wpid, st = os.waitpid(pid, os.WNOHANG)
    if wpid:
        status = st
        break
    time.sleep(0.05)
if status is None:
    fail("the client did not exit after detach-client")
if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
    fail(f"client exit status {status}")
if b"[detached" not in seen:
    fail("no [detached ...] message")
if tmux("list-clients").strip():
    fail("a client is still listed after detaching")
print("a client attached on a pty typed and saw output, then detached")
