//! What a recorder has seen: each URL of the list and the call that took it,
//! each instrumented call with its worker and outcome, and the report drawn
//! from them.

use std::{
    collections::HashMap,
    sync::{Mutex, MutexGuard, PoisonError},
    thread::{self, ThreadId},
    time::Instant,
};

use tracing::span::Id;

use crate::{Report, SiteReport, report::WorkReport};

/// The log, locked. A panic may strike while it is locked (the panic hook
/// then leaves it be); each change to it is whole, so a poisoned log is
/// still good.
pub(super) fn lock(log: &Mutex<Log>) -> MutexGuard<'_, Log> {
    log.lock().unwrap_or_else(PoisonError::into_inner)
}

/// How a download ended.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Outcome {
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
pub(super) enum Worker {
    Main,
    Thread(ThreadId),
    Task(tokio::task::Id),
    Named(String),
}

impl Worker {
    pub(super) fn current() -> Worker {
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
pub(super) struct Log {
    slots: Vec<Slot>,
    /// Where each URL's slots are, so that a hundred thousand URLs are found
    /// without a hundred thousand searches through the list.
    by_url: HashMap<String, Vec<usize>>,
    calls: Vec<Call>,
}

impl Log {
    pub(super) fn new(urls: &[String]) -> Log {
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

    /// Files a new call of the function `name` (a download, if it has a
    /// `url`) by `worker`; returns its span's id.
    pub(super) fn open(
        &mut self,
        name: &'static str,
        url: Option<String>,
        worker: Worker,
    ) -> Id {
        let slot = url.map(|url| self.slot_for(&url));
        let start = Instant::now();
        let call = Call { name, slot, worker, start, end: None, handles: 1 };
        self.calls.push(call);
        let index = self.calls.len() - 1;
        if let Some(slot) = slot {
            self.slots[slot].span = Some(index);
        }
        Id::from_u64(index as u64 + 1)
    }

    /// Notes one more handle to the span `id`.
    pub(super) fn cloned(&mut self, id: &Id) {
        if let Some(call) = self.call(id) {
            call.handles += 1;
        }
    }

    /// Notes a handle to the span `id` dropped; says whether it was the last,
    /// which closes it.
    pub(super) fn closed(&mut self, id: &Id) -> bool {
        let Some(call) = self.call(id) else { return false };
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
        self.end(id, outcome);
        true
    }

    fn call(&mut self, id: &Id) -> Option<&mut Call> {
        let index = usize::try_from(id.into_u64()).ok()?.checked_sub(1)?;
        self.calls.get_mut(index)
    }

    /// Notes how the call `id` ended, unless it already has.
    pub(super) fn end(&mut self, id: &Id, outcome: Outcome) {
        if let Some(call) = self.call(id).filter(|call| call.end.is_none()) {
            call.end = Some((Instant::now(), outcome));
        }
    }

    /// `Failed URL: reason` for every URL whose download started but never
    /// returned, and with `untouched`, for those never started too; those
    /// lines are then counted as printed. A URL the lesson never started is
    /// left to the lesson when it ends normally: it may have printed why.
    pub(super) fn unprinted_lines(&mut self, untouched: bool) -> String {
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

    /// Whether sites were given but no instrumented call was ever seen: the
    /// lesson's `download_one` lost its `#[tracing::instrument]`.
    pub(super) fn saw_no_call(&self) -> bool {
        self.calls.is_empty() && !self.slots.is_empty()
    }

    pub(super) fn report(&self, started: Instant, wall_ms: f64) -> Report {
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

/// Milliseconds, to the microsecond.
fn round(ms: f64) -> f64 {
    (ms * 1e3).round() / 1e3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_given_and_no_call_seen_is_told_from_a_run_that_called() {
        let urls = ["http://127.0.0.1:9/a/".to_string()];
        let mut log = Log::new(&urls);
        assert!(log.saw_no_call(), "download_one lost its instrument");
        log.open("download_one", Some(urls[0].clone()), Worker::current());
        assert!(!log.saw_no_call());
        assert!(!Log::new(&[]).saw_no_call(), "no sites, nothing to see");
    }
}
