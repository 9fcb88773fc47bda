#!/usr/bin/env python3
"""Runs evbuffer scripts through two interpreter builds and compares what they print.

    driver.py --ref BIN --test BIN [--seeds N] [--ops M] [--first S] [--jobs J]
              [--regress DIR] [--out DIR] [--sanitize] [--max-fail K]

--ref is the interpreter linked with Debian's libevent, --test the one linked with
evshim. Regression scripts (DIR/*.txt) run first, then N generated scripts of M
operations (seeds S..S+N-1). A script passes when both builds print the same stdout and
exit the same way (and, with --sanitize, neither reports a sanitizer error). The first
divergent script is minimized; the minimized script and a short diff are written to
--out and shown. The last line is the summary: "fuzz: P passed, F failed (...)".
"""
import argparse
import concurrent.futures as cf
import difflib
import glob
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402

SAN_MARKERS = ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer")


OUT_LIMIT = 64 << 20


def run(binary, script, timeout=120):
    """stdout (at most OUT_LIMIT bytes) + an exit line, and stderr."""
    env = dict(os.environ)
    # malloc of an impossible size returns NULL, as it does without ASan; leaks are
    # judged from the report (see sanitizer_report), not the exit status
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0:allocator_may_return_null=1")
    env.setdefault("LSAN_OPTIONS", "exitcode=0:print_suppressions=0:suppressions=%s" %
                   os.path.join(os.path.dirname(os.path.abspath(__file__)), "lsan.supp"))
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe:
        try:
            p = subprocess.run([binary], input=script.encode("latin-1"), stdout=fo,
                               stderr=fe, timeout=timeout, env=env)
            tail = "exit %d\n" % p.returncode
        except subprocess.TimeoutExpired:
            tail = "TIMEOUT\n"
        fo.seek(0)
        fe.seek(0)
        out = fo.read(OUT_LIMIT).decode("latin-1")
        if fo.read(1):
            out += "\nOUTPUT-LIMIT\n"
        err = fe.read(1 << 20).decode("latin-1", "replace")
    return out + tail, err


def sanitizer_report(err):
    for m in SAN_MARKERS:
        if m in err:
            # Only indirect leaks = a reference cycle, which libevent itself builds when
            # a buffer ends up holding a reference to its own chain (add_buffer_reference
            # then moving the referencing chains back): not counted.
            if m.startswith("ERROR: LeakSanitizer") and "Direct leak" not in err:
                continue
            return m
    return None


def first_diff(a, b):
    la, lb = a.split("\n"), b.split("\n")
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else "<eof>"
        y = lb[i] if i < len(lb) else "<eof>"
        if x != y:
            return i, x, y
    return None


def op_of(line):
    parts = line.split()
    return parts[1] if len(parts) > 1 and parts[0].isdigit() else parts[0] if parts else ""


def op_at(out, idx):
    """Name of the operation whose output contains line idx (callback lines are
    indented continuations of an operation line)."""
    lines = out.split("\n")
    i = min(idx, len(lines) - 1)
    while i > 0 and lines[i].startswith("  "):
        i -= 1
    return op_of(lines[i]) if lines else ""


class Runner:
    def __init__(self, args):
        self.a = args

    def check(self, script):
        """None if both agree, else a description dict."""
        ro, re_ = run(self.a.ref, script)
        to, te = run(self.a.test, script)
        san = None
        if self.a.sanitize:
            if sanitizer_report(re_):
                san = ("ref", re_)
            elif sanitizer_report(te):
                san = ("test", te)
        if ro == to and not san:
            return None
        d = first_diff(ro, to)
        if san:
            key = ("san", san[0])
        elif not ro.endswith("exit 0\n"):
            key = ("crash", "libevent")
        elif not to.endswith("exit 0\n"):
            key = ("crash", "evshim")
        else:
            key = ("diff", op_at(ro, d[0]) if d else "")
        return {"ref": ro, "test": to, "ref_err": re_, "test_err": te, "san": san,
                "first": d, "key": key}

    def minimize(self, lines, key):
        """Greedy chunk removal keeping the same kind of failure."""
        def bad(ls):
            r = self.check("\n".join(ls) + "\n")
            return r is not None and r["key"] == key

        n = max(1, len(lines) // 2)
        while n >= 1:
            i = 0
            changed = False
            while i < len(lines):
                cand = lines[:i] + lines[i + n:]
                if cand and bad(cand):
                    lines = cand
                    changed = True
                else:
                    i += n
            if not changed:
                n //= 2
        return lines


def show(res, limit=40):
    out = []
    if res["key"][0] == "crash":
        err = res["ref_err"] if res["key"][1] == "libevent" else res["test_err"]
        out.append("%s crashed: %s" % (res["key"][1], (res["ref"] if res["key"][1] == "libevent" else res["test"]).rstrip().split("\n")[-1]))
        out.extend(err.strip().split("\n")[-limit // 2:])
    if res["san"]:
        who, err = res["san"]
        out.append("sanitizer report from the %s build:" % who)
        out.extend(err.strip().split("\n")[:limit])
        return "\n".join(out)
    d = res["first"]
    if d:
        out.append("first difference at output line %d:" % (d[0] + 1))
        out.append("  libevent: %s" % d[1][:400])
        out.append("  evshim:   %s" % d[2][:400])
    diff = list(difflib.unified_diff(res["ref"].split("\n"), res["test"].split("\n"),
                                     "libevent", "evshim", n=2, lineterm=""))
    out.extend(l[:300] for l in diff[:limit])
    if len(diff) > limit:
        out.append("... (%d more diff lines)" % (len(diff) - limit))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--ops", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--regress", default=None)
    ap.add_argument("--out", default="build/fuzz")
    ap.add_argument("--sanitize", action="store_true")
    ap.add_argument("--max-fail", type=int, default=20,
                    help="stop generating after this many divergent seeds")
    ap.add_argument("--no-minimize", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    r = Runner(a)
    passed = failed = 0
    ops_run = 0
    fails = []

    for path in sorted(glob.glob(os.path.join(a.regress, "*.txt"))) if a.regress else []:
        script = open(path, encoding="latin-1").read()
        res = r.check(script)
        nops = sum(1 for l in script.split("\n") if l.strip() and not l.startswith("#"))
        ops_run += nops
        if res is None:
            passed += 1
        else:
            failed += 1
            print("FAIL regress %s" % os.path.basename(path))
            print(show(res))

    def job(seed):
        script = gen.Gen(seed, a.ops).run()
        return seed, script, r.check(script)

    seeds = range(a.first, a.first + a.seeds)
    with cf.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        futs = [ex.submit(job, s) for s in seeds]
        for f in futs:
            seed, script, res = f.result()
            ops_run += script.count("\n")
            if res is None:
                passed += 1
                continue
            failed += 1
            fails.append((seed, script, res))
            if len(fails) >= a.max_fail:
                for g in futs:
                    g.cancel()
                break

    kinds = {}
    for seed, script, res in fails:
        kinds.setdefault(res["key"], []).append(seed)
    for k, ss in kinds.items():
        print("divergence %s at %s: seeds %s" % (k[0], k[1], " ".join(map(str, ss[:12]))))

    # minimize one script per kind of divergence, the lowest seed first
    done = set()
    for seed, script, res in sorted(fails, key=lambda x: x[0]):
        if res["key"] in done or a.no_minimize:
            continue
        done.add(res["key"])
        lines = [l for l in script.split("\n") if l.strip()]
        small = r.minimize(lines, res["key"])
        text = "\n".join(small) + "\n"
        name = "%d-%s-%s.txt" % (seed, res["key"][0], res["key"][1] or "x")
        with open(os.path.join(a.out, name), "w", encoding="latin-1") as f:
            f.write(text)
        res2 = r.check(text) or res
        print("=== seed %d: minimized to %d ops: %s" % (seed, len(small), os.path.join(a.out, name)))
        print(text.rstrip())
        print("--- outputs:")
        print(show(res2))
        if len(done) >= 6:
            break

    print("fuzz: %d passed, %d failed (%d scripts, %d ops)" % (passed, failed, passed + failed, ops_run))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
