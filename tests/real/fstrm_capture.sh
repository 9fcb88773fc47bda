#!/usr/bin/env bash
# Debian's fstrm_capture (Frame Streams capture, fstrm-bin) on evshim, both ways: an
# evconnlistener on a unix socket, disabled at the connection limit and enabled again as
# connections close; one socket bufferevent per connection with a read high watermark (its
# buffer size), frames taken with evbuffer_peek/copyout/pullup/drain, control replies with
# bufferevent_write, the connection closed from the write callback once FINISH is out;
# SIGHUP/SIGUSR1 as signal events; SIGTERM through event_base_loopexit from a plain signal
# handler. tests/real/fstrm_peer.py sends the frames and checks both capture files byte for
# byte and fstrm_capture's own counts.
source "$(dirname "$0")/lib.sh"
real_need fstrm_capture python3
real_verdict fstrm_capture
tmp=$(mktemp -d)
cleanup() { [ -z "${pid:-}" ] || { kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; }; rm -rf "$tmp"; }
trap cleanup EXIT
for mode in $(real_modes); do
  sock=$tmp/capture-$mode.sock out=$tmp/capture-$mode.fstrm log=$tmp/capture-$mode.log
  env $(real_env "$mode") fstrm_capture -t protobuf:evshim.Test -u "$sock" -w "$out" -b 65536 -c 6 -d -d -d 2> "$log" &
  pid=$!
  for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
  [ -S "$sock" ] || { cat "$log"; real_fail "fstrm_capture did not create $sock ($mode)"; }
  real_check_maps $pid "$mode"
  res=$(timeout 60 python3 tests/real/fstrm_peer.py "$sock" "$pid" "$log" "$out" "$tmp") \
    || { echo "$res"; tail -5 "$log"; real_fail "sender failed ($mode)"; }
  real_check_maps $pid "$mode"
  # SIGTERM: its handler calls event_base_loopexit; the loop ends, the file gets STOP.
  kill $pid
  rc=0; wait $pid || rc=$?; pid=
  [ $rc = 0 ] || { tail -5 "$log"; real_fail "fstrm_capture exited with $rc after SIGTERM ($mode)"; }
  grep -q 'shutting down' "$log" || real_fail "fstrm_capture did not log its shutdown ($mode)"
  cmp "$tmp/expected-final" "$out" || real_fail "the last capture file differs from what was sent ($mode)"
  echo "fstrm_capture ($mode): $res"
done
