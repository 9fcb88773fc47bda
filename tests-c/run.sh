#!/usr/bin/env bash
# Differential test runner: every tests-c/*.c is built against the system libevent
# (the oracle) and against evshim, and the libevent binary is also run with evshim
# LD_PRELOADed. A test passes when the three runs print the same stdout and exit
# with the same code. See tests-c/README.md for the conventions.
#
#   tests-c/run.sh [NAME_GLOB]      e.g. tests-c/run.sh 'timer_*'
#
# Environment: JOBS (parallel tests, default 2, 4 with VALGRIND=1), TEST_TIMEOUT (seconds, default 20),
# CC (default cc), CI=true (a missing oracle is a failure instead of a skip),
# ORACLE_REPEAT=N (only run the libevent builds N times each and check they agree:
# the determinism check for new tests),
# VALGRIND=1 (the memcheck pass: the evshim build runs under valgrind, its output must
# still equal the libevent build's and no process may report a memory error or a leak;
# tests marked /* no-valgrind: reason */ are listed, not run; VALGRIND_TIMEOUT seconds,
# default 10 x TEST_TIMEOUT; VALGRIND_RETRIES, default 2, see valgrind_test).
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
OUT=build/tests-c
LIBDIR=$ROOT/build/lib
CC=${CC:-cc}
# Valgrind runs are slow but mostly wait on their timers: more of them in parallel.
if [ -n "${VALGRIND:-}" ]; then JOBS=${JOBS:-4}; else JOBS=${JOBS:-2}; fi
ORACLE_REPEAT=${ORACLE_REPEAT:-}
TEST_TIMEOUT=${TEST_TIMEOUT:-20}
VALGRIND=${VALGRIND:-}
VALGRIND_TIMEOUT=${VALGRIND_TIMEOUT:-$((TEST_TIMEOUT * 10))}
VALGRIND_RETRIES=${VALGRIND_RETRIES:-2}
CFLAGS_COMMON="-O1 -g -Wall"

# ---------------------------------------------------------------------------
# One test. Runs in a worker (xargs); prints one short status line and leaves the
# details in $OUT/NAME.report and the verdict in $OUT/NAME.verdict.
# ---------------------------------------------------------------------------

# header_value FILE KEY: the text of a `/* KEY: value */` line among the first 10.
header_value() {
    head -n 10 "$1" | sed -n "s|^/\\* *$2: *\\(.*\\) *\\*/ *\$|\\1|p" | head -n 1 | sed 's/ *$//'
}

# run_bin LABEL CMD...: runs with the timeout, stdout → $OUT/NAME.LABEL.out, rc → var.
run_bin() {
    local label=$1; shift
    # ulimit -f: a runaway test dies of SIGXFSZ at 4 MB of output instead of filling the disk.
    # shellcheck disable=SC2086
    # The outer 2>/dev/null keeps bash's "Killed"/"User defined signal" notices off the report.
    { (ulimit -f 8192; exec timeout -k 5 "$TEST_TIMEOUT" "$@" $ARGS) \
        >"$OUT/$NAME.$label.out" 2>"$OUT/$NAME.$label.err" </dev/null; } 2>/dev/null
    echo $? >"$OUT/$NAME.$label.rc"
}

rc_text() {
    local rc=$1
    case $rc in
        124) echo "$rc (timed out after ${TEST_TIMEOUT}s)" ;;
        13[0-9]|14[0-9]|15[0-9]) echo "$rc (killed by signal $((rc - 128)))" ;;
        *) echo "$rc" ;;
    esac
}

# run_vg: the evshim build under valgrind memcheck, like run_bin with the label
# "valgrind"; every process (forked children too) logs to $OUT/NAME.vg.PID.
# Leaks count when a definitely lost block remains at exit. Suppressions
# (tests-c/valgrind.supp) only cover the C runtime and what libevent's API makes
# a program lose; each says why.
run_vg() {
    rm -f "$OUT/$NAME".vg.*
    # shellcheck disable=SC2086
    { (ulimit -f 8192; exec timeout -k 5 "$VALGRIND_TIMEOUT" valgrind --error-exitcode=97 \
        --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
        --suppressions="$ROOT/tests-c/valgrind.supp" --num-callers=30 \
        --log-file="$OUT/$NAME.vg.%p" "$OUT/$NAME.evshim" $ARGS) \
        >"$OUT/$NAME.valgrind.out" 2>"$OUT/$NAME.valgrind.err" </dev/null; } 2>/dev/null
    echo $? >"$OUT/$NAME.valgrind.rc"
}

# vg_errors: prints the logs of processes that reported errors (empty: none).
# A process that died of a signal (a test's deliberate abort in a child) cannot
# free anything, so only its memory errors count, not its leaks.
vg_errors() {
    local log total leaks
    for log in "$OUT/$NAME".vg.*; do
        [ -e "$log" ] || continue
        total=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -n 1)
        if [ -z "$total" ]; then
            echo "--- $log: no ERROR SUMMARY (killed?)"; tail -n 5 "$log"; continue
        fi
        if grep -q 'Process terminating with default action of signal' "$log"; then
            leaks=$(grep -c 'are definitely lost in loss record' "$log")
            total=$((total - leaks))
        fi
        if [ "$total" -gt 0 ]; then
            echo "--- $log: $total error(s)"
            grep -v '^==[0-9]*== *$' "$log" | sed -n '/Memcheck, a memory error detector/,/^==[0-9]*== Command:/!p' | head -n 60
        fi
    done
}

# valgrind_test REFERENCE_OUT REFERENCE_RC: runs the evshim build under valgrind and
# gives the memcheck pass's verdict. A memory error or leak in any attempt fails at once.
# Output that differs from libevent's while valgrind is clean is run again (at most
# VALGRIND_RETRIES more times, default 2): valgrind slows a program 20-50 times, and most
# of all its first calls, so tests that order timers 20 ms apart can see them due together
# on a loaded machine. The output itself is the regular pass's assertion, with no retries;
# here it only shows the run took the same paths. A pass after a retry says so.
valgrind_test() {
    local ref_out=$1 rc_ref=$2 rc_vg errors what attempt=1
    while :; do
        run_vg
        rc_vg=$(cat "$OUT/$NAME.valgrind.rc")
        errors=$(vg_errors)
        what=""
        if [ -n "$errors" ]; then what="valgrind errors"; fi
        if [ -n "$ref_out" ] && ! cmp -s "$ref_out" "$OUT/$NAME.valgrind.out"; then
            what="${what:+$what, }stdout under valgrind differs from libevent's"
        fi
        if [ "$rc_vg" != "$rc_ref" ]; then
            what="${what:+$what, }exit $(rc_text "$rc_vg") under valgrind, expected $rc_ref"
        fi
        if [ -z "$what" ] || [ -n "$errors" ] || [ "$attempt" -gt "$VALGRIND_RETRIES" ]; then
            break
        fi
        attempt=$((attempt + 1))
    done
    if [ -z "$what" ]; then
        if [ "$attempt" = 1 ]; then verdict pass "valgrind"; else verdict pass "valgrind, output matched on attempt $attempt"; fi
        return
    fi
    {
        echo "--- $NAME (valgrind): $what$([ "$attempt" = 1 ] || echo " (attempt $attempt)")"
        if [ -n "$ref_out" ] && ! cmp -s "$ref_out" "$OUT/$NAME.valgrind.out"; then
            diff -u --label libevent --label evshim+valgrind "$ref_out" "$OUT/$NAME.valgrind.out" | head -n 40
        fi
        [ -z "$errors" ] || echo "$errors"
        if [ -z "$errors" ] && [ "$rc_vg" != "$rc_ref" ]; then
            echo "stderr:"; head -n 15 "$OUT/$NAME.valgrind.err"
        fi
    } >>"$report"
    verdict fail "$what"
}

verdict() { # verdict pass|fail|skip MESSAGE
    echo "$1" >"$OUT/$NAME.verdict"
    printf '%-5s %s%s\n' "$(echo "$1" | tr a-z A-Z)" "$NAME" "${2:+  ($2)}"
}

# ORACLE_REPEAT=N: check a test against libevent alone: built once, run N times,
# every run must exit 0 and print the same as the first. For writing tests.
oracle_determinism() {
    local src=$1 extra_ldflags=$2 i rc
    if [ $evshim_only = 1 ]; then verdict skip "evshim-only"; return; fi
    # shellcheck disable=SC2086
    if ! $CC $CFLAGS_COMMON "$src" -o "$OUT/$NAME.libevent" $ORACLE_FLAGS -lpthread \
            $extra_ldflags >"$OUT/$NAME.libevent.build" 2>&1; then
        { echo "--- $NAME: build against libevent failed:"; head -n 30 "$OUT/$NAME.libevent.build"; } >>"$report"
        verdict fail "libevent build failed"; return
    fi
    run_bin libevent "$OUT/$NAME.libevent"
    for i in $(seq 2 "$ORACLE_REPEAT"); do
        rc=$(cat "$OUT/$NAME.libevent.rc")
        if [ "$rc" != 0 ]; then
            { echo "--- $NAME: libevent run exit $(rc_text "$rc")"; head -n 20 "$OUT/$NAME.libevent.err"; } >>"$report"
            verdict fail "libevent exit $rc"; return
        fi
        cp "$OUT/$NAME.libevent.out" "$OUT/$NAME.first.out"
        run_bin libevent "$OUT/$NAME.libevent"
        if ! cmp -s "$OUT/$NAME.first.out" "$OUT/$NAME.libevent.out"; then
            { echo "--- $NAME: libevent run $i differs from run 1:"
              diff -u --label run1 --label "run$i" "$OUT/$NAME.first.out" "$OUT/$NAME.libevent.out" | head -n 40; } >>"$report"
            verdict fail "nondeterministic on libevent"; return
        fi
    done
    rc=$(cat "$OUT/$NAME.libevent.rc")
    if [ "$rc" != 0 ]; then
        { echo "--- $NAME: libevent run exit $(rc_text "$rc")"; head -n 20 "$OUT/$NAME.libevent.err"; } >>"$report"
        verdict fail "libevent exit $rc"; return
    fi
    verdict pass "deterministic x$ORACLE_REPEAT"
}

one_test() {
    local src=$1
    NAME=$(basename "$src" .c)
    local report=$OUT/$NAME.report
    : >"$report"
    rm -f "$OUT/$NAME".{out,err,rc,verdict} "$OUT/$NAME".*.{out,err,rc}
    local extra_ldflags
    extra_ldflags=$(header_value "$src" LDFLAGS)
    ARGS=$(header_value "$src" ARGS)
    # /* TIMEOUT: s */ raises the timeout for a test that is slow by nature (never lowers it).
    local own_timeout
    own_timeout=$(header_value "$src" TIMEOUT)
    if [ -n "$own_timeout" ] && [ "$own_timeout" -gt "$TEST_TIMEOUT" ] 2>/dev/null; then
        TEST_TIMEOUT=$own_timeout
    fi
    local evshim_only=0
    if head -n 1 "$src" | grep -q '^/\* *evshim-only *\*/'; then evshim_only=1; fi
    if [ -n "$VALGRIND" ]; then
        local why
        why=$(header_value "$src" no-valgrind)
        if [ -n "$why" ]; then
            echo "$why" >"$OUT/$NAME.novalgrind"
            verdict skip "no-valgrind: $why"; return
        fi
        rm -f "$OUT/$NAME.novalgrind"
    fi

    if [ $evshim_only = 0 ] && [ "$ORACLE" != yes ]; then
        if [ "${CI:-}" = true ]; then
            echo "--- $NAME: libevent-dev (pkg-config libevent) missing in CI" >>"$report"
            verdict fail "no oracle"
        else
            verdict skip "no oracle"
        fi
        return
    fi

    if [ -n "${ORACLE_REPEAT:-}" ]; then
        oracle_determinism "$src" "$extra_ldflags"; return
    fi

    # evshim build. Guard against silently testing the system libevent: every
    # event2 header the test includes must exist in our include/, and our
    # libraries must be there (else the compiler/linker falls back to /usr).
    local h
    for h in $(sed -n 's|^[[:space:]]*#[[:space:]]*include[[:space:]]*<\(event2/[^>]*\)>.*|\1|p;
                     s|^[[:space:]]*#[[:space:]]*include[[:space:]]*<\(ev[a-z]*\.h\)>.*|\1|p' "$src"); do
        if [ ! -e "include/$h" ]; then
            echo "--- $NAME: evshim has no include/$h" >>"$report"
            verdict fail "no include/$h in evshim"; return
        fi
    done
    if [ ! -e "$LIBDIR/libevent.so" ] || [ ! -e "$LIBDIR/libevent_pthreads.so" ]; then
        echo "--- $NAME: $LIBDIR/libevent.so missing (run 'make lib')" >>"$report"
        verdict fail "evshim library not built"; return
    fi
    # shellcheck disable=SC2086
    if ! $CC $CFLAGS_COMMON -Iinclude "$src" -o "$OUT/$NAME.evshim" \
            -L"$LIBDIR" -levent -levent_pthreads -lpthread $extra_ldflags \
            -Wl,-rpath,"$LIBDIR" >"$OUT/$NAME.evshim.build" 2>&1; then
        { echo "--- $NAME: build against evshim failed:"; head -n 30 "$OUT/$NAME.evshim.build"; } >>"$report"
        verdict fail "evshim build failed"; return
    fi

    if [ $evshim_only = 1 ] && [ -n "$VALGRIND" ]; then
        valgrind_test "" 0; return
    fi
    if [ $evshim_only = 1 ]; then
        run_bin evshim "$OUT/$NAME.evshim"
        local rc; rc=$(cat "$OUT/$NAME.evshim.rc")
        # An evshim-only test's output is checked against tests-c/NAME.expected (written
        # from the documented contract) when there is one; otherwise the test checks
        # itself and reports through its exit status.
        local expected=tests-c/$NAME.expected
        if [ "$rc" = 0 ] && [ -f "$expected" ] && ! cmp -s "$expected" "$OUT/$NAME.evshim.out"; then
            { echo "--- $NAME (evshim-only): output differs from $expected"
              diff -u --label expected --label evshim "$expected" "$OUT/$NAME.evshim.out" | head -n 40; } >>"$report"
            verdict fail "output differs from $NAME.expected"; return
        fi
        if [ "$rc" = 0 ]; then
            if [ -f "$expected" ]; then verdict pass "evshim-only, output as expected"; else verdict pass "evshim-only"; fi
            return
        fi
        { echo "--- $NAME (evshim-only): exit $(rc_text "$rc")"
          echo "stdout:"; head -n 40 "$OUT/$NAME.evshim.out"
          echo "stderr:"; head -n 20 "$OUT/$NAME.evshim.err"; } >>"$report"
        verdict fail "exit $rc"; return
    fi

    # libevent (oracle) build
    # shellcheck disable=SC2086
    if ! $CC $CFLAGS_COMMON "$src" -o "$OUT/$NAME.libevent" $ORACLE_FLAGS -lpthread \
            $extra_ldflags >"$OUT/$NAME.libevent.build" 2>&1; then
        { echo "--- $NAME: build against libevent failed (the test itself is broken):"
          head -n 30 "$OUT/$NAME.libevent.build"; } >>"$report"
        verdict fail "libevent build failed"; return
    fi

    run_bin libevent "$OUT/$NAME.libevent"
    if [ -n "$VALGRIND" ]; then
        valgrind_test "$OUT/$NAME.libevent.out" "$(cat "$OUT/$NAME.libevent.rc")"; return
    fi
    run_bin evshim "$OUT/$NAME.evshim"
    LD_PRELOAD=$LIBDIR/libevent-2.1.so.7 run_bin preload "$OUT/$NAME.libevent"

    local rc_le rc_ev rc_pl ok=1 what=""
    rc_le=$(cat "$OUT/$NAME.libevent.rc")
    rc_ev=$(cat "$OUT/$NAME.evshim.rc")
    rc_pl=$(cat "$OUT/$NAME.preload.rc")
    if ! cmp -s "$OUT/$NAME.libevent.out" "$OUT/$NAME.evshim.out"; then ok=0; what="evshim stdout differs"; fi
    if ! cmp -s "$OUT/$NAME.libevent.out" "$OUT/$NAME.preload.out"; then ok=0; what="${what:+$what, }preload stdout differs"; fi
    if [ "$rc_le" != "$rc_ev" ] || [ "$rc_le" != "$rc_pl" ]; then
        ok=0; what="${what:+$what, }exit libevent=$rc_le evshim=$rc_ev preload=$rc_pl"
    fi
    if [ $ok = 1 ]; then
        if [ "$rc_le" != 0 ]; then
            # Agreement, but tests are meant to exit 0: say so without failing.
            verdict pass "all exit $rc_le"
        else
            verdict pass
        fi
        return
    fi
    {
        echo "--- $NAME: $what"
        echo "exit codes: libevent $(rc_text "$rc_le"), evshim $(rc_text "$rc_ev"), LD_PRELOAD $(rc_text "$rc_pl")"
        if ! cmp -s "$OUT/$NAME.libevent.out" "$OUT/$NAME.evshim.out"; then
            diff -u --label libevent --label evshim "$OUT/$NAME.libevent.out" "$OUT/$NAME.evshim.out" | head -n 60
        fi
        if ! cmp -s "$OUT/$NAME.libevent.out" "$OUT/$NAME.preload.out"; then
            diff -u --label libevent --label libevent+LD_PRELOAD=evshim \
                "$OUT/$NAME.libevent.out" "$OUT/$NAME.preload.out" | head -n 60
        fi
        if [ -s "$OUT/$NAME.evshim.err" ] && [ "$rc_ev" != "$rc_le" ]; then
            echo "evshim stderr:"; head -n 15 "$OUT/$NAME.evshim.err"
        fi
    } >>"$report"
    verdict fail "$what"
}

if [ "${1:-}" = --one ]; then
    one_test "$2"
    exit 0
fi

# ---------------------------------------------------------------------------
# Driver.
# ---------------------------------------------------------------------------
GLOB=${1:-*}
mkdir -p "$OUT"

shopt -s nullglob
TESTS=()
for f in tests-c/*.c; do
    n=$(basename "$f" .c)
    # shellcheck disable=SC2053
    [[ $n == $GLOB ]] && TESTS+=("$f")
done
if [ ${#TESTS[@]} = 0 ]; then
    echo "no tests match '$GLOB'"
    echo "0 passed, 0 failed"
    exit 1
fi

if pkg-config --exists libevent libevent_pthreads 2>/dev/null; then
    ORACLE=yes
    ORACLE_FLAGS=$(pkg-config --cflags --libs libevent libevent_pthreads)
else
    ORACLE=no
    ORACLE_FLAGS=
    if [ "${CI:-}" = true ]; then
        echo "ERROR: libevent-dev not installed (pkg-config libevent fails): differential tests cannot run in CI"
    else
        echo "############################################################"
        echo "## SKIPPED differential part: libevent-dev not installed  ##"
        echo "## (apt-get install libevent-dev pkg-config)              ##"
        echo "############################################################"
    fi
fi
if [ -z "$ORACLE_REPEAT" ] && [ ! -e "$LIBDIR/libevent-2.1.so.7" ]; then
    echo "warning: $LIBDIR/libevent-2.1.so.7 missing: run 'make lib' first"
fi
if [ -n "$VALGRIND" ] && ! command -v valgrind >/dev/null; then
    if [ "${CI:-}" = true ]; then
        echo "ERROR: VALGRIND=1 but valgrind is not installed"
        exit 1
    fi
    echo "############################################################"
    echo "## SKIPPED the valgrind pass: valgrind not installed      ##"
    echo "## (apt-get install valgrind)                             ##"
    echo "############################################################"
    exit 0
fi
[ -z "$VALGRIND" ] || echo "memcheck pass: the evshim builds under valgrind ($(valgrind --version))"
export ROOT OUT LIBDIR CC TEST_TIMEOUT CFLAGS_COMMON ORACLE ORACLE_FLAGS ORACLE_REPEAT VALGRIND VALGRIND_TIMEOUT VALGRIND_RETRIES

printf '%s\n' "${TESTS[@]}" | xargs -P "$JOBS" -n 1 "$0" --one

pass=0; fail=0; skip=0; failed=()
for f in "${TESTS[@]}"; do
    n=$(basename "$f" .c)
    v=$(cat "$OUT/$n.verdict" 2>/dev/null || echo fail)
    case $v in
        pass) pass=$((pass + 1)) ;;
        skip) skip=$((skip + 1)) ;;
        *) fail=$((fail + 1)); failed+=("$n") ;;
    esac
done

if [ $fail -gt 0 ]; then
    echo
    echo "==================== failures ===================="
    for n in "${failed[@]}"; do
        if [ -s "$OUT/$n.report" ]; then cat "$OUT/$n.report"; else echo "--- $n: no report (worker died?)"; fi
        echo
    done
    echo "failed: ${failed[*]}"
fi

if [ -n "$VALGRIND" ]; then
    novg=()
    for f in "${TESTS[@]}"; do
        n=$(basename "$f" .c)
        [ -e "$OUT/$n.novalgrind" ] && novg+=("$n: $(cat "$OUT/$n.novalgrind")")
    done
    if [ ${#novg[@]} -gt 0 ]; then
        echo "not run under valgrind (/* no-valgrind: reason */):"
        printf '  %s\n' "${novg[@]}"
    fi
fi

summary="$pass passed, $fail failed"
[ $skip -gt 0 ] && summary="$summary, $skip skipped"
echo "$summary"
[ $fail -eq 0 ]
