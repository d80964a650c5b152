//! What the operating system tells about a process, and the language its user
//! reads, asked the same way on Linux, macOS and Windows: the one place in the
//! workspace where code differs from one system to another.
//!
//! Linux answers through the files of `/proc`, macOS through `libproc` and
//! `getrusage`, Windows through its process and thread functions. Where a
//! system has no answer, a function returns `None`, and its caller says so in
//! words rather than guessing.
//!
//! # Layout
//! - [`cpu`]: the CPU time a process, each of its threads, or its finished
//!   children used: how the exercise checks see that work ran in parallel.
//! - [`memory`]: how much memory this process holds, and held at most.
//! - [`limits`]: what the system lets this process use (address space, open
//!   files, areas of memory, threads), and one heap for a limited address
//!   space.
//! - [`group`]: a program started with everything it starts in a group, so
//!   that all of it can be ended at once.
//! - [`locale`]: the language the user reads.
//! - [`network`]: the addresses others on this machine's networks may reach
//!   it at.

pub mod cpu;
pub mod group;
pub mod limits;
pub mod locale;
pub mod memory;
pub mod network;

/// The first whole number after the label `name` in a `/proc` status file.
#[cfg(target_os = "linux")]
fn status_field(path: &str, name: &str) -> Option<u64> {
    let status = std::fs::read_to_string(path).ok()?;
    let line = status.lines().find(|line| line.starts_with(name))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A Windows handle, closed when dropped.
#[cfg(windows)]
#[derive(Debug)]
pub(crate) struct Handle(windows_sys::Win32::Foundation::HANDLE);

#[cfg(windows)]
#[allow(unsafe_code)] // The Windows API is C functions.
impl Handle {
    /// The handle a call returned, if it is one (calls fail with a null
    /// handle, or with INVALID_HANDLE_VALUE).
    pub(crate) fn new(
        raw: windows_sys::Win32::Foundation::HANDLE,
    ) -> Option<Handle> {
        let invalid = windows_sys::Win32::Foundation::INVALID_HANDLE_VALUE;
        (!raw.is_null() && raw != invalid).then_some(Handle(raw))
    }

    pub(crate) fn raw(&self) -> windows_sys::Win32::Foundation::HANDLE {
        self.0
    }
}

#[cfg(windows)]
#[allow(unsafe_code)] // The Windows API is C functions.
impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: a handle of ours, closed once.
        unsafe { windows_sys::Win32::Foundation::CloseHandle(self.0) };
    }
}
