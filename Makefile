# evshim — see README.md. `make` builds build/lib and the header; `make demo`; `make test`.
CARGO ?= cargo
CC ?= cc
PREFIX ?= /usr/local
CBINDGEN ?= cbindgen
CARGO_TARGET_DIR ?= target
export CARGO_TARGET_DIR
RELEASE_SO := $(CARGO_TARGET_DIR)/release/libevshim.so
RELEASE_A := $(CARGO_TARGET_DIR)/release/libevshim.a
LIB := build/lib
GEN_HEADER := include/event2/evshim_generated.h
RUST_SRC := $(shell find src -name '*.rs' -o -name '*.c') Cargo.toml build.rs

.PHONY: all lib header check-header demo test bench install clean

all: lib

$(RELEASE_SO) $(RELEASE_A): $(RUST_SRC)
	$(CARGO) build --release --quiet
	@touch $(RELEASE_SO) $(RELEASE_A)

lib: $(RELEASE_SO)
	@mkdir -p $(LIB)
	cp -f $(RELEASE_SO) $(LIB)/libevent-2.1.so.7
	cp -f $(RELEASE_A) $(LIB)/libevent.a
	cd $(LIB) && for n in libevent_core-2.1.so.7 libevent_pthreads-2.1.so.7; do ln -sf libevent-2.1.so.7 $$n; done
	cd $(LIB) && ln -sf libevent-2.1.so.7 libevent.so && ln -sf libevent_core-2.1.so.7 libevent_core.so \
		&& ln -sf libevent_pthreads-2.1.so.7 libevent_pthreads.so

# The committed header is cbindgen's output; regenerate after changing exports.
header:
	$(CBINDGEN) --quiet --config cbindgen.toml --crate evshim --output $(GEN_HEADER)

check-header:
	@$(CBINDGEN) --quiet --config cbindgen.toml --crate evshim --output build/check-generated.h
	@cmp -s build/check-generated.h $(GEN_HEADER) || { echo "$(GEN_HEADER) is stale: run 'make header'"; diff -u $(GEN_HEADER) build/check-generated.h | head -40; exit 1; }
	@echo "header: $(GEN_HEADER) is up to date"

test: lib
	tests-c/run.sh

DEMO_BIN := build/demo/demo_core
$(DEMO_BIN): tests-c/demo/demo_core.c lib
	@mkdir -p build/demo
	$(CC) -O1 -g -Wall -Iinclude tests-c/demo/demo_core.c -o $@ -L$(LIB) -levent -levent_pthreads -lpthread \
		-Wl,-rpath,$(CURDIR)/$(LIB)

demo: $(DEMO_BIN)
	$(DEMO_BIN)

clean:
	$(CARGO) clean
	rm -rf build
