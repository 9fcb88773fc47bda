#!/usr/bin/env bash
# evshim's ABI check against Debian's libevent 2.1.12 (run by `make test`):
#  1. prototypes: every function in our generated header (plus the hand-written C-variadic
#     ones), and every callback typedef, is declared a second time after Debian's
#     <event2/*.h> in one translation unit; the C compiler rejects any difference
#     ("conflicting types") under -Wall -Werror;
#  2. coverage: every libevent function of the headers we claim complete is exported by
#     build/lib/libevent-2.1.so.7 and declared in our headers;
#  3. layout and constants: one program prints struct sizes/offsets, another every constant's
#     value; each is built against Debian's headers and against ours, and the outputs must
#     be identical.
# (-Wno-array-parameter: C adjusts `int sv[2]` to `int *sv`; the types are identical.)
# ABI_HEADERS lists the headers evshim claims complete.
set -euo pipefail
cd "$(dirname "$0")/../.."
ABI_HEADERS=${ABI_HEADERS:-"event event_compat util thread buffer buffer_compat listener"}
SYS=${SYSTEM_INCLUDE:-/usr/include}
out=build/abi
rm -rf "$out"; mkdir -p "$out"
fail=0

if [ ! -f "$SYS/event2/event.h" ]; then
  if [ "${CI:-}" = true ]; then echo "abi: FAIL: Debian's libevent headers are missing (apt-get install libevent-dev)"; exit 1; fi
  echo "abi: SKIPPED: libevent-dev is not installed, nothing to compare against"; exit 0
fi

# 1. Prototypes.
gen=include/event2/evshim_generated.h
{
  echo "/* Our prototypes, extracted from $gen and the hand-written variadic ones, and our"
  echo " * callback typedefs (C11 lets a typedef be repeated only with the identical type). */"
  grep '^typedef' "$gen"
  awk '/^extern "C" \{/ { infn = 1; next } infn && /^#ifdef __cplusplus/ { infn = 0 } infn && !/^#/' "$gen"
  grep -h -E '^[a-z].*\(.*, \.\.\.\)' include/event2/*.h | sed 's/$/;/'
} > "$out/our_prototypes.h"
{
  for h in $ABI_HEADERS buffer buffer_compat bufferevent bufferevent_compat listener; do echo "#include <event2/$h.h>"; done
  echo "#include \"our_prototypes.h\""
} > "$out/prototypes.c"
if cc -std=gnu11 -Wall -Wextra -Werror -Wno-array-parameter -fsyntax-only -I "$SYS" -I "$out" "$out/prototypes.c" 2> "$out/prototypes.err"; then
  n=$(grep -v -E '^(typedef|/\*| \*)' "$out/our_prototypes.h" | grep -c '(' || true)
  t=$(grep -c '^typedef' "$out/our_prototypes.h" || true)
  echo "abi: prototypes: all $n identical to libevent's declarations, and all $t callback typedefs"
else
  echo "abi: FAIL: prototypes differ from libevent's:"; grep -E 'error|note' "$out/prototypes.err" | head -40; fail=1
fi

# 2. Coverage of the headers we claim complete.
tools/abi/libevent-functions.sh > "$out/libevent-functions.txt"
nm -D --defined-only build/lib/libevent-2.1.so.7 | awk '$2 == "T" { print $3 }' | sort -u > "$out/exported.txt"
grep -oE '\b[a-z_][a-z_0-9]*\(' "$out/our_prototypes.h" | tr -d '(' | sort -u > "$out/declared.txt"
for h in $ABI_HEADERS; do
  missing=$(awk -v h="$h" '$1 == h { print $2 }' "$out/libevent-functions.txt" | sort | comm -23 - "$out/exported.txt" | tr '\n' ' ')
  undeclared=$(awk -v h="$h" '$1 == h { print $2 }' "$out/libevent-functions.txt" | sort | comm -23 - "$out/declared.txt" | tr '\n' ' ')
  total=$(awk -v h="$h" '$1 == h' "$out/libevent-functions.txt" | wc -l)
  if [ -n "$missing$undeclared" ]; then
    echo "abi: FAIL: event2/$h.h: not exported: ${missing:-none}; not declared: ${undeclared:-none}"; fail=1
  else
    echo "abi: event2/$h.h: all $total functions exported and declared"
  fi
done

# 3. Layout and constants, built both ways.
defs=""
case " $ABI_HEADERS " in *" buffer "*) defs="-DABI_BUFFER" ;; esac
python3 tools/abi/gen_constants.py "$SYS" "$gen" $ABI_HEADERS event_struct > "$out/constants.c"
for side in libevent evshim; do
  if [ $side = libevent ]; then inc="-I $SYS"; else inc="-I include"; fi
  for prog in layout constants; do
    src=tools/abi/layout.c; [ $prog = constants ] && src=$out/constants.c
    if ! cc -std=gnu11 -w $defs $inc "$src" -o "$out/$prog.$side" 2> "$out/$prog.$side.err"; then
      echo "abi: FAIL: $prog does not build against $side's headers:"; head -20 "$out/$prog.$side.err"; fail=1; continue
    fi
    # Against evshim, no libevent header may come from the system include path.
    if [ $side = evshim ] && cc -std=gnu11 -M $defs $inc "$src" 2>/dev/null | tr ' ' '\n' | grep -q "^$SYS/event2/"; then
      echo "abi: FAIL: $prog picked up a header from $SYS/event2 instead of include/event2"; fail=1; continue
    fi
    "$out/$prog.$side" > "$out/$prog.$side.txt"
  done
done
for prog in layout constants; do
  if [ -f "$out/$prog.libevent.txt" ] && [ -f "$out/$prog.evshim.txt" ] && diff -u "$out/$prog.libevent.txt" "$out/$prog.evshim.txt" > "$out/$prog.diff"; then
    echo "abi: $prog: $(wc -l < "$out/$prog.libevent.txt") values identical"
  else
    echo "abi: FAIL: $prog differs (libevent vs evshim):"; head -40 "$out/$prog.diff" 2>/dev/null || true; fail=1
  fi
done
exit $fail
