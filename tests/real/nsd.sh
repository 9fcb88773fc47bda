#!/usr/bin/env bash
# Debian's NSD (authoritative DNS server) on evshim, both ways: the main process, the xfrd
# process and two forked server processes each run libevent loops (UDP and TCP handling,
# timers, signals). tests/real/dns_client.py sends UDP and TCP queries to 127.x only and
# checks every answer against the zone below; then the zone is changed and SIGHUP must make
# NSD serve the new data (a reload forks new server processes).
source "$(dirname "$0")/lib.sh"
real_need nsd python3
real_verdict nsd
tmp=$(mktemp -d)
cleanup() { [ -z "${pid:-}" ] || { kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; }; rm -rf "$tmp"; }
trap cleanup EXIT
zone() { # SERIAL VERSION-TEXT
  {
    echo "\$ORIGIN evshim.test."
    echo "\$TTL 300"
    echo "@ IN SOA ns1 hostmaster $1 3600 600 86400 300"
    echo "@ IN NS ns1"
    echo "ns1 IN A 192.0.2.1"
    echo "@ IN MX 10 mail"
    echo "mail IN A 192.0.2.25"
    echo "version IN TXT \"$2\""
    for i in $(seq 0 499); do echo "host$i IN A 198.51.$((100 + i / 256)).$((i % 256))"; done
    for i in $(seq 0 39); do echo "big IN TXT \"record $i $(printf 'x%.0s' $(seq 60))\""; done
  } > "$tmp/evshim.test.zone"
}
for mode in $(real_modes); do
  addr=$(real_addr) port=$(real_port)
  zone 1 one
  cat > "$tmp/nsd.conf" << CONF
server:
  ip-address: $addr
  port: $port
  server-count: 2
  do-ip6: no
  username: ""
  chroot: ""
  zonesdir: "$tmp"
  database: ""
  zonelistfile: "$tmp/zone.list"
  pidfile: "$tmp/nsd.pid"
  xfrdfile: "$tmp/xfrd.state"
  xfrdir: "$tmp"
  logfile: "$tmp/nsd.log"
  verbosity: 1
remote-control:
  control-enable: no
zone:
  name: "evshim.test"
  zonefile: "evshim.test.zone"
CONF
  env $(real_env "$mode") nsd -d -c "$tmp/nsd.conf" &
  pid=$!
  real_wait_tcp "$addr" "$port"
  real_check_maps $pid "$mode"
  for child in $(ps -o pid= --ppid $pid); do real_check_maps "$child" "$mode"; done
  timeout 120 python3 tests/real/dns_client.py "$addr" "$port" one > "$tmp/out" || { cat "$tmp/out"; tail -5 "$tmp/nsd.log"; real_fail "queries failed ($mode)"; }
  zone 2 two
  kill -HUP $pid
  ok=no
  for _ in $(seq 100); do
    if timeout 10 python3 tests/real/dns_client.py "$addr" "$port" two --version-only > /dev/null 2>&1; then ok=yes; break; fi
    sleep 0.1
  done
  [ $ok = yes ] || { tail -5 "$tmp/nsd.log"; real_fail "NSD did not serve the changed zone after SIGHUP ($mode)"; }
  timeout 120 python3 tests/real/dns_client.py "$addr" "$port" two >> "$tmp/out" || { cat "$tmp/out"; real_fail "queries after SIGHUP failed ($mode)"; }
  real_check_maps $pid "$mode"
  kill $pid; wait $pid 2> /dev/null || true; pid=
  echo "nsd ($mode): $(tr '\n' ' ' < "$tmp/out")(second run after SIGHUP reload)"
done
