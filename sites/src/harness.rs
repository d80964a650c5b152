//! Running a lesson's binary as a learner would, with a time limit: for the
//! lessons' tests, the exercise checks, and `compare`.
//!
//! The program runs in a group of its own (a process group on Unix, a job
//! object on Windows). The limit covers it and everything it starts: when the
//! program ends, or overruns, the whole group is killed, so that nothing it
//! started outlives the run or keeps its output open. Only the first 4 MiB of
//! each output are kept. It runs in the C locale (`LC_ALL=C`), so that what it
//! says on stderr is English whatever this machine's language, as the tests
//! that read it expect.

use std::{
    io::{self, Read},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::{
        atomic::{AtomicBool, Ordering},
        mpsc,
    },
    thread,
    time::{Duration, Instant},
};

use wait_timeout::ChildExt;

use crate::Report;

/// How much of each output is kept; the rest is read and thrown away.
const KEPT: u64 = 4 << 20;

/// `cargo`, for a program that cargo runs (a test, `compare`, `exercises`) to
/// build others with: the cargo that ran it, without the variables cargo set
/// for the program itself. Some build scripts watch one of those (ring's
/// watches `CARGO_MANIFEST_DIR`): seeing it differ from a plain `cargo build`
/// in a shell, they would rebuild their crate, and every crate above it, each
/// time the two builds took turns.
pub fn cargo() -> Command {
    let mut command =
        Command::new(std::env::var_os("CARGO").unwrap_or("cargo".into()));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        let set_by_cargo = name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_MANIFEST_")
            || matches!(
                &*name,
                "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
                    | "CARGO_TARGET_TMPDIR"
                    | "OUT_DIR"
            );
        if set_by_cargo {
            command.env_remove(&*name);
        }
    }
    command
}

/// What a finished program printed, and how it exited.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The exit status; `None` if a signal ended it.
    pub code: Option<i32>,
    /// Standard output, up to 4 MiB.
    pub stdout: String,
    /// Standard error, up to 4 MiB.
    pub stderr: String,
    /// When it was started.
    pub started: Instant,
    /// How long it ran.
    pub took: Duration,
    /// When each line of standard output came, after the start: what a
    /// person watching the terminal would have seen, and when.
    pub printed: Vec<Duration>,
    /// What it wrote with `--json FILE`, for a run by [`run_reporting`].
    pub report: Option<Report>,
}

impl Finished {
    /// The report of a run by [`run_reporting`], or why there is none.
    pub fn report(&self) -> Result<&Report, String> {
        self.report.as_ref().ok_or_else(|| {
            let stderr = self.stderr.lines().last().unwrap_or("");
            format!(
                "it wrote no JSON report (exit status {:?}): {stderr}",
                self.code
            )
        })
    }

    /// The lines of standard output.
    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }

    /// Whether each URL of `urls` got exactly its line, `Read N from URL` or
    /// `Failed URL: why` (a URL listed twice, two); if not, which did not.
    pub fn one_line_each(&self, urls: &[String]) -> Result<(), String> {
        for url in urls {
            let listed = urls.iter().filter(|other| *other == url).count();
            let lines = self
                .lines()
                .iter()
                .filter(|line| {
                    line.ends_with(&format!(" from {url}"))
                        || line.starts_with(&format!("Failed {url}: "))
                })
                .count();
            if lines != listed {
                return Err(format!(
                    "{url} got {lines} lines, not {listed}:\n{}{}",
                    self.stdout, self.stderr
                ));
            }
        }
        Ok(())
    }
}

/// Runs `program` with `args` and waits for it, at most `limit`. A program
/// still running then, deadlocked say, is killed with everything it started,
/// and reported as an error of kind [`io::ErrorKind::TimedOut`] that says so.
///
/// ```no_run
/// # use std::time::Duration;
/// let done = sites::harness::run("target/debug/ch01-sequential", &["--speed", "50"], Duration::from_secs(60))?;
/// assert_eq!(done.code, Some(0));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn run(
    program: impl AsRef<Path>,
    args: &[&str],
    limit: Duration,
) -> io::Result<Finished> {
    run_watched(program, args, limit, |_| ()).map(|(done, ())| done)
}

/// [`run`], with `watch` called on a thread of its own with the program's
/// process id as soon as it starts: to sample what it does while it runs.
/// `watch` should return once the process is gone; its result comes back
/// with the program's.
pub fn run_watched<W: Send + 'static>(
    program: impl AsRef<Path>,
    args: &[&str],
    limit: Duration,
    watch: impl FnOnce(u32) -> W + Send + 'static,
) -> io::Result<(Finished, W)> {
    let mut command = Command::new(program.as_ref());
    command.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    run_command_watched(command, limit, watch)
}

/// [`run`] for a command the caller has made ready: its environment, or its
/// output sent somewhere of its own. An output is kept only if the command
/// sends it to `Stdio::piped()`.
pub fn run_command(command: Command, limit: Duration) -> io::Result<Finished> {
    run_command_watched(command, limit, |_| ()).map(|(done, ())| done)
}

/// [`run_watched`] for a command the caller has made ready, as
/// [`run_command`] takes it.
pub fn run_command_watched<W: Send + 'static>(
    command: Command,
    limit: Duration,
    watch: impl FnOnce(u32) -> W + Send + 'static,
) -> io::Result<(Finished, W)> {
    run_command_until(command, limit, &AtomicBool::new(false), watch)
}

/// [`run_command_watched`], stopped as at its limit as soon as `stop` is set:
/// for a run whose outcome no longer matters.
pub fn run_command_until<W: Send + 'static>(
    mut command: Command,
    limit: Duration,
    stop: &AtomicBool,
    watch: impl FnOnce(u32) -> W + Send + 'static,
) -> io::Result<(Finished, W)> {
    let started = Instant::now();
    command.stdin(Stdio::null()).env("LC_ALL", "C");
    let (mut child, group) = platform::group::spawn(&mut command)?;
    // Both pipes are drained as the program writes, so it never blocks on a
    // full pipe while we wait for it.
    let stdout = drain(child.stdout.take(), started);
    let stderr = drain(child.stderr.take(), started);
    let pid = child.id();
    let watcher = thread::spawn(move || watch(pid));
    // Waits a little at a time, to see `stop`; the program's end is seen at
    // once all the same.
    let status = loop {
        let left = limit.saturating_sub(started.elapsed());
        match child.wait_timeout(left.min(Duration::from_millis(50))) {
            Ok(None) if !left.is_zero() && !stop.load(Ordering::Relaxed) => {}
            outcome => break outcome,
        }
    };
    let took = started.elapsed();
    // Whatever the program left running goes too.
    group.kill();
    let _ = child.kill();
    let _ = child.wait();
    let watched =
        watcher.join().map_err(|_| io::Error::other("the watcher panicked"))?;
    let Some(status) = status? else {
        let message = format!(
            "{} did not finish within {} s: a deadlock, or a download that never ends?",
            Path::new(command.get_program()).display(),
            limit.as_secs_f64()
        );
        return Err(io::Error::new(io::ErrorKind::TimedOut, message));
    };
    let (stdout, printed) = collect(stdout);
    let done = Finished {
        code: status.code(),
        stdout,
        stderr: collect(stderr).0,
        started,
        took,
        printed,
        report: None,
    };
    Ok((done, watched))
}

/// [`run`] with `--json FILE` added, and the report read back.
pub fn run_reporting(
    program: impl AsRef<Path>,
    args: &[&str],
    limit: Duration,
) -> io::Result<Finished> {
    let mut command = Command::new(program.as_ref());
    command.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    run_command_reporting(command, limit)
}

/// [`run_command`] with `--json FILE` added, and the report read back.
pub fn run_command_reporting(
    mut command: Command,
    limit: Duration,
) -> io::Result<Finished> {
    let file = tempfile::NamedTempFile::new()?;
    command.arg("--json").arg(file.path());
    let mut done = run_command(command, limit)?;
    let json = std::fs::read_to_string(file.path())?;
    done.report = Report::from_json(&json).ok();
    Ok(done)
}

/// The path of `program`, built beside the running one (in the same folder
/// of `target/`).
pub fn beside_me(program: &str) -> PathBuf {
    let me = std::env::current_exe().unwrap_or_default();
    me.with_file_name(format!("{program}{}", std::env::consts::EXE_SUFFIX))
}

/// `Ok` if `holds`, else the explanation: how a test or a check says what
/// is wrong.
pub fn expect(holds: bool, explain: impl FnOnce() -> String) -> Result<(), String> {
    if holds { Ok(()) } else { Err(explain()) }
}

/// `Err` listing what `program`'s `-h` and `--help` leave in English where
/// the system reads Chinese (see [`web::cli::help_left_in_english`]), and
/// where its Chinese goes.
pub fn help_in_chinese(program: &str) -> Result<(), String> {
    let left = web::cli::help_left_in_english(program);
    expect(left.is_empty(), || {
        format!("left in English (its Chinese goes in sites/src/help.rs): {left:#?}")
    })
}

/// A `--urls` file listing `urls`, deleted when dropped.
pub fn url_file(urls: &[String]) -> io::Result<tempfile::TempPath> {
    let file = tempfile::NamedTempFile::new()?;
    std::fs::write(file.path(), urls.join("\n") + "\n")?;
    Ok(file.into_temp_path())
}

/// What a pipe gave: its bytes, and when each line ended, after `started`.
type Drained = (Vec<u8>, Vec<Duration>);

/// Reads a pipe to its end on a thread of its own, keeping the first 4 MiB,
/// and noting when each line came.
fn drain(
    mut pipe: Option<impl Read + Send + 'static>,
    started: Instant,
) -> mpsc::Receiver<Drained> {
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        let (mut kept, mut times) = (Vec::new(), Vec::new());
        let mut buffer = [0; 16 * 1024];
        while let Some(pipe) = pipe.as_mut() {
            let read = match pipe.read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => read,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            };
            let room = (KEPT as usize).saturating_sub(kept.len());
            let chunk = &buffer[..read.min(room)];
            let now = started.elapsed();
            times.extend(chunk.iter().filter(|&&byte| byte == b'\n').map(|_| now));
            kept.extend_from_slice(chunk);
        }
        let _ = sender.send((kept, times));
    });
    receiver
}

/// What a pipe gave, as text. A pipe still held open by something outside the
/// group gives what came within a second.
fn collect(pipe: mpsc::Receiver<Drained>) -> (String, Vec<Duration>) {
    let (bytes, times) =
        pipe.recv_timeout(Duration::from_secs(1)).unwrap_or_default();
    (String::from_utf8_lossy(&bytes).into_owned(), times)
}
