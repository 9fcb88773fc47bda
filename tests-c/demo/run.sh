#!/usr/bin/env bash
# `make demo`: builds each demonstration program against evshim and runs it.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p build/demo
for src in tests-c/demo/*.c; do
  name=$(basename "$src" .c)
  cc -O1 -g -Wall -Iinclude "$src" -Lbuild/lib -levent -levent_pthreads -lpthread \
     -Wl,-rpath,"$PWD/build/lib" -o "build/demo/$name"
  echo "=== $name (evshim) ==="
  "build/demo/$name"
done
