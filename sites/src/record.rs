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
//!
//! # Layout
//!
//! - `log`: what was recorded, and the [`Report`] drawn from it.
//! - `watcher`: the `tracing` subscriber that records.
//! - `panic`: the panic hook, which keeps a panic to one line and notes the
//!   download it struck.

mod log;
mod panic;
mod watcher;

use std::{
    fs,
    io::Write,
    path::PathBuf,
    process::ExitCode,
    sync::{Arc, Mutex},
    thread,
    time::Duration,
    time::Instant,
};

use self::{
    log::{Log, lock},
    watcher::Watcher,
};
use web::language::Language;

use crate::{Report, Setup};

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

/// What the recorder knows of the run.
struct Shared {
    started: Instant,
    timeline: bool,
    json: Option<PathBuf>,
    /// What was recorded, shared with the subscriber and the panic hook.
    log: Arc<Mutex<Log>>,
    /// Where to report the run's summary, and as whom: a class's web.
    class: Option<(String, crate::client::Settings)>,
}

impl Recorder {
    /// Starts watching: installs the `tracing` subscriber and a panic hook that
    /// keeps a panic's message to one line. Call it once, just before the
    /// downloads start: the report's times count from here.
    pub fn start(setup: &Setup) -> Recorder {
        let log = Arc::new(Mutex::new(Log::new(setup.urls())));
        let _ = tracing::subscriber::set_global_default(Watcher(log.clone()));
        panic::install(log.clone());
        // The clock starts once the recorder is ready: making the log of ten
        // thousand URLs takes milliseconds that are no download's.
        let shared = Arc::new(Shared {
            started: Instant::now(),
            timeline: setup.args().timeline,
            json: setup.args().json.clone(),
            log,
            class: setup.serve().map(|root| {
                (format!("{root}/class/report"), setup.settings().clone())
            }),
        });
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
            let mut log = lock(&self.shared.log);
            let lines = log.unprinted_lines(false);
            if let Err(err) = out.write_all(lines.as_bytes()) {
                return output_error("the output", &err);
            }
            // It downloaded all the same, but told nobody how each went.
            if log.saw_no_call() {
                eprintln!("{}", no_call_seen(Language::of_the_system()));
            }
            log.report(self.shared.started, wall.as_secs_f64() * 1e3)
        };
        if self.shared.timeline {
            let timeline =
                format!("\n{}", report.timeline(Language::of_the_system()));
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

/// How long the class page may take to take a run's summary.
const SUMMARY_PATIENCE: Duration = Duration::from_secs(2);

/// Posts the run's summary to the class page; says on stderr if it could not.
fn send_summary(url: &str, settings: &crate::client::Settings, report: &Report) {
    let summary =
        web::Summary { notes_ms: crate::cli::notes_ms(), ..report.summary() };
    let summary = serde_json::to_string(&summary).unwrap_or_default();
    let (url, mut settings) = (url.to_string(), settings.clone());
    settings.timeout_s = SUMMARY_PATIENCE.as_secs_f64();
    // On a thread of its own: the blocking client may not be used in an async
    // `main` such as lesson 5's.
    let sent = std::thread::spawn(move || -> crate::Result<()> {
        let client = crate::client::blocking(&settings)?;
        client.post(&url).body(summary).send()?.error_for_status()?;
        Ok(())
    });
    let why = match sent.join() {
        Ok(Ok(())) => return,
        // Its own time limit, not the downloads' (--timeout).
        Ok(Err(crate::Error::Timeout(_))) => {
            format!(": {}", crate::Error::Timeout(SUMMARY_PATIENCE))
        }
        Ok(Err(err)) => format!(": {err}"),
        Err(_) => String::new(),
    };
    eprintln!("{}", not_sent(&why, Language::of_the_system()));
}

/// The note that no call of `download_one` was seen, in `language`.
fn no_call_seen(language: Language) -> &'static str {
    language.either(
        "note: no call of download_one was seen, so every site counts as failed: keep \
         #[tracing::instrument] above download_one, which tells --timeline, --json and the \
         exit status how each download went",
        "注意：没有看到对 download_one 的任何调用，所以每个网站都算作失败：请保留 \
         download_one 上方的 #[tracing::instrument]，--timeline、--json 和退出状态都靠它\
         知道每个下载的结果",
    )
}

/// The note that the class page did not get this run, and `why` (empty, or
/// `: ` and the error), in `language`.
fn not_sent(why: &str, language: Language) -> String {
    language.either(
        format!("note: the class page did not get this run{why}"),
        format!("注意：课堂页面没有收到这次运行{}", why.replacen(": ", "：", 1)),
    )
}

impl Drop for Recorder {
    /// A lesson's `main` that panics never calls `finish`: its URLs still get
    /// their lines, as the panic unwinds.
    fn drop(&mut self) {
        if !self.finished && thread::panicking() {
            let lines = lock(&self.shared.log).unprinted_lines(true);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setup::tests::chinese;

    #[test]
    fn a_run_s_notes_are_said_in_english_and_in_chinese() {
        let english = [
            no_call_seen(Language::English).to_string(),
            not_sent(": refused", Language::English),
        ];
        let said = [
            no_call_seen(Language::Chinese).to_string(),
            not_sent(": refused", Language::Chinese),
        ];
        for (english, chinese_said) in english.iter().zip(&said) {
            assert!(!chinese(english) && chinese(chinese_said), "{chinese_said}");
        }
        assert_eq!(english[1], "note: the class page did not get this run: refused");
        assert_eq!(said[1], "注意：课堂页面没有收到这次运行：refused");
    }
}
