#!/usr/bin/env bash
# `make install` into a temporary prefix, then build an unmodified pkg-config Makefile with
# PKG_CONFIG_PATH pointing there; the program must link and run against evshim.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make --no-print-directory -s install PREFIX="$tmp/prefix" > "$tmp/install.log"
cp tests/pkgconfig/Makefile tests/pkgconfig/hello.c "$tmp/"
PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig" make --no-print-directory -s -C "$tmp" hello > "$tmp/build.log" 2>&1 \
  || { echo "pkgconfig: FAIL: the pkg-config Makefile did not build against evshim"; cat "$tmp/build.log"; exit 1; }
resolved=$(LD_LIBRARY_PATH="$tmp/prefix/lib" ldd "$tmp/hello" | awk '/libevent/ { print $3 }')
case "$resolved" in
  "$tmp/prefix/lib/"*) ;;
  *) echo "pkgconfig: FAIL: hello resolved libevent to '$resolved', not the installed evshim"; exit 1 ;;
esac
out=$(LD_LIBRARY_PATH="$tmp/prefix/lib" "$tmp/hello")
[ "$out" = "timer fired: what=0x1 version=2.1.12-stable" ] \
  || { echo "pkgconfig: FAIL: unexpected output: $out"; exit 1; }
echo "pkgconfig: an unmodified pkg-config Makefile builds and runs against installed evshim"
