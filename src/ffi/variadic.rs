//! C-variadic exports. Stable Rust cannot define `fn f(fmt, ...)`, and symbols from the C
//! objects built by build.rs are hidden by rustc's export list, so each export here is a
//! naked Rust function that tail-jumps to its C twin in `variadic.c`. A tail jump leaves the
//! caller's registers and stack untouched (including %al, the vector-register count the
//! x86-64 ABI passes to variadic callees), so the C function sees the original call.
//! Their prototypes are hand-written in the headers (cbindgen cannot express `...`).

macro_rules! variadic_trampoline {
    ($name:ident => $target:ident) => {
        extern "C" {
            fn $target();
        }
        /// C-variadic; see the module docs.
        ///
        /// # Safety
        /// Called from C with the prototype in the public header; the format string and the
        /// arguments must match, as for `printf`.
        #[unsafe(naked)]
        #[no_mangle]
        pub unsafe extern "C" fn $name() {
            #[cfg(target_arch = "x86_64")]
            core::arch::naked_asm!("jmp {}@PLT", sym $target);
            #[cfg(target_arch = "aarch64")]
            core::arch::naked_asm!("b {}", sym $target);
        }
    };
}

variadic_trampoline!(evutil_snprintf => evshim_c_evutil_snprintf);
variadic_trampoline!(evbuffer_add_printf => evshim_c_evbuffer_add_printf);
