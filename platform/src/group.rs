//! A program and everything it starts, in a group that can be ended at once:
//! a process group on Unix, a job object on Windows.
//!
//! ```no_run
//! let mut command = std::process::Command::new("cargo");
//! let (mut child, group) = platform::group::spawn(&mut command)?;
//! // ... the program may start others, which may outlive it ...
//! group.kill(); // it, and all it started
//! let _ = child.wait();
//! # Ok::<(), std::io::Error>(())
//! ```

use std::{
    io,
    process::{Child, Command},
};

/// The group a program was started in.
#[derive(Debug)]
pub struct Group(os::Group);

/// Starts `command` as the first of a group of its own.
pub fn spawn(command: &mut Command) -> io::Result<(Child, Group)> {
    os::spawn(command).map(|(child, group)| (child, Group(group)))
}

impl Group {
    /// Ends every process of the group that is still running.
    pub fn kill(self) {
        os::kill(self.0);
    }
}

#[cfg(unix)]
mod os {
    use std::{
        io,
        os::unix::process::CommandExt,
        process::{Child, Command},
    };

    use rustix::process::{Pid, Signal, kill_process_group};

    /// The group's id: the first process's.
    #[derive(Debug)]
    pub struct Group(Option<Pid>);

    pub fn spawn(command: &mut Command) -> io::Result<(Child, Group)> {
        let child = command.process_group(0).spawn()?;
        let group = i32::try_from(child.id()).ok().and_then(Pid::from_raw);
        Ok((child, Group(group)))
    }

    pub fn kill(group: Group) {
        if let Some(group) = group.0 {
            // ESRCH means the group is gone already: nothing to kill.
            let _ = kill_process_group(group, Signal::KILL);
        }
    }
}

#[cfg(windows)]
mod os {
    use std::{
        io,
        os::windows::io::AsRawHandle,
        process::{Child, Command},
    };

    use windows_sys::Win32::System::JobObjects::{
        AssignProcessToJobObject, CreateJobObjectW,
        JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
        JobObjectExtendedLimitInformation, SetInformationJobObject,
        TerminateJobObject,
    };

    use crate::Handle;

    /// A job object that ends its processes when it is closed.
    #[derive(Debug)]
    pub struct Group(Option<Handle>);

    #[allow(unsafe_code)] // The Windows API is C functions.
    pub fn spawn(command: &mut Command) -> io::Result<(Child, Group)> {
        let child = command.spawn()?;
        // SAFETY: a new, unnamed job; a null handle on failure.
        let job = Handle::new(unsafe {
            CreateJobObjectW(std::ptr::null(), std::ptr::null())
        });
        let job = job.filter(|job| {
            let mut limits = JOBOBJECT_EXTENDED_LIMIT_INFORMATION::default();
            limits.BasicLimitInformation.LimitFlags =
                JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
            let size = std::mem::size_of_val(&limits) as u32;
            // SAFETY: a struct of the size and class the call is told, and
            // the child's handle, open while `child` lives.
            unsafe {
                SetInformationJobObject(
                    job.raw(),
                    JobObjectExtendedLimitInformation,
                    (&raw const limits).cast(),
                    size,
                ) != 0
                    && AssignProcessToJobObject(job.raw(), child.as_raw_handle())
                        != 0
            }
        });
        Ok((child, Group(job)))
    }

    #[allow(unsafe_code)] // The Windows API is C functions.
    pub fn kill(group: Group) {
        if let Some(job) = group.0 {
            // SAFETY: a job handle of ours, open until `job` drops.
            unsafe { TerminateJobObject(job.raw(), 1) };
        }
    }
}

#[cfg(not(any(unix, windows)))]
mod os {
    use std::{
        io,
        process::{Child, Command},
    };

    #[derive(Debug)]
    pub struct Group;

    pub fn spawn(command: &mut Command) -> io::Result<(Child, Group)> {
        command.spawn().map(|child| (child, Group))
    }

    pub fn kill(_group: Group) {}
}

#[cfg(all(test, unix))]
mod tests {
    use std::{process::Command, thread, time::Duration};

    #[test]
    fn killing_the_group_ends_what_the_program_started() {
        // A shell that starts a sleeper and says its id, then waits for it.
        let mut command = Command::new("sh");
        command.args(["-c", "sleep 30 & echo $!; wait"]);
        command.stdout(std::process::Stdio::piped());
        let (mut child, group) = super::spawn(&mut command).expect("sh starts");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("its output");
        std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line)
            .expect("the sleeper's id");
        let sleeper: u32 = line.trim().parse().expect("a process id");
        group.kill();
        let _ = child.wait();
        // The sleeper is gone too (reaped by init once its shell is gone).
        for _ in 0..500 {
            if crate::cpu::threads(sleeper).is_none() {
                return;
            }
            thread::sleep(Duration::from_millis(10));
        }
        panic!("the sleeper {sleeper} outlived its group");
    }
}
