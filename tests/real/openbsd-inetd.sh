#!/usr/bin/env bash
# Debian's openbsd-inetd on evshim, both ways: listeners for internal TCP services (echo,
# chargen, daytime, discard) and for programs it forks and execs (/bin/cat, tr), reaping the
# children on SIGCHLD through a libevent signal event, and a reconfiguration on SIGHUP.
# tests/real/inetd_client.py checks every byte; afterwards no child may be left unreaped.
source "$(dirname "$0")/lib.sh"
real_need inetd python3
real_verdict inetd
tmp=$(mktemp -d)
cleanup() { [ -z "${pid:-}" ] || { kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; }; rm -rf "$tmp"; }
trap cleanup EXIT
for mode in $(real_modes); do
  addr=$(real_addr) cat_port=$(real_port)
  tr_port=$((cat_port + 1))
  cat > "$tmp/inetd.conf" << CONF
$addr:echo stream tcp nowait root internal
$addr:chargen stream tcp nowait root internal
$addr:daytime stream tcp nowait root internal
$addr:discard stream tcp nowait root internal
$addr:$cat_port stream tcp nowait root /bin/cat cat
CONF
  # -i: stay in the foreground; -R: no rate limit for our bursts of connections.
  env $(real_env "$mode") inetd -i -R 100000 "$tmp/inetd.conf" &
  pid=$!
  real_wait_tcp "$addr" "$cat_port"
  real_check_maps $pid "$mode"
  timeout 120 python3 tests/real/inetd_client.py "$addr" "$cat_port" > "$tmp/out" || { cat "$tmp/out"; real_fail "client failed ($mode)"; }
  # SIGHUP: inetd re-reads its configuration (a new service that execs tr).
  echo "$addr:$tr_port stream tcp nowait root /usr/bin/tr tr a-z A-Z" >> "$tmp/inetd.conf"
  kill -HUP $pid
  real_wait_tcp "$addr" "$tr_port"
  timeout 60 python3 tests/real/inetd_client.py "$addr" "$tr_port" upper >> "$tmp/out" || { cat "$tmp/out"; real_fail "after SIGHUP ($mode)"; }
  # Every child was reaped (SIGCHLD events): no zombie children of inetd.
  for _ in $(seq 50); do
    zombies=$(ps -o stat= --ppid $pid | grep -c '^Z' || true)
    [ "$zombies" = 0 ] && break
    sleep 0.1
  done
  [ "$zombies" = 0 ] || real_fail "$zombies children of inetd left unreaped ($mode)"
  real_check_maps $pid "$mode"
  kill $pid; wait $pid 2> /dev/null || true; pid=
  echo "openbsd-inetd ($mode): $(tr '\n' ' ' < "$tmp/out")no zombies"
done
