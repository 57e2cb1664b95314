//! The `unknot` binary's memory allocator, chosen once per process.
//!
//! Under load the clinic server spent about a third of its time in glibc's `malloc` and `free`,
//! and with mimalloc it answered the dashboard about a fifth faster (docs/PERFORMANCE.md, "The
//! allocator"). The same binary is also the local journal, the reminder that runs all day and the
//! local web app, and there mimalloc cost more than it gave: `trends` peaked at twice the
//! memory and `log` ran more instructions. So the choice is made per process, from its command
//! line: `unknot clinic serve` gets mimalloc, everything else the system's allocator.
//!
//! The choice must be made before the first allocation and never change, or a block would be
//! freed by the allocator that did not make it. glibc calls the functions in an executable's
//! `.init_array` with `argc` and `argv` before `main`, and Rust code allocates nothing before
//! `main`; [`choose`] runs there. As a guard, a process that has already allocated through the
//! system allocator by then keeps it for its whole life. Elsewhere (another C library, another
//! system) nothing is chosen and the system allocator is used.

#![deny(missing_docs)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

use mimalloc::MiMalloc;

/// Set once, before `main` and before any allocation, when this process uses mimalloc; never
/// changed afterwards (only one thread exists while it is set, so `Relaxed` is enough: every
/// later thread is started after it).
static MIMALLOC: AtomicBool = AtomicBool::new(false);

/// Set by the first allocation through the system allocator: from then on the choice is fixed.
static ALLOCATED: AtomicBool = AtomicBool::new(false);

/// The environment variable that keeps the system allocator for a clinic server too
/// (`UNKNOT_ALLOCATOR=system`), for comparing the two on the same binary or should mimalloc
/// misbehave on some system.
pub const OVERRIDE: &str = "UNKNOT_ALLOCATOR";

/// The global allocator of the `unknot` binary: mimalloc for the clinic server, the system's
/// for every other command.
#[derive(Debug, Clone, Copy, Default)]
pub struct PerProcess;

impl PerProcess {
    /// The allocator this process uses: `"mimalloc"` or `"system"`.
    #[must_use]
    pub fn name() -> &'static str {
        if MIMALLOC.load(Relaxed) {
            "mimalloc"
        } else {
            "system"
        }
    }
}

/// Notes that the system allocator has been used, which fixes the choice.
fn system_used() {
    if !ALLOCATED.load(Relaxed) {
        ALLOCATED.store(true, Relaxed);
    }
}

// SAFETY: every call goes to one of two allocators that each uphold `GlobalAlloc`'s contract,
// and all calls of a process go to the same one: `MIMALLOC` is only set before the first
// allocation (see `choose`) and never cleared.
unsafe impl GlobalAlloc for PerProcess {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if MIMALLOC.load(Relaxed) {
            // SAFETY: the caller's contract is passed on unchanged.
            unsafe { MiMalloc.alloc(layout) }
        } else {
            system_used();
            // SAFETY: as above.
            unsafe { System.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if MIMALLOC.load(Relaxed) {
            // SAFETY: the caller's contract is passed on unchanged.
            unsafe { MiMalloc.alloc_zeroed(layout) }
        } else {
            system_used();
            // SAFETY: as above.
            unsafe { System.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if MIMALLOC.load(Relaxed) {
            // SAFETY: `ptr` came from this allocator, which for this process is mimalloc.
            unsafe { MiMalloc.dealloc(ptr, layout) }
        } else {
            // SAFETY: `ptr` came from this allocator, which for this process is the system's.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if MIMALLOC.load(Relaxed) {
            // SAFETY: `ptr` came from mimalloc (see `dealloc`); the rest is the caller's.
            unsafe { MiMalloc.realloc(ptr, layout, new_size) }
        } else {
            // SAFETY: `ptr` came from the system allocator; the rest is the caller's.
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }
}

/// Whether a command line (without the program's name) starts the clinic server: `clinic`
/// and, after it, `serve`, whatever options come between. A note that happens to hold both
/// words only picks mimalloc for that one command, which works the same either way.
pub fn runs_clinic_server<'a>(args: impl IntoIterator<Item = &'a [u8]>) -> bool {
    let mut args = args.into_iter().skip_while(|a| *a != b"clinic");
    args.next().is_some() && args.any(|a| a == b"serve")
}

/// Whether the environment keeps the system allocator (`UNKNOT_ALLOCATOR=system`).
pub fn system_asked<'a>(env: impl IntoIterator<Item = &'a [u8]>) -> bool {
    // Compared in place: this runs before the choice, where an allocation would fix it.
    env.into_iter()
        .any(|v| v.strip_prefix(OVERRIDE.as_bytes()) == Some(b"=system".as_slice()))
}

/// Picks the allocator from the command line and environment, if nothing has been allocated
/// yet. Called by glibc before `main` (see the module's documentation).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod choose {
    use std::ffi::{CStr, c_char, c_int};
    use std::sync::atomic::Ordering::Relaxed;

    /// The C strings of a NULL-terminated array, such as `argv` or `envp`.
    ///
    /// # Safety
    /// `list` must be null or point to an array of NUL-terminated strings ended by a null
    /// pointer, all alive and unchanged while the iterator is used.
    unsafe fn strings<'a>(list: *const *const c_char) -> impl Iterator<Item = &'a [u8]> {
        let mut at = list;
        std::iter::from_fn(move || {
            if at.is_null() {
                return None;
            }
            // SAFETY: `at` is within the array, which is ended by a null pointer (checked
            // before moving past it).
            let s = unsafe { *at };
            if s.is_null() {
                at = std::ptr::null();
                return None;
            }
            // SAFETY: as above; `s` is one of the array's NUL-terminated strings.
            at = unsafe { at.add(1) };
            // SAFETY: `s` is a NUL-terminated string that lives as long as the process.
            Some(unsafe { CStr::from_ptr(s) }.to_bytes())
        })
    }

    extern "C" fn choose(_argc: c_int, argv: *const *const c_char, envp: *const *const c_char) {
        if super::ALLOCATED.load(Relaxed) || argv.is_null() {
            return;
        }
        // SAFETY: glibc passes the process's own argv and envp, both NULL-terminated arrays
        // of NUL-terminated strings that live as long as the process. Reading them allocates
        // nothing.
        let (args, env) = unsafe { (strings(argv).skip(1), strings(envp)) };
        // Checked again last: should anything above ever allocate, the choice stays put.
        if super::runs_clinic_server(args)
            && !super::system_asked(env)
            && !super::ALLOCATED.load(Relaxed)
        {
            super::MIMALLOC.store(true, Relaxed);
        }
    }

    /// The entry glibc calls before `main`. Kept by the linker however little else of this
    /// crate is used: the `.init_array` section is always kept.
    #[used]
    #[unsafe(link_section = ".init_array")]
    static CHOOSE: extern "C" fn(c_int, *const *const c_char, *const *const c_char) = choose;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<&[u8]> {
        line.split_whitespace().map(str::as_bytes).collect()
    }

    #[test]
    fn only_the_clinic_server_is_picked() {
        assert!(runs_clinic_server(words("clinic serve")));
        assert!(runs_clinic_server(words(
            "--data-dir /x clinic serve --database-url postgres://h/db"
        )));
        assert!(!runs_clinic_server(words("serve")));
        assert!(!runs_clinic_server(words("clinic invite")));
        assert!(!runs_clinic_server(words("serve clinic")));
        assert!(!runs_clinic_server(words("log --pain 4")));
        assert!(!runs_clinic_server(words("")));
    }

    #[test]
    fn the_override_keeps_the_system_allocator() {
        assert!(system_asked(words("HOME=/root UNKNOT_ALLOCATOR=system")));
        assert!(!system_asked(words("UNKNOT_ALLOCATOR=mimalloc")));
        assert!(!system_asked(words("UNKNOT_ALLOCATOR=systemd")));
        assert!(!system_asked(words("")));
    }
}
