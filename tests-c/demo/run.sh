#!/usr/bin/env bash
# `make demo`: builds each demonstration program against evshim and runs it. A demo whose
# first line is `/* DEMO: compare with libevent */` is also built against Debian's
# libevent (when `pkg-config libevent` finds it) and run, so both transcripts can be read
# side by side. A demo that needs a header evshim does not provide yet (the header
# `#error`s) is reported as not built instead of failing the whole run.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p build/demo
status=0
for src in tests-c/demo/*.c; do
  name=$(basename "$src" .c)
  echo "=== $name (evshim) ==="
  if cc -O1 -g -Wall -Iinclude "$src" -Lbuild/lib -levent -levent_pthreads -lpthread \
       -Wl,-rpath,"$PWD/build/lib" -o "build/demo/$name" 2>"build/demo/$name.build.log"; then
    "build/demo/$name" || status=1
  elif grep -q 'error: #error "evshim does not provide' "build/demo/$name.build.log"; then
    echo "(not built: $(sed -n 's/.*#error "\(evshim does not provide [^"]*\)".*/\1/p' \
      "build/demo/$name.build.log" | head -n 1))"
  else
    cat "build/demo/$name.build.log"
    status=1
  fi
  if head -n 1 "$src" | grep -q 'DEMO: compare with libevent'; then
    if pkg-config --exists libevent 2>/dev/null; then
      echo
      echo "=== $name (libevent $(pkg-config --modversion libevent)) ==="
      # shellcheck disable=SC2046
      cc -O1 -g -Wall "$src" $(pkg-config --cflags --libs libevent) -o "build/demo/$name.libevent"
      "build/demo/$name.libevent" || status=1
    else
      echo "(libevent-dev not installed: no libevent transcript to compare)"
    fi
  fi
  echo
done
exit $status
