#!/usr/bin/env bash
# Prints "<header> <function>" for every public function of libevent 2.1.12's core headers,
# derived mechanically from the oracle: a name counts when Debian's libevent_core/pthreads
# export it and the header's text (comments stripped) mentions it as `name(`; a name goes to
# the first header, in the order below, that mentions it (compat headers' macros mention
# event.h's functions). Used by the ABI check and `make symbols`.
set -euo pipefail
inc=${SYSTEM_INCLUDE:-/usr/include}
libdir=$(pkg-config --variable=libdir libevent_core 2>/dev/null || echo /usr/lib/x86_64-linux-gnu)
syms=$(mktemp)
trap 'rm -f "$syms"' EXIT
nm -D --defined-only "$libdir"/libevent_core-2.1.so.7 "$libdir"/libevent_pthreads-2.1.so.7 \
  | awk '$2 == "T" { print $3 }' | sort -u > "$syms"
seen=" "
for h in event util thread buffer bufferevent listener event_compat buffer_compat bufferevent_compat; do
  for f in $(gcc -fpreprocessed -dD -E -P "$inc/event2/$h.h" 2>/dev/null \
              | grep -oE '\b[a-z_][a-z_0-9]*[[:space:]]*\(' | tr -d ' (' | sort -u | comm -12 - "$syms"); do
    case "$seen" in *" $f "*) continue ;; esac
    seen="$seen$f "
    echo "$h $f"
  done
done
