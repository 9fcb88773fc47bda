#!/bin/sh
# Differential fuzzer for evbuffer: the same random scripts of evbuffer operations run
# through tools/fuzz/evbuffer_script.c built against Debian's libevent and against evshim;
# their outputs must be identical. See tools/fuzz/README.md.
#
#   tools/fuzz/run.sh --quick        regressions + ~4000 random ops (make test)
#   tools/fuzz/run.sh --ops N        regressions + N random ops (make fuzz)
#   tools/fuzz/run.sh --asan ...     both sides built with -fsanitize=address,undefined
#   other options: --per N (ops per script, default 1000), --first SEED, --jobs J,
#   --self (check the harness: libevent against libevent), --keep-going (no minimizing),
#   --layout (also compare chain-layout facts: peek counts, contiguous space, extents)
set -eu
cd "$(dirname "$0")/../.."
ROOT=$PWD
OPS=4000
PER=1000
FIRST=1
JOBS=$(nproc 2>/dev/null || echo 2)
ASAN=0
SELF=0
EXTRA=
QUICK=0
while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1; OPS=4000; PER=200 ;;
	--ops) OPS=$2; shift ;;
	--per) PER=$2; shift ;;
	--first) FIRST=$2; shift ;;
	--jobs) JOBS=$2; shift ;;
	--asan) ASAN=1 ;;
	--self) SELF=1 ;;
	--keep-going) EXTRA="$EXTRA --no-minimize --max-fail 1000000" ;;
	--layout) export EVB_LAYOUT=1 ;;
	*) echo "usage: $0 [--quick | --ops N] [--per N] [--first SEED] [--jobs J] [--asan] [--self] [--keep-going] [--layout]" >&2; exit 2 ;;
	esac
	shift
done

OUT=build/fuzz
mkdir -p $OUT
SRC=tools/fuzz/evbuffer_script.c
CFLAGS="-O1 -g -Wall -Wextra -Werror"
SUF=
if [ $ASAN = 1 ]; then
	CFLAGS="$CFLAGS -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
	SUF=.asan
	EXTRA="$EXTRA --sanitize"
fi

REF=$OUT/evbuffer_script.libevent$SUF
TEST=$OUT/evbuffer_script.evshim$SUF
# shellcheck disable=SC2046
cc $CFLAGS $SRC $(pkg-config --cflags --libs libevent libevent_pthreads) -o $REF

if [ $SELF = 1 ]; then
	TEST=$REF
	echo "fuzz: self-check, libevent against libevent"
elif ! nm -D build/lib/libevent-2.1.so.7 2>/dev/null | grep -q ' T evbuffer_new$' || [ ! -f include/event2/buffer.h ]; then
	# Until evbuffer lands, the harness can only check itself.
	echo "fuzz: evshim has no evbuffer yet; running libevent against itself"
	TEST=$REF
else
	if ! cc $CFLAGS -Iinclude $SRC -Lbuild/lib -levent -levent_pthreads \
		-Wl,-rpath,"$ROOT/build/lib" -o $TEST 2>$OUT/build-evshim.log; then
		cat $OUT/build-evshim.log
		echo "fuzz: 0 passed, 1 failed (the interpreter does not build against evshim)"
		exit 1
	fi
	if ldd $TEST | grep -q '/usr/lib.*libevent'; then
		echo "fuzz: $TEST links the system libevent"; exit 1
	fi
fi

SEEDS=$(( (OPS + PER - 1) / PER ))
# shellcheck disable=SC2086
exec python3 tools/fuzz/driver.py --ref $REF --test $TEST --seeds $SEEDS --ops $PER \
	--first $FIRST --jobs $JOBS --regress tools/fuzz/regress --out $OUT $EXTRA
