#!/usr/bin/env bash
# Debian's poolcounterd (Wikimedia's lock/queue server) on evshim, both ways: many client
# connections, waiting queues, per-request timeouts (libevent timers), disconnects.
# tests/real/poolcounter_client.py checks the protocol's guarantees, not just replies.
source "$(dirname "$0")/lib.sh"
real_need poolcounterd python3
real_verdict poolcounterd
cleanup() { [ -z "${pid:-}" ] || { kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; }; }
trap cleanup EXIT
for mode in $(real_modes); do
  addr=$(real_addr)  # the port is fixed (7531); a private 127.x address keeps runs apart
  env $(real_env "$mode") poolcounterd -l "$addr" &
  pid=$!
  real_wait_tcp "$addr" 7531
  real_check_maps $pid "$mode"
  out=$(timeout 120 python3 tests/real/poolcounter_client.py "$addr" 7531) || { echo "$out"; real_fail "client failed ($mode)"; }
  real_check_maps $pid "$mode"
  kill $pid; wait $pid 2> /dev/null || true; pid=
  echo "poolcounter ($mode): $out"
done
