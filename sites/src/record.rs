//! [`Recorder`]: watches a lesson's downloads without changing its code, for
//! `--timeline` and `--json`, and makes sure every URL gets its line.
//!
//! A lesson marks its `download_one` with
//!
//! ```text
//! #[tracing::instrument(skip(client), ret, err)]
//! ```
//!
//! which opens a `tracing` span named after the function, with the `url`
//! argument as a field, each time it is called; `ret` and `err` then note what
//! it returned. The recorder is the `tracing` subscriber that receives those
//! spans: it notes when each starts and ends, on which thread or task, and
//! with what outcome. Any other instrumented function (lesson 5's `work_on`)
//! shows in the timeline as work.
//!
//! The lesson prints `Read N from URL` itself when `download_one` succeeds,
//! and `Failed URL: reason` when it returns an error. A download that never
//! returned (its worker panicked, or it was cancelled) gets its line from
//! [`Recorder::finish`], so that every URL gets exactly one; so does every
//! URL not yet downloaded when a lesson's `main` panics.

use std::{
    cell::RefCell,
    collections::HashMap,
    fs,
    io::Write,
    panic::{self, PanicHookInfo},
    path::PathBuf,
    process::ExitCode,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
    thread::{self, ThreadId},
    time::Instant,
};

use tracing::{
    Event, Metadata, Subscriber,
    field::{Field, Visit},
    span::{self, Id},
};

use crate::{Report, Setup, SiteReport, report::WorkReport};

/// Watches the downloads from [`start`](Recorder::start) to
/// [`finish`](Recorder::finish).
///
/// ```no_run
/// # fn main() -> sites::Result<()> {
/// # let args: sites::Args = unimplemented!();
/// let setup = sites::Setup::new(&args)?;
/// let recorder = sites::Recorder::start(&setup);
/// // ... download every URL with an instrumented download_one ...
/// let exit_code = recorder.finish(); // --timeline, --json, exit status
/// # Ok(()) }
/// ```
pub struct Recorder {
    shared: Arc<Shared>,
    finished: bool,
}

struct Shared {
    started: Instant,
    timeline: bool,
    json: Option<PathBuf>,
    log: Mutex<Log>,
    /// Where to report the run's summary, and as whom: a class's web.
    class: Option<(String, crate::client::Settings)>,
}

impl Recorder {
    /// Starts watching: installs the `tracing` subscriber and a panic hook that
    /// keeps a panic's message to one line. Call it once, just before the
    /// downloads start: the report's times count from here.
    pub fn start(setup: &Setup) -> Recorder {
        let shared = Arc::new(Shared {
            started: Instant::now(),
            timeline: setup.args().timeline,
            json: setup.args().json.clone(),
            log: Mutex::new(Log::new(setup.urls())),
            class: setup.serve().map(|root| {
                (format!("{root}/class/report"), setup.settings().clone())
            }),
        });
        let _ = tracing::subscriber::set_global_default(Watcher(shared.clone()));
        let hook = shared.clone();
        panic::set_hook(Box::new(move |info| on_panic(&hook, info)));
        Recorder { shared, finished: false }
    }

    /// Ends the run: prints a line for every download that never returned (its
    /// worker panicked, or it was cancelled), then the timeline, and writes the
    /// JSON report. When the URLs came from a class's `serve`, it also sends
    /// the run's summary there, for the class page. The exit status is 0 when
    /// every download succeeded, else 1 (and 1 if the output could not be
    /// written).
    pub fn finish(mut self) -> ExitCode {
        self.finished = true;
        let wall = self.shared.started.elapsed();
        let mut out = std::io::stdout().lock();
        let report = {
            let mut log = self.shared.log();
            let lines = log.unprinted_lines(false);
            if let Err(err) = out.write_all(lines.as_bytes()) {
                return output_error("the output", &err);
            }
            log.report(self.shared.started, wall.as_secs_f64() * 1e3)
        };
        if self.shared.timeline {
            let timeline = format!("\n{}", report.timeline());
            if let Err(err) =
                out.write_all(timeline.as_bytes()).and_then(|()| out.flush())
            {
                return output_error("the output", &err);
            }
        }
        if let Some(path) = &self.shared.json {
            let json = serde_json::to_string(&report).unwrap_or_default() + "\n";
            if let Err(err) = fs::write(path, json) {
                return output_error(&path.display().to_string(), &err);
            }
        }
        if let Some((url, settings)) = &self.shared.class {
            send_summary(url, settings, &report);
        }
        if report.failures() == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
    }
}

/// Posts the run's summary to the class page; says on stderr if it could not.
fn send_summary(url: &str, settings: &crate::client::Settings, report: &Report) {
    let summary = serde_json::to_string(&crate::class::Summary::of(report))
        .unwrap_or_default();
    let (url, mut settings) = (url.to_string(), settings.clone());
    settings.timeout_s = 2.0;
    // On a thread of its own: the blocking client may not be used in an async
    // `main` such as lesson 5's.
    let sent = std::thread::spawn(move || -> crate::Result<()> {
        let client = crate::client::blocking(&settings)?;
        client.post(&url).body(summary).send()?.error_for_status()?;
        Ok(())
    });
    match sent.join() {
        Ok(Ok(())) => {}
        Ok(Err(err)) => {
            eprintln!("note: the class page did not get this run: {err}")
        }
        Err(_) => eprintln!("note: the class page did not get this run"),
    }
}

impl Drop for Recorder {
    /// A lesson's `main` that panics never calls `finish`: its URLs still get
    /// their lines, as the panic unwinds.
    fn drop(&mut self) {
        if !self.finished && thread::panicking() {
            let lines = self.shared.log().unprinted_lines(true);
            let _ = std::io::stdout().lock().write_all(lines.as_bytes());
        }
    }
}

/// Says in one line that `what` could not be written; exit status 1.
fn output_error(what: &str, err: &std::io::Error) -> ExitCode {
    eprintln!(
        "error: {}",
        crate::Error::Output(format!("{what}: {}", crate::error::plain(err)))
    );
    ExitCode::FAILURE
}

impl Shared {
    fn log(&self) -> MutexGuard<'_, Log> {
        // A panic may strike while the log is locked (the panic hook then leaves
        // it be); each change to it is whole, so a poisoned log is still good.
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The panic hook: one line on stderr instead of the usual three, and the
/// download under way on this thread is noted as panicked. A panic from
/// `println!` means the output is gone (a full disk, a closed pipe): nothing
/// more can be shown, so the run ends there, with status 1.
fn on_panic(shared: &Shared, info: &PanicHookInfo<'_>) {
    let message = crate::error::panic_message(info);
    if let Some(why) = message.strip_prefix("failed printing to stdout: ") {
        // Several threads may find the output gone at once: one says so.
        if OUTPUT_GONE.swap(true, std::sync::atomic::Ordering::SeqCst) {
            loop {
                thread::park();
            }
        }
        let why = why.split(" (os error").next().unwrap_or(why);
        eprintln!("error: cannot write the output: {why}");
        crate::cli::exit(1);
    }
    let name = thread::current().name().unwrap_or("a worker").to_string();
    let place = info.location().map(|at| format!(" at {at}")).unwrap_or_default();
    eprintln!("thread '{name}' panicked{place}: {message}");
    let current =
        STACK.try_with(|stack| stack.borrow().last().cloned()).ok().flatten();
    // The panic may have struck while the log was locked: then it is left be.
    if let (Some(id), Ok(mut log)) = (current, shared.log.try_lock()) {
        log.end(&id, Outcome::Lost(format!("the worker panicked: {message}")));
    }
}

/// Set once a thread has found the output gone and is ending the run.
static OUTPUT_GONE: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

thread_local! {
    /// The spans this thread is in, innermost last.
    static STACK: RefCell<Vec<Id>> = const { RefCell::new(Vec::new()) };
}

/// How a download ended.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// It returned this many bytes; the lesson printed `Read N from URL`.
    Read(u64),
    /// It returned this error; the lesson printed `Failed URL: reason`.
    Failed(String),
    /// It never returned (a panic, a cancelled task): the lesson printed
    /// nothing, so `finish` does.
    Lost(String),
}

/// Who downloads: the main thread, another thread, an async task, or a
/// worker the span names itself (a worker process). Named in the report, in
/// the order they first downloaded: it costs a download nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Worker {
    Main,
    Thread(ThreadId),
    Task(tokio::task::Id),
    Named(String),
}

impl Worker {
    fn current() -> Worker {
        if let Some(task) = tokio::task::try_id() {
            return Worker::Task(task);
        }
        let thread = thread::current();
        if thread.name() == Some("main") {
            Worker::Main
        } else {
            Worker::Thread(thread.id())
        }
    }
}

/// One URL of the list, and the download that took it.
struct Slot {
    url: String,
    span: Option<usize>,
}

/// One instrumented call: a download (of the URL in `slot`) or other work.
struct Call {
    name: &'static str,
    slot: Option<usize>,
    worker: Worker,
    start: Instant,
    end: Option<(Instant, Outcome)>,
    /// How many handles to the span are alive; it closes at 0.
    handles: usize,
}

/// Everything recorded so far, behind one lock.
struct Log {
    slots: Vec<Slot>,
    /// Where each URL's slots are, so that a hundred thousand URLs are found
    /// without a hundred thousand searches through the list.
    by_url: HashMap<String, Vec<usize>>,
    calls: Vec<Call>,
}

impl Log {
    fn new(urls: &[String]) -> Log {
        let mut log = Log {
            slots: Vec::with_capacity(urls.len()),
            by_url: HashMap::with_capacity(urls.len()),
            calls: Vec::new(),
        };
        for url in urls {
            log.add(url);
        }
        log
    }

    fn add(&mut self, url: &str) -> usize {
        self.slots.push(Slot { url: url.into(), span: None });
        let slot = self.slots.len() - 1;
        self.by_url.entry(url.into()).or_default().push(slot);
        slot
    }

    /// A URL listed twice fills its first free slot, so each gets one line; a
    /// URL not in the list gets a slot at the end.
    fn slot_for(&mut self, url: &str) -> usize {
        let slots = self.by_url.get(url).map(Vec::as_slice).unwrap_or_default();
        match slots.iter().copied().find(|&slot| self.slots[slot].span.is_none()) {
            Some(slot) => slot,
            None => self.add(url),
        }
    }

    /// Each call's worker's name: `main`, a name of its own, or `thread N`
    /// and `task N`, numbered in the order they first downloaded.
    fn names(&self) -> Vec<String> {
        let mut names: HashMap<&Worker, String> = HashMap::new();
        let (mut threads, mut tasks) = (0, 0);
        self.calls
            .iter()
            .map(|call| {
                let name = names.entry(&call.worker).or_insert_with(|| match &call
                    .worker
                {
                    Worker::Main => "main".into(),
                    Worker::Named(name) => name.clone(),
                    Worker::Thread(_) => {
                        threads += 1;
                        format!("thread {threads}")
                    }
                    Worker::Task(_) => {
                        tasks += 1;
                        format!("task {tasks}")
                    }
                });
                name.clone()
            })
            .collect()
    }

    fn call(&mut self, id: &Id) -> Option<&mut Call> {
        let index = usize::try_from(id.into_u64()).ok()?.checked_sub(1)?;
        self.calls.get_mut(index)
    }

    /// Notes how the call `id` ended, unless it already has.
    fn end(&mut self, id: &Id, outcome: Outcome) {
        if let Some(call) = self.call(id).filter(|call| call.end.is_none()) {
            call.end = Some((Instant::now(), outcome));
        }
    }

    /// `Failed URL: reason` for every URL whose download started but never
    /// returned, and with `untouched`, for those never started too; those
    /// lines are then counted as printed. A URL the lesson never started is
    /// left to the lesson when it ends normally: it may have printed why.
    fn unprinted_lines(&mut self, untouched: bool) -> String {
        let mut lines = String::new();
        for slot in &self.slots {
            let reason = match slot.span.map(|call| &self.calls[call].end) {
                None if untouched => "never downloaded",
                None => continue,
                Some(Some((_, Outcome::Lost(why)))) => why,
                Some(None) => "cancelled before it finished",
                Some(Some(_)) => continue,
            };
            lines += &format!("Failed {}: {reason}\n", slot.url);
        }
        // From now on, those downloads count as failed and printed.
        for call in &mut self.calls {
            if call.slot.is_some()
                && !matches!(
                    call.end,
                    Some((_, Outcome::Read(_) | Outcome::Failed(_)))
                )
            {
                let (end, why) = match call.end.take() {
                    Some((end, Outcome::Lost(why))) => (end, why),
                    _ => (Instant::now(), "cancelled before it finished".into()),
                };
                call.end = Some((end, Outcome::Failed(why)));
            }
        }
        lines
    }

    fn report(&self, started: Instant, wall_ms: f64) -> Report {
        let ms = |at: Instant| {
            round(at.saturating_duration_since(started).as_secs_f64() * 1e3)
        };
        let names = self.names();
        let sites = self.slots.iter().map(|slot| {
            let call = slot.span.map(|index| (index, &self.calls[index]));
            let (start, worker) = call.map_or((started, "none"), |(index, call)| {
                (call.start, names[index].as_str())
            });
            let call = call.map(|(_, call)| call);
            let (end, outcome) = match call.and_then(|call| call.end.as_ref()) {
                Some((end, outcome)) => (*end, outcome.clone()),
                None => (start, Outcome::Lost("never downloaded".into())),
            };
            let (bytes, error) = match outcome {
                Outcome::Read(bytes) => (Some(bytes), None),
                Outcome::Failed(why) | Outcome::Lost(why) => (None, Some(why)),
            };
            SiteReport {
                url: slot.url.clone(),
                bytes,
                error,
                start_ms: ms(start),
                end_ms: ms(end),
                worker: worker.into(),
            }
        });
        let work = (self.calls.iter().zip(&names))
            .filter(|(call, _)| call.slot.is_none())
            .map(|(call, worker)| {
                let end = call.end.as_ref().map_or(call.start, |(end, _)| *end);
                WorkReport {
                    name: call.name.into(),
                    worker: worker.clone(),
                    start_ms: ms(call.start),
                    end_ms: ms(end),
                }
            });
        Report {
            wall_ms: round(wall_ms),
            peak_rss_kb: platform::memory::peak_kb(),
            sites: sites.collect(),
            work: work.collect(),
        }
    }
}

/// The `tracing` subscriber: it files every span and event in the log.
struct Watcher(Arc<Shared>);

/// The fields of a span or event that the recorder reads.
#[derive(Default)]
struct Fields {
    url: Option<String>,
    worker: Option<String>,
    bytes: Option<u64>,
    error: Option<String>,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "url" => self.url = Some(value.into()),
            "worker" => self.worker = Some(value.into()),
            "error" => self.error = Some(value.into()),
            _ => {}
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        if matches!(field.name(), "return" | "bytes") {
            self.bytes = Some(value);
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        if let Ok(value) = u64::try_from(value) {
            self.record_u64(field, value);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let text = format!("{value:?}");
        match field.name() {
            // `ret` records a size with Debug: `2443`.
            "return" | "bytes" => self.bytes = text.parse().ok(),
            // A `&String` argument is recorded with Debug, in quotes.
            "url" | "worker" => {
                let text = text.trim_matches('"').to_string();
                if field.name() == "url" {
                    self.url = Some(text)
                } else {
                    self.worker = Some(text)
                }
            }
            "error" => self.error = Some(text),
            _ => {}
        }
    }
}

impl Subscriber for Watcher {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &span::Attributes<'_>) -> Id {
        let mut fields = Fields::default();
        span.record(&mut fields);
        let mut log = self.0.log();
        let worker = fields.worker.map_or_else(Worker::current, Worker::Named);
        let slot = fields.url.map(|url| log.slot_for(&url));
        let call = Call {
            name: span.metadata().name(),
            slot,
            worker,
            start: Instant::now(),
            end: None,
            handles: 1,
        };
        log.calls.push(call);
        let index = log.calls.len() - 1;
        if let Some(slot) = slot {
            log.slots[slot].span = Some(index);
        }
        Id::from_u64(index as u64 + 1)
    }

    fn record(&self, _: &Id, _: &span::Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let outcome = match (fields.bytes, fields.error) {
            (_, Some(error)) => Outcome::Failed(error),
            (Some(bytes), None) => Outcome::Read(bytes),
            (None, None) => return,
        };
        let parent = match event.parent() {
            Some(parent) => Some(parent.clone()),
            None if event.is_contextual() => {
                STACK.try_with(|stack| stack.borrow().last().cloned()).ok().flatten()
            }
            None => None,
        };
        if let Some(id) = parent {
            self.0.log().end(&id, outcome);
        }
    }

    fn enter(&self, span: &Id) {
        let _ = STACK.try_with(|stack| stack.borrow_mut().push(span.clone()));
    }

    fn exit(&self, span: &Id) {
        let _ = STACK.try_with(|stack| {
            let mut stack = stack.borrow_mut();
            if let Some(at) = stack.iter().rposition(|id| id == span) {
                stack.remove(at);
            }
        });
        if thread::panicking() {
            self.0.log().end(span, Outcome::Lost("the worker panicked".into()));
        }
    }

    fn clone_span(&self, span: &Id) -> Id {
        if let Some(call) = self.0.log().call(span) {
            call.handles += 1;
        }
        span.clone()
    }

    fn try_close(&self, span: Id) -> bool {
        let mut log = self.0.log();
        let Some(call) = log.call(&span) else { return false };
        call.handles = call.handles.saturating_sub(1);
        if call.handles > 0 {
            return false;
        }
        // Work ends when it closes; a download that closes without having
        // returned was dropped on the way: cancelled.
        let outcome = match call.slot {
            Some(_) => Outcome::Lost("cancelled before it finished".into()),
            None => Outcome::Read(0),
        };
        log.end(&span, outcome);
        true
    }
}

/// Milliseconds, to the microsecond.
fn round(ms: f64) -> f64 {
    (ms * 1e3).round() / 1e3
}
