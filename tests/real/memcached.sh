#!/usr/bin/env bash
# Mission goal 2, on a real program: Debian's memcached binary, built against Debian's
# libevent, runs unmodified with LD_PRELOAD=evshim (worker threads with their own bases,
# event_set/event_base_set, cross-thread notification pipes). A bounded client on loopback
# checks every reply. Skipped (loudly) without memcached, except under CI=true.
set -euo pipefail
cd "$(dirname "$0")/../.."
lib=$PWD/build/lib/libevent-2.1.so.7
if ! command -v memcached > /dev/null; then
  if [ "${CI:-}" = true ]; then echo "real programs: FAIL: memcached is not installed"; exit 1; fi
  echo "real programs: SKIPPED memcached (apt-get install memcached)"; exit 0
fi
port=$((20000 + RANDOM % 20000))
LD_PRELOAD=$lib memcached -u "$(id -un)" -l 127.0.0.1 -p $port -U 0 -t 4 -m 64 &
pid=$!
trap 'kill $pid 2> /dev/null || true; wait $pid 2> /dev/null || true' EXIT
for _ in $(seq 50); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), timeout=1).close()" 2> /dev/null && break
  sleep 0.1
done
# The process must have evshim as its libevent, and nothing else.
maps=$(awk '/libevent/ { print $6 }' /proc/$pid/maps | sort -u)
if [ "$maps" != "$lib" ]; then
  echo "real programs: FAIL: memcached mapped '$maps' instead of evshim alone"; exit 1
fi
timeout 120 python3 tests/real/memcached_client.py $port
