# Sourced by tests/real/*.sh: run a Debian program, built against Debian's libevent, on evshim
# unmodified, and prove evshim is what it runs on.
#
#   real_need PROGRAM...        skip loudly when one is missing (fail under CI=true)
#   real_modes                  the ways to run: "preload llp", or "libevent" when
#                               EVSHIM_REAL=libevent (the script checked against the real
#                               libevent itself, for scripts whose program evshim cannot run yet)
#   real_env MODE               the environment assignment for MODE (for env)
#   real_check_maps PID MODE    fail unless evshim is mapped into PID (and, under
#                               LD_LIBRARY_PATH, no other libevent); in libevent mode the
#                               reverse
#   real_addr                   a random 127.x.y.z address, so parallel runs do not collide
#   real_port                   a random port in 20000-59999
#   real_wait_tcp ADDR PORT     wait up to 10 s for a listener
#   real_verdict PROGRAM        evshim-check must say the program runs both ways (exit 0):
#                               the command's verdict is checked against reality; with
#                               EVSHIM_REAL=libevent the verdict is only printed
# Every program listens on loopback only and is killed when the script exits.
set -euo pipefail
real_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
real_lib=$real_root/build/lib
real_name=$(basename "$0" .sh)

real_fail() { echo "real programs: $real_name: FAIL: $*"; exit 1; }

real_need() {
  local p
  for p in "$@"; do
    if ! command -v "$p" > /dev/null 2>&1; then
      if [ "${CI:-}" = true ]; then real_fail "$p is not installed (.ci/run installs it)"; fi
      echo "real programs: SKIPPED $real_name: $p is not installed (see .ci/run)"
      exit 0
    fi
  done
}

real_modes() {
  if [ "${EVSHIM_REAL:-}" = libevent ]; then echo libevent; else echo preload llp; fi
}

real_env() {
  case $1 in
    preload) echo "LD_PRELOAD=$real_lib/libevent-2.1.so.7" ;;
    llp) echo "LD_LIBRARY_PATH=$real_lib" ;;
    libevent) echo "EVSHIM_REAL=libevent" ;;
  esac
}

real_check_maps() {
  local pid=$1 mode=$2 maps evshim
  evshim=$(readlink -f "$real_lib/libevent-2.1.so.7")
  [ -r "/proc/$pid/maps" ] || real_fail "process $pid is gone ($mode)"
  maps=$(awk '$6 ~ /libevent/ { print $6 }' "/proc/$pid/maps" | sort -u | xargs -r -n1 readlink -f | sort -u)
  case $mode in
    libevent)
      grep -qx "$evshim" <<< "$maps" && real_fail "evshim is mapped although EVSHIM_REAL=libevent"
      [ -n "$maps" ] || real_fail "no libevent mapped into $pid"
      ;;
    llp)
      [ "$maps" = "$evshim" ] || real_fail "under LD_LIBRARY_PATH, $pid mapped '$maps' instead of evshim alone"
      ;;
    preload)
      grep -qx "$evshim" <<< "$maps" || real_fail "under LD_PRELOAD, evshim is not mapped into $pid: '$maps'"
      ;;
  esac
}

real_addr() { echo "127.$((RANDOM % 200 + 20)).$((RANDOM % 250 + 1)).$((RANDOM % 250 + 2))"; }
real_port() { echo $((20000 + RANDOM % 40000)); }

real_wait_tcp() {
  local i
  for i in $(seq 100); do
    python3 -c "import socket,sys; socket.create_connection(('$1', $2), timeout=1).close()" 2> /dev/null && return 0
    sleep 0.1
  done
  real_fail "nothing listens on $1:$2 after 10 s"
}

real_verdict() {
  local out rc=0
  out=$("$real_root/build/bin/evshim-check" "$(command -v "$1")") || rc=$?
  if [ "${EVSHIM_REAL:-}" = libevent ]; then
    echo "real programs: $real_name: evshim-check: $(head -1 <<< "$out") (exit $rc)"
    return 0
  fi
  [ $rc = 0 ] || real_fail "evshim-check does not expect $1 to run on evshim (exit $rc): $out"
}
