# evshim — libevent 2.1's C ABI in Rust. See README.md.
#   make          build build/lib (the library under libevent's names, pkg-config files)
#   make demo     build and run the demonstration
#   make test     everything: header freshness, ABI checks, Rust tests, differential C suite
#   make bench    C benchmarks against libevent and evshim, ratios from one run
#   make install PREFIX=/usr/local
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
FUZZ_OPS ?= 1000000

.PHONY: all lib header check-header check-symbols lint abi cargo-test ctest fuzz-quick fuzz miri pkgconfig-test real-programs \
	demo test bench install symbols clean

all: lib

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
	$(CARGO) fmt --check
	$(CARGO) clippy --release --quiet -- -D warnings

# Rust unit tests. `cargo test` always unwinds, which src/lib.rs refuses unless told that
# this build is a test build (it is never shipped).
cargo-test:
	RUSTFLAGS="--cfg evshim_unwind_tests" RUSTDOCFLAGS="--cfg evshim_unwind_tests" $(CARGO) test --quiet --target-dir $(CARGO_TARGET_DIR)/unwind-tests

ctest: lib
	@tests-c/run.sh

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

# Unmodified binaries built against Debian's libevent, run with LD_PRELOAD=evshim.
real-programs: lib
	@tests/real/memcached.sh

symbols: lib
	@tools/symbols.sh > docs/symbols.md && echo "wrote docs/symbols.md"

check-symbols: lib
	@tools/symbols.sh > build/symbols.md
	@cmp -s build/symbols.md docs/symbols.md || { echo "FAIL: docs/symbols.md is stale: run 'make symbols'"; diff -u docs/symbols.md build/symbols.md | head -20; exit 1; }
	@echo "symbols: docs/symbols.md is up to date ($$(sed -n 's/ functions exported.//p' docs/symbols.md))"

demo: lib
	@tests-c/demo/run.sh

test: lib check-header check-symbols lint abi cargo-test ctest fuzz-quick pkgconfig-test real-programs
	@echo "make test: all checks passed"

bench: lib
	@bench/run.sh

install: lib
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/event2 $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 755 $(LIB)/libevent-2.1.so.7 $(DESTDIR)$(PREFIX)/lib/
	install -m 644 $(LIB)/libevent.a $(DESTDIR)$(PREFIX)/lib/
	cd $(DESTDIR)$(PREFIX)/lib && for n in libevent_core-2.1.so.7 libevent_pthreads-2.1.so.7; do ln -sf libevent-2.1.so.7 $$n; done \
		&& ln -sf libevent-2.1.so.7 libevent.so && ln -sf libevent_core-2.1.so.7 libevent_core.so \
		&& ln -sf libevent_pthreads-2.1.so.7 libevent_pthreads.so \
		&& ln -sf libevent.a libevent_core.a && ln -sf libevent.a libevent_pthreads.a
	install -m 644 include/event2/*.h $(DESTDIR)$(PREFIX)/include/event2/
	install -m 644 $(wildcard include/*.h) $(DESTDIR)$(PREFIX)/include/
	tools/pkgconfig.sh $(PREFIX) $(PREFIX)/lib $(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig $(VERSION)

clean:
	$(CARGO) clean
	rm -rf build
