//! Worker processes for lesson 3's process pool: the lesson's own program,
//! started again in worker mode, downloading the URLs its parent sends down a
//! pipe and sending the pages back up another.
//!
//! The protocol is a line per request, `URL\n`, and per answer either
//! `ok BYTES LATENCY_MS\n` followed by the page's bytes, or `err MESSAGE\n`.
//! Python's `ProcessPoolExecutor` does the same with pickled objects.

use std::{
    env,
    io::{self, BufRead, BufReader, Read, Write},
    process::{Child, ChildStdin, ChildStdout, Command, Stdio},
    time::{Duration, Instant},
};

use bytes::Bytes;

use crate::{Error, Page, Result, Run, fetch::Limits};

/// Set in a worker process's environment: the timeout in seconds and the size
/// limit in bytes, separated by a space.
const WORKER_ENV: &str = "SITES_PROCESS_WORKER";

/// In a worker process (one that [`WorkerProcess::spawn`] started), serves the
/// parent until it closes the pipe, then exits. Anywhere else, returns at once.
/// Call it first thing in `main`.
pub fn serve_if_worker() {
    let Ok(setting) = env::var(WORKER_ENV) else { return };
    let mut numbers = setting.split(' ').map(str::parse::<f64>);
    let (Some(Ok(timeout)), Some(Ok(max_bytes))) = (numbers.next(), numbers.next())
    else {
        eprintln!(
            "error: {WORKER_ENV} is set to '{setting}', not a timeout and a size"
        );
        std::process::exit(2);
    };
    let limits = Limits {
        timeout: Duration::from_secs_f64(timeout),
        max_bytes: max_bytes as usize,
    };
    let code = match serve(limits) {
        Ok(()) => 0,
        Err(err) => {
            eprintln!("error: worker process {}: {err}", std::process::id());
            1
        }
    };
    std::process::exit(code)
}

fn serve(limits: Limits) -> io::Result<()> {
    let client = reqwest::blocking::Client::builder()
        .timeout(limits.timeout)
        .build()
        .map_err(io::Error::other)?;
    let mut out = io::stdout().lock();
    for url in io::stdin().lock().lines() {
        let url = url?;
        let deadline = Instant::now() + limits.timeout;
        // No catch_unwind here: a panic ends this process, and only this one.
        match limits.read_blocking(client.get(&url).send(), deadline) {
            Ok(page) => {
                let latency =
                    page.simulated_latency().map_or(-1.0, |l| l.as_secs_f64() * 1e3);
                writeln!(out, "ok {} {latency}", page.len())?;
                out.write_all(page.body())?;
            }
            Err(err) => writeln!(out, "err {}", err.to_string().replace('\n', " "))?,
        }
        out.flush()?;
    }
    Ok(())
}

/// A worker process and the two pipes to it.
pub struct WorkerProcess {
    child: Child,
    to_worker: ChildStdin,
    from_worker: BufReader<ChildStdout>,
    name: String,
    died: bool,
}

impl WorkerProcess {
    /// Starts this program again as a worker, with the run's timeout and size
    /// limit. Its errors go to this process's stderr.
    pub fn spawn(run: &Run) -> Result<Self> {
        let program = env::current_exe().map_err(|err| died(&err))?;
        let limits = run.limits();
        let mut child = Command::new(program)
            .env(
                WORKER_ENV,
                format!("{} {}", limits.timeout.as_secs_f64(), limits.max_bytes),
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|err| {
                Error::Setup(format!("cannot start a worker process: {err}"))
            })?;
        let (Some(to_worker), Some(from_worker)) =
            (child.stdin.take(), child.stdout.take())
        else {
            return Err(Error::Setup("a worker process has no pipes".into()));
        };
        let name = format!("process {}", child.id());
        let from_worker = BufReader::new(from_worker);
        Ok(WorkerProcess { child, to_worker, from_worker, name, died: false })
    }

    /// The worker's name in the report: `process PID`.
    pub fn name(&self) -> String {
        self.name.clone()
    }

    /// Whether the worker died (crashed, or was killed) during a download.
    pub fn died(&self) -> bool {
        self.died
    }

    /// Sends a URL to the worker and waits for its page.
    pub fn download(&mut self, url: &str) -> Result<Page> {
        let page = self.exchange(url);
        self.died = matches!(&page, Err(Error::WorkerDied(_)));
        page
    }

    fn exchange(&mut self, url: &str) -> Result<Page> {
        writeln!(self.to_worker, "{url}").map_err(|err| died(&err))?;
        self.to_worker.flush().map_err(|err| died(&err))?;
        let mut line = String::new();
        if self.from_worker.read_line(&mut line).map_err(|err| died(&err))? == 0 {
            return Err(died(&"it closed its pipe"));
        }
        let answer = line.trim_end();
        if let Some(message) = answer.strip_prefix("err ") {
            return Err(Error::Http(message.into()));
        }
        let mut fields = answer.strip_prefix("ok ").unwrap_or_default().split(' ');
        let (Some(Ok(size)), Some(Ok(latency))) = (
            fields.next().map(str::parse::<usize>),
            fields.next().map(str::parse::<f64>),
        ) else {
            return Err(died(&format!("it answered '{answer}'")));
        };
        let mut body = vec![0; size];
        self.from_worker.read_exact(&mut body).map_err(|err| died(&err))?;
        let latency =
            (latency >= 0.0).then(|| Duration::from_secs_f64(latency / 1e3));
        Ok(Page::new(Bytes::from(body), latency))
    }
}

impl Drop for WorkerProcess {
    /// Ends the worker and waits for it, so that no process is left behind.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn died(reason: &dyn std::fmt::Display) -> Error {
    Error::WorkerDied(reason.to_string())
}
