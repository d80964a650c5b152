//! Running a case and measuring it: each run of a lesson is a process of its
//! own, given a list of the web's URLs, and read back from its JSON report.

use std::{
    path::Path,
    process::{Command, Stdio},
    time::Duration,
};

use anyhow::{Context, bail};
use serde::Serialize;
use sites::{Pages, Report, SimulatedWeb, harness::url_file};

use crate::cases::{Case, LIMIT};

/// One measured program.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The lesson's package, or our Python program's name.
    pub lesson: String,
    /// The variant, or the setting it ran with.
    pub variant: String,
    /// How many workers took sites: the lanes of the timeline.
    pub workers: usize,
    /// The most downloads under way at once: fewer than `workers` where
    /// workers wait their turn (lesson 5's tasks with `--workers 3`).
    pub at_once: usize,
    /// How many pages it downloaded.
    pub pages: usize,
    /// The median wall time of the runs.
    pub wall_ms: f64,
    /// The slowest run's time less the fastest's.
    pub spread_ms: f64,
    /// The shortest time the run could have taken.
    pub limit_ms: f64,
    /// The time to start the worker processes, for a process pool.
    pub startup_ms: f64,
    /// The longest the row may take and still be inside its target.
    pub target_ms: Option<f64>,
    /// The most memory the lesson's process held, in KiB.
    pub peak_rss_kb: Option<u64>,
    /// The most memory it may hold and still be inside its target.
    pub target_rss_kb: Option<u64>,
    /// How many copies of the client ran at once, each with its share of the
    /// pages.
    pub copies: usize,
    /// Pages downloaded per second.
    pub requests_per_s: f64,
    /// Requests per second that `wrk -t1 -c100` got from the same web, in
    /// the same sitting, for the row measured against it; `Some(None)` where
    /// `wrk` is not installed.
    #[serde(skip)]
    pub wrk_per_s: Option<Option<f64>>,
    /// CPU time per page on each side of the loopback, in µs, over all the
    /// row's runs: the client's processes, and this one, which holds the
    /// simulated web's server (and reads the runs' reports, a small part).
    /// `None` where the system keeps no count of a child's CPU (Windows).
    pub cpu_per_page_us: Option<(f64, f64)>,
    /// What the notes measured for this program, if they did.
    pub notes_ms: Option<f64>,
    /// The median run's report, for the book's pictures.
    #[serde(skip)]
    pub report: Report,
}

impl Row {
    /// Whether it took no longer, and held no more memory, than its target.
    pub fn within_target(&self) -> bool {
        let time = self.target_ms.is_none_or(|target| self.wall_ms <= target);
        let memory = match (self.target_rss_kb, self.peak_rss_kb) {
            (Some(target), Some(peak)) => peak <= target,
            (Some(_), None) => false,
            (None, _) => true,
        };
        time && memory
    }
}

/// A simulated web and a file listing its pages, for `--urls`.
pub struct Web {
    web: SimulatedWeb,
    /// The pages' URLs, in order.
    urls: Vec<String>,
    /// The file that lists them.
    pub list: tempfile::TempPath,
}

impl Web {
    /// Starts a web serving `pages`, and writes their list.
    pub fn start(pages: Pages) -> anyhow::Result<Web> {
        let web = SimulatedWeb::start(pages)?;
        let urls = web.urls();
        let list = url_file(&urls)?;
        Ok(Web { web, urls, list })
    }

    /// Requests per second that `wrk -t1 -c100 -d1s` gets from the web's
    /// first page: what a client written for speed gets from the same web.
    /// `None` where `wrk` is not installed (Debian's package `wrk`).
    fn wrk(&self) -> anyhow::Result<Option<f64>> {
        let url = self.urls.first().context("a web of no pages")?;
        let output =
            match Command::new("wrk").args(["-t1", "-c100", "-d1s", url]).output() {
                Ok(output) => output,
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                    return Ok(None);
                }
                Err(err) => return Err(err.into()),
            };
        let text = String::from_utf8_lossy(&output.stdout);
        let rate = text.lines().find_map(|line| line.strip_prefix("Requests/sec:"));
        let rate = rate.and_then(|rate| rate.trim().parse().ok());
        rate.map(Some).with_context(|| format!("wrk said no rate: {text}"))
    }

    /// How long the web takes to serve `url`, in ms; 0 if it is none of its
    /// pages.
    fn latency(&self, url: &str) -> f64 {
        self.web.page(url).map_or(0.0, |page| page.latency().as_secs_f64() * 1e3)
    }
}

/// Runs `command` with `args` and `--json FILE`, its lines kept.
pub fn run(
    command: &[String],
    args: &[&str],
) -> anyhow::Result<sites::harness::Finished> {
    let (program, first) = command.split_first().context("an empty command")?;
    let args: Vec<&str> =
        first.iter().map(String::as_str).chain(args.iter().copied()).collect();
    Ok(sites::harness::run_reporting(program, &args, LIMIT)?)
}

/// Runs a case `repeat` times on `web`'s pages and takes the median. With
/// `copies` above 1, that many copies run at once, each with its share of the
/// pages, and the slowest copy's time counts.
pub fn measure(
    case: &Case,
    web: &Web,
    repeat: u32,
    copies: usize,
) -> anyhow::Result<Row> {
    let shares: Vec<tempfile::TempPath> = (0..copies)
        .map(|copy| {
            let share: Vec<String> =
                web.urls.iter().skip(copy).step_by(copies).cloned().collect();
            url_file(&share)
        })
        .collect::<std::io::Result<_>>()?;
    let lists: Vec<&Path> = if copies == 1 {
        vec![&web.list]
    } else {
        shares.iter().map(|p| p.as_ref()).collect()
    };
    // The CPU both sides used: the children this process waited for, and
    // this process itself.
    let me = std::process::id();
    let cpu = || platform::cpu::children().zip(platform::cpu::process(me));
    let before = cpu();
    let mut reports = Vec::new();
    for _ in 0..repeat {
        let runs: Vec<anyhow::Result<Report>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (lists.iter())
                .map(|list| scope.spawn(move || run_once(case, list)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| bail!("a run panicked")))
                .collect()
        });
        let runs = runs.into_iter().collect::<anyhow::Result<Vec<Report>>>()?;
        reports.push(runs);
    }
    let downloads = (web.urls.len() * repeat as usize).max(1) as f64;
    let cpu_per_page_us =
        before.zip(cpu()).map(|((client, server), (after, theirs))| {
            let per_page = |used: Duration| used.as_secs_f64() * 1e6 / downloads;
            (
                per_page(after.saturating_sub(client)),
                per_page(theirs.saturating_sub(server)),
            )
        });
    // The slowest copy decides a repeat's time, and its limit.
    let wall =
        |runs: &Vec<Report>| runs.iter().map(|r| r.wall_ms).fold(0.0, f64::max);
    reports.sort_by(|a, b| wall(a).total_cmp(&wall(b)));
    let spread = wall(&reports[reports.len() - 1]) - wall(&reports[0]);
    let median = reports.swap_remove(reports.len() / 2);
    let wall_ms = wall(&median);
    let limit_ms =
        median.iter().map(|r| r.limit(|url| web.latency(url))).fold(0.0, f64::max);
    let report = median.into_iter().next().context("no run")?;
    let pages = web.urls.len();
    let startup = report.startup_ms();
    Ok(Row {
        lesson: case.name.clone(),
        variant: case.variant.clone(),
        workers: report.workers().len(),
        at_once: report.peak_in_flight(),
        pages,
        wall_ms,
        spread_ms: spread,
        limit_ms,
        startup_ms: startup,
        target_ms: Some(limit_ms * 1.03 + 15.0 + startup),
        peak_rss_kb: report.peak_rss_kb,
        target_rss_kb: None,
        copies,
        requests_per_s: pages as f64 / (wall_ms / 1000.0).max(1e-9),
        wrk_per_s: None,
        cpu_per_page_us,
        notes_ms: case.notes_ms,
        report,
    })
}

/// [`measure`] run by run, each followed by a second of wrk on the same web,
/// so that a change in the machine's pace touches both: the median run's row,
/// with wrk's median rate.
pub fn against_wrk(case: &Case, web: &Web, repeat: u32) -> anyhow::Result<Row> {
    let (mut runs, mut rates) = (Vec::new(), Vec::new());
    for _ in 0..repeat {
        runs.push(measure(case, web, 1, 1)?);
        rates.extend(web.wrk()?);
    }
    runs.sort_by(|a, b| a.wall_ms.total_cmp(&b.wall_ms));
    rates.sort_by(f64::total_cmp);
    let spread = runs[runs.len() - 1].wall_ms - runs[0].wall_ms;
    let mut row = runs.swap_remove(runs.len() / 2);
    row.spread_ms = spread;
    row.wrk_per_s = Some(rates.get(rates.len() / 2).copied());
    Ok(row)
}

/// Runs `case` once on the URLs of `list`. Its lines go to a file, where a
/// benchmark's output is best sent: each is still written, but no reader is
/// woken for each, as this process would be through a pipe (and wrk, which
/// it is measured against, prints nothing per request).
fn run_once(case: &Case, list: &Path) -> anyhow::Result<Report> {
    let (program, first) = case.command.split_first().context("an empty command")?;
    let mut command = Command::new(program);
    command.args(first).arg("--urls").arg(list).args(&case.extra);
    command.stdout(tempfile::tempfile()?).stderr(Stdio::piped());
    let done = sites::harness::run_command_reporting(command, LIMIT)?;
    if done.code != Some(0) {
        bail!("{} {} failed: {}", case.name, case.variant, done.stderr);
    }
    done.report().cloned().map_err(anyhow::Error::msg)
}
