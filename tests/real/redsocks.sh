#!/usr/bin/env bash
# Debian's redsocks (transparent TCP-to-proxy redirector) on evshim, both ways: socket
# bufferevents made with bufferevent_new on connecting fds, read watermarks and its own
# write-side backpressure, callbacks swapped by writing struct bufferevent's readcb/writecb,
# half-closes passed on with shutdown(2), bufferevent_free with data still queued, and a
# splice(2) pump that unfreezes the bufferevents' evbuffers and writes them out itself.
# Seven instances (SOCKS5, HTTP CONNECT with a 407 challenge, SOCKS4 over splice, a refused
# connect, a proxy's 403 forwarded, a SOCKS5 refusal, http-relay) in front of the proxies
# of tests/real/redsocks_peer.py, which also runs the clients and checks every byte, the
# SIGUSR1 client list and redsocks's log. `redirector = generic` (the destination is the
# address the connection was accepted on), so no iptables rule is needed.
source "$(dirname "$0")/lib.sh"
real_need redsocks python3
real_verdict redsocks
tmp=$(mktemp -d)
cleanup() { [ -z "${pid:-}" ] || { kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; }; rm -rf "$tmp"; }
trap cleanup EXIT
for mode in $(real_modes); do
  addr=$(real_addr) base=$((20000 + RANDOM % 40000))
  # instance I listens on BASE+I and uses the proxy on BASE+10+I (redsocks_peer.py's list)
  inst() { echo "redsocks { local_ip = $addr; local_port = $((base + $1)); ip = $addr; port = $((base + 10 + $1)); type = $2; $3 }"; }
  {
    echo "base { log_debug = off; log_info = on; log = stderr; daemon = off; redirector = generic; }"
    inst 0 socks5 "splice = false;"
    inst 1 http-connect "splice = false; login = \"evshim\"; password = \"pa55:w0rd\";"
    inst 2 socks4 "splice = true;"
    inst 3 socks5 "splice = false;"
    inst 4 http-connect "splice = false; on_proxy_fail = forward_http_err;"
    inst 5 socks5 "splice = false;"
    inst 6 http-relay "splice = false;"
  } > "$tmp/redsocks.conf"
  log=$tmp/redsocks.$mode.log
  env $(real_env "$mode") redsocks -c "$tmp/redsocks.conf" 2> "$log" &
  pid=$!
  real_wait_tcp "$addr" $((base + 3))  # instance 3: its proxy never listens, nothing is relayed
  real_check_maps $pid "$mode"
  out=$(timeout 60 python3 tests/real/redsocks_peer.py "$addr" "$base" "$pid" "$log") \
    || { echo "$out"; tail -5 "$log"; real_fail "client failed ($mode)"; }
  real_check_maps $pid "$mode"
  # SIGTERM: redsocks leaves its loop (signal event), frees everything and exits 0.
  kill $pid
  rc=0; wait $pid || rc=$?; pid=
  [ $rc = 0 ] || { tail -5 "$log"; real_fail "redsocks exited with $rc after SIGTERM ($mode)"; }
  grep -q 'redsocks goes down' "$log" || real_fail "redsocks did not log its shutdown ($mode)"
  echo "redsocks ($mode): $out"
done
