#!/usr/bin/env bash
# Debian's gearmand (job server) on evshim, both ways: its I/O threads each run a libevent
# base (libevent_pthreads; under LD_PRELOAD the real core and pthreads libraries are mapped
# but unused), connections handed between threads, workers woken with NOOP.
# tests/real/gearman_client.py speaks Gearman's binary protocol: 4 workers reverse the data
# of 400 jobs from 8 clients, every result checked.
source "$(dirname "$0")/lib.sh"
real_need gearmand python3
real_verdict gearmand
tmp=$(mktemp -d)
cleanup() { [ -z "${pid:-}" ] || { kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; }; rm -rf "$tmp"; }
trap cleanup EXIT
for mode in $(real_modes); do
  addr=$(real_addr) port=$(real_port)
  env $(real_env "$mode") gearmand --listen="$addr" --port="$port" --threads=4 --log-file="$tmp/gearmand.log" \
    --pid-file="$tmp/gearmand.pid" --verbose=WARNING &
  pid=$!
  real_wait_tcp "$addr" "$port"
  real_check_maps $pid "$mode"
  out=$(timeout 120 python3 tests/real/gearman_client.py "$addr" "$port") || { echo "$out"; tail -5 "$tmp/gearmand.log"; real_fail "client failed ($mode)"; }
  real_check_maps $pid "$mode"
  kill $pid; wait $pid 2> /dev/null || true; pid=
  echo "gearmand ($mode): $out"
done
