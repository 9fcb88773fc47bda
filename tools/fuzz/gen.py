#!/usr/bin/env python3
"""Random evbuffer scripts for evbuffer_script.c: gen.py SEED NOPS > script."""
import random
import sys

seed, nops = int(sys.argv[1]), int(sys.argv[2])
R = random.Random(seed)


def size():
    r = R.random()
    if r < 0.55:
        return R.randint(0, 40)
    if r < 0.85:
        return R.randint(0, 1500)
    if r < 0.97:
        return R.randint(0, 6000)
    return R.randint(0, 20000)


def b():
    return R.randrange(4)


def slot():
    return R.randrange(-1, 4)


OPS = [
    (14, lambda: f"add {b()} {size()} {R.randrange(1000)}"),
    (5, lambda: f"prepend {b()} {size()} {R.randrange(1000)}"),
    (4, lambda: f"printf {b()} {size()} {R.randrange(1000)} {R.randrange(3)}"),
    (8, lambda: f"drain {b()} {size()}"),
    (6, lambda: f"remove {b()} {size()}"),
    (3, lambda: f"copyout {b()} {size()}"),
    (3, lambda: f"copyout_from {b()} {R.randrange(4)} {size()}"),
    (4, lambda: f"remove_buffer {b()} {b()} {size()}"),
    (4, lambda: f"add_buffer {b()} {b()}"),
    (2, lambda: f"prepend_buffer {b()} {b()}"),
    (2, lambda: f"add_buffer_reference {b()} {b()}"),
    (3, lambda: f"add_reference {b()} {size()} {R.randrange(1 << 22)} {R.randrange(2)}"),
    (8, lambda: f"readln {b()} {R.choice([0, 1, 2, 3, 4, 0, 1, 3, 7])}"),
    (1, lambda: f"readline {b()}"),
    (5, lambda: f"search {b()} {R.choice([1, 1, 2, 2, 3, 4, 6, 10, 0])} {R.randrange(40)} {slot()} {R.randrange(4)}"),
    (3, lambda: f"search_range {b()} {R.choice([1, 2, 3, 5])} {R.randrange(40)} {slot()} {R.randrange(4)} {slot()}"),
    (4, lambda: f"search_eol {b()} {R.choice([0, 1, 2, 3, 4, 9])} {slot()} {R.randrange(4)}"),
    (5, lambda: f"ptr_set {b()} {R.randrange(4)} {size()} {R.choice([0, 0, 1, 1, 5])}"),
    (4, lambda: f"peek {b()} {R.choice([-1, -1, size(), 0])} {slot()} {R.randrange(8)}"),
    (4, lambda: f"pullup {b()} {R.choice([-1, size(), size(), 0])}"),
    (1, lambda: f"find {b()} {R.choice([1, 2, 3])} {R.randrange(40)}"),
    (3, lambda: f"expand {b()} {size()}"),
    (5, lambda: reserve()),
    (1, lambda: f"length {b()}"),
    (3, lambda: f"freeze {b()} {R.randrange(2)}"),
    (4, lambda: f"unfreeze {b()} {R.randrange(2)}"),
    (2, lambda: f"addcb {b()} {R.randrange(8)} {int(R.random() < 0.2)}"),
    (1, lambda: f"delcb {b()} {R.randrange(8)}"),
    (1, lambda: f"removecb {b()} {R.randrange(8)} {R.randrange(2)}"),
    (1, lambda: f"cbflags {b()} {R.randrange(8)} {R.randrange(2)} {R.choice([1, 2, 3, 0x10000])}"),
    (1, lambda: f"setcb {b()} {R.randrange(3)}"),
    (2, lambda: "add_iovec {} {} {} {}".format(b(), R.randrange(8), R.randrange(100), " ".join(str(size()) for _ in range(7)))),
    (1, lambda: addfile()),
    (1, lambda: segnew()),
    (2, lambda: f"segadd {b()} {R.randrange(4)} {R.choice([0, 5, 300])} {R.choice([-1, 0, 10, 700])}"),
    (1, lambda: f"sfile {b()} {R.randrange(4)} {R.choice([0, 5])} {R.choice([-1, 100])}"),
    (1, lambda: f"segfree {R.randrange(4)}"),
    (2, lambda: f"write {b()} {R.choice([-1, size(), 0])}"),
    # (howmuch 0 makes libevent assert when the last chain is full)
    (2, lambda: f"read {b()} {R.choice([0, size(), 5000])} {R.choice([-1, size() + 1])}"),
    (1, lambda: f"free {b()}"),
    (2, lambda: f"new {b()}"),
]


# The file is 100000 bytes: a segment must not reach past its end (mapped pages past EOF
# raise SIGBUS in both libraries).
def addfile():
    off = R.choice([0, 10, 5000])
    return f"add_file {b()} {off} {R.choice([-1, 0, 100, 3000]) if off == 0 else R.choice([0, 100, 3000])}"


def segnew():
    off = R.choice([0, 100, 4097])
    return f"segnew {R.randrange(4)} {off} {R.choice([-1, 0, 1000, 20000]) if off == 0 else R.choice([0, 1000, 20000])} {R.randrange(8)}"


def reserve():
    bb = b()
    n = R.choice([1, 1, 2, 2, 3, 0])
    # (size 0 with several extents makes libevent assert when the last chain is full)
    sz = R.choice([size() + 1, size() + 1, 0, -1]) if n == 1 else R.choice([size() + 1, -1])
    out = f"reserve {bb} {sz} {n}"
    if R.random() < 0.8:
        out += f"\ncommit {bb} {R.choice([0, 1, 2, 2, 3])} " + " ".join(str(R.choice([0, 0, 1, size()])) for _ in range(3))
    return out


weights = [w for w, _ in OPS]
fns = [f for _, f in OPS]
for _ in range(nops):
    print(R.choices(fns, weights)[0]())
