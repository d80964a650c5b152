//! Memory: how much of it this process holds now, and held at most; and the
//! most another process held.
//!
//! ```
//! if let (Some(now), Some(peak)) = (platform::memory::resident_kb(), platform::memory::peak_kb()) {
//!     assert!(peak >= now / 2); // the peak was read a moment later
//! }
//! ```

/// The most memory this process has held at once, in KiB: its peak resident
/// set (Linux, macOS) or working set (Windows).
pub fn peak_kb() -> Option<u64> {
    os::peak_kb()
}

/// The most memory the process `pid` has held at once, in KiB, as
/// [`peak_kb`] counts it for this one: how `compare` measures a `serve`.
///
/// ```
/// let me = std::process::id();
/// let (mine, asked) = (platform::memory::peak_kb(), platform::memory::peak_kb_of(me));
/// assert_eq!(mine.is_some(), asked.is_some());
/// if let (Some(mine), Some(asked)) = (mine, asked) {
///     assert!(asked >= mine / 2 && asked <= mine * 2, "{asked} against {mine}");
/// }
/// ```
pub fn peak_kb_of(pid: u32) -> Option<u64> {
    os::peak_kb_of(pid)
}

/// The memory this process holds now, in KiB: its resident set, or working
/// set.
pub fn resident_kb() -> Option<u64> {
    os::resident_kb()
}

/// The address space this process has reserved now, in KiB, stacks and
/// memory not yet touched included; `None` on Windows, which counts only
/// what it has committed.
pub fn address_space_kb() -> Option<u64> {
    os::address_space_kb()
}

#[cfg(target_os = "linux")]
mod os {
    use crate::status_field;

    pub fn peak_kb() -> Option<u64> {
        status_field("/proc/self/status", "VmHWM:")
    }

    pub fn peak_kb_of(pid: u32) -> Option<u64> {
        status_field(&format!("/proc/{pid}/status"), "VmHWM:")
    }

    pub fn resident_kb() -> Option<u64> {
        status_field("/proc/self/status", "VmRSS:")
    }

    pub fn address_space_kb() -> Option<u64> {
        status_field("/proc/self/status", "VmSize:")
    }
}

#[cfg(target_os = "macos")]
#[allow(unsafe_code)] // getrusage and libproc are C functions.
mod os {
    use std::mem;

    use libc::{c_int, c_void};

    pub fn peak_kb() -> Option<u64> {
        // macOS counts ru_maxrss in bytes (Linux, in KiB).
        let bytes = rusage(libc::RUSAGE_SELF)?.ru_maxrss;
        u64::try_from(bytes).ok().map(|bytes| bytes / 1024)
    }

    pub fn peak_kb_of(pid: u32) -> Option<u64> {
        let pid = c_int::try_from(pid).ok()?;
        // SAFETY: rusage_info_v4 is plain data; the call fills the whole
        // struct of the flavour it is asked for.
        let mut info: libc::rusage_info_v4 = unsafe { mem::zeroed() };
        let buffer = (&raw mut info).cast::<libc::rusage_info_t>();
        // SAFETY: a buffer of the flavour asked for.
        let asked =
            unsafe { libc::proc_pid_rusage(pid, libc::RUSAGE_INFO_V4, buffer) };
        (asked == 0).then_some(info.ri_lifetime_max_phys_footprint / 1024)
    }

    pub fn resident_kb() -> Option<u64> {
        task().map(|task| task.pti_resident_size / 1024)
    }

    pub fn address_space_kb() -> Option<u64> {
        task().map(|task| task.pti_virtual_size / 1024)
    }

    /// This process's task information.
    fn task() -> Option<libc::proc_taskinfo> {
        // SAFETY: proc_taskinfo is plain data; the call writes at most `size`
        // bytes into it.
        let mut info: libc::proc_taskinfo = unsafe { mem::zeroed() };
        let size = c_int::try_from(mem::size_of_val(&info)).ok()?;
        // SAFETY: as above.
        let got = unsafe {
            libc::proc_pidinfo(
                libc::getpid(),
                libc::PROC_PIDTASKINFO,
                0,
                (&raw mut info).cast::<c_void>(),
                size,
            )
        };
        (got == size).then_some(info)
    }

    /// `getrusage` for this process (`RUSAGE_SELF`) or the children it has
    /// waited for (`RUSAGE_CHILDREN`).
    pub(crate) fn rusage(who: c_int) -> Option<libc::rusage> {
        // SAFETY: rusage is plain data, which the call fills.
        let mut usage: libc::rusage = unsafe { mem::zeroed() };
        // SAFETY: as above.
        (unsafe { libc::getrusage(who, &raw mut usage) } == 0).then_some(usage)
    }
}

#[cfg(target_os = "macos")]
pub(crate) use os::rusage;

#[cfg(windows)]
#[allow(unsafe_code)] // The Windows API is C functions.
mod os {
    use windows_sys::Win32::{
        Foundation::HANDLE,
        System::{
            ProcessStatus::{K32GetProcessMemoryInfo, PROCESS_MEMORY_COUNTERS},
            Threading::{
                GetCurrentProcess, OpenProcess, PROCESS_QUERY_LIMITED_INFORMATION,
            },
        },
    };

    use crate::Handle;

    pub fn peak_kb() -> Option<u64> {
        // SAFETY: the current process's pseudo-handle, which needs no closing.
        let me = unsafe { GetCurrentProcess() };
        counters(me).map(|counters| counters.PeakWorkingSetSize as u64 / 1024)
    }

    pub fn peak_kb_of(pid: u32) -> Option<u64> {
        // SAFETY: opening a process by id; a null handle on failure.
        let process = Handle::new(unsafe {
            OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid)
        })?;
        let counters = counters(process.raw())?;
        Some(counters.PeakWorkingSetSize as u64 / 1024)
    }

    pub fn resident_kb() -> Option<u64> {
        // SAFETY: as in `peak_kb`.
        let me = unsafe { GetCurrentProcess() };
        counters(me).map(|counters| counters.WorkingSetSize as u64 / 1024)
    }

    pub fn address_space_kb() -> Option<u64> {
        None
    }

    /// The memory counters of the process `process` is a handle to.
    fn counters(process: HANDLE) -> Option<PROCESS_MEMORY_COUNTERS> {
        let size = std::mem::size_of::<PROCESS_MEMORY_COUNTERS>() as u32;
        let mut counters =
            PROCESS_MEMORY_COUNTERS { cb: size, ..Default::default() };
        // SAFETY: a handle to a process, and a struct of the size the call is
        // told.
        let ok = unsafe { K32GetProcessMemoryInfo(process, &mut counters, size) };
        (ok != 0).then_some(counters)
    }
}

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
mod os {
    pub fn peak_kb() -> Option<u64> {
        None
    }

    pub fn resident_kb() -> Option<u64> {
        None
    }

    pub fn address_space_kb() -> Option<u64> {
        None
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn memory_touched_raises_the_peak() {
        let before = super::peak_kb().expect("the peak");
        let mut block = vec![1_u8; 64 << 20];
        block[12345] = 2;
        std::hint::black_box(&block);
        let now = super::resident_kb().expect("the resident size");
        let after = super::peak_kb().expect("the peak");
        assert!(now >= 64 << 10, "{now} KiB");
        assert!(after >= before.max(now), "{before} KiB, then {after} KiB");
    }
}
