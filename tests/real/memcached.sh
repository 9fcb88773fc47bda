#!/usr/bin/env bash
# Debian's memcached, built against Debian's libevent, on evshim unmodified, both ways
# (LD_PRELOAD and LD_LIBRARY_PATH): worker threads with their own bases, event_set +
# event_base_set, cross-thread notification pipes, partial writes of large values.
# tests/real/memcached_client.py checks every byte of every reply.
source "$(dirname "$0")/lib.sh"
real_need memcached python3
real_verdict memcached
for mode in $(real_modes); do
  addr=$(real_addr) port=$(real_port)
  env $(real_env "$mode") memcached -u "$(id -un)" -l "$addr" -p "$port" -U 0 -t 4 -m 256 -I 2m -c 256 &
  pid=$!
  trap 'kill $pid 2> /dev/null || true; wait $pid 2> /dev/null || true' EXIT
  real_wait_tcp "$addr" "$port"
  real_check_maps $pid "$mode"
  timeout 120 python3 tests/real/memcached_client.py "$addr" "$port" "$mode" || real_fail "client failed ($mode)"
  real_check_maps $pid "$mode"
  kill $pid; wait $pid 2> /dev/null || true
  trap - EXIT
done
