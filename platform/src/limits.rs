//! Limits: what the system lets this process use, where it sets one.
//!
//! ```
//! // Each download at once needs a connection, and each connection a file.
//! if let Some(files) = platform::limits::raise_open_files() {
//!     assert!(files > 0);
//! }
//! ```

/// The address space this process may use, in bytes (`ulimit -v`); `None`
/// where there is no such limit (Windows), or none is set.
pub fn address_space() -> Option<u64> {
    os::address_space()
}

/// Raises the number of files this process may open as far as the system
/// allows, and says what it is now.
pub fn raise_open_files() -> Option<u64> {
    rlimit::increase_nofile_limit(u64::MAX).ok()
}

/// How many threads and processes this user may run at once (`ulimit -u`);
/// `None` where the system sets no such limit (Windows), or none is set.
pub fn threads() -> Option<u64> {
    os::threads()
}

/// Keeps this process's memory in one heap. glibc's `malloc` otherwise
/// reserves 64 MiB of address space for each thread that allocates (up to
/// eight per core): under a limit of address space (`ulimit -v`), those
/// reservations, not the memory used, run out first, and an allocation
/// fails with most of the limit unused. Call it before starting a thread.
/// Other systems' allocators reserve nothing of the kind: there it does
/// nothing.
pub fn one_heap() {
    os::one_heap()
}

/// How many areas of memory a process may map (Linux's `vm.max_map_count`);
/// `None` where the system sets no such limit.
pub fn memory_maps() -> Option<u64> {
    os::memory_maps()
}

#[cfg(unix)]
mod os {
    pub fn address_space() -> Option<u64> {
        let (soft, _) = rlimit::getrlimit(rlimit::Resource::AS).ok()?;
        (soft != rlimit::INFINITY).then_some(soft)
    }

    pub fn threads() -> Option<u64> {
        let (soft, _) = rlimit::getrlimit(rlimit::Resource::NPROC).ok()?;
        (soft != rlimit::INFINITY).then_some(soft)
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)] // mallopt is a C function.
    pub fn one_heap() {
        // SAFETY: mallopt takes two integers and only changes how later
        // allocations are placed; M_ARENA_MAX is one of its options.
        unsafe { libc::mallopt(libc::M_ARENA_MAX, 1) };
    }

    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    pub fn one_heap() {}

    pub fn memory_maps() -> Option<u64> {
        let maps = std::fs::read_to_string("/proc/sys/vm/max_map_count").ok()?;
        maps.trim().parse().ok()
    }
}

#[cfg(not(unix))]
mod os {
    pub fn address_space() -> Option<u64> {
        None
    }

    pub fn threads() -> Option<u64> {
        None
    }

    pub fn one_heap() {}

    pub fn memory_maps() -> Option<u64> {
        None
    }
}
