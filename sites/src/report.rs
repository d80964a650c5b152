//! The report of a run: what `--json FILE` writes, and the `--timeline` drawn
//! from it.

use std::{collections::HashMap, fmt::Write as _};

use serde::{Deserialize, Serialize};
use unicode_width::UnicodeWidthStr;
use web::{Summary, language::Language, limit::Download};
pub use web::{
    WorkReport,
    limit::{in_flight_changes, most_at_once},
};

/// How a report names a worker process: `process` and its id.
pub(crate) const PROCESS: &str = "process";

/// What `--json FILE` writes: the whole run, times in milliseconds since it
/// began.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The run's wall-clock time.
    pub wall_ms: f64,
    /// The most memory the process held at once, in KiB, as the system
    /// counts it (see [`platform::memory::peak_kb`]); `None` where it does
    /// not say.
    #[serde(default)]
    pub peak_rss_kb: Option<u64>,
    /// One entry per URL, in the order given.
    pub sites: Vec<SiteReport>,
    /// Other instrumented work, such as lesson 5's `work_on`.
    #[serde(default)]
    pub work: Vec<WorkReport>,
}

/// One URL's download.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteReport {
    /// The URL as given.
    pub url: String,
    /// The body size; `None` when the download failed.
    pub bytes: Option<u64>,
    /// Why the download failed; `None` when it succeeded.
    pub error: Option<String>,
    /// When the download started.
    pub start_ms: f64,
    /// When it ended.
    pub end_ms: f64,
    /// Who downloaded it: `main`, `thread 3`, `task 12`, `process 4242`...
    pub worker: String,
}

/// How many rows a timeline draws; the rest are counted, not drawn.
const MOST_ROWS: usize = 60;

/// How many columns a timeline's bars span.
const WIDTH: usize = 60;

impl Report {
    /// Reads what `--json FILE` wrote.
    pub fn from_json(json: &str) -> serde_json::Result<Self> {
        serde_json::from_str(json)
    }

    /// The workers, in the order they started their first download.
    pub fn workers(&self) -> Vec<&str> {
        let mut workers = self.first_starts();
        workers.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(b.0)));
        workers.into_iter().map(|(worker, _)| worker).collect()
    }

    /// How long the slowest worker process took to start: the latest of the
    /// processes' first downloads; 0 for threads and tasks, which start at
    /// once.
    pub fn startup_ms(&self) -> f64 {
        (self.first_starts().into_iter())
            .filter(|(worker, _)| worker.starts_with(PROCESS))
            .fold(0.0, |latest, (_, start)| f64::max(latest, start))
    }

    /// Each worker with the start of its first download.
    fn first_starts(&self) -> Vec<(&str, f64)> {
        let mut first: HashMap<&str, f64> = HashMap::new();
        for site in &self.sites {
            let at = first.entry(&site.worker).or_insert(site.start_ms);
            *at = at.min(site.start_ms);
        }
        first.into_iter().collect()
    }

    /// The most downloads that were under way at the same moment.
    pub fn peak_in_flight(&self) -> usize {
        let spans = self.sites.iter().map(|site| (site.start_ms, site.end_ms));
        most_at_once(&in_flight_changes(spans))
    }

    /// The URLs in the order their downloads ended.
    pub fn finish_order(&self) -> Vec<&str> {
        let mut sites: Vec<&SiteReport> = self.sites.iter().collect();
        sites.sort_by(|a, b| a.end_ms.total_cmp(&b.end_ms));
        sites.into_iter().map(|site| site.url.as_str()).collect()
    }

    /// The shortest time the run could have taken ([`web::limit::limit`]),
    /// given how long each page takes to serve: `latency` of a URL, in ms.
    /// `compare` measures runs against it.
    ///
    /// ```
    /// # use sites::{Report, SiteReport};
    /// let site = |url: &str, worker: &str| SiteReport {
    ///     url: url.into(), bytes: Some(1), error: None,
    ///     start_ms: 0.0, end_ms: 0.0, worker: worker.into(),
    /// };
    /// let one_by_one = Report {
    ///     wall_ms: 0.0, peak_rss_kb: None, work: Vec::new(),
    ///     sites: vec![site("100", "main"), site("300", "main")],
    /// };
    /// assert_eq!(one_by_one.limit(|url| url.parse().unwrap_or(0.0)), 400.0);
    /// ```
    pub fn limit(&self, latency: impl Fn(&str) -> f64) -> f64 {
        let downloads: Vec<Download> = (self.sites.iter())
            .map(|site| Download {
                worker: &site.worker,
                start_ms: site.start_ms,
                end_ms: site.end_ms,
                latency_ms: latency(&site.url),
            })
            .collect();
        web::limit::limit(&downloads, &self.work)
    }

    /// What a run posts to a class's page when it ends.
    pub fn summary(&self) -> Summary {
        let workers = self.workers();
        let number = |worker: &str| workers.iter().position(|w| *w == worker);
        // A tenth of a millisecond is all a page can draw.
        let tenth = |ms: f64| (ms * 10.0).round() / 10.0;
        let timeline = (self.sites.iter().take(web::MOST_SEEN))
            .map(|site| {
                let worker = number(&site.worker).unwrap_or(0) as u32;
                let ok = site.error.is_none();
                web::Seen(tenth(site.start_ms), tenth(site.end_ms), worker, ok)
            })
            .collect();
        Summary {
            wall_ms: self.wall_ms,
            workers: workers.len(),
            sites: self.sites.len(),
            failures: self.failures(),
            work: self.work.iter().take(100).cloned().collect(),
            notes_ms: None,
            timeline,
        }
    }

    /// How many workers took sites, and how many downloaded at once where
    /// that was fewer, in `language`: lesson 5's `--workers 3` is 12 tasks,
    /// 3 at a time.
    fn workers_at_once(&self, language: Language) -> String {
        let (workers, at_once) = (self.workers().len(), self.peak_in_flight());
        let (noun, zh) = self.worker_noun();
        let plural = if workers == 1 { "" } else { "s" };
        match (0 < at_once && at_once < workers, language) {
            (true, Language::English) => {
                format!("{workers} {noun}{plural}, at most {at_once} at once")
            }
            (false, Language::English) => format!("{workers} {noun}{plural}"),
            (true, Language::Chinese) => {
                format!("{workers} {zh}，最多同时 {at_once} 个")
            }
            (false, Language::Chinese) => format!("{workers} {zh}"),
        }
    }

    /// What the timeline calls a worker, in English and in Chinese: lesson
    /// 5's are its tasks, a task per site.
    fn worker_noun(&self) -> (&'static str, &'static str) {
        let workers = self.workers();
        match workers.iter().all(|worker| worker.starts_with("task ")) {
            true => ("task", "个任务"),
            false => ("worker", "个工作单元"),
        }
    }

    /// How many downloads failed.
    pub fn failures(&self) -> usize {
        self.sites.iter().filter(|site| site.error.is_some()).count()
    }

    /// Draws the run: a block of rows per worker, a row per site, `#` while the
    /// site downloads (`x` if it failed), `=` while the worker does other work.
    /// A sequential run is a staircase; a pool of five is five short staircases
    /// side by side in time. Past 60 rows, the rest are counted, not drawn.
    /// Its words are in `language`.
    pub fn timeline(&self, language: Language) -> String {
        let wall = self.wall_ms.max(1.0);
        let column = |ms: f64| ((ms / wall * WIDTH as f64) as usize).min(WIDTH);
        let workers = self.workers();
        let lane: HashMap<&str, usize> = workers
            .iter()
            .enumerate()
            .map(|(lane, worker)| (*worker, lane))
            .collect();
        // Every bar, in the order drawn: by worker, then by start. Sorting once
        // keeps a hundred thousand sites quick to draw.
        let sites = self.sites.iter().map(|site| {
            let mark = if site.error.is_some() { 'x' } else { '#' };
            (
                site.worker.as_str(),
                short_name(&site.url),
                site.start_ms,
                site.end_ms,
                mark,
            )
        });
        let work = self.work.iter().map(|work| {
            (
                work.worker.as_str(),
                work.name.clone(),
                work.start_ms,
                work.end_ms,
                '=',
            )
        });
        let mut bars: Vec<_> = sites.chain(work).collect();
        bars.sort_by(|a, b| {
            let lane =
                |worker: &str| lane.get(worker).copied().unwrap_or(usize::MAX);
            lane(a.0).cmp(&lane(b.0)).then(a.2.total_cmp(&b.2))
        });
        let titles = language.either(("worker", "site"), ("工作单元", "网站"));
        let wide = workers.iter().map(|worker| worker.width()).max();
        let wide = wide.unwrap_or(0).max(titles.0.width());
        let mut out = String::new();
        let _ = writeln!(out, "{}", self.heading(language));
        let end = format!("{:.2} s", wall / 1000.0);
        let _ = writeln!(
            out,
            "{}{} 0 s{end:>width$}",
            padded(titles.0, wide + 1),
            padded(titles.1, 24),
            width = WIDTH - 1
        );
        let mut previous = "";
        for (worker, name, start, finish, mark) in bars.iter().take(MOST_ROWS) {
            let (from, to) = (column(*start), column(*finish));
            let bar: String =
                std::iter::repeat_n(*mark, to.saturating_sub(from).max(1)).collect();
            let label = if *worker == previous { "" } else { worker };
            previous = worker;
            let _ = writeln!(
                out,
                "{}{name:<24} |{:from$}{bar:<rest$}|",
                padded(label, wide + 1),
                "",
                rest = WIDTH - from
            );
        }
        if bars.len() > MOST_ROWS {
            let (more, all) = (bars.len() - MOST_ROWS, workers.len());
            let (noun, zh) = self.worker_noun();
            let plural = if all == 1 { "" } else { "s" };
            let _ = writeln!(
                out,
                "{}",
                language.either(
                    format!(
                        "... {more} more rows not drawn, for {all} {noun}{plural} in all"
                    ),
                    format!("……另有 {more} 行没有画出，共 {all} {zh}"),
                )
            );
        }
        out
    }

    /// The timeline's first line, in `language`: the run in numbers.
    fn heading(&self, language: Language) -> String {
        let (sites, workers) = (self.sites.len(), self.workers_at_once(language));
        let wall = self.wall_ms.max(1.0);
        let (seconds, column) = (wall / 1000.0, wall / WIDTH as f64);
        let memory = |said: &str| {
            (self.peak_rss_kb)
                .map(|kb| format!("{said} {:.1} MiB", kb as f64 / 1024.0))
                .unwrap_or_default()
        };
        language.either(
            format!(
                "Timeline: {sites} sites, {workers}, {seconds:.2} s{}; a column is \
                 {column:.0} ms",
                memory(", peak memory")
            ),
            format!(
                "时间线：{sites} 个网站，{workers}，{seconds:.2} s{}；每一列是 \
                 {column:.0} ms",
                memory("，内存峰值")
            ),
        )
    }
}

/// `text` and spaces after it, to fill `columns` of a terminal (a Chinese
/// character takes two, which `format!`'s padding counts as one).
fn padded(text: &str, columns: usize) -> String {
    let spaces = columns.saturating_sub(text.width());
    format!("{text}{:spaces$}", "")
}

/// A URL short enough for the timeline: the path alone on loopback (where the
/// simulated web puts the real host in the path), else host and path.
fn short_name(url: &str) -> String {
    let name = match reqwest::Url::parse(url) {
        Ok(parsed) => {
            let host = parsed.host_str().unwrap_or("");
            let ip = host.trim_matches(['[', ']']).parse::<std::net::IpAddr>();
            let loopback =
                host == "localhost" || ip.is_ok_and(|ip| ip.is_loopback());
            let path = parsed.path().trim_start_matches('/');
            if loopback { path.to_string() } else { format!("{host}/{path}") }
        }
        Err(_) => url.to_string(),
    };
    name.chars().take(24).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report of sites with these (latency, worker, start) each, latency as
    /// the URL.
    fn timed(sites: &[(f64, &str, f64)]) -> Report {
        let site = |&(latency, worker, start): &(f64, &str, f64)| SiteReport {
            url: latency.to_string(),
            bytes: Some(1),
            error: None,
            start_ms: start,
            end_ms: start + latency,
            worker: worker.into(),
        };
        Report {
            wall_ms: 0.0,
            peak_rss_kb: None,
            sites: sites.iter().map(site).collect(),
            work: Vec::new(),
        }
    }

    fn latency(url: &str) -> f64 {
        url.parse().unwrap_or(0.0)
    }

    #[test]
    fn the_summary_of_the_largest_run_fits_what_a_class_s_server_takes() {
        // 100,000 sites at the far end of a long run, with work of long names.
        let sites: Vec<(f64, String, f64)> = (0..100_000)
            .map(|n| (99_999.9, format!("task {n}"), 3_599_999.9))
            .collect();
        let sites: Vec<(f64, &str, f64)> =
            sites.iter().map(|(l, w, s)| (*l, w.as_str(), *s)).collect();
        let mut report = timed(&sites);
        report.sites[7].error = Some("HTTP status 500".into());
        let work = WorkReport {
            name: "work_on".repeat(20),
            worker: "process 4294967295".into(),
            start_ms: 3_599_999.9,
            end_ms: 3_599_999.9,
        };
        report.work = vec![work; 1000];
        let summary = report.summary();
        let json = serde_json::to_string(&summary).expect("JSON");
        assert!(json.len() <= web::MOST_SUMMARY_BYTES, "{} bytes", json.len());
        assert_eq!(summary.timeline.len(), web::MOST_SEEN);
        let web::Seen(start, end, _, ok) = summary.timeline[7];
        assert_eq!((start, end, ok), (3_599_999.9, 3_699_999.8, false));
    }

    #[test]
    fn one_by_one_takes_the_sum_and_all_at_once_the_slowest() {
        let one_by_one = timed(&[
            (100.0, "main", 0.0),
            (300.0, "main", 100.0),
            (200.0, "main", 400.0),
        ]);
        assert_eq!(one_by_one.limit(latency), 600.0);
        let at_once =
            timed(&[(100.0, "a", 0.0), (300.0, "b", 0.0), (200.0, "c", 0.0)]);
        assert_eq!(at_once.limit(latency), 300.0);
    }

    #[test]
    fn startup_is_the_latest_first_start_of_a_worker_process() {
        let processes = timed(&[
            (100.0, "process 1", 5.0),
            (50.0, "process 2", 9.0),
            (10.0, "process 2", 60.0),
        ]);
        assert_eq!(processes.startup_ms(), 9.0);
        assert_eq!(timed(&[(100.0, "thread 1", 5.0)]).startup_ms(), 0.0);
    }

    #[test]
    fn a_worker_that_took_more_than_its_share_sets_the_limit() {
        // rayon's halves: a takes 100 + 300, b takes 200 + 50, two at once.
        let halves = timed(&[
            (100.0, "a", 0.0),
            (300.0, "a", 100.0),
            (200.0, "b", 0.0),
            (50.0, "b", 200.0),
        ]);
        assert_eq!(halves.limit(latency), 400.0);
        // A task that works a second after its download.
        let mut blocking = timed(&[(40.0, "task 1", 0.0), (300.0, "task 2", 0.0)]);
        let work = WorkReport {
            name: "work_on".into(),
            worker: "task 1".into(),
            start_ms: 40.0,
            end_ms: 1040.0,
        };
        blocking.work.push(work);
        assert_eq!(blocking.limit(latency), 1040.0);
    }

    fn site(url: &str, worker: &str, start_ms: f64, end_ms: f64) -> SiteReport {
        let (bytes, error) = (Some(1), None);
        let (url, worker) = (url.into(), worker.into());
        SiteReport { url, bytes, error, start_ms, end_ms, worker }
    }

    fn report(sites: Vec<SiteReport>) -> Report {
        Report { wall_ms: 100.0, peak_rss_kb: None, sites, work: Vec::new() }
    }

    #[test]
    fn back_to_back_downloads_are_not_at_once() {
        let one_by_one = report(vec![
            site("http://a/", "main", 0.0, 50.0),
            site("http://b/", "main", 50.0, 100.0),
        ]);
        assert_eq!(one_by_one.peak_in_flight(), 1);
        let overlapping = report(vec![
            site("http://a/", "t1", 0.0, 60.0),
            site("http://b/", "t2", 50.0, 100.0),
        ]);
        assert_eq!(overlapping.peak_in_flight(), 2);
        assert_eq!(overlapping.workers(), ["t1", "t2"]);
    }

    #[test]
    fn a_timeline_draws_each_worker_s_sites_together_and_folds_the_rest() {
        let sites = (0..1000)
            .map(|n| {
                site(
                    &format!("http://127.0.0.1/page/{n}"),
                    &format!("task {}", n % 3),
                    n as f64 / 10.0,
                    100.0,
                )
            })
            .collect();
        let report = report(sites);
        let timeline = report.timeline(Language::English);
        let lines: Vec<&str> = timeline.lines().collect();
        assert_eq!(lines.len(), 2 + MOST_ROWS + 1, "{timeline}");
        assert!(
            lines[2].starts_with("task 0 ")
                && lines[3].starts_with("       page/3 "),
            "{timeline}"
        );
        assert_eq!(
            lines[2 + MOST_ROWS],
            "... 940 more rows not drawn, for 3 tasks in all"
        );
        // In Chinese, the same numbers in the same places.
        let chinese = report.timeline(Language::Chinese);
        let chinese: Vec<&str> = chinese.lines().collect();
        assert!(
            chinese[0].starts_with("时间线：1000 个网站，3 个任务"),
            "{}",
            chinese[0]
        );
        // In each language, the columns' names stand over their columns (a
        // Chinese character takes two of a terminal's).
        for lines in [&lines, &chinese] {
            let before = |line: &str, mark: &str| {
                line.split_once(mark).map(|(before, _)| before.width())
            };
            assert_eq!(
                before(lines[1], " 0 s"),
                before(lines[2], " |"),
                "{lines:#?}"
            );
        }
        assert!(chinese[1].starts_with("工作单元 网站"), "{}", chinese[1]);
        let words = |lines: &[&str]| -> Vec<String> {
            lines.iter().map(|line| line.split_whitespace().collect()).collect()
        };
        assert_eq!(
            words(&chinese[2..2 + MOST_ROWS]),
            words(&lines[2..2 + MOST_ROWS])
        );
        assert_eq!(chinese[2 + MOST_ROWS], "……另有 940 行没有画出，共 3 个任务");
    }
}
