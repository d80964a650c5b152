//! [`Run`]: what a lesson's `main` holds. It parses the command line, starts the
//! simulated web, times and prints every download, and ends with the summary.

use std::{
    collections::HashMap,
    io::Write,
    panic::{self, AssertUnwindSafe},
    process::ExitCode,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
    thread::{self, ThreadId},
    time::{Duration, Instant},
};

use futures::FutureExt;

use crate::{
    Error, Lesson, NOTES_SITES, Page, Report, Result, SimulatedWeb, SiteReport,
    Workers,
    cli::{self, Parsed},
    fetch::Limits,
};

/// Sent with every request, so that a real site can tell who is asking.
const USER_AGENT: &str = concat!("concurrency-lessons/", env!("CARGO_PKG_VERSION"));

/// One run of a lesson. Cloning it is cheap and every clone is the same run, so
/// each worker thread can hold its own.
///
/// ```no_run
/// # fn main() -> sites::Result<()> {
/// let run = sites::Run::from_args(&sites::SEQUENTIAL)?;
/// let client = run.blocking_client()?;
/// run.start();
/// for url in run.urls() {
///     let _ = run.report(url, || client.get(url).send());
/// }
/// let exit_code = run.finish();
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Run {
    inner: Arc<Inner>,
}

struct Inner {
    urls: Vec<String>,
    parsed: Parsed,
    limits: Limits,
    log: Mutex<Log>,
    /// Kept for as long as the run, and shut down with it.
    _web: Option<SimulatedWeb>,
}

/// Who downloads: a thread, or an async task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum WorkerId {
    Thread(ThreadId),
    Task(tokio::task::Id),
}

impl WorkerId {
    fn current() -> Self {
        let thread = || WorkerId::Thread(thread::current().id());
        tokio::task::try_id().map_or_else(thread, WorkerId::Task)
    }
}

/// Everything recorded so far, behind one lock.
struct Log {
    started: Instant,
    slots: Vec<Slot>,
    /// Where each URL's slots are, so that ten thousand URLs are found
    /// without ten thousand searches through the list.
    by_url: HashMap<String, Vec<usize>>,
    names: HashMap<WorkerId, String>,
    /// How many threads and how many tasks have been named.
    counts: (usize, usize),
}

/// One URL of the list and how its download went.
struct Slot {
    url: String,
    started: Option<(Instant, String)>,
    ended: Option<(Instant, Outcome)>,
    /// Whether its line is printed (or, with `--json`, would have been).
    printed: bool,
}

impl Slot {
    fn new(url: &str) -> Self {
        Slot { url: url.into(), started: None, ended: None, printed: false }
    }
}

/// What the report keeps of a download: the size and simulated latency of the
/// page, or the error's message.
type Outcome = std::result::Result<(usize, Option<Duration>), String>;

fn outcome(page: &Result<Page>) -> Outcome {
    match page {
        Ok(page) => Ok((page.len(), page.simulated_latency())),
        Err(err) => Err(err.to_string()),
    }
}

impl Run {
    /// Parses the command line of `lesson` and gets its URLs ready: the
    /// simulated web's (which it starts), the notes' real sites with `--online`,
    /// or those of a `--urls` file.
    ///
    /// A usage error (an unknown flag, a missing or bad `--urls` file) prints
    /// one line and exits with status 2; `--help` prints the help and exits.
    pub fn from_args(lesson: &Lesson) -> Result<Run> {
        let parsed = lesson.parse();
        // Thousands of downloads at once need thousands of sockets, more than
        // many systems allow by default; raise the soft limit to the hard one.
        let _ = rlimit::increase_nofile_limit(u64::MAX);
        let (urls, web) = if parsed.args.online {
            (NOTES_SITES.iter().map(|site| site.url.to_string()).collect(), None)
        } else if let Some(path) = &parsed.args.urls {
            (cli::read_urls(path).unwrap_or_else(|err| cli::usage_exit(err)), None)
        } else {
            let web = SimulatedWeb::start(parsed.args.web.pages())?;
            (web.urls(), Some(web))
        };
        let limits = Limits {
            timeout: parsed.args.timeout,
            max_bytes: parsed.args.max_bytes,
        };
        let log = Mutex::new(Log::new(&urls));
        let inner = Inner { urls, parsed, limits, log, _web: web };
        Ok(Run { inner: Arc::new(inner) })
    }

    /// The URLs to download, in order.
    pub fn urls(&self) -> &[String] {
        &self.inner.urls
    }

    /// `--workers`, or the lesson's default: a fixed number, one per CPU, or
    /// one per site. 1 for a lesson without a pool.
    pub fn workers(&self) -> usize {
        let default = || match self.inner.parsed.lesson.workers {
            Workers::NoPool => 1,
            Workers::Fixed(n) => n,
            Workers::PerCpu => crate::cpus(),
            Workers::PerSite => self.urls().len(),
        };
        self.inner.parsed.workers.unwrap_or_else(default)
    }

    /// `--variant`, for a lesson with variants; `""` otherwise.
    pub fn variant(&self) -> &str {
        self.inner.parsed.variant.as_deref().unwrap_or("")
    }

    /// How long a download may take: `--timeout`.
    pub fn timeout(&self) -> Duration {
        self.inner.limits.timeout
    }

    pub(crate) fn limits(&self) -> Limits {
        self.inner.limits
    }

    /// A blocking HTTP client with `--timeout`, and no proxy but with
    /// `--online` (see [`client`](Run::client)).
    pub fn blocking_client(&self) -> Result<reqwest::blocking::Client> {
        let mut builder = reqwest::blocking::Client::builder();
        if !self.inner.parsed.args.online {
            builder = builder.no_proxy();
        }
        builder.timeout(self.timeout()).user_agent(USER_AGENT).build().map_err(setup)
    }

    /// An async HTTP client with `--timeout`. Only `--online` goes through the
    /// proxy that the environment may name: the simulated web is on this
    /// machine, and its traffic must stay here.
    pub fn client(&self) -> Result<reqwest::Client> {
        let mut builder = reqwest::Client::builder();
        if !self.inner.parsed.args.online {
            builder = builder.no_proxy();
        }
        builder.timeout(self.timeout()).user_agent(USER_AGENT).build().map_err(setup)
    }

    /// Starts the clock: every time in the report counts from here.
    pub fn start(&self) {
        self.log().started = Instant::now();
    }

    /// Sends a request with the blocking client, reads the page, and prints
    /// `Read N from URL`, or a line that says why it failed. The time it took and
    /// the thread that did it go into the report.
    pub fn report(
        &self,
        url: &str,
        request: impl FnOnce() -> reqwest::Result<reqwest::blocking::Response>,
    ) -> Result<Page> {
        self.download(url, request, true)
    }

    /// [`report`](Run::report) without the printing: for a lesson that prints
    /// each result itself, with [`print`](Run::print), when it takes it.
    pub fn fetch(
        &self,
        url: &str,
        request: impl FnOnce() -> reqwest::Result<reqwest::blocking::Response>,
    ) -> Result<Page> {
        self.download(url, request, false)
    }

    fn download(
        &self,
        url: &str,
        request: impl FnOnce() -> reqwest::Result<reqwest::blocking::Response>,
        print: bool,
    ) -> Result<Page> {
        let visit = self.begin(url, None, print);
        let deadline = Instant::now() + self.timeout();
        // A panic costs this one site, not the worker: the others go on.
        let page = panic::catch_unwind(AssertUnwindSafe(|| {
            self.inner.limits.read_blocking(request(), deadline)
        }));
        visit.end(page.unwrap_or(Err(Error::Panicked)))
    }

    /// [`report`](Run::report) for the async client: awaits the request, reads
    /// the page, and prints its line. A task's downloads are reported as that
    /// task's.
    pub async fn report_async(
        &self,
        url: &str,
        request: impl Future<Output = reqwest::Result<reqwest::Response>>,
    ) -> Result<Page> {
        let visit = self.begin(url, None, true);
        let page = AssertUnwindSafe(self.inner.limits.read_async(request));
        visit.end(page.catch_unwind().await.unwrap_or(Err(Error::Panicked)))
    }

    /// [`report`](Run::report) for a download done elsewhere, by a worker
    /// process say: `download` runs now, and its result is filed under
    /// `worker`'s name.
    pub fn report_as(
        &self,
        worker: &str,
        url: &str,
        download: impl FnOnce() -> Result<Page>,
    ) -> Result<Page> {
        let visit = self.begin(url, Some(worker), true);
        visit.end(download())
    }

    /// Prints a result's line: `Read N from URL`, or why it failed. Every URL
    /// gets one line: [`finish`](Run::finish) prints those not yet printed.
    pub fn print(&self, url: &str, page: &Result<Page>) {
        let mut log = self.log();
        // Of a URL listed twice, the first download that has ended is the one.
        let ended = log.find(url, |slot| !slot.printed && slot.ended.is_some());
        if let Some(slot) = ended.or_else(|| log.find(url, |slot| !slot.printed)) {
            log.slots[slot].printed = true;
        }
        print_line(self.inner.parsed.args.json, url, &outcome(page));
    }

    /// Ends the run: prints the line of every URL not printed yet (those never
    /// downloaded among them), then the summary (`Download 12 sites in 2.80
    /// seconds`) and the timeline, or the JSON report. The exit status is 0
    /// when every download succeeded, else 1.
    pub fn finish(&self) -> ExitCode {
        let args = &self.inner.parsed.args;
        let mut log = self.log();
        let wall = log.started.elapsed();
        let now = Instant::now();
        for slot in log.slots.iter_mut().filter(|slot| !slot.printed) {
            let error = match slot.started {
                Some(_) => Error::Cancelled,
                None => Error::NeverDownloaded,
            };
            slot.started.get_or_insert((now, "none".into()));
            let (_, outcome) =
                slot.ended.get_or_insert((now, Err(error.to_string())));
            print_line(args.json, &slot.url, outcome);
            slot.printed = true;
        }
        let report = log.report(wall);
        let mut out = std::io::stdout().lock();
        if args.json {
            let _ = serde_json::to_writer(&mut out, &report);
            let _ = writeln!(out);
        } else {
            let failed = match report.failures() {
                0 => String::new(),
                n => format!(" ({n} failed)"),
            };
            let (count, seconds) = (report.sites.len(), wall.as_secs_f64());
            let _ = writeln!(
                out,
                "Download {count} sites in {seconds:.2} seconds{failed}"
            );
            if args.timeline {
                let _ = write!(out, "\n{}", report.timeline());
            }
        }
        if report.failures() == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
    }

    /// Notes that a download of `url` starts now, on the current worker.
    fn begin(&self, url: &str, worker: Option<&str>, print: bool) -> Visit<'_> {
        let mut log = self.log();
        let name =
            worker.map_or_else(|| log.name(WorkerId::current()), String::from);
        // A URL listed twice fills its first free slot, so each gets one line.
        let free = log.find(url, |slot| slot.started.is_none());
        let slot = free.unwrap_or_else(|| log.add(url));
        log.slots[slot].started = Some((Instant::now(), name));
        Visit { run: self, slot, print, ended: false }
    }

    fn log(&self) -> MutexGuard<'_, Log> {
        // Nothing panics while holding the lock, but a poisoned log is still whole.
        self.inner.log.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn setup(err: reqwest::Error) -> Error {
    Error::Setup(format!("cannot build an HTTP client: {err}"))
}

/// A download under way. If it is dropped before it ends, as a cancelled future
/// is, the site is reported as failed all the same.
struct Visit<'run> {
    run: &'run Run,
    slot: usize,
    print: bool,
    ended: bool,
}

impl Visit<'_> {
    fn end(mut self, page: Result<Page>) -> Result<Page> {
        self.ended = true;
        self.record(outcome(&page));
        page
    }

    /// Files the outcome and prints the site's line if asked to. The line is
    /// printed under the lock, so that lines never interleave.
    fn record(&self, outcome: Outcome) {
        let mut log = self.run.log();
        let slot = &mut log.slots[self.slot];
        // A download that outlives `finish` (a task dropped as the runtime
        // shuts down, say) was already reported there.
        if slot.printed {
            return;
        }
        if self.print {
            print_line(self.run.inner.parsed.args.json, &slot.url, &outcome);
            slot.printed = true;
        }
        slot.ended = Some((Instant::now(), outcome));
    }
}

impl Drop for Visit<'_> {
    fn drop(&mut self) {
        if !self.ended {
            self.record(Err(Error::Cancelled.to_string()));
        }
    }
}

/// `Read N from URL`, or `Failed URL: reason`, unless the report is JSON.
fn print_line(json: bool, url: &str, outcome: &Outcome) {
    if json {
        return;
    }
    // A closed stdout (`| head`) is no reason to panic: output is best effort.
    let mut out = std::io::stdout().lock();
    let _ = match outcome {
        Ok((bytes, _)) => writeln!(out, "Read {bytes} from {url}"),
        Err(reason) => writeln!(out, "Failed {url}: {reason}"),
    };
}

impl Log {
    /// A slot for each URL, none started yet.
    fn new(urls: &[String]) -> Log {
        let mut log = Log {
            started: Instant::now(),
            slots: Vec::new(),
            by_url: HashMap::new(),
            names: HashMap::new(),
            counts: (0, 0),
        };
        for url in urls {
            log.add(url);
        }
        log
    }

    /// Adds a slot for `url` at the end of the list.
    fn add(&mut self, url: &str) -> usize {
        self.slots.push(Slot::new(url));
        let slot = self.slots.len() - 1;
        self.by_url.entry(url.into()).or_default().push(slot);
        slot
    }

    /// The first of `url`'s slots that `fits`.
    fn find(&self, url: &str, fits: impl Fn(&Slot) -> bool) -> Option<usize> {
        let slots = self.by_url.get(url)?;
        slots.iter().copied().find(|&slot| fits(&self.slots[slot]))
    }

    /// The worker's name: `main`, or `thread N` and `task N` numbered in the
    /// order they first downloaded.
    fn name(&mut self, worker: WorkerId) -> String {
        if let Some(name) = self.names.get(&worker) {
            return name.clone();
        }
        let (threads, tasks) = &mut self.counts;
        let name = match worker {
            WorkerId::Thread(_) if thread::current().name() == Some("main") => {
                "main".into()
            }
            WorkerId::Thread(_) => {
                *threads += 1;
                format!("thread {threads}")
            }
            WorkerId::Task(_) => {
                *tasks += 1;
                format!("task {tasks}")
            }
        };
        self.names.insert(worker, name.clone());
        name
    }

    fn report(&self, wall: Duration) -> Report {
        let ms = |at: Instant| round(at.saturating_duration_since(self.started));
        let sites = self.slots.iter().map(|slot| {
            let (start, worker) =
                slot.started.clone().unwrap_or((self.started, "none".into()));
            let (end, outcome) = match &slot.ended {
                Some((end, outcome)) => (*end, outcome.clone()),
                None => (start, Err(Error::NeverDownloaded.to_string())),
            };
            let page = outcome.as_ref().ok();
            SiteReport {
                url: slot.url.clone(),
                bytes: page.map(|&(bytes, _)| bytes as u64),
                latency_ms: page.and_then(|&(_, latency)| latency).map(round),
                error: outcome.err(),
                start_ms: ms(start),
                end_ms: ms(end),
                worker,
            }
        });
        Report {
            wall_ms: round(wall),
            peak_rss_kb: peak_rss_kb(),
            sites: sites.collect(),
        }
    }
}

/// The process's peak resident memory in KiB, from Linux's `/proc`.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Milliseconds, to the microsecond.
fn round(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1e6).round() / 1e3
}
