//! CPU time: how long a process, or each of its threads, has run on a CPU.
//!
//! Every system counts it per thread, which is what tells parallel work from
//! work that only waited: two threads that each ran 0.4 s during one second
//! ran side by side, even on a machine so busy that neither got a CPU of its
//! own. The units differ from system to system; these functions all answer in
//! time.
//!
//! ```
//! let me = std::process::id();
//! if let Some(threads) = platform::cpu::threads(me) {
//!     assert!(!threads.is_empty()); // this thread, at least
//! }
//! ```

use std::time::Duration;

/// Each thread of process `pid` and the CPU time it has used so far, by
/// thread id; `None` once the process is gone, or where the system does not
/// say.
pub fn threads(pid: u32) -> Option<Vec<(u64, Duration)>> {
    os::threads(pid).filter(|threads| !threads.is_empty())
}

/// The CPU time process `pid` has used so far, all its threads together.
pub fn process(pid: u32) -> Option<Duration> {
    os::process(pid)
}

/// The CPU time used by the children this process has waited for, and by
/// theirs; `None` where the system keeps no such count (Windows).
pub fn children() -> Option<Duration> {
    os::children()
}

#[cfg(target_os = "linux")]
mod os {
    use std::{fs, time::Duration};

    /// Each thread's `schedstat`: nanoseconds on a CPU, then waiting for one.
    pub fn threads(pid: u32) -> Option<Vec<(u64, Duration)>> {
        let tasks = fs::read_dir(format!("/proc/{pid}/task")).ok()?;
        let threads = tasks.filter_map(Result::ok).filter_map(|task| {
            let tid = task.file_name().to_str()?.parse().ok()?;
            let schedstat =
                fs::read_to_string(task.path().join("schedstat")).ok()?;
            let ns = schedstat.split_whitespace().next()?.parse().ok()?;
            Some((tid, Duration::from_nanos(ns)))
        });
        Some(threads.collect())
    }

    pub fn process(pid: u32) -> Option<Duration> {
        let [user, system, _, _] = stat(&format!("/proc/{pid}/stat"))?;
        Some(user + system)
    }

    pub fn children() -> Option<Duration> {
        let [_, _, user, system] = stat("/proc/self/stat")?;
        Some(user + system)
    }

    /// utime, stime, cutime and cstime of a `stat` file: the 12th to 15th
    /// fields after the command's closing parenthesis, in ticks of 10 ms.
    fn stat(path: &str) -> Option<[Duration; 4]> {
        let stat = fs::read_to_string(path).ok()?;
        let fields = stat.rsplit_once(')')?.1.split_whitespace().skip(11);
        let mut times = fields.take(4).map(|ticks| {
            ticks.parse().ok().map(|ticks: u64| Duration::from_millis(ticks * 10))
        });
        let mut next = || times.next().flatten();
        Some([next()?, next()?, next()?, next()?])
    }
}

#[cfg(target_os = "macos")]
#[allow(unsafe_code)] // libproc and getrusage are C functions.
mod os {
    use std::{mem, time::Duration};

    use libc::{c_int, c_void};

    /// `proc_pidinfo`'s flavour that lists a process's threads (not in libc).
    const PROC_PIDLISTTHREADS: c_int = 6;

    pub fn threads(pid: u32) -> Option<Vec<(u64, Duration)>> {
        let pid = c_int::try_from(pid).ok()?;
        let mut handles = vec![0_u64; 4096];
        let room = c_int::try_from(handles.len() * 8).ok()?;
        // SAFETY: the buffer holds `room` bytes, and the call writes at most
        // that many.
        let written = unsafe {
            libc::proc_pidinfo(
                pid,
                PROC_PIDLISTTHREADS,
                0,
                handles.as_mut_ptr().cast::<c_void>(),
                room,
            )
        };
        handles.truncate(usize::try_from(written).ok()? / 8);
        let threads = handles.into_iter().filter_map(|handle| {
            // SAFETY: proc_threadinfo is plain data, for which zeroes are a
            // value; the call writes at most `size` bytes into it.
            let mut info: libc::proc_threadinfo = unsafe { mem::zeroed() };
            let size = c_int::try_from(mem::size_of_val(&info)).ok()?;
            // SAFETY: as above.
            let got = unsafe {
                libc::proc_pidinfo(
                    pid,
                    libc::PROC_PIDTHREADINFO,
                    handle,
                    (&raw mut info).cast::<c_void>(),
                    size,
                )
            };
            // The thread's times come in nanoseconds (the kernel fills them
            // from seconds and microseconds).
            let ns = info.pth_user_time + info.pth_system_time;
            (got == size).then_some((handle, Duration::from_nanos(ns)))
        });
        Some(threads.collect())
    }

    pub fn process(pid: u32) -> Option<Duration> {
        let pid = c_int::try_from(pid).ok()?;
        // SAFETY: rusage_info_v2 is plain data; the call fills the whole
        // struct of the flavour it is asked for.
        let mut info: libc::rusage_info_v2 = unsafe { mem::zeroed() };
        let buffer = (&raw mut info).cast::<libc::rusage_info_t>();
        // SAFETY: a buffer of the flavour asked for.
        if unsafe { libc::proc_pid_rusage(pid, libc::RUSAGE_INFO_V2, buffer) } != 0 {
            return None;
        }
        // These count ticks of the machine's clock, not nanoseconds (on Apple
        // silicon, 24 million a second), even for a program run by Rosetta.
        let ticks = u128::from(info.ri_user_time + info.ri_system_time);
        let ns = ticks * 1_000_000_000 / u128::from(ticks_a_second()?.max(1));
        Some(Duration::from_nanos(u64::try_from(ns).ok()?))
    }

    /// The machine's clock ticks a second: `sysctl hw.tbfrequency`.
    fn ticks_a_second() -> Option<u64> {
        let mut frequency = 0_u64;
        let mut size = mem::size_of_val(&frequency);
        // SAFETY: a NUL-terminated name, and a u64 for the value, of the size
        // the call is told.
        let failed = unsafe {
            libc::sysctlbyname(
                c"hw.tbfrequency".as_ptr(),
                (&raw mut frequency).cast::<c_void>(),
                &raw mut size,
                std::ptr::null_mut(),
                0,
            )
        };
        (failed == 0).then_some(frequency)
    }

    pub fn children() -> Option<Duration> {
        let usage = crate::memory::rusage(libc::RUSAGE_CHILDREN)?;
        let time = |t: libc::timeval| {
            Duration::from_secs(t.tv_sec as u64)
                + Duration::from_micros(t.tv_usec as u64)
        };
        Some(time(usage.ru_utime) + time(usage.ru_stime))
    }
}

#[cfg(windows)]
#[allow(unsafe_code)] // The Windows API is C functions.
mod os {
    use std::time::Duration;

    use windows_sys::Win32::{
        Foundation::FILETIME,
        System::{
            Diagnostics::ToolHelp::{
                CreateToolhelp32Snapshot, TH32CS_SNAPTHREAD, THREADENTRY32,
                Thread32First, Thread32Next,
            },
            Threading::{
                GetProcessTimes, GetThreadTimes, OpenProcess, OpenThread,
                PROCESS_QUERY_LIMITED_INFORMATION, THREAD_QUERY_LIMITED_INFORMATION,
            },
        },
    };

    use crate::Handle;

    pub fn threads(pid: u32) -> Option<Vec<(u64, Duration)>> {
        // SAFETY: a snapshot of every thread of the system; no pointers.
        let snapshot =
            Handle::new(unsafe { CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0) })?;
        let mut entry = THREADENTRY32 {
            dwSize: std::mem::size_of::<THREADENTRY32>() as u32,
            ..Default::default()
        };
        let mut threads = Vec::new();
        // SAFETY: `entry` is a THREADENTRY32 whose dwSize says so, as both
        // calls require.
        let mut more = unsafe { Thread32First(snapshot.raw(), &mut entry) } != 0;
        while more {
            if entry.th32OwnerProcessID == pid {
                // SAFETY: opening a thread by id; a null handle on failure.
                let thread = Handle::new(unsafe {
                    OpenThread(
                        THREAD_QUERY_LIMITED_INFORMATION,
                        0,
                        entry.th32ThreadID,
                    )
                });
                let time = thread.and_then(|thread| {
                    // SAFETY: four FILETIMEs for the call to fill.
                    times(|c, e, k, u| unsafe {
                        GetThreadTimes(thread.raw(), c, e, k, u)
                    })
                });
                if let Some(time) = time {
                    threads.push((u64::from(entry.th32ThreadID), time));
                }
            }
            // SAFETY: as for Thread32First.
            more = unsafe { Thread32Next(snapshot.raw(), &mut entry) } != 0;
        }
        Some(threads)
    }

    pub fn process(pid: u32) -> Option<Duration> {
        // SAFETY: opening a process by id; a null handle on failure.
        let process = Handle::new(unsafe {
            OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid)
        })?;
        // SAFETY: four FILETIMEs for the call to fill.
        times(|c, e, k, u| unsafe { GetProcessTimes(process.raw(), c, e, k, u) })
    }

    pub fn children() -> Option<Duration> {
        None
    }

    /// Kernel plus user time, from a call that fills creation, exit, kernel
    /// and user times, in units of 100 ns.
    fn times(
        call: impl FnOnce(
            *mut FILETIME,
            *mut FILETIME,
            *mut FILETIME,
            *mut FILETIME,
        ) -> i32,
    ) -> Option<Duration> {
        let [mut created, mut exited, mut kernel, mut user] =
            [FILETIME::default(); 4];
        if call(&mut created, &mut exited, &mut kernel, &mut user) == 0 {
            return None;
        }
        let hundreds = |t: FILETIME| {
            u64::from(t.dwHighDateTime) << 32 | u64::from(t.dwLowDateTime)
        };
        Some(Duration::from_nanos((hundreds(kernel) + hundreds(user)) * 100))
    }
}

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
mod os {
    use std::time::Duration;

    pub fn threads(_pid: u32) -> Option<Vec<(u64, Duration)>> {
        None
    }

    pub fn process(_pid: u32) -> Option<Duration> {
        None
    }

    pub fn children() -> Option<Duration> {
        None
    }
}

#[cfg(test)]
mod tests {
    use std::{
        sync::atomic::{AtomicBool, Ordering},
        thread,
        time::{Duration, Instant},
    };

    /// Spins for `time` of wall-clock time.
    fn spin(time: Duration) {
        let start = Instant::now();
        while start.elapsed() < time {
            std::hint::black_box(0);
        }
    }

    #[test]
    fn a_spinning_thread_is_counted_apart_from_an_idle_one() {
        let me = std::process::id();
        let stop = AtomicBool::new(false);
        thread::scope(|scope| {
            let idle = scope.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    thread::sleep(Duration::from_millis(5));
                }
            });
            let before = super::threads(me).expect("this process's threads");
            spin(Duration::from_millis(300));
            let after = super::threads(me).expect("this process's threads");
            stop.store(true, Ordering::Relaxed);
            let _ = idle.join();
            let used = |tid: &u64, time: &Duration| {
                let was = before.iter().find(|(other, _)| other == tid);
                time.saturating_sub(was.map_or(Duration::ZERO, |(_, t)| *t))
            };
            let mut used: Vec<Duration> =
                after.iter().map(|(tid, time)| used(tid, time)).collect();
            used.sort();
            let busiest = used.pop().expect("a thread");
            // This thread ran for most of its 300 ms (the machine may be
            // busy); the idle one, for a sliver of that.
            assert!(busiest >= Duration::from_millis(30), "{busiest:?}");
            assert!(used.iter().all(|time| *time * 4 < busiest), "{used:?}");
        });
    }

    #[test]
    fn the_process_time_grows_with_work() {
        let me = std::process::id();
        let before = super::process(me).expect("this process's CPU time");
        spin(Duration::from_millis(200));
        let after = super::process(me).expect("this process's CPU time");
        assert!(after > before, "{before:?} then {after:?}");
    }

    #[test]
    fn a_process_that_is_gone_has_no_threads() {
        let mut child =
            std::process::Command::new(std::env::current_exe().expect("me"))
                .arg("--list")
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("a child");
        let pid = child.id();
        child.wait().expect("it ends");
        assert_eq!(super::threads(pid), None);
    }
}
