#!/usr/bin/env bash
# `make install PREFIX=/usr/local DESTDIR=tmp`: exactly the expected files, the shared
# library and the command without debug info, sonames and dev links pointing at the one
# library, the installed evshim-check finding the installed library by itself; then
# `make uninstall` with the same variables leaves no file behind.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "install: FAIL: $*"; exit 1; }
dest=$tmp/dest
make --no-print-directory -s install PREFIX=/usr/local DESTDIR="$dest" > "$tmp/install.log" 2>&1 \
  || { cat "$tmp/install.log"; fail "make install failed"; }
p=$dest/usr/local
{
  echo bin/evshim-check
  for h in include/event2/*.h include/*.h; do echo "$h"; done
  for f in libevent-2.1.so.7 libevent_core-2.1.so.7 libevent_pthreads-2.1.so.7 libevent.so libevent_core.so \
           libevent_pthreads.so libevent.a libevent_core.a libevent_pthreads.a; do echo "lib/$f"; done
  for f in libevent libevent_core libevent_pthreads evshim; do echo "lib/pkgconfig/$f.pc"; done
} | sort > "$tmp/expected"
(cd "$p" && find . -type f -o -type l) | sed 's|^\./||' | sort > "$tmp/got"
diff -u "$tmp/expected" "$tmp/got" > "$tmp/diff" || { cat "$tmp/diff"; fail "installed files differ from the expected list"; }
[ "$(find "$dest" -type f -o -type l | wc -l)" = "$(wc -l < "$tmp/expected")" ] || fail "files outside PREFIX"

# One library file; every name leads to it.
[ -f "$p/lib/libevent-2.1.so.7" ] && [ ! -L "$p/lib/libevent-2.1.so.7" ] || fail "libevent-2.1.so.7 is not a file"
for n in libevent_core-2.1.so.7 libevent_pthreads-2.1.so.7 libevent.so libevent_core.so libevent_pthreads.so; do
  [ "$(readlink -f "$p/lib/$n")" = "$(readlink -f "$p/lib/libevent-2.1.so.7")" ] || fail "lib/$n does not lead to libevent-2.1.so.7"
done
readelf -d "$p/lib/libevent-2.1.so.7" | grep -q 'SONAME.*\[libevent-2.1.so.7\]' || fail "SONAME is not libevent-2.1.so.7"
for f in lib/libevent-2.1.so.7 bin/evshim-check; do
  if readelf -S --wide "$p/$f" | grep -qE '\.debug_(info|line|str)|\.symtab'; then fail "$f carries debug info or a full symbol table"; fi
done
if readelf -S --wide "$p/lib/libevent.a" | grep -qE '\.debug_(info|line)'; then fail "libevent.a carries debug info"; fi
so_kb=$(( $(stat -c %s "$p/lib/libevent-2.1.so.7") / 1024 ))
grep -q '^prefix=/usr/local$' "$p/lib/pkgconfig/libevent.pc" || fail "libevent.pc does not name PREFIX"

# The installed command finds the installed library (../lib) and judges a program built here.
cc -O1 -o "$tmp/prog" tests/dropin/core_prog.c $(pkg-config --cflags --libs libevent) 2> "$tmp/cc.log" \
  || { cat "$tmp/cc.log"; fail "could not build the probe program against Debian's libevent"; }
out=$("$p/bin/evshim-check" "$tmp/prog") || fail "installed evshim-check: exit $? on a core-only program: $out"
grep -q "runs on evshim via LD_PRELOAD and via LD_LIBRARY_PATH" <<< "$out" || fail "unexpected verdict: $out"
LD_LIBRARY_PATH="$p/lib" "$tmp/prog" > "$tmp/prog.out" 2> "$tmp/prog.err" || fail "the probe program failed on the installed library"
grep -qx "mapped: $p/lib/libevent-2.1.so.7" "$tmp/prog.err" || fail "the probe program did not map the installed library: $(cat "$tmp/prog.err")"

make --no-print-directory -s uninstall PREFIX=/usr/local DESTDIR="$dest" > "$tmp/uninstall.log" 2>&1 \
  || { cat "$tmp/uninstall.log"; fail "make uninstall failed"; }
left=$(find "$dest" -type f -o -type l)
[ -z "$left" ] || fail "make uninstall left: $left"
echo "install: $(wc -l < "$tmp/expected") files installed (library ${so_kb} KiB, no debug info), evshim-check works installed, uninstall removes them all"
