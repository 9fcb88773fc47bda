#!/usr/bin/env bash
# Writes libevent.pc, libevent_core.pc, libevent_pthreads.pc and evshim.pc into OUTDIR so that
# `pkg-config --cflags --libs libevent` resolves to evshim.
# usage: tools/pkgconfig.sh PREFIX LIBDIR INCLUDEDIR OUTDIR EVSHIM_VERSION
set -euo pipefail
prefix=$1 libdir=$2 includedir=$3 out=$4 version=$5
mkdir -p "$out"
write() { # name libs description requires
  cat > "$out/$1.pc" <<PC
prefix=$prefix
exec_prefix=\${prefix}
libdir=$libdir
includedir=$includedir

Name: $1
Description: $3
Version: ${6:-2.1.12-stable}
Requires: $4
Conflicts:
Libs: -L\${libdir} $2
Libs.private:
Cflags: -I\${includedir}
PC
}
write libevent "-levent" "libevent 2.1 API, implemented by evshim (Rust)" ""
write libevent_core "-levent_core" "libevent 2.1 core API, implemented by evshim (Rust)" ""
write libevent_pthreads "-levent_pthreads -lpthread" "libevent 2.1 pthreads glue, implemented by evshim (Rust)" "libevent_core"
write evshim "-levent" "evshim: libevent 2.1's C ABI in Rust, with its extensions (evshim.h)" "" "$version"
