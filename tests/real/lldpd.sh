#!/usr/bin/env bash
# Debian's lldpd on evshim, both ways, in a private network namespace (unshare -n) with a
# veth pair: lldpd manages v0, tests/real/lldpd_peer.py owns v1 (AF_PACKET). lldpd's
# unprivileged child runs the loop: lldpcli clients on its unix control socket, each a
# socket bufferevent (requests read with evbuffer_copyout/drain, answers and `watch`
# notifications written with bufferevent_write), a receive event per interface, transmit
# and expiry timers, a netlink socket, signal events, its privileged monitor's pipe.
# lldpd forks that child, and execs lldpcli to apply its configuration (-O) at start.
source "$(dirname "$0")/lib.sh"
real_need lldpd lldpcli python3 ip unshare
if [ -z "${REAL_LLDPD_NETNS:-}" ]; then
  # A namespace of our own: LLDP frames never reach a real network, the veth pair vanishes
  # with the namespace. Needs CAP_SYS_ADMIN and CAP_NET_ADMIN (root in CI).
  if ! unshare -n true 2> /dev/null; then
    [ "${CI:-}" = true ] && real_fail "cannot create a network namespace (unshare -n)"
    echo "real programs: SKIPPED lldpd: cannot create a network namespace (unshare -n needs root)"
    exit 0
  fi
  exec unshare -n env REAL_LLDPD_NETNS=1 "$0" "$@"
fi
real_verdict lldpd
tmp=$(mktemp -d)
chmod 755 "$tmp"  # lldpd's configuration run of lldpcli reaches the control socket in it
cleanup() { [ -z "${pid:-}" ] || { kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; }; rm -rf "$tmp"; }
trap cleanup EXIT
ip link set lo up
ip link add v0 type veth peer name v1
ip link set v0 up
ip link set v1 up
cat > "$tmp/lldpd.conf" << 'CONF'
configure system hostname evshim-lldp-test
configure system description "evshim test system"
configure lldp tx-interval 1
CONF
for mode in $(real_modes); do
  ctl=$tmp/lldpd-$mode.socket log=$tmp/lldpd-$mode.log
  env $(real_env "$mode") lldpd -d -u "$ctl" -O "$tmp/lldpd.conf" -I v0 -L "$(command -v lldpcli)" > "$log" 2>&1 &
  pid=$!
  child=
  for _ in $(seq 100); do child=$(pgrep -P $pid -x lldpd || true); [ -n "$child" ] && [ -S "$ctl" ] && break; sleep 0.05; done
  [ -n "$child" ] || { cat "$log"; real_fail "lldpd's unprivileged child did not start ($mode)"; }
  real_check_maps $pid "$mode"
  real_check_maps "$child" "$mode"
  out=$(timeout 90 python3 tests/real/lldpd_peer.py "$ctl" "$child" "$log") \
    || { echo "$out"; tail -5 "$log"; real_fail "lldpd checks failed ($mode)"; }
  real_check_maps "$child" "$mode"
  # SIGTERM to the monitor: it stops the child and exits 0.
  kill $pid
  rc=0; wait $pid || rc=$?; pid=
  [ $rc = 0 ] || { tail -5 "$log"; real_fail "lldpd exited with $rc after SIGTERM ($mode)"; }
  ! grep -E '\[(WARN|FATAL|CRIT)' "$log" || real_fail "lldpd logged warnings ($mode)"
  echo "lldpd ($mode): $out"
done
