#!/usr/bin/env bash
# Instruction counts per run (user space, timed sections only) for both builds
# under callgrind: reproducible where wall times on a shared machine are not.
# Kernel work (syscalls) is not counted, so read this next to bench/run.sh's
# times, not instead of them.  Slow (valgrind): a few minutes for everything.
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
		# sections=<k>" then "totals: <Ir>".
		for ((part = 1; ; part++)); do
			f=$OUT/cg/$b.$lib.$part
			[ -e "$f" ] || break
			awk -v lib=$lib '
				/^desc: Trigger: Client Request: / { sub(/^desc: Trigger: Client Request: /, ""); label = $0 }
				/^totals: / { tot = $2 }
				END { if (label != "") { k = label; sub(/.* sections=/, "", k); sub(/ sections=[0-9]+$/, "", label); printf "%s\t%s\t%.0f\n", lib, label, tot / k } }' "$f"
		done
	done
done >"$OUT/cg/all"

awk -F'\t' '
{ if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } v[$1, $2] = $3 }
END {
	w = 10; for (i = 1; i <= n; i++) if (length(order[i]) > w) w = length(order[i])
	printf "%-*s %16s %16s %8s\n", w, "workload (instructions/run)", "libevent", "evshim", "ev/le"
	for (i = 1; i <= n; i++) {
		k = order[i]; le = v["libevent", k]; ev = v["evshim", k]
		printf "%-*s %16s %16s %8s\n", w, k, (le == "" ? "-" : le), (ev == "" ? "-" : ev),
		    (le != "" && ev != "" && le > 0) ? sprintf("%.2f", ev / le) : "-"
	}
}' "$OUT/cg/all" | tee "$OUT/instr.txt"
