#!/usr/bin/env bash
# Differential fuzzing of evbuffer: builds tools/fuzz/evbuffer_script.c against Debian's
# libevent and against evshim (build/lib), replays tools/fuzz/regress/*.txt, then runs random
# scripts from gen.py and diffs the outputs. Prints the first divergent seed.
#   run.sh [SEEDS [OPS [FIRST]]]  e.g. run.sh 200 5000   (default 50 seeds x 2000 ops from seed 1)
#   run.sh --quick         a few thousand ops (make test)
#   run.sh --ops N         about N ops in total (make fuzz)
#   run.sh --seed S OPS    one seed, keeping the outputs in build/fuzz/
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${FUZZ_OUT:-build/fuzz}
mkdir -p "$out"
seeds=50 ops=2000 first=1
case "${1:-}" in
  --quick) seeds=4 ops=1000 ;;
  --ops) ops=5000; seeds=$(( (${2:-1000000} + ops - 1) / ops )) ;;
  --seed) first=$2; seeds=1; ops=${3:-2000} ;;
  "") ;;
  *) seeds=$1; ops=${2:-2000}; first=${3:-1} ;;
esac
[ -f build/lib/libevent-2.1.so.7 ] || { echo "fuzz: build/lib missing (make lib)"; exit 1; }
cc -O1 -w tools/fuzz/evbuffer_script.c $(pkg-config --cflags --libs libevent) -o "$out/script.le"
# A private copy of the library: rebuilding build/lib during a long run must not pull the
# rug from under the running binaries.
rm -rf "$out/lib" && mkdir -p "$out/lib" && cp build/lib/libevent-2.1.so.7 "$out/lib/"
ln -sf libevent-2.1.so.7 "$out/lib/libevent.so"
cc -O1 -w -Iinclude tools/fuzz/evbuffer_script.c -L"$out/lib" -levent -Wl,-rpath,"$PWD/$out/lib" -o "$out/script.ev"
fail=0 total=0
check() { # name script-file
  "$out/script.le" < "$2" > "$out/$1.le" 2>/dev/null || true
  "$out/script.ev" < "$2" > "$out/$1.ev" 2>/dev/null || true
  if ! cmp -s "$out/$1.le" "$out/$1.ev"; then
    echo "fuzz: DIVERGENCE in $1 (script $2):"
    diff "$out/$1.le" "$out/$1.ev" | head -20
    fail=1
    return 1
  fi
  total=$((total + $(grep -cv '^#' "$2")))
}
for f in tools/fuzz/regress/*.txt; do
  [ -e "$f" ] || continue
  check "regress-$(basename "$f" .txt)" "$f" || break
done
if [ $fail = 0 ]; then
  for ((s = first; s < first + seeds; s++)); do
    python3 tools/fuzz/gen.py "$s" "$ops" > "$out/seed-$s.txt"
    if ! check "seed-$s" "$out/seed-$s.txt"; then
      echo "fuzz: first divergent seed: $s (replay: tools/fuzz/run.sh --seed $s $ops)"
      break
    fi
    rm -f "$out/seed-$s".*
  done
fi
if [ $fail = 0 ]; then echo "fuzz: $total ops, 0 divergences"; else exit 1; fi
