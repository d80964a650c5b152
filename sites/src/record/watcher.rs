//! The `tracing` subscriber that records: it files every span (a call of an
//! instrumented function) and the event that ends it in the log.

use std::{
    cell::RefCell,
    sync::{Arc, Mutex},
    thread,
};

use tracing::{
    Event, Metadata, Subscriber,
    field::{Field, Visit},
    span::{self, Id},
};

use super::log::{Log, Outcome, Worker, lock};

thread_local! {
    /// The spans this thread is in, innermost last.
    static STACK: RefCell<Vec<Id>> = const { RefCell::new(Vec::new()) };
}

/// The span this thread is in, innermost, if any.
pub(super) fn current_span() -> Option<Id> {
    STACK.try_with(|stack| stack.borrow().last().cloned()).ok().flatten()
}

/// The `tracing` subscriber: it files every span, and each event that ends
/// one, in the log.
pub(super) struct Watcher(pub(super) Arc<Mutex<Log>>);

/// The fields of an event that say how a download ended: its size (`ret`'s
/// `return`, or `bytes`) or its error.
const OUTCOMES: [&str; 3] = ["return", "bytes", "error"];

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
    /// Every span, and only the events that can end one: those with a
    /// size or an error. The many others (hyper's and reqwest's, as each
    /// request goes) are then never built, and cost a download nothing.
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        let fields = metadata.fields();
        metadata.is_span()
            || OUTCOMES.iter().any(|name| fields.field(name).is_some())
    }

    fn new_span(&self, span: &span::Attributes<'_>) -> Id {
        let mut fields = Fields::default();
        span.record(&mut fields);
        let worker = fields.worker.map_or_else(Worker::current, Worker::Named);
        lock(&self.0).open(span.metadata().name(), fields.url, worker)
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
            None if event.is_contextual() => current_span(),
            None => None,
        };
        if let Some(id) = parent {
            lock(&self.0).end(&id, outcome);
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
            lock(&self.0).end(span, Outcome::Lost("the worker panicked".into()));
        }
    }

    fn clone_span(&self, span: &Id) -> Id {
        lock(&self.0).cloned(span);
        span.clone()
    }

    fn try_close(&self, span: Id) -> bool {
        lock(&self.0).closed(&span)
    }
}

#[cfg(test)]
mod tests {
    use tracing::Level;

    use super::*;

    #[test]
    fn only_spans_and_the_events_that_end_a_download_are_taken() {
        let watcher = Watcher(Arc::new(Mutex::new(Log::new(&[]))));
        tracing::subscriber::with_default(watcher, || {
            // What hyper and reqwest say as each request goes: never built.
            assert!(!tracing::event_enabled!(Level::TRACE, message));
            assert!(!tracing::event_enabled!(Level::INFO, url));
            // What `#[instrument(ret, err)]` and a worker process send.
            assert!(tracing::event_enabled!(Level::INFO, r#return));
            assert!(tracing::event_enabled!(Level::INFO, bytes));
            assert!(tracing::event_enabled!(Level::ERROR, error));
            assert!(tracing::span_enabled!(Level::INFO, url));
        });
    }
}
