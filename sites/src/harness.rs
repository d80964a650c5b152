//! Running a lesson's binary as a learner would, with a time limit: for the
//! lessons' tests and for anything else that drives them.

use std::{
    io::{self, Read},
    path::Path,
    process::{Child, Command, Stdio},
    thread,
    time::Duration,
};

use wait_timeout::ChildExt;

use crate::Report;

/// What a finished lesson printed, and how it exited.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The exit status; `None` if a signal ended it.
    pub code: Option<i32>,
    /// Everything on standard output.
    pub stdout: String,
    /// Everything on standard error.
    pub stderr: String,
}

impl Finished {
    /// Parses the standard output as a `--json` report.
    pub fn report(&self) -> serde_json::Result<Report> {
        Report::from_json(&self.stdout)
    }

    /// The lines of standard output.
    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }
}

/// Runs `program` with `args` and waits for it, at most `limit`. A program
/// still running then, deadlocked say, is killed and reported as an error of
/// kind [`io::ErrorKind::TimedOut`] that says so.
///
/// ```no_run
/// # use std::time::Duration;
/// let args = ["--speed", "50", "--json"];
/// let done = sites::harness::run("target/debug/ch01-sequential", &args, Duration::from_secs(60))?;
/// assert_eq!(done.report()?.peak_in_flight(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn run(
    program: impl AsRef<Path>,
    args: &[&str],
    limit: Duration,
) -> io::Result<Finished> {
    let mut child = Command::new(program.as_ref())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // Both pipes are drained as the program writes, so it never blocks on a
    // full pipe while we wait for it.
    let stdout =
        drain(&mut child, |child| child.stdout.take().map(|out| Box::new(out) as _));
    let stderr =
        drain(&mut child, |child| child.stderr.take().map(|err| Box::new(err) as _));
    let Some(status) = child.wait_timeout(limit)? else {
        let _ = child.kill();
        let _ = child.wait();
        let message = format!(
            "{} did not finish within {} s: a deadlock, or a download that never ends?",
            program.as_ref().display(),
            limit.as_secs_f64()
        );
        return Err(io::Error::new(io::ErrorKind::TimedOut, message));
    };
    let collect =
        |reader: thread::JoinHandle<String>| reader.join().unwrap_or_default();
    Ok(Finished {
        code: status.code(),
        stdout: collect(stdout),
        stderr: collect(stderr),
    })
}

type Pipe = Box<dyn Read + Send>;

fn drain(
    child: &mut Child,
    take: impl FnOnce(&mut Child) -> Option<Pipe>,
) -> thread::JoinHandle<String> {
    let pipe = take(child);
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}
