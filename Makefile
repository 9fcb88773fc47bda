# evshim — libevent 2.1's C ABI in Rust. See README.md.
#   make          build build/lib (the library under libevent's names, pkg-config files)
#   make demo     build and run the demonstration
#   make test     everything: header freshness, ABI checks, Rust tests, differential C suite
#   make bench    C benchmarks against libevent and evshim, ratios from one run
#   make install PREFIX=/usr/local [DESTDIR=...]    make uninstall (same variables) removes exactly that
#   make symbols  regenerate docs/symbols.md
CARGO ?= cargo
CBINDGEN ?= cbindgen
CBINDGEN_VERSION := 0.29.4
PREFIX ?= /usr/local
CARGO_TARGET_DIR ?= target
export CARGO_TARGET_DIR
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
RELEASE_SO := $(CARGO_TARGET_DIR)/release/libevshim.so
RELEASE_A := $(CARGO_TARGET_DIR)/release/libevshim.a
LIB := build/lib
GEN_HEADER := include/event2/evshim_generated.h
RUST_SRC := $(shell find src -name '*.rs' -o -name '*.c') Cargo.toml Cargo.lock build.rs
CHECK_BIN := $(CARGO_TARGET_DIR)/release/evshim-check
CHECK_SRC := $(shell find tools/evshim-check/src -name '*.rs') tools/evshim-check/Cargo.toml Cargo.toml Cargo.lock
STRIP ?= strip
FUZZ_OPS ?= 1000000

.PHONY: all lib tool uninstall install-test dropin-test real-programs-libevent header check-header check-symbols lint abi cargo-test ctest ctest-valgrind fuzz-quick fuzz miri pkgconfig-test real-programs \
	demo test bench install symbols clean

all: lib tool

$(RELEASE_SO): $(RUST_SRC)
	$(CARGO) build --release --quiet
	@touch $@

# One library file; every libevent name is a symlink to it, so a program that needs
# libevent_core and libevent_pthreads loads it once (one state, one SONAME).
lib: $(RELEASE_SO)
	@mkdir -p $(LIB)
	@cp -f $(RELEASE_SO) $(LIB)/libevent-2.1.so.7
	@cp -f $(RELEASE_A) $(LIB)/libevent.a
	@cd $(LIB) && for n in libevent_core-2.1.so.7 libevent_pthreads-2.1.so.7; do ln -sf libevent-2.1.so.7 $$n; done \
		&& ln -sf libevent-2.1.so.7 libevent.so && ln -sf libevent_core-2.1.so.7 libevent_core.so \
		&& ln -sf libevent_pthreads-2.1.so.7 libevent_pthreads.so \
		&& ln -sf libevent.a libevent_core.a && ln -sf libevent.a libevent_pthreads.a
	@tools/pkgconfig.sh $(CURDIR) $(CURDIR)/$(LIB) $(CURDIR)/include $(LIB)/pkgconfig $(VERSION)
	@echo "built $(LIB)/libevent-2.1.so.7 (evshim $(VERSION)); pkg-config files in $(LIB)/pkgconfig"

# evshim-check, beside build/lib as it is installed beside PREFIX/lib (it finds evshim in ../lib).
$(CHECK_BIN): $(CHECK_SRC)
	$(CARGO) build --release --quiet -p evshim-check
	@touch $@

tool: $(CHECK_BIN)
	@mkdir -p build/bin
	@cp -f $(CHECK_BIN) build/bin/evshim-check

# The committed header is cbindgen's output; regenerate after changing exports.
header:
	$(CBINDGEN) --quiet --config cbindgen.toml --crate evshim --output $(GEN_HEADER)

check-header:
	@$(CBINDGEN) --version | grep -q " $(CBINDGEN_VERSION)$$" || { echo "cbindgen $(CBINDGEN_VERSION) required (cargo install --locked cbindgen@$(CBINDGEN_VERSION))"; exit 1; }
	@mkdir -p build
	@$(CBINDGEN) --quiet --config cbindgen.toml --crate evshim --output build/check-generated.h
	@cmp -s build/check-generated.h $(GEN_HEADER) || { echo "FAIL: $(GEN_HEADER) is stale: run 'make header'"; diff -u $(GEN_HEADER) build/check-generated.h | head -40; exit 1; }
	@echo "header: $(GEN_HEADER) matches cbindgen's output"

abi: lib
	@tools/abi/check.sh

# rustfmt, and clippy with the crate's lints (every unsafe block has a SAFETY comment, every export a
# Safety section), warnings as errors.
lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --release --quiet --workspace -- -D warnings

# Rust unit tests. `cargo test` always unwinds, which src/lib.rs refuses unless told that
# this build is a test build (it is never shipped).
cargo-test:
	RUSTFLAGS="--cfg evshim_unwind_tests" RUSTDOCFLAGS="--cfg evshim_unwind_tests" $(CARGO) test --workspace --quiet --target-dir $(CARGO_TARGET_DIR)/unwind-tests

ctest: lib
	@tests-c/run.sh

# The C suite once more with the evshim builds under valgrind memcheck (memory errors and
# leaks fail; outputs must still equal libevent's). See tests-c/README.md.
ctest-valgrind: lib
	@VALGRIND=1 tests-c/run.sh

fuzz-quick: lib
	@if [ -x tools/fuzz/run.sh ]; then tools/fuzz/run.sh --quick; else echo "fuzz: no evbuffer fuzzer yet"; fi

fuzz: lib
	tools/fuzz/run.sh --ops $(FUZZ_OPS)

# The evbuffer core's Rust unit tests under Miri (needs a nightly toolchain with miri; not
# part of `make test`, since CI machines carry only the stable toolchain).
miri:
	RUSTFLAGS="--cfg evshim_unwind_tests" RUSTDOCFLAGS="--cfg evshim_unwind_tests" \
		$(CARGO) +nightly miri test --target-dir $(CARGO_TARGET_DIR)/miri --lib buffer

pkgconfig-test: lib
	@tests/pkgconfig/run.sh

# Unmodified binaries built against Debian's libevent, run on evshim (tests/real/README.md).
# `make real-programs-libevent` runs the same scripts against Debian's libevent (to check a
# script itself).
REAL_PROGRAMS := memcached openbsd-inetd nsd poolcounter gearmand tmux redsocks fstrm_capture lldpd
real-programs: lib tool
	@for p in $(REAL_PROGRAMS); do tests/real/$$p.sh || exit 1; done

real-programs-libevent: lib tool
	@for p in $(REAL_PROGRAMS); do EVSHIM_REAL=libevent tests/real/$$p.sh || exit 1; done

# Programs built here against Debian's libevent run on evshim both ways; evshim-check's
# verdicts on them; the load guard; evshim is inert when loaded.
dropin-test: lib tool
	@tests/dropin/run.sh

symbols: lib
	@tools/symbols.sh > docs/symbols.md && echo "wrote docs/symbols.md"

check-symbols: lib
	@tools/symbols.sh --check build/symbols.md
	@cmp -s build/symbols.md docs/symbols.md || { echo "FAIL: docs/symbols.md is stale: run 'make symbols'"; diff -u docs/symbols.md build/symbols.md | head -20; exit 1; }
	@echo "symbols: docs/symbols.md is up to date; every public core function outside the pending list is exported and tested"

demo: lib
	@tests-c/demo/run.sh

test: lib tool check-header check-symbols lint abi cargo-test ctest ctest-valgrind fuzz-quick pkgconfig-test install-test dropin-test real-programs
	@echo "make test: all checks passed"

bench: lib
	@bench/run.sh

# Installed like libevent: the library under its sonames with dev links, the headers, the
# pkg-config files and evshim-check. The installed files carry no debug info (build/lib's
# do). `make uninstall` with the same PREFIX/DESTDIR removes exactly these files.
INST_LIB := $(DESTDIR)$(PREFIX)/lib
INST_INC := $(DESTDIR)$(PREFIX)/include
INST_BIN := $(DESTDIR)$(PREFIX)/bin
SO_LINKS := libevent_core-2.1.so.7 libevent_pthreads-2.1.so.7 libevent.so libevent_core.so libevent_pthreads.so
A_LINKS := libevent_core.a libevent_pthreads.a
PC_FILES := libevent.pc libevent_core.pc libevent_pthreads.pc evshim.pc
EVENT2_HEADERS := $(notdir $(wildcard include/event2/*.h))
TOP_HEADERS := $(notdir $(wildcard include/*.h))

install: lib tool
	install -d $(INST_LIB)/pkgconfig $(INST_INC)/event2 $(INST_BIN)
	install -m 755 $(LIB)/libevent-2.1.so.7 $(INST_LIB)/
	$(STRIP) --strip-unneeded $(INST_LIB)/libevent-2.1.so.7
	install -m 644 $(LIB)/libevent.a $(INST_LIB)/
	$(STRIP) --strip-debug $(INST_LIB)/libevent.a
	cd $(INST_LIB) && for n in libevent_core-2.1.so.7 libevent_pthreads-2.1.so.7; do ln -sf libevent-2.1.so.7 $$n; done \
		&& ln -sf libevent-2.1.so.7 libevent.so && ln -sf libevent_core-2.1.so.7 libevent_core.so \
		&& ln -sf libevent_pthreads-2.1.so.7 libevent_pthreads.so \
		&& ln -sf libevent.a libevent_core.a && ln -sf libevent.a libevent_pthreads.a
	install -m 644 $(addprefix include/event2/,$(EVENT2_HEADERS)) $(INST_INC)/event2/
	install -m 644 $(addprefix include/,$(TOP_HEADERS)) $(INST_INC)/
	tools/pkgconfig.sh $(PREFIX) $(PREFIX)/lib $(PREFIX)/include $(INST_LIB)/pkgconfig $(VERSION)
	install -m 755 build/bin/evshim-check $(INST_BIN)/
	$(STRIP) $(INST_BIN)/evshim-check

uninstall:
	rm -f $(INST_LIB)/libevent-2.1.so.7 $(addprefix $(INST_LIB)/,$(SO_LINKS)) $(INST_LIB)/libevent.a \
		$(addprefix $(INST_LIB)/,$(A_LINKS)) $(addprefix $(INST_LIB)/pkgconfig/,$(PC_FILES)) \
		$(addprefix $(INST_INC)/event2/,$(EVENT2_HEADERS)) $(addprefix $(INST_INC)/,$(TOP_HEADERS)) \
		$(INST_BIN)/evshim-check
	-rmdir $(INST_INC)/event2 2> /dev/null

# install + uninstall in a temporary DESTDIR: the file list, no debug info, a program built
# with the installed pkg-config files, the installed evshim-check, nothing left behind.
install-test: lib tool
	@tests/install/run.sh

clean:
	$(CARGO) clean
	rm -rf build
