//! Temporary stand-in for `signal.rs` (being written on the `signal` branch) with the same
//! API; replaced when that lands. It refuses every signal, so signal events fail to add.

use std::ffi::c_int;
use std::io;
use std::os::fd::RawFd;

pub(crate) const NSIG: usize = 65;

pub(crate) struct SignalRegistry;

impl SignalRegistry {
    pub(crate) fn new() -> io::Result<Self> {
        Err(io::Error::new(io::ErrorKind::Unsupported, "signals not available yet"))
    }
    pub(crate) fn read_fd(&self) -> RawFd {
        -1
    }
    pub(crate) fn add(&mut self, _signo: c_int) -> Result<(), ()> {
        Err(())
    }
    pub(crate) fn del(&mut self, _signo: c_int) {}
    pub(crate) fn drain(&mut self, _out: &mut Vec<(c_int, u32)>) {}
    pub(crate) fn reinit(&mut self) -> io::Result<()> {
        Ok(())
    }
}
