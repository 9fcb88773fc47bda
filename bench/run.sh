#!/usr/bin/env bash
# Build every bench/bench_*.c twice -- against the system libevent (pkg-config)
# and against evshim (include/ + build/lib) -- run both builds alternately in
# this one invocation, and print per-workload medians and the ratio
# evshim/libevent (< 1 means evshim is faster).  Called by `make bench` after
# `make lib`.  Benchmarks are not tests: nothing here fails on a timing.
#
# Environment:
#   BENCH_REPS=N       invocations of each build (default 4; median taken);
#                      0 = only build them (build/bench/<bench>.<lib>)
#   BENCH_METRIC=cpu   compare process CPU time of the timed sections (the
#                      default: robust on a shared machine) or wall (=wall
#                      clock); the last column is always the wall-clock ratio
#   BENCH_ONLY=substr  only workloads whose label contains substr
#   BENCH_QUICK=1      fewer runs per workload (smoke run, noisy numbers)
#   BENCH_CPU=k        pin the benchmarks to CPU k with taskset
#   BENCH_TIMEOUT=s    kill a benchmark invocation after s seconds (120)
#   BENCH_SYSCALLS=0   skip the strace'd run that counts the event-core
#                      workloads' system calls per timed run
#   EVSHIM_ROOT=dir    benchmark the evshim tree in dir (its include/ and
#                      build/lib) instead of this one
#   CC                 compiler (default cc)
# Output: the table on stdout; build/bench/results.{txt,md}; raw lines and
# build logs under build/bench/.
set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
OUT=$ROOT/build/bench
EVSHIM_ROOT=${EVSHIM_ROOT:-$ROOT}
EVSHIM_ROOT=$(cd "$EVSHIM_ROOT" && pwd) || exit 1
INC=$EVSHIM_ROOT/include
LIBDIR=$EVSHIM_ROOT/build/lib
CC=${CC:-cc}
REPS=${BENCH_REPS:-4}
METRIC=${BENCH_METRIC:-cpu}
case $METRIC in cpu|wall) ;; *) echo "bench: BENCH_METRIC must be cpu or wall" >&2; exit 1;; esac
BENCHES=(dispatch cascade timers buffer buffer_pool eventmem bev memcached)
CFLAGS_COMMON="-O2 -Wall"

# Keep build/bench/cg and instr.txt (bench/instr.sh) and, for a build-only
# call, the last results.
rm -rf "$OUT/raw" "$OUT"/*.libevent "$OUT"/*.evshim "$OUT"/*.build.log
[ "$REPS" = 0 ] || rm -f "$OUT"/results.txt "$OUT"/results.md
mkdir -p "$OUT/raw"

if ! LE_FLAGS=$(pkg-config --cflags --libs libevent 2>/dev/null); then
	echo "bench: pkg-config cannot find the system libevent (libevent-dev)" >&2
	exit 1
fi
have_evshim=1
if [ ! -e "$LIBDIR/libevent-2.1.so.7" ]; then
	echo "bench: $LIBDIR/libevent-2.1.so.7 missing (run 'make lib'); libevent only" >&2
	have_evshim=0
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
TIMEOUT=()
if command -v timeout >/dev/null; then
	TIMEOUT=(timeout "${BENCH_TIMEOUT:-120}")
fi
PIN=()
if [ -n "${BENCH_CPU:-}" ] && command -v taskset >/dev/null; then
	PIN=(taskset -c "$BENCH_CPU")
fi

declare -A status	# status[bench.lib] = ok | skip:<why> | fail
notes=()

for b in "${BENCHES[@]}"; do
	src=bench/bench_$b.c
	# shellcheck disable=SC2086
	if $CC $CFLAGS_COMMON "$src" $LE_FLAGS -o "$OUT/$b.libevent" \
	    >"$OUT/$b.libevent.build.log" 2>&1; then
		status[$b.libevent]=ok
	else
		status[$b.libevent]="skip:libevent build failed"
		notes+=("bench_$b: libevent build failed, see build/bench/$b.libevent.build.log")
	fi

	[ $have_evshim = 1 ] || { status[$b.evshim]="skip:no build/lib"; continue; }
	# Our headers must be the ones compiled in: a header missing from
	# include/event2 would silently fall back to /usr/include/event2.
	sys_hdrs=$($CC -I"$INC" -M "$src" 2>/dev/null | tr ' \\' '\n\n' |
		grep -o '/usr/include/event2/[^ ]*' | sort -u | tr '\n' ' ')
	if [ -n "$sys_hdrs" ]; then
		status[$b.evshim]="skip:evshim header missing"
		notes+=("bench_$b: evshim build skipped: include/event2 lacks ${sys_hdrs//\/usr\/include\//}")
		continue
	fi
	# shellcheck disable=SC2086
	if $CC $CFLAGS_COMMON -I"$INC" "$src" -L"$LIBDIR" -levent \
	    -Wl,-rpath,"$LIBDIR" -o "$OUT/$b.evshim" \
	    >"$OUT/$b.evshim.build.log" 2>&1; then
		status[$b.evshim]=ok
	else
		status[$b.evshim]="skip:evshim build failed"
		missing=$(grep -o "undefined reference to \`[^']*'" "$OUT/$b.evshim.build.log" |
			sed "s/undefined reference to \`//; s/'//" | sort -u | head -8 | tr '\n' ' ')
		if [ -n "$missing" ]; then
			notes+=("bench_$b: evshim build failed to link (undefined: $missing...)")
		else
			notes+=("bench_$b: evshim build failed, see build/bench/$b.evshim.build.log")
		fi
	fi
done

run_one() { # bench lib rep
	local b=$1 lib=$2 rep=$3 rc
	[ "${status[$b.$lib]}" = ok ] || return 0
	# A hang (a dispatch that never returns) must not stall `make bench`.
	"${TIMEOUT[@]}" "${PIN[@]}" "$OUT/$b.$lib" >"$OUT/raw/$b.$lib.$rep" 2>"$OUT/raw/$b.$lib.$rep.err"
	rc=$?
	if [ $rc -eq 124 ] && [ ${#TIMEOUT[@]} -gt 0 ]; then
		echo "bench: killed after ${BENCH_TIMEOUT:-120} s" >>"$OUT/raw/$b.$lib.$rep.err"
	fi
	if [ $rc -ne 0 ]; then
		# Lines printed before the failure passed their own checks and
		# are kept; the binary is not run again.
		status[$b.$lib]=fail
		notes+=("bench_$b ($lib) exited $rc in repetition $rep: $(tail -n 1 "$OUT/raw/$b.$lib.$rep.err")")
	fi
}

# BENCH_REPS=0: build only (bench/instr.sh uses the binaries).
if [ "$REPS" = 0 ]; then
	for n in "${notes[@]}"; do echo "note: $n"; done
	exit 0
fi

# Throw-away warm-up so the first measured binary does not pay for a cold
# CPU/page cache (seen as a few % bias towards whichever build runs second).
if [ "${status[dispatch.libevent]}" = ok ]; then
	BENCH_QUICK=1 BENCH_ONLY=pipes=100 "${PIN[@]}" "$OUT/dispatch.libevent" >/dev/null 2>&1
fi

for ((rep = 1; rep <= REPS; rep++)); do
	for b in "${BENCHES[@]}"; do
		# Alternate which build goes first to cancel warm-up/drift bias.
		if ((rep % 2)); then
			run_one "$b" libevent $rep; run_one "$b" evshim $rep
		else
			run_one "$b" evshim $rep; run_one "$b" libevent $rep
		fi
	done
done

# System calls per timed run of the event-core and bufferevent workloads: one invocation of
# each binary under strace (BENCH_STRACE=1: fixed run count, marker calls
# around every timed section, see bench.h), the warm-up run left out.  Lines: lib <TAB> label <TAB>
# calls per run <TAB> the calls by name.
: >"$OUT/raw/syscalls"
if [ "${BENCH_SYSCALLS:-1}" != 0 ] && command -v strace >/dev/null; then
	mkdir -p "$OUT/strace"
	for b in dispatch cascade timers bev; do
		for lib in libevent evshim; do
			[ "${status[$b.$lib]}" = ok ] || continue
			if ! BENCH_STRACE=1 BENCH_RUNS=2 "${TIMEOUT[@]}" strace -f -qq -s 200 \
			    -o "$OUT/strace/$b.$lib" "$OUT/$b.$lib" >/dev/null 2>&1; then
				notes+=("bench_$b ($lib) failed under strace; its system calls are not counted")
				continue
			fi
			awk -v lib=$lib '
				function flush(label, k,   n, s, i, names) {
					s = ""; n = 0
					for (i in cnt) names[++n] = i
					# calls by name, most frequent first
					for (i = 2; i <= n; i++) { t = names[i]; for (j = i - 1; j >= 1 && cnt[names[j]] < cnt[t]; j--) names[j + 1] = names[j]; names[j + 1] = t }
					for (i = 1; i <= n; i++) s = s sprintf("%s%s %.0f", (i > 1 ? ", " : ""), names[i], cnt[names[i]] / k)
					printf "%s\t%s\t%.0f\t%s\n", lib, label, total / k, s
					delete cnt; total = 0
				}
				# The first section of each workload is its warm-up run
				# (first-time allocations, table growth): not counted.
				/write\(-1, "bench:start"/ { on = (++sec > 1); next }
				/write\(-1, "bench:stop"/ { on = 0; next }
				/write\(-1, "bench:report / {
					l = $0; sub(/.*"bench:report /, "", l); sub(/".*/, "", l)
					k = l; sub(/.* sections=/, "", k); sub(/ sections=[0-9]+$/, "", l)
					if (k > 1) flush(l, k - 1)
					sec = 0
					next
				}
				on && !/resumed>/ && match($0, /^([0-9]+ +)?[a-z_0-9]+\(/) {
					name = substr($0, RSTART, RLENGTH - 1); sub(/^[0-9]+ +/, "", name)
					cnt[name]++; total++
				}' "$OUT/strace/$b.$lib" >>"$OUT/raw/syscalls"
		done
	done
fi

# Quantities other than times ("<label> value=V unit=U", e.g. bench_eventmem's
# bytes per event): the median over repetitions, in a table of their own.
for lib in libevent evshim; do
	for b in "${BENCHES[@]}"; do
		cat "$OUT"/raw/"$b".$lib.* 2>/dev/null | grep ' value=' | sed "s/^/$lib /"
	done
done >"$OUT/raw/values"

# Pair lines on their label (everything before usec_per_run=) and take the
# median over repetitions.
for lib in libevent evshim; do
	for b in "${BENCHES[@]}"; do
		cat "$OUT"/raw/"$b".$lib.* 2>/dev/null | grep ' usec_per_run=' | sed "s/^/$lib /"
	done
done >"$OUT/raw/all"

awk -F'\t' '{ printf "%s: %s: %s per run (%s)\n", $2, $1, $3, $4 }' "$OUT/raw/syscalls" >"$OUT/syscalls.txt"

awk -v md="$OUT/results.md" -v metric="$METRIC" -v sysf="$OUT/raw/syscalls" '
function median(s,   a, n, i, j, t) {
	n = split(s, a, " ")
	for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function fmt(x) { return x == "" ? "-" : sprintf("%.1f", x) }
function ratio(a, b) { return (a != "" && b != "" && a > 0) ? sprintf("%.2f", b / a) : "-" }
BEGIN {
	while ((getline line < sysf) > 0) { split(line, sf, "\t"); sc[sf[1], sf[2]] = sf[3] }
}
function calls(k) {
	if (!(("libevent", k) in sc) && !(("evshim", k) in sc)) return ""
	return (("libevent", k) in sc ? sc["libevent", k] : "-") "/" (("evshim", k) in sc ? sc["evshim", k] : "-")
}
{
	# "<lib> <label fields...> usec_per_run=W [cpu_usec_per_run=C]"
	lib = $1; key = ""; wall = ""; cpu = ""
	for (f = 2; f <= NF; f++) {
		if ($f ~ /^usec_per_run=/) { wall = substr($f, 14) }
		else if ($f ~ /^cpu_usec_per_run=/) { cpu = substr($f, 18) }
		else key = key (key == "" ? "" : " ") $f
	}
	if (cpu == "") cpu = wall
	if (!(key in seen)) { seen[key] = 1; order[++nk] = key }
	wv[lib, key] = wv[lib, key] " " wall
	cv[lib, key] = cv[lib, key] " " cpu
}
END {
	w = 10; for (i = 1; i <= nk; i++) if (length(order[i]) > w) w = length(order[i])
	printf "%-*s %14s %14s %8s %10s %15s\n", w, "workload (" metric " µs/run)", "libevent", "evshim", "ev/le", "wall ev/le", "syscalls le/ev"
	printf "| workload | libevent µs/run | evshim µs/run | evshim/libevent | wall-clock ratio | syscalls/run libevent/evshim |\n|---|---:|---:|---:|---:|---:|\n" > md
	for (i = 1; i <= nk; i++) {
		k = order[i]
		lw = (("libevent", k) in wv) ? median(wv["libevent", k]) : ""
		ew = (("evshim", k) in wv) ? median(wv["evshim", k]) : ""
		lc = (("libevent", k) in cv) ? median(cv["libevent", k]) : ""
		ec = (("evshim", k) in cv) ? median(cv["evshim", k]) : ""
		le = metric == "wall" ? lw : lc; ev = metric == "wall" ? ew : ec
		r = ratio(le, ev)
		if (r != "-") { lsum += log(ev / le); nr++ }
		printf "%-*s %14s %14s %8s %10s %15s\n", w, k, fmt(le), fmt(ev), r, ratio(lw, ew), calls(k)
		printf "| `%s` | %s | %s | %s | %s | %s |\n", k, fmt(le), fmt(ev), r, ratio(lw, ew), calls(k) > md
	}
	if (nr) printf "geometric mean of evshim/libevent (%s time) over %d workloads: %.2f\n", metric, nr, exp(lsum / nr)
}' "$OUT/raw/all" | tee "$OUT/results.txt"

if [ -s "$OUT/raw/values" ]; then
	echo
	awk -v md="$OUT/results.md" '
	function median(s,   a, n, i, j, t) {
		n = split(s, a, " ")
		for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
		return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	function fmt(x) { return x == "" ? "-" : sprintf("%.1f", x) }
	{
		lib = $1; key = ""; v = ""; u = ""
		for (f = 2; f <= NF; f++) {
			if ($f ~ /^value=/) v = substr($f, 7)
			else if ($f ~ /^unit=/) u = substr($f, 6)
			else key = key (key == "" ? "" : " ") $f
		}
		if (!(key in seen)) { seen[key] = 1; order[++nk] = key }
		unit[key] = u; vals[lib, key] = vals[lib, key] " " v
	}
	END {
		w = 10; for (i = 1; i <= nk; i++) if (length(order[i]) > w) w = length(order[i])
		printf "%-*s %14s %14s %8s\n", w, "quantity (median)", "libevent", "evshim", "ev/le"
		printf "\n| quantity | unit | libevent | evshim | evshim/libevent |\n|---|---|---:|---:|---:|\n" >> md
		for (i = 1; i <= nk; i++) {
			k = order[i]
			le = (("libevent", k) in vals) ? median(vals["libevent", k]) : ""
			ev = (("evshim", k) in vals) ? median(vals["evshim", k]) : ""
			r = (le != "" && ev != "" && le > 0) ? sprintf("%.2f", ev / le) : "-"
			printf "%-*s %14s %14s %8s  %s\n", w, k, fmt(le), fmt(ev), r, unit[k]
			printf "| `%s` | %s | %s | %s | %s |\n", k, unit[k], fmt(le), fmt(ev), r >> md
		}
	}' "$OUT/raw/values" | tee -a "$OUT/results.txt"
fi

{
	echo
	[ -s "$OUT/raw/syscalls" ] && echo "syscalls: per timed run, one strace'd invocation of each build (BENCH_STRACE=1); by name in build/bench/syscalls.txt"
	echo "times: $METRIC time of the timed section; repetitions: $REPS per build (alternating); each value is the median over repetitions of each run's median"
	echo "libevent: $(pkg-config --modversion libevent) (system)   evshim: $(git -C "$EVSHIM_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') ($EVSHIM_ROOT)"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //') x$(nproc)   kernel: $(uname -r)"
	echo "load average before: $LOAD_BEFORE   after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) (other work on the machine inflates the spread)"
	for n in "${notes[@]}"; do echo "note: $n"; done
	busy=$(awk -v n="$(nproc)" '{ print ($1 > n / 2) ? 1 : 0 }' /proc/loadavg)
	if [ "$busy" = 1 ] || awk -v l="${LOAD_BEFORE%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
		echo "note: the machine was busy (load average above half the CPUs): time ratios are unreliable; bench/instr.sh counts instructions reproducibly"
	fi
} | tee -a "$OUT/results.txt"
exit 0
