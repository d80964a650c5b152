//! [`ProcessPool`]: lesson 3's pool of worker processes, the Rust stand-in for
//! Python's `ProcessPoolExecutor`. Each worker is the lesson's own program,
//! started again; [`serve_if_worker`], first thing in its `main`, makes it run
//! the lesson's `download_one` for the URLs its parent sends.
//!
//! A worker prints its `Read N from URL` line itself, on the output it shares
//! with its parent, as the notes' worker processes do. Parent and worker talk
//! over pipes in a small typed protocol: one JSON object per line, at most
//! 64 KiB, the parent's on the worker's stdin and the worker's on its stderr,
//! tagged so that anything else there (a panic's message) is passed on to the
//! parent's stderr as it is. A worker exits when its parent's end of the pipe
//! closes, so it never outlives its parent; a worker that does not answer
//! within `--timeout` and a second of grace is killed, and its site fails.

use std::{
    env,
    io::{self, BufRead, BufReader, Read, Write},
    panic::{self, AssertUnwindSafe},
    process::{Child, ChildStdin, Command, Stdio},
    sync::{Mutex, mpsc},
    thread,
    time::Duration,
};

use reqwest::blocking::Client;
use serde::{Deserialize, Serialize};

use crate::{Error, Result, Setup, client::Settings, report::PROCESS};

/// Set in a worker process's environment.
const WORKER_ENV: &str = "SITES_PROCESS_WORKER";

/// Starts each line a worker writes for its parent on stderr.
const TAG: &str = "sites-worker ";

/// The longest line of the protocol.
const MOST_BYTES: u64 = 64 * 1024;

/// How long past `--timeout` a worker may take before it is killed.
const GRACE: Duration = Duration::from_secs(1);

/// What the parent sends a worker.
#[derive(Debug, Serialize, Deserialize)]
enum Request {
    /// First: how to build the client, the same as the parent's.
    Settings(Settings),
    /// Then, one at a time: a URL to download.
    Download(String),
}

/// What a worker answers for each URL.
#[derive(Debug, Serialize, Deserialize)]
enum Answer {
    /// The page's size: `download_one` printed its line.
    Read(u64),
    /// Why it failed.
    Failed(String),
}

/// The lesson's `download_one`, which a worker runs.
pub type DownloadOne = fn(&Client, &str) -> Result<usize>;

/// In a worker process (one that a [`ProcessPool`] started), runs
/// `download_one` for each URL the parent sends, then exits when the parent
/// closes the pipe. Anywhere else, returns at once. Call it first thing in
/// `main`, before anything else runs.
///
/// Like [`cli::parse`](crate::cli::parse), this ends the process itself: a
/// worker has no `main` of its own to return to.
pub fn serve_if_worker(download_one: DownloadOne) {
    if env::var_os(WORKER_ENV).is_none() {
        return;
    }
    // A worker's panic is one line on the parent's stderr; when the output is
    // gone (a full disk, a closed pipe), the worker ends, and the parent says so.
    panic::set_hook(Box::new(|info| {
        if info.to_string().contains("failed printing to stdout") {
            crate::cli::exit(1);
        }
        let place =
            info.location().map(|at| format!(" at {at}")).unwrap_or_default();
        let message = crate::error::panic_message(info);
        eprintln!(
            "worker process {} panicked{place}: {message}",
            std::process::id()
        );
    }));
    let code = match serve(download_one) {
        Ok(()) => 0,
        Err(err) => {
            eprintln!(
                "error: {WORKER_ENV} is set, but this is no worker process: {err}"
            );
            2
        }
    };
    crate::cli::exit(code)
}

fn serve(download_one: DownloadOne) -> Result<()> {
    let mut from_parent = BufReader::new(io::stdin());
    let Some(Request::Settings(settings)) = read_line(&mut from_parent)? else {
        return Err(Error::Setup("the first message is not the settings".into()));
    };
    // A worker is a process of its own, under the same limits as its parent.
    let space = platform::limits::address_space();
    if space.is_some() {
        platform::limits::one_heap();
    }
    crate::body::set_limits(crate::body::Limits {
        timeout: settings.timeout(),
        max_bytes: settings.max_bytes,
        budget: crate::setup::pages_budget(space),
    });
    let client = crate::client::blocking(&settings)?;
    // A thread reads the parent's requests: when the pipe closes, whether the
    // parent is done or was killed, this process ends too, even mid-download.
    let (requests, next) = mpsc::channel();
    let reader = thread::Builder::new().spawn(move || {
        while let Ok(Some(Request::Download(url))) = read_line(&mut from_parent) {
            if requests.send(url).is_err() {
                break;
            }
        }
        crate::cli::exit(0)
    });
    reader.map_err(|err| Error::CannotStart(format!("a thread: {err}")))?;
    for url in next {
        // A panic in download_one costs this site, as an exception in a
        // Python worker would: it is sent back, and the worker goes on.
        let answer = match panic::catch_unwind(AssertUnwindSafe(|| {
            download_one(&client, &url)
        })) {
            Ok(Ok(bytes)) => Answer::Read(bytes as u64),
            Ok(Err(err)) => Answer::Failed(err.to_string()),
            Err(_) => Answer::Failed("the worker panicked".into()),
        };
        let line = serde_json::to_string(&answer).unwrap_or_default();
        eprintln!("{TAG}{line}");
    }
    Ok(())
}

/// Reads one line of the protocol: `None` at the end, an error for a line too
/// long or not of the protocol.
fn read_line<T: for<'de> Deserialize<'de>>(
    from: &mut impl BufRead,
) -> Result<Option<T>> {
    let mut line = String::new();
    let read =
        from.take(MOST_BYTES).read_line(&mut line).map_err(|err| garbage(&err))?;
    if read == 0 {
        return Ok(None);
    }
    if !line.ends_with('\n') {
        return Err(garbage(&"a line longer than 64 KiB, or cut short"));
    }
    serde_json::from_str(&line).map(Some).map_err(|err| garbage(&err))
}

fn garbage(why: &dyn std::fmt::Display) -> Error {
    Error::WorkerDied(format!(
        "the pipe carried something else than the protocol ({why})"
    ))
}

/// A pool of worker processes, like Python's `ProcessPoolExecutor`.
///
/// ```no_run
/// # fn main() -> sites::Result<()> {
/// # let setup: sites::Setup = unimplemented!();
/// let pool = sites::ProcessPool::new(&setup, 4);
/// for (url, result) in setup.urls().iter().zip(pool.map(setup.urls())) {
///     if let Err(err) = result {
///         println!("Failed {url}: {err}");
///     }
/// }
/// # Ok(()) }
/// ```
pub struct ProcessPool {
    workers: usize,
    settings: Settings,
}

impl ProcessPool {
    /// A pool of `workers` processes, each with a client built like this
    /// process's own. They start when [`map`](ProcessPool::map) needs them.
    /// There are no more than there are sites, or than the open-file limit
    /// allows: each keeps two pipes open here (its input and its errors),
    /// counted as three files, for the pipes a start opens for a moment (see
    /// [`Setup::workers`]).
    pub fn new(setup: &Setup, workers: usize) -> ProcessPool {
        let workers = setup.workers_costing(workers, 3);
        ProcessPool { workers, settings: setup.settings().clone() }
    }

    /// Has the workers download every URL, each taking the next one whenever
    /// it is free, and waits for them all: `executor.map`. The results come in
    /// the order of `urls`, each the size the worker read, or why it failed.
    pub fn map(&self, urls: &[String]) -> Vec<Result<usize>> {
        let queue = Mutex::new(urls.iter().enumerate());
        let next = || queue.lock().ok()?.next();
        let results: Vec<Mutex<Option<Result<usize>>>> =
            urls.iter().map(|_| Mutex::new(None)).collect();
        let keep = |index: usize, result| {
            if let Ok(mut slot) = results[index].lock() {
                *slot = Some(result);
            }
        };
        thread::scope(|scope| {
            for _ in 0..self.workers {
                // A thread per process feeds it and waits for its answers, as
                // the executor's own management thread does.
                let feeder = thread::Builder::new().spawn_scoped(scope, || {
                    let mut worker = None;
                    while let Some((index, url)) = next() {
                        let process = match worker
                            .take()
                            .map_or_else(|| Worker::start(&self.settings), Ok)
                        {
                            Ok(process) => process,
                            Err(err) => return keep(index, Err(err)),
                        };
                        let (result, alive) = process.download(url);
                        keep(index, result);
                        worker = alive; // a dead or late worker is replaced
                    }
                });
                // A thread the system cannot start leaves its sites to the
                // others, or untaken.
                if feeder.is_err() {
                    break;
                }
            }
        });
        // A site that no worker took (none could start) fails for that reason.
        let untaken = || Error::CannotStart("no worker process could start".into());
        results
            .into_iter()
            .map(|slot| {
                slot.into_inner().ok().flatten().unwrap_or_else(|| Err(untaken()))
            })
            .collect()
    }
}

/// A worker process, the pipe to it, and the answers read from it.
struct Worker {
    child: Child,
    to_worker: ChildStdin,
    answers: mpsc::Receiver<Result<Answer>>,
    name: String,
    timeout: Duration,
    max_bytes: usize,
}

impl Worker {
    /// Starts this program again as a worker and sends it the settings.
    fn start(settings: &Settings) -> Result<Worker> {
        let cannot = |err: &dyn std::fmt::Display| {
            Error::CannotStart(format!("a process: {err}"))
        };
        let program = env::current_exe().map_err(|err| cannot(&err))?;
        let mut child = Command::new(program)
            .env(WORKER_ENV, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::inherit())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|err| cannot(&err))?;
        let (Some(mut to_worker), Some(from_worker)) =
            (child.stdin.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(cannot(&"it has no pipes"));
        };
        let (sender, answers) = mpsc::channel();
        let reader = thread::Builder::new().spawn(move || {
            for line in BufReader::new(from_worker).lines().map_while(io::Result::ok)
            {
                let answer = match line.strip_prefix(TAG) {
                    Some(json) => read_line(&mut format!("{json}\n").as_bytes())
                        .and_then(|answer| {
                            answer.ok_or_else(|| garbage(&"an empty line"))
                        }),
                    // Not for us: a panic's message, say. It goes on to stderr.
                    None => {
                        eprintln!("{line}");
                        continue;
                    }
                };
                if sender.send(answer).is_err() {
                    break;
                }
            }
        });
        // Without its reader, the worker goes: its pipe closes as it drops.
        reader.map_err(|err| Error::CannotStart(format!("a thread: {err}")))?;
        let settings_line =
            serde_json::to_string(&Request::Settings(settings.clone()))
                .map_err(|err| cannot(&err))?;
        writeln!(to_worker, "{settings_line}").map_err(|err| cannot(&err))?;
        let name = format!("{PROCESS} {}", child.id());
        let (timeout, max_bytes) = (settings.timeout(), settings.max_bytes);
        Ok(Worker { child, to_worker, answers, name, timeout, max_bytes })
    }

    /// Has the worker download `url`, noting it in the report as this
    /// worker's. Gives the worker back unless it died or overran.
    fn download(mut self, url: &str) -> (Result<usize>, Option<Worker>) {
        let span =
            tracing::info_span!("download_one", url, worker = self.name.as_str());
        let _entered = span.enter();
        let result = self.exchange(url);
        match &result {
            Ok(bytes) => tracing::info!(bytes = *bytes as u64),
            Err(err) => tracing::info!(error = err.to_string().as_str()),
        }
        let alive =
            !matches!(result, Err(Error::WorkerDied(_) | Error::WorkerLate(_)));
        (result, alive.then_some(self))
    }

    fn exchange(&mut self, url: &str) -> Result<usize> {
        let died = |err: &dyn std::fmt::Display| Error::WorkerDied(err.to_string());
        let request = serde_json::to_string(&Request::Download(url.into()))
            .map_err(|e| died(&e))?;
        writeln!(self.to_worker, "{request}").map_err(|err| died(&err))?;
        match self.answers.recv_timeout(self.timeout.saturating_add(GRACE)) {
            Ok(Ok(Answer::Read(bytes))) if bytes <= self.max_bytes as u64 => {
                Ok(bytes as usize)
            }
            Ok(Ok(Answer::Read(bytes))) => {
                Err(died(&format!("it claimed {bytes} bytes, past the limit")))
            }
            Ok(Ok(Answer::Failed(why))) => Err(Error::Http(why)),
            Ok(Err(err)) => Err(err),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                Err(Error::WorkerLate(self.timeout + GRACE))
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                Err(died(&"it ended without answering"))
            }
        }
    }
}

impl Drop for Worker {
    /// Closes the pipe, which ends the worker; kills it if it is stuck, and
    /// waits for it, so that no process is left behind.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
