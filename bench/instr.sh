#!/usr/bin/env bash
# Instruction counts per run (user space, timed sections only) for both builds
# under callgrind: reproducible where wall times on a shared machine are not.
# Kernel work (syscalls) is not counted, so read this next to bench/run.sh's
# times, not instead of them.  Slow (valgrind): a few minutes for everything.
# Two counts per build: everything in the timed sections (the benchmark's own
# callbacks and libc included, the same for both), and only the instructions
# executed inside the library's own object (libevent-2.1.so.7.* or evshim's
# build/lib/libevent-2.1.so.7; callgrind's self cost per object).
#
#   bench/instr.sh [bench ...]      e.g. bench/instr.sh timers dispatch
# Environment: BENCH_ONLY (label substring), BENCH_RUNS (timed runs per
# workload under valgrind, default 2, plus one warm-up).
set -u
cd "$(dirname "$0")/.." || exit 1
OUT=$PWD/build/bench
BENCH_REPS=0 bench/run.sh || exit 1
command -v valgrind >/dev/null || { echo "instr: valgrind not installed" >&2; exit 1; }
benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(dispatch cascade timers buffer)
rm -rf "$OUT/cg"
mkdir -p "$OUT/cg"

for b in "${benches[@]}"; do
	for lib in libevent evshim; do
		[ -x "$OUT/$b.$lib" ] || continue
		if ! valgrind --tool=callgrind --collect-atstart=no \
		    --callgrind-out-file="$OUT/cg/$b.$lib" "$OUT/$b.$lib" \
		    >"$OUT/cg/$b.$lib.stdout" 2>"$OUT/cg/$b.$lib.log"; then
			echo "note: bench_$b ($lib) failed under valgrind, see build/bench/cg/$b.$lib.log" >&2
		fi
		# One dump per workload: "desc: Trigger: Client Request: <label>
		# sections=<k>" then "totals: <Ir>"; the library's share is the
		# self cost of the functions in its object. Object names are
		# compressed ("(n) name" the first time, then "(n)") and defined
		# by ob= or cob= lines; the cost line after a calls= line is the
		# call's inclusive cost, not the caller's own.
		for ((part = 1; ; part++)); do
			f=$OUT/cg/$b.$lib.$part
			[ -e "$f" ] || break
			awk -v lib=$lib '
				function obj(s,   id, rest) {
					if (match(s, /^\([0-9]+\)/)) {
						id = substr(s, RSTART, RLENGTH); rest = substr(s, RLENGTH + 1); sub(/^ /, "", rest)
						if (rest != "") name[id] = rest
						return name[id]
					}
					return s
				}
				/^desc: Trigger: Client Request: / { sub(/^desc: Trigger: Client Request: /, ""); label = $0 }
				/^totals: / { tot = $2 }
				/^ob=/ { o = obj(substr($0, 4)); inlib = (o ~ /\/libevent-2\.1\.so\.7[.0-9]*$/); next }
				/^cob=/ { obj(substr($0, 5)); next }
				/^calls=/ { skip = 1; next }
				/^[0-9+*-]/ { if (skip) skip = 0; else if (inlib) libc += $2; next }
				END { if (label != "") { k = label; sub(/.* sections=/, "", k); sub(/ sections=[0-9]+$/, "", label); printf "%s\t%s\t%.0f\t%.0f\n", lib, label, tot / k, libc / k } }' "$f"
		done
	done
done >"$OUT/cg/all"

awk -F'\t' '
function r(a, b) { return (a != "" && b != "" && a > 0) ? sprintf("%.2f", b / a) : "-" }
function d(x) { return x == "" ? "-" : x }
{ if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } v[$1, $2] = $3; l[$1, $2] = $4 }
END {
	w = 10; for (i = 1; i <= n; i++) if (length(order[i]) > w) w = length(order[i])
	printf "%-*s %14s %14s %6s %14s %14s %6s\n", w, "workload (instructions/run)", "libevent", "evshim", "ev/le",
	    "le library", "ev library", "ev/le"
	for (i = 1; i <= n; i++) {
		k = order[i]; le = v["libevent", k]; ev = v["evshim", k]; ll = l["libevent", k]; el = l["evshim", k]
		printf "%-*s %14s %14s %6s %14s %14s %6s\n", w, k, d(le), d(ev), r(le, ev), d(ll), d(el), r(ll, el)
	}
}' "$OUT/cg/all" | tee "$OUT/instr.txt"
