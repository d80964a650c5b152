//! The panic hook of a recorded run.

use std::{
    panic::{self, PanicHookInfo},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    thread,
};

use super::{
    log::{Log, Outcome},
    watcher,
};

/// Installs the hook, which notes a panic in `log`.
pub(super) fn install(log: Arc<Mutex<Log>>) {
    panic::set_hook(Box::new(move |info| on_panic(&log, info)));
}

/// The panic hook: one line on stderr instead of the usual three, and the
/// download under way on this thread is noted as panicked. A panic from
/// `println!` means the output is gone (a full disk, a closed pipe): nothing
/// more can be shown, so the run ends there, with status 1.
fn on_panic(log: &Mutex<Log>, info: &PanicHookInfo<'_>) {
    let message = crate::error::panic_message(info);
    if let Some(why) = message.strip_prefix("failed printing to stdout: ") {
        // Several threads may find the output gone at once: one says so.
        if OUTPUT_GONE.swap(true, Ordering::SeqCst) {
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
    // The panic may have struck while the log was locked: then it is left be.
    if let (Some(id), Ok(mut log)) = (watcher::current_span(), log.try_lock()) {
        log.end(&id, Outcome::Lost(format!("the worker panicked: {message}")));
    }
}

/// Set once a thread has found the output gone and is ending the run.
static OUTPUT_GONE: AtomicBool = AtomicBool::new(false);
