//! Build script: the shared library's SONAME and the C-variadic trampolines.

fn main() {
    // Programs linked against Debian's libevent record `libevent-2.1.so.7`; ours must answer
    // to the same name so the dynamic linker (and LD_PRELOAD) treat it as the same library.
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libevent-2.1.so.7");
    println!("cargo:rustc-check-cfg=cfg(evshim_unwind_tests)");
    println!("cargo:rerun-if-changed=src/ffi/variadic.c");
    println!("cargo:rerun-if-changed=src/buffer/format.c");
    cc::Build::new()
        .file("src/ffi/variadic.c")
        // evbuffer_add_vprintf's fast formatter (falls back to vsnprintf).
        .file("src/buffer/format.c")
        .flag_if_supported("-fvisibility=default")
        .warnings(true)
        .compile("evshim_variadic");
}
