//! The report of a run: what `--json` prints, and the `--timeline` drawn from it.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

/// What `--json` prints: the whole run, times in milliseconds since it began.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The run's wall-clock time.
    pub wall_ms: f64,
    /// The most memory the process held at once, in KiB; `None` where the
    /// system does not say (it is read from Linux's `/proc`).
    #[serde(default)]
    pub peak_rss_kb: Option<u64>,
    /// One entry per URL, in the order given.
    pub sites: Vec<SiteReport>,
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
    /// Who downloaded it: `main`, `thread 3`, `task 12`...
    pub worker: String,
    /// How long the simulated web takes to serve this page; `None` off it.
    pub latency_ms: Option<f64>,
}

impl Report {
    /// Parses what `--json` printed.
    pub fn from_json(json: &str) -> serde_json::Result<Self> {
        serde_json::from_str(json)
    }

    /// The workers, in the order they started their first download.
    pub fn workers(&self) -> Vec<&str> {
        let mut workers: Vec<&str> = Vec::new();
        for site in self.by_start() {
            if !workers.contains(&site.worker.as_str()) {
                workers.push(&site.worker);
            }
        }
        workers
    }

    /// The most downloads that were under way at the same moment.
    pub fn peak_in_flight(&self) -> usize {
        let mut events: Vec<(f64, i32)> = (self.sites.iter())
            .flat_map(|site| [(site.start_ms, 1), (site.end_ms, -1)])
            .collect();
        // At equal times, ends come before starts: back to back is not at once.
        events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut now = 0;
        let mut peak = 0;
        for (_, change) in events {
            now += change;
            peak = peak.max(now);
        }
        peak as usize
    }

    /// The URLs in the order their downloads ended.
    pub fn finish_order(&self) -> Vec<&str> {
        let mut sites: Vec<&SiteReport> = self.sites.iter().collect();
        sites.sort_by(|a, b| a.end_ms.total_cmp(&b.end_ms));
        sites.into_iter().map(|site| site.url.as_str()).collect()
    }

    /// How many downloads failed.
    pub fn failures(&self) -> usize {
        self.sites.iter().filter(|site| site.error.is_some()).count()
    }

    fn by_start(&self) -> Vec<&SiteReport> {
        let mut sites: Vec<&SiteReport> = self.sites.iter().collect();
        sites.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
        sites
    }

    /// Draws the run: a block of rows per worker, a row per site, `#` while the
    /// site downloads (`x` if it failed). A sequential run is a staircase; a pool
    /// of five is five short staircases side by side in time.
    pub fn timeline(&self) -> String {
        const WIDTH: usize = 60;
        const MOST_ROWS: usize = 60;
        let wall = self.wall_ms.max(1.0);
        let column = |ms: f64| ((ms / wall * WIDTH as f64) as usize).min(WIDTH);
        let workers = self.workers();
        let wide =
            workers.iter().map(|worker| worker.len()).max().unwrap_or(0).max(6);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Timeline: {} sites, {} worker{}, {:.2} s; a column is {:.0} ms",
            self.sites.len(),
            workers.len(),
            if workers.len() == 1 { "" } else { "s" },
            wall / 1000.0,
            wall / WIDTH as f64,
        );
        let end = format!("{:.2} s", wall / 1000.0);
        let _ = writeln!(
            out,
            "{:<wide$} {:<24} 0 s{end:>width$}",
            "worker",
            "site",
            width = WIDTH - 1
        );
        let mut rows = 0;
        for worker in &workers {
            let mut label = *worker;
            for site in
                self.by_start().into_iter().filter(|site| site.worker == *worker)
            {
                rows += 1;
                if rows > MOST_ROWS {
                    continue;
                }
                let (from, to) = (column(site.start_ms), column(site.end_ms));
                let mark = if site.error.is_some() { "x" } else { "#" };
                let bar = mark.repeat(to.saturating_sub(from).max(1));
                let name = short_name(&site.url);
                let _ = writeln!(
                    out,
                    "{label:<wide$} {name:<24} |{:from$}{bar:<rest$}|",
                    "",
                    rest = WIDTH - from
                );
                label = "";
            }
        }
        if rows > MOST_ROWS {
            let _ = writeln!(out, "... and {} more sites", rows - MOST_ROWS);
        }
        out
    }
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
