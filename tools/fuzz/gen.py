#!/usr/bin/env python3
"""Random evbuffer scripts for tools/fuzz/evbuffer_script.c.

    gen.py SEED NOPS            one script on stdout (same seed, same script)

The script is weighted toward sequences where implementations differ: operations on
frozen buffers, data spread over many small chunks (references, prepends, iovecs, file
segments) searched and read across chunk boundaries, callbacks that are added, disabled,
removed and replaced, reserve/commit with data added in between, and buffer-to-buffer
moves. Lengths are tracked roughly so positions land inside, at, and past the end.
"""
import os
import random
import sys

NBUF, NPTR, NCB, NSEG = 4, 4, 8, 4
FILESZ = 6000
EOLS = [0, 1, 2, 3, 4]


INTS = [0, 1, -1, 7, 42, 127, 128, 255, 256, -128, -129, 65535, 65536, -32769,
        2147483647, -2147483648, 4294967295, 1000000, -999999]
BIGS = [9223372036854775807, -9223372036854775808, 18446744073709551615,
        4294967296, -4294967297, 1234567890123456789]
DBLS = ["0", "-0.0", "1", "-1", "0.5", "1.5", "2.5", "-2.5", "0.1", "1e300", "-1e-300",
        "4.9e-324", "1e-310", "inf", "-inf", "nan", "-nan", "123456789.987654321",
        "9.9999995", "0.000012345", "1e15", "1e16", "1e17", "99.5", "0.05", "3.14159265358979"]


def esc(text):
    return "s:" + "".join(c if c.isalnum() else "\\x%02x" % ord(c) for c in text)


def fmt_case(r):
    """One printf conversion with a valid combination of flags, width, precision and
    length modifier, and an argument of the matching C type."""
    conv = r.choice("ddiuuoxXxfFeEgGaAcsspn%")
    flags = ""
    allowed = {"d": "-+ 0'", "i": "-+ 0'", "u": "-0'", "o": "-#0", "x": "-#0", "X": "-#0",
               "f": "-+ #0'", "F": "-+ #0'", "e": "-+ #0", "E": "-+ #0", "g": "-+ #0'",
               "G": "-+ #0", "a": "-+ #0", "A": "-+ #0", "c": "-", "s": "-", "p": "-",
               "n": "", "%": ""}[conv]
    for f in allowed:
        if r.random() < (0.05 if f == "'" else 0.2):
            flags += f
    width = r.choice(["", "", "", "1", "5", "12", "30", "*", "*", "4100"])
    prec = ""
    if conv in "diuoxXfFeEgGaAs" and r.random() < 0.4:
        prec = r.choice([".", ".0", ".1", ".3", ".10", ".40", ".*", ".*"])
    length, t = "", "i"
    if conv in "di":
        length, t = r.choice([("", "i"), ("hh", "i"), ("h", "i"), ("l", "l"), ("ll", "L"),
                              ("j", "j"), ("z", "z"), ("t", "t")])
        val = str(r.choice(INTS + BIGS if t not in "i" else INTS))
    elif conv in "uoxX":
        length, t = r.choice([("", "u"), ("hh", "u"), ("h", "u"), ("l", "U"), ("ll", "U"),
                              ("j", "j"), ("z", "z"), ("t", "t")])
        val = str(r.choice(INTS + BIGS if t not in "u" else INTS))
    elif conv in "fFeEgGaA":
        length, t = r.choice([("", "d"), ("", "d"), ("L", "D")])
        val = r.choice(DBLS)
    elif conv == "c":
        t, val = "c", str(r.choice([0, 10, 13, 65, 97, 255, 127, 32]))
    elif conv == "s":
        t = "s"
        val = esc("".join(r.choice("abc xyz\r\n-+%01") for _ in range(r.choice([0, 1, 3, 10, 80, 300]))))
    elif conv == "p":
        t, val = "p", "0"
    else:  # n = no conversion at all, % = a literal percent sign
        t, val, flags, width, prec = "n", "0", "", "", ""
    spec = "" if conv == "n" else "%" + flags + width + prec + length + conv
    pre = r.choice(["", "", "<", "ab ", "\r\n", "%%"])
    post = r.choice(["", "", ">", " z", "\n", "%%"])
    text = pre + spec + post
    star = [str(r.choice([0, 1, 3, 7, 20, -5, -1, 200])) for _ in range(text.count("*"))]
    return [esc(text), t, val] + star


class Gen:
    def __init__(self, seed, nops):
        self.r = random.Random(seed)
        self.nops = nops
        self.out = []
        self.live = [False] * NBUF
        self.blen = [0] * NBUF           # rough length
        self.frz = [[False, False] for _ in range(NBUF)]  # [end, start]
        self.res = [False] * NBUF        # reserve pending
        self.ptr_owner = [-1] * NPTR
        self.cb_live = [-1] * NCB        # owner buffer or -1
        self.seg_live = [False] * NSEG
        # FUZZ_EXCLUDE=defer,addbufref: leave operations out (known divergences)
        self.exclude = set(x for x in os.environ.get("FUZZ_EXCLUDE", "").split(",") if x)

    # -- helpers
    def emit(self, *a):
        self.out.append(" ".join(str(x) for x in a))

    def size(self):
        r = self.r.random()
        if r < 0.05:
            return 0
        if r < 0.45:
            return self.r.randint(1, 16)
        if r < 0.80:
            return self.r.randint(17, 600)
        if r < 0.95:
            return self.r.randint(601, 5000)
        return self.r.randint(5001, 40000)

    def pos(self, b):
        n = self.blen[b]
        r = self.r.random()
        if r < 0.1:
            return 0
        if r < 0.2:
            return n
        if r < 0.27:
            return n + self.r.randint(1, 50)
        if r < 0.3:
            return max(0, n - 1)
        return self.r.randint(0, max(0, n))

    def any_live(self):
        l = [i for i in range(NBUF) if self.live[i]]
        return self.r.choice(l) if l else None

    def buf(self):
        """A live buffer without a pending reservation (creating one if needed)."""
        l = [i for i in range(NBUF) if self.live[i] and not self.res[i]]
        if not l or (len(l) < NBUF and self.r.random() < 0.02):
            free = [i for i in range(NBUF) if not self.live[i]]
            if free:
                i = self.r.choice(free)
                self.emit("new", i)
                self.live[i] = True
                self.blen[i] = 0
                self.frz[i] = [False, False]
                return i
            if not l:
                b = self.r.randrange(NBUF)
                self.commit(b)
                return b
        return self.r.choice(l)

    def cb_action(self):
        # 0 log, 1 remove itself, 2 drain half, 3 add, 4 disable itself, 5 add elsewhere,
        # 6 log the other buffers' lengths
        return self.r.choices(range(7), [10, 2, 2, 2, 1, 2, 3])[0]

    def needle(self, b):
        r = self.r.random()
        if r < 0.45:
            alpha = "aaabbcd\r\n\0xyz01"
            k = self.r.choice([1, 1, 2, 2, 2, 3, 3, 4, 6])
            s = "".join(self.r.choice(alpha) for _ in range(k))
        elif r < 0.55:
            s = self.r.choice(["\r\n", "\n", "\r", "\0", "\r\n\r\n", "\n\r", "a\r\n"])
        elif r < 0.6:
            return "s:"  # empty needle
        else:
            n = self.blen[b]
            p = self.r.randint(0, max(0, n - 1))
            return "@%d,%d" % (p, self.r.choice([1, 2, 3, 5, 8, 20, 100, 700, 3000]))
        return "s:" + "".join(c if c.isalnum() else "\\x%02x" % ord(c) for c in s)

    def ptr(self, b, allow_null=True):
        owned = [p for p in range(NPTR) if self.ptr_owner[p] == b]
        if allow_null and (not owned or self.r.random() < 0.3):
            return -1
        if not owned:
            p = self.r.randrange(NPTR)
            self.emit("ptrset", p, b, self.pos(b), 0)
            self.ptr_owner[p] = b
            return p
        return self.r.choice(owned)

    def outptr(self, b):
        if self.r.random() < 0.2:
            return -1
        p = self.r.randrange(NPTR)
        self.ptr_owner[p] = b
        return p

    def commit(self, b):
        k = self.r.choice([0, 1, 5, 50, 500, 100000])
        mode = self.r.choice([0, 0, 0, 1, 1, 2, 3])
        self.emit("commit", b, k, mode)
        if mode in (0, 1) and not self.frz[b][0]:
            self.res[b] = False
            self.blen[b] += min(k, 4096)
        if mode == 2:
            self.emit("commit", b, k, 0)
            self.res[b] = False

    def moved(self, dst, src):
        if not self.frz[dst][0] and not self.frz[src][1]:
            self.blen[dst] += self.blen[src]
            self.blen[src] = 0

    # -- single operations
    def one(self):
        r = self.r
        b = self.buf()
        ops = [
            ("add", 14), ("prepend", 5), ("printf", 3), ("vprintf", 2), ("fmt", 6), ("iovec", 2),
            ("huge", 1),
            ("addref", 5), ("addbuf", 3), ("prepbuf", 2), ("addbufref", 2), ("removebuf", 3),
            ("remove", 4), ("copyout", 3), ("copyout_from", 2), ("drain", 5), ("pullup", 3),
            ("readln", 6), ("readline", 1), ("find", 1), ("ptrset", 3), ("search", 5),
            ("search_range", 3), ("search_eol", 4), ("peek", 4), ("reserve", 3),
            ("expand", 1), ("contig", 1), ("len", 1), ("freeze", 4), ("unfreeze", 4),
            ("addcb", 2), ("rmcbent", 1), ("rmcb", 1), ("cbflags", 2), ("setcb", 1),
            ("lock", 1), ("lockunlock", 1), ("flags", 1), ("write", 2), ("sockin", 2),
            ("read", 2), ("addfile", 1), ("seg", 2), ("sendfile", 1), ("defer", 0.3),
            ("loop", 1), ("free", 0.7),
        ]
        ops = [(o, w) for o, w in ops if o not in self.exclude]
        name = r.choices([o for o, _ in ops], [w for _, w in ops])[0]
        fe, fs = self.frz[b]
        if name == "add":
            n = self.size()
            self.emit("add", b, n)
            if not fe:
                self.blen[b] += n
        elif name == "prepend":
            n = self.size()
            self.emit("prepend", b, n)
            if not fs:
                self.blen[b] += n
        elif name in ("printf", "vprintf"):
            kind = r.randrange(10)
            n = r.choice([0, 1, 5, 100, 1000, 4095, 4096, 4097, 5000, 9000])
            self.emit(name, b, kind, n)
            if not fe:
                self.blen[b] += n + 4
        elif name == "fmt":
            self.emit("fmt", b, r.randrange(2), *fmt_case(r))
            if not fe:
                self.blen[b] += 10
        elif name == "huge":
            x = r.randrange(4)
            if x == 0:
                self.emit("addhuge", b, r.choice([0, 1, 5]))
            elif x == 1:
                self.emit("prependhuge", b)
            elif x == 2:
                self.emit("iovec", b, r.randint(0, 9), "!big", r.randint(0, 9))
            else:
                self.emit("search", b, "!big", self.ptr(b), self.outptr(b))
        elif name == "iovec":
            vs = [self.size() // 4 for _ in range(r.randrange(0, 5))]
            self.emit("iovec", b, *vs)
            if not fe:
                self.blen[b] += sum(vs)
        elif name == "addref":
            n = self.size() if r.random() < 0.97 else 0
            self.emit("addref", b, n, 1 if r.random() < 0.1 else 0)
            if not fe:
                self.blen[b] += n
        elif name in ("addbuf", "prepbuf", "addbufref"):
            s = self.buf()
            if name == "addbuf":
                self.emit("addbuf", b, s)
                self.moved(b, s)
            elif name == "prepbuf":
                self.emit("prepbuf", b, s)
                if not fs and not self.frz[s][1]:
                    self.moved(b, s)
            else:
                self.emit("addbufref", b, s)
                if not fe and s != b:
                    self.blen[b] += self.blen[s]
        elif name == "removebuf":
            d = self.buf()
            n = self.pos(b)
            self.emit("removebuf", b, d, n)
            if not fs and not self.frz[d][0] and b != d:
                n = min(n, self.blen[b])
                self.blen[b] -= n
                self.blen[d] += n
        elif name in ("remove", "drain"):
            n = self.pos(b) if r.random() < 0.8 else r.choice([0, 1, 2, 10, -1, 2**63])
            self.emit(name, b, n)
            if not fs:
                self.blen[b] = max(0, self.blen[b] - n)
        elif name == "copyout":
            self.emit("copyout", b, self.pos(b) if r.random() < 0.9 else r.choice([-1, 2**63 - 1]))
        elif name == "copyout_from":
            p = self.ptr(b, allow_null=False)
            if r.random() < 0.5:
                self.emit("ptrset", p, b, self.pos(b), 0)
            self.emit("copyout_from", p, r.choice([0, 1, 3, 10, 100, 5000, -1, 2**63 - 1, 2**63]))
        elif name == "pullup":
            n = r.choice([-1, 0, 1, 2, 10, 100, 1000, 5000, self.blen[b], self.blen[b] + 1,
                          -2, 2**63 - 1])
            self.emit("pullup", b, n)
        elif name == "readln":
            self.emit("readln", b, r.choice(EOLS + [0, 1, 7]), r.randrange(2))
            if not fs:
                self.blen[b] = max(0, self.blen[b] - 30)
        elif name == "readline":
            self.emit("readline", b)
        elif name == "find":
            self.emit("find", b, self.needle(b))
        elif name == "ptrset":
            p = r.randrange(NPTR)
            if self.ptr_owner[p] == b and r.random() < 0.5:
                self.emit("ptrset", p, b, r.choice([0, 1, 2, 5, 50, 500, self.blen[b], -1, 2**63]), 1)
            else:
                self.emit("ptrset", p, b, self.pos(b), 0)
                self.ptr_owner[p] = b
        elif name == "search":
            self.emit("search", b, self.needle(b), self.ptr(b), self.outptr(b))
        elif name == "search_range":
            st = self.ptr(b)
            en = self.ptr(b)
            self.emit("search_range", b, self.needle(b), st, en, self.outptr(b))
        elif name == "search_eol":
            self.emit("search_eol", b, self.ptr(b), r.choice(EOLS + [9]), self.outptr(b), r.randrange(2))
        elif name == "peek":
            ln = r.choice([-1, -1, 0, 1, 5, 50, 500, 5000, self.blen[b], self.blen[b] + 3, -7,
                           2**63 - 1])
            self.emit("peek", b, ln, self.ptr(b), r.choice([0, 0, 1, 2, 3, 64]))
        elif name == "reserve":
            n = r.choice([0, 1, 10, 100, 1000, 4096, 5000, 20000, -1])
            nv = r.choice([1, 1, 2, 2, 0, 3])
            self.emit("reserve", b, n, nv)
            if nv >= 1 and n >= 0 and not fe:
                self.res[b] = True
                # what happens before the commit
                x = r.random()
                if x < 0.2:
                    self.emit("add", b, r.randint(1, 64))  # makes the commit fail
                elif x < 0.4:
                    o = [i for i in range(NBUF) if self.live[i] and i != b]
                    if o:
                        self.emit("add", r.choice(o), self.size())
                elif x < 0.5:
                    self.emit("freeze", b, 0)
                    self.emit("commit", b, 5, 0)
                    self.emit("unfreeze", b, 0)
                elif x < 0.6:
                    self.emit("peek", b, -1, -1, 64)
                if r.random() < 0.9:
                    self.commit(b)
        elif name == "expand":
            self.emit("expand", b, r.choice([0, 1, 100, 4096, 10000, 100000, -1, 2**63]))
        elif name == "contig":
            self.emit("contig", b)
        elif name == "len":
            self.emit("len", b)
        elif name in ("freeze", "unfreeze"):
            at = r.randrange(2)
            self.emit(name, b, at)
            self.frz[b][at] = name == "freeze"
        elif name == "addcb":
            c = r.randrange(NCB)
            if self.cb_live[c] < 0:
                self.emit("addcb", b, c, self.cb_action())
                self.cb_live[c] = b
        elif name == "rmcbent":
            l = [c for c in range(NCB) if self.cb_live[c] >= 0]
            if l:
                c = r.choice(l)
                self.emit("rmcbent", c)
                self.cb_live[c] = -1
        elif name == "rmcb":
            c = r.randrange(NCB)
            self.emit("rmcb", b, c, r.choice([0, 0, 0, 1, 2]))
            if self.cb_live[c] == b:
                self.cb_live[c] = -1   # maybe: the interpreter knows for sure
        elif name == "cbflags":
            l = [c for c in range(NCB) if self.cb_live[c] >= 0]
            if l:
                self.emit(r.choice(["cbset", "cbclear"]), r.choice(l),
                          r.choice([1, 1, 1, 0, 2, 0xffff, 0xffffffff, 0x40000]))
        elif name == "setcb":
            self.emit("setcb", b, r.choice([1, 1, 0]))
            for c in range(NCB):
                if self.cb_live[c] == b:
                    self.cb_live[c] = -1
        elif name == "lock":
            self.emit("lock", b)
        elif name == "lockunlock":
            self.emit("lockunlock", b)
        elif name == "flags":
            # DRAINS_TO_FD (1) keeps files out of the buffer for good (see the
            # interpreter), so it is rare
            f = 1 if r.random() < 0.08 else r.choice([0, 2, 0x10, 0xfe])
            self.emit(r.choice(["setflags", "clearflags"]), b, f)
        elif name == "write":
            if r.random() < 0.5:
                self.emit("write", b)
                if not fs:
                    self.blen[b] = 0
            else:
                n = r.choice([-1, 0, 1, 7, 100, 4096, 10000])
                self.emit("writeatmost", b, n)
                if not fs:
                    self.blen[b] = max(0, self.blen[b] - (n if n >= 0 else self.blen[b]))
        elif name == "sockin":
            n = r.choice([0, 1, 10, 100, 1000, 4096, 5000])
            self.emit("sockin", n)
        elif name == "read":
            n = r.choice([-1, -1, 0, 1, 10, 100, 4096, 8000])
            self.emit("read", b, n)
            if not fe:
                self.blen[b] += 100
        elif name == "addfile":
            off = r.choice([0, 0, 1, 100, 4095, 4096, 5999])
            ln = r.randint(0, FILESZ - off)
            if off == 0 and r.random() < 0.2:
                ln = -1   # whole file (only from offset 0: see README)
            self.emit("addfile", b, off, ln)
            if not fe:
                self.blen[b] += ln if ln >= 0 else FILESZ
        elif name == "seg":
            s = r.randrange(NSEG)
            if not self.seg_live[s]:
                off = r.choice([0, 0, 10, 4000])
                # never empty: libevent cannot map or read an empty segment, fails to
                # add it and then keeps the caller's reference (other failures drop it)
                ln = r.choice([-1, 1, 100, FILESZ - off]) if off == 0 else r.randint(1, FILESZ - off)
                self.emit("segnew", s, off, ln, r.choice([0, 0, 2, 4, 6, 8]))
                self.seg_live[s] = True
                if r.random() < 0.7:
                    self.emit("segcb", s)
            else:
                x = r.random()
                if x < 0.75:
                    o = r.choice([0, 0, 1, 50, 5000])
                    self.emit("segadd", b, s, o, r.choice([-1, 0, 1, 10, 100, 3000]))
                    if not fe:
                        self.blen[b] += 50
                else:
                    self.emit("segfree", s)
                    self.seg_live[s] = False
        elif name == "sendfile":
            off = r.choice([0, 0, 7, 4096])
            self.emit("sendfile", off, r.randint(0, FILESZ - off), r.choice([0, 0, 5, 3000]),
                      r.choice([0, 0, 7, 5000]))
        elif name == "defer":
            self.emit("defer", b)
        elif name == "loop":
            self.emit("loop")
        elif name == "free":
            self.emit("free", b)
            self.live[b] = False
            self.res[b] = False
            for c in range(NCB):
                if self.cb_live[c] == b:
                    self.cb_live[c] = -1
            for p in range(NPTR):
                if self.ptr_owner[p] == b:
                    self.ptr_owner[p] = -1
        # keep buffers from growing without bound
        for i in range(NBUF):
            if self.live[i] and self.blen[i] > 60000 and not self.res[i]:
                self.emit("unfreeze", i, 1)
                self.frz[i][1] = False
                self.emit("drain", i, self.blen[i] - r.randint(0, 2000))
                self.blen[i] = min(self.blen[i], 2000)

    # -- scenarios
    def fragments(self):
        """Many small chunks of different kinds, then reads across their boundaries."""
        r = self.r
        b = self.buf()
        for _ in range(r.randint(3, 10)):
            k = r.choice([k for k in ["add", "addref", "prepend", "iovec", "addfile", "addbufref"]
                          if k not in self.exclude] or ["add"])
            n = r.randint(1, 12)
            if k == "iovec":
                self.emit("iovec", b, n, r.randint(0, 5), r.randint(1, 5))
            elif k == "addfile":
                self.emit("addfile", b, r.randint(0, 100), n)
            elif k == "addbufref":
                s = self.buf()
                if s != b:
                    self.emit("add", s, n)
                    self.emit("addbufref", b, s)
                    self.emit("drain", s, r.randint(0, n))
            else:
                self.emit(k, b, n, *([0] if k == "addref" else []))
            self.blen[b] += n
        for _ in range(r.randint(2, 8)):
            x = r.random()
            if x < 0.3:
                self.emit("search", b, self.needle(b), self.ptr(b), self.outptr(b))
            elif x < 0.5:
                self.emit("readln", b, r.choice(EOLS), 1)
            elif x < 0.65:
                self.emit("search_eol", b, self.ptr(b), r.choice(EOLS), self.outptr(b), 1)
            elif x < 0.8:
                self.emit("peek", b, r.choice([-1, 3, 20]), self.ptr(b), r.choice([1, 2, 64]))
            elif x < 0.9:
                self.emit("copyout_from", self.ptr(b, False), r.randint(1, 40))
            else:
                self.emit("remove", b, r.randint(1, 20))

    def manychains(self):
        """More chunks than one writev takes (libevent: 128 per call)."""
        r = self.r
        b = self.buf()
        for _ in range(r.randint(100, 300)):
            self.emit(r.choice(["addref", "addfile"]), b, r.randint(0, 100), r.randint(1, 30))
        for _ in range(r.randint(1, 4)):
            x = r.random()
            if x < 0.4:
                self.emit("write", b)
            elif x < 0.7:
                self.emit("writeatmost", b, r.choice([100, 1000, 5000, -1]))
            elif x < 0.85:
                self.emit("peek", b, -1, -1, r.choice([3, 64]))
            else:
                self.emit("readln", b, r.choice(EOLS), 1)
        self.emit("drain", b, -1)
        self.blen[b] = 0

    def frozen(self):
        r = self.r
        b = self.buf()
        at = r.randrange(2)
        self.emit("freeze", b, at)
        self.frz[b][at] = True
        if r.random() < 0.3:
            self.emit("freeze", b, 1 - at)
            self.frz[b][1 - at] = True
        for _ in range(r.randint(3, 12)):
            self.one()
        if self.live[b]:
            for a in (0, 1):
                if self.frz[b][a] and r.random() < 0.9:
                    self.emit("unfreeze", b, a)
                    self.frz[b][a] = False

    def callbacks(self):
        r = self.r
        b = self.buf()
        for _ in range(r.randint(1, 3)):
            c = r.randrange(NCB)
            if self.cb_live[c] < 0:
                self.emit("addcb", b, c, self.cb_action())
                self.cb_live[c] = b
        for _ in range(r.randint(3, 10)):
            self.one()

    def run(self):
        r = self.r
        if r.random() < 0.3 and "memfns" not in self.exclude:
            self.emit("memfns")
        if r.random() < 0.5:
            self.emit("threads")
        for i in range(r.randint(1, NBUF)):
            self.emit("new", i)
            self.live[i] = True
        while len(self.out) < self.nops:
            x = r.random()
            if x < 0.005 and "manychains" not in self.exclude:
                self.manychains()
            elif x < 0.06:
                self.fragments()
            elif x < 0.10:
                self.frozen()
            elif x < 0.13:
                self.callbacks()
            else:
                self.one()
        return "\n".join(self.out) + "\n"


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    nops = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    sys.stdout.write(Gen(seed, nops).run())


if __name__ == "__main__":
    main()
