#!/usr/bin/env bash
# Drop-in checks on programs built here against Debian's libevent (never against evshim):
#  1. a core program runs on evshim both ways, LD_PRELOAD=build/lib/libevent-2.1.so.7 and
#     LD_LIBRARY_PATH=build/lib, with the same output as on libevent; under LD_LIBRARY_PATH no
#     real libevent is mapped at all;
#  2. programs that need libevent_extra stop at load in both modes, with a message naming the
#     missing symbol or library (never a half-loaded real libevent);
#  3. dlopen()ing evshim starts no thread, installs no signal handler, opens no descriptor;
#  4. evshim-check's verdict and exit status on each of these programs.
# Needs libevent-dev (the oracle); skipped loudly without it, except under CI=true.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
lib=$root/build/lib
check=$root/build/bin/evshim-check
if ! pkg-config --exists libevent libevent_core libevent_extra libevent_pthreads 2> /dev/null; then
  if [ "${CI:-}" = true ]; then echo "dropin: FAIL: libevent-dev is not installed"; exit 1; fi
  echo "dropin: SKIPPED (apt-get install libevent-dev pkg-config)"; exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "dropin: FAIL: $*"; exit 1; }
n=0
ok() { n=$((n + 1)); }
src=tests/dropin
cflags="-O1 -Wall -Werror $(pkg-config --cflags libevent)"
libdir=$(pkg-config --variable=libdir libevent)
cc $cflags -o "$tmp/core_split" $src/core_prog.c -L"$libdir" -levent_core
cc $cflags -o "$tmp/core_combined" $src/core_prog.c -L"$libdir" -levent
cc $cflags -DPTHREADS -o "$tmp/core_pthreads" $src/core_prog.c -L"$libdir" -levent_core -levent_pthreads -lpthread
cc $cflags -o "$tmp/extra_split" $src/extra_prog.c -L"$libdir" -levent_core -levent_extra
cc $cflags -o "$tmp/extra_combined" $src/extra_prog.c -L"$libdir" -levent
# DT_RPATH (not RUNPATH) to the system's libevent: searched before LD_LIBRARY_PATH.
cc $cflags -o "$tmp/core_rpath" $src/core_prog.c -L"$libdir" -levent -Wl,--disable-new-dtags -Wl,-rpath,"$libdir"
cc -O1 -Wall -Werror -o "$tmp/dlopen_inert" $src/dlopen_inert.c -ldl

# 1. Core programs, both ways.
for p in core_split core_combined core_pthreads; do
  "$tmp/$p" > "$tmp/$p.want" 2> "$tmp/$p.want.err" || fail "$p fails on libevent itself"
  grep -q "^mapped: $libdir/libevent" "$tmp/$p.want.err" || fail "$p did not map Debian's libevent when run plainly"
  LD_PRELOAD=$lib/libevent-2.1.so.7 "$tmp/$p" > "$tmp/$p.pre" 2> "$tmp/$p.pre.err" \
    || fail "$p under LD_PRELOAD: exit $?: $(head -3 "$tmp/$p.pre.err")"
  cmp -s "$tmp/$p.want" "$tmp/$p.pre" || { diff -u "$tmp/$p.want" "$tmp/$p.pre"; fail "$p: LD_PRELOAD output differs from libevent's"; }
  grep -qx "mapped: $lib/libevent-2.1.so.7" "$tmp/$p.pre.err" || fail "$p under LD_PRELOAD did not map evshim"
  LD_LIBRARY_PATH=$lib "$tmp/$p" > "$tmp/$p.llp" 2> "$tmp/$p.llp.err" \
    || fail "$p under LD_LIBRARY_PATH: exit $?: $(head -3 "$tmp/$p.llp.err")"
  cmp -s "$tmp/$p.want" "$tmp/$p.llp" || { diff -u "$tmp/$p.want" "$tmp/$p.llp"; fail "$p: LD_LIBRARY_PATH output differs from libevent's"; }
  mapped=$(sed -n 's/^mapped: //p' "$tmp/$p.llp.err" | xargs -n1 readlink -f | sort -u)
  [ "$mapped" = "$(readlink -f $lib/libevent-2.1.so.7)" ] || fail "$p under LD_LIBRARY_PATH mapped: $mapped"
  ok
done

# 2. libevent_extra: stopped at load, loudly, in both modes.
expect_stop() { # NAME MODE PATTERN: the run must exit 127 and say PATTERN on stderr
  local p=$1 mode=$2 pat=$3 rc=0
  if [ "$mode" = preload ]; then
    LD_PRELOAD=$lib/libevent-2.1.so.7 "$tmp/$p" > "$tmp/$p.$mode" 2> "$tmp/$p.$mode.err" || rc=$?
  else
    LD_LIBRARY_PATH=$lib "$tmp/$p" > "$tmp/$p.$mode" 2> "$tmp/$p.$mode.err" || rc=$?
  fi
  [ $rc = 127 ] || fail "$p ($mode): exit $rc, expected 127 (stopped at load); stdout: $(cat "$tmp/$p.$mode")"
  [ ! -s "$tmp/$p.$mode" ] || fail "$p ($mode) ran before stopping: $(cat "$tmp/$p.$mode")"
  grep -q "$pat" "$tmp/$p.$mode.err" || fail "$p ($mode): stderr lacks '$pat': $(cat "$tmp/$p.$mode.err")"
  ok
}
"$tmp/extra_split" > /dev/null || fail "extra_split fails on libevent itself"
expect_stop extra_split preload "libevent_extra-2.1.so.7 is loaded beside evshim"
expect_stop extra_split llp "libevent_extra-2.1.so.7: undefined symbol: "
expect_stop extra_combined preload "undefined symbol: evhttp_"
expect_stop extra_combined llp "undefined symbol: evhttp_"

# 3. Loading evshim changes nothing in a process that does not call it.
base=$("$tmp/dlopen_inert")
loaded=$("$tmp/dlopen_inert" "$lib/libevent-2.1.so.7")
# (descriptors are compared with the baseline: the caller may have left some open.)
grep -q "^threads=1 signal handlers=0 " <<< "$base" || fail "dlopen_inert baseline: $base"
[ "$loaded" = "$base" ] || fail "dlopen of evshim changed the process: $loaded (without: $base)"
ok

# 4. evshim-check: verdicts and exit status.
expect_check() { # BINARY STATUS PATTERN
  local rc=0
  "$check" "$1" > "$tmp/check.out" 2>&1 || rc=$?
  [ "$rc" = "$2" ] || { cat "$tmp/check.out"; fail "evshim-check $(basename "$1"): exit $rc, expected $2"; }
  grep -q "$3" "$tmp/check.out" || { cat "$tmp/check.out"; fail "evshim-check $(basename "$1"): no '$3'"; }
  ok
}
for p in core_split core_combined core_pthreads; do
  expect_check "$tmp/$p" 0 "runs on evshim via LD_PRELOAD and via LD_LIBRARY_PATH"
done
expect_check "$tmp/core_rpath" 1 "via LD_PRELOAD only (libevent-2.1.so.7 is found through the DT_RPATH"
# What it says about DT_RPATH is what happens: LD_LIBRARY_PATH loses, LD_PRELOAD wins.
LD_LIBRARY_PATH=$lib "$tmp/core_rpath" 2>&1 > /dev/null | grep -q "^mapped: $libdir/libevent-2.1.so.7" \
  || fail "core_rpath under LD_LIBRARY_PATH did not load the real libevent (the verdict would be wrong)"
LD_PRELOAD=$lib/libevent-2.1.so.7 "$tmp/core_rpath" 2>&1 > /dev/null | grep -qx "mapped: $lib/libevent-2.1.so.7" \
  || fail "core_rpath under LD_PRELOAD did not map evshim"
expect_check "$tmp/extra_split" 2 "not yet: needs libevent_extra-2.1.so.7"
grep -q "missing from libevent_extra-2.1.so.7 (2)" "$tmp/check.out" || fail "extra_split: missing functions not grouped under libevent_extra"
expect_check "$tmp/extra_combined" 2 "missing from libevent-2.1.so.7 (2)"
grep -qx "    evhttp_new" "$tmp/check.out" || fail "extra_combined: evhttp_new not listed"
expect_check "$tmp/dlopen_inert" 3 "nothing to replace"
expect_check "$tmp/no-such-file" 4 "error"
# Several binaries: the highest status; --evshim pointing at something else is refused.
rc=0; "$check" "$tmp/core_split" "$tmp/extra_split" > /dev/null || rc=$?
[ $rc = 2 ] || fail "evshim-check with two binaries: exit $rc, expected 2"
rc=0; "$check" --evshim "$libdir/libevent-2.1.so.7" "$tmp/core_split" > "$tmp/check.out" 2>&1 || rc=$?
[ $rc = 4 ] && grep -q "is not evshim" "$tmp/check.out" || fail "evshim-check accepted the real libevent as evshim (exit $rc)"
# Given LD_LIBRARY_PATH=build/lib, it still reports the real libraries the program needs.
LD_LIBRARY_PATH=$lib "$check" "$tmp/core_split" > "$tmp/check.out" || fail "evshim-check under LD_LIBRARY_PATH=build/lib"
found=$(sed -n 's/^  needs libevent_core-2.1.so.7 => //p' "$tmp/check.out")
[ -n "$found" ] && [ "$(readlink -f "$found")" = "$(readlink -f "$libdir/libevent_core-2.1.so.7")" ] || fail "evshim-check resolved to evshim itself: $(cat "$tmp/check.out")"
ok
echo "dropin: $n checks passed (LD_PRELOAD and LD_LIBRARY_PATH, libevent_extra refused at load, inert dlopen, evshim-check verdicts)"
