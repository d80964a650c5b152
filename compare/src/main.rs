//! `compare`: every lesson and variant, run as a separate process against one
//! simulated web, beside the time its schedule allows: the notes' comparison of
//! times, measured and repeatable. Then the same at scale.
//!
//! ```text
//! cargo run --release -p compare                  # the tables
//! cargo run --release -p compare -- --json        # the same rows as JSON
//! cargo run --release -p compare -- --python      # with our Python programs
//! cargo run --release -p compare -- --write-docs  # the book's measured pages
//! ```
//!
//! The limit of a run is what its schedule allows given the latencies the web
//! served: their sum when the sites go one by one; for a pool of N fed in list
//! order, the moment the last site ends when each next site goes to the first
//! free worker; the slowest site when all go at once. A row is inside its
//! target when it takes at most 3% + 15 ms more than its limit (a process pool
//! may add the time it took to start its processes); the run of 10,000 pages
//! must stay within 1.15 times its limit, in less than 64 MiB.
//!
//! # Layout
//! - `cases`: what runs, and the limit each run is measured against.
//! - `docs`: the book's measured pages, for `--write-docs`.
//! - `class`: the class page with a room of students, for `--class`.
//! - `hostile_measured`: the hostile cases at scale, for `--hostile`.

mod cases;
mod class;
mod docs;
mod hostile_measured;

use std::{
    env,
    fmt::Write as _,
    fs,
    path::Path,
    process::{Command, ExitCode},
    time::Duration,
};

use anyhow::{Context, bail};
use clap::Parser;
use serde::Serialize;
use sites::{
    Pages, Report, SimulatedWeb, cpus,
    harness::{beside_me, url_file},
};

use crate::cases::Case;

/// Run every lesson against one simulated web and compare each time with its limit.
#[derive(Parser)]
struct Args {
    /// Run each lesson this many times and report the median
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    repeat: u32,

    /// Serve the notes' pages F times faster than the notes' web
    #[arg(long, value_name = "F", default_value_t = 1.0)]
    speed: f64,

    /// Also run our Python programs in python/ (they need requests and aiohttp)
    #[arg(long)]
    python: bool,

    /// Leave out the runs at scale
    #[arg(long)]
    no_scale: bool,

    /// Each lesson once, and no runs at scale: a table in half a minute
    #[arg(long, conflicts_with = "repeat")]
    quick: bool,

    /// Print the rows as a JSON list instead of tables
    #[arg(long)]
    json: bool,

    /// Write the book's measured pages into docs/src/generated
    #[arg(long)]
    write_docs: bool,

    /// Run instead the cases too large for the tests: a hundred thousand
    /// pages, endless bodies, a thread per URL, idle connections
    #[arg(long)]
    hostile: bool,

    /// With --hostile: each case at a size CI can afford
    #[arg(long, requires = "hostile")]
    small: bool,

    /// Run instead a room of 30 students on one `serve` with its class page
    /// open: how much slower the pages come (needs chromium)
    #[arg(long)]
    class: bool,

    /// Measure instead a learner's first build: lesson 1 from a fresh clone,
    /// three times (needs git; takes minutes)
    #[arg(long)]
    build_time: bool,
}

/// One measured program.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    lesson: String,
    variant: String,
    /// How many workers took sites: the lanes of the timeline.
    workers: usize,
    /// How many pages it downloaded.
    pages: usize,
    /// The median wall time of the runs.
    wall_ms: f64,
    /// The slowest run's time less the fastest's.
    spread_ms: f64,
    limit_ms: f64,
    /// The time to start the worker processes, for a process pool.
    startup_ms: f64,
    /// The longest the row may take and still be inside its target.
    target_ms: Option<f64>,
    /// The most memory the lesson's process held, in KiB.
    peak_rss_kb: Option<u64>,
    /// The most memory it may hold and still be inside its target.
    target_rss_kb: Option<u64>,
    requests_per_s: f64,
    /// What the notes measured for this program, if they did.
    notes_ms: Option<f64>,
    /// The median run's report, for the book's pictures.
    #[serde(skip)]
    report: Report,
}

impl Row {
    fn within_target(&self) -> bool {
        let time = self.target_ms.is_none_or(|target| self.wall_ms <= target);
        let memory = match (self.target_rss_kb, self.peak_rss_kb) {
            (Some(target), Some(peak)) => peak <= target,
            (Some(_), None) => false,
            (None, _) => true,
        };
        time && memory
    }
}

fn main() -> ExitCode {
    match compare(Args::parse()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("Some rows are outside their targets (the last column).");
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Measures everything; `Ok(false)` when a row missed its target.
fn compare(mut args: Args) -> anyhow::Result<bool> {
    if args.quick {
        (args.repeat, args.no_scale) = (1, true);
    }
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).parent().context("no workspace")?;
    let packages = cases::packages(root)?;
    build(&packages)?;
    if args.build_time {
        let page = docs::build_time(root)?;
        print!("{page}");
        if args.write_docs {
            fs::write(root.join("docs/src/generated/build-time.md"), page)?;
        }
        return Ok(true);
    }
    if args.hostile {
        let (table, met) = hostile_measured::run(args.small)?;
        print!("{table}");
        return Ok(met);
    }
    let binaries =
        beside_me("serve").parent().map(Path::to_path_buf).unwrap_or_default();
    if args.class {
        // Rooms of growing size, up to thirty students, each run over 1,000
        // pages of 100 ms with 100 in flight: where the machine's CPUs run
        // out shows. Then thirty runs of slower pages, which ask less CPU
        // of the machine each second, as a room of real sites would.
        let sizes = [1, 5, 10, 20, 30].map(|runs| (runs, 100));
        let slower = [250, 500, 1000].map(|latency| (30, latency));
        let rooms = sizes
            .into_iter()
            .chain(slower)
            .map(|(runs, latency)| {
                class::room(&binaries, runs, (1000, 100, latency))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let page = docs::rooms(&rooms);
        print!("{page}");
        if args.write_docs {
            fs::write(root.join("docs/src/generated/class-room.md"), page)?;
        }
        let updated =
            rooms.iter().all(|room| room.longest_gap <= Duration::from_secs(1));
        let thirty = rooms
            .iter()
            .any(|room| room.runs == 30 && room.together_ms <= room.alone_ms * 1.05);
        return Ok(updated && thirty);
    }
    let lessons = cases::lessons(&packages, beside_me)?;
    let mut cases = lessons.clone();
    cases.extend(cases::settings(&lessons));
    if args.python {
        python_ready()?;
        cases.extend(cases::python(&root.join("python")));
    }

    let notes = Web::start(Pages::notes().faster(args.speed))?;
    let mut rows = Vec::new();
    for case in &cases {
        rows.push(measure(case, &notes, args.repeat, 1)?);
        progress(&args);
    }
    let scale = if args.no_scale { Vec::new() } else { at_scale(&lessons, &args)? };
    if !args.json {
        eprintln!();
    }

    if args.json {
        let all: Vec<&Row> = rows.iter().chain(&scale).collect();
        println!("{}", serde_json::to_string_pretty(&all)?);
    } else {
        print!("{}", table(&rows));
        if !scale.is_empty() {
            print!("\nAt scale:\n\n{}", scale_table(&scale));
        }
    }
    if args.write_docs {
        let folder = root.join("docs/src/generated");
        docs::write(&folder, &rows, &scale, &cases, &notes.list, &args)?;
        class::show(&binaries, Some(&folder.join("class.png")))?;
        eprintln!("Wrote the measured pages into {}", folder.display());
    }
    Ok(rows.iter().chain(&scale).all(Row::within_target))
}

fn progress(args: &Args) {
    if !args.json {
        eprint!(".");
    }
}

/// The runs at scale: 10,000 pages of 100 ms with 1,000 in flight, as tasks
/// and as threads; then pages served at once, to find how fast the lesson's
/// client can go against the server's own capacity.
fn at_scale(lessons: &[Case], args: &Args) -> anyhow::Result<Vec<Row>> {
    let case =
        |package| cases::default_of(lessons, package).context("a lesson is missing");
    let tasks = case("ch05-async")?.with_workers(1000);
    let threads = case("ch02-threads")?.with_workers(1000);
    let slow = Web::start(Pages::synthetic(10_000, Duration::from_millis(100)))?;
    let mut rows = Vec::new();
    let measured = |case: &Case, web: &Web, copies: usize| -> anyhow::Result<Row> {
        let row = measure(case, web, args.repeat, copies)?;
        progress(args);
        Ok(row)
    };
    let mut async_row = measured(&tasks, &slow, 1)?;
    // This run's target: within 1.15 times the limit, under 64 MiB.
    async_row.target_ms = Some(async_row.limit_ms * 1.15);
    async_row.target_rss_kb = Some(64 * 1024);
    rows.push(async_row);
    let mut threads = measured(&threads, &slow, 1)?;
    threads.target_ms = None; // shown beside the tasks, with no target of its own
    rows.push(threads);

    let fast = Web::start(Pages::synthetic(10_000, Duration::ZERO))?;
    let mut client = measured(&tasks, &fast, 1)?;
    client.target_ms = None;
    rows.push(client);
    // One copy of the client per CPU, each with its share of the pages: the
    // server's capacity, or near it, on this machine.
    let mut server = measured(&tasks, &fast, cpus().max(2))?;
    server.target_ms = None;
    server.variant = format!("{} clients at once", cpus().max(2));
    rows.push(server);
    Ok(rows)
}

/// A simulated web and a file listing its pages, for `--urls`.
pub struct Web {
    web: SimulatedWeb,
    /// The pages' URLs, in order.
    urls: Vec<String>,
    /// The file that lists them.
    list: tempfile::TempPath,
}

impl Web {
    fn start(pages: Pages) -> anyhow::Result<Web> {
        let web = SimulatedWeb::start(pages)?;
        let urls = web.urls();
        let list = url_file(&urls)?;
        Ok(Web { web, urls, list })
    }

    /// How long the web takes to serve `url`, in ms; 0 if it is none of its
    /// pages.
    fn latency(&self, url: &str) -> f64 {
        self.web.page(url).map_or(0.0, |page| page.latency().as_secs_f64() * 1e3)
    }
}

/// Builds the lessons' binaries with this program's own profile, so that a
/// release `compare` measures release lessons.
fn build(packages: &[String]) -> anyhow::Result<()> {
    let mut command = sites::harness::cargo();
    command.args(["build", "--quiet"]);
    if !cfg!(debug_assertions) {
        command.arg("--release");
    }
    for package in packages {
        command.args(["-p", package]);
    }
    command.args(["-p", "sites"]); // and its `serve`
    if !command.status().context("cannot run cargo to build the lessons")?.success()
    {
        bail!("the lessons did not build");
    }
    Ok(())
}

/// Checks that python3 has what our Python programs import.
fn python_ready() -> anyhow::Result<()> {
    let python = env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let status =
        Command::new(&python).args(["-c", "import requests, aiohttp"]).status();
    match status {
        Ok(status) if status.success() => Ok(()),
        _ => bail!(
            "--python needs {python} with requests and aiohttp: pip install requests aiohttp"
        ),
    }
}

/// The longest a program may take before it is taken for hung.
pub const LIMIT: Duration = Duration::from_secs(300);

/// Runs `command` with `args`, and with `--json FILE` when `report` asks.
pub fn run(
    command: &[String],
    args: &[&str],
    report: bool,
) -> anyhow::Result<sites::harness::Finished> {
    let (program, first) = command.split_first().context("an empty command")?;
    let args: Vec<&str> =
        first.iter().map(String::as_str).chain(args.iter().copied()).collect();
    let run =
        if report { sites::harness::run_reporting } else { sites::harness::run };
    Ok(run(program, &args, LIMIT)?)
}

/// Runs a case `repeat` times on `web`'s pages and takes the median. With
/// `copies` above 1, that many copies run at once, each with its share of the
/// pages, and the slowest copy's time counts.
fn measure(
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
        pages,
        wall_ms,
        spread_ms: spread,
        limit_ms,
        startup_ms: startup,
        target_ms: Some(limit_ms * 1.03 + 15.0 + startup),
        peak_rss_kb: report.peak_rss_kb,
        target_rss_kb: None,
        requests_per_s: pages as f64 / (wall_ms / 1000.0).max(1e-9),
        notes_ms: case.notes_ms,
        report,
    })
}

fn run_once(case: &Case, list: &Path) -> anyhow::Result<Report> {
    let list = list.to_str().context("the temporary path is not UTF-8")?;
    let mut args = vec!["--urls", list];
    args.extend(case.extra.iter().map(String::as_str));
    let done = run(&case.command, &args, true)?;
    if done.code != Some(0) {
        bail!("{} {} failed: {}", case.name, case.variant, done.stderr);
    }
    done.report().cloned().map_err(anyhow::Error::msg)
}

/// The main rows as a Markdown table, readable as plain text too.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| lesson | variant | workers | the notes | measured | spread | limit | \
         measured / limit | start-up | target |\n\
         |---|---|--:|--:|--:|--:|--:|--:|--:|---|\n",
    );
    for row in rows {
        let notes =
            row.notes_ms.map_or(String::new(), |ms| format!("{:.2} s", ms / 1000.0));
        let startup = if row.startup_ms > 0.0 {
            format!("{:.0} ms", row.startup_ms)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {notes} | {:.3} s | {:.0} ms | {:.3} s | {:.3} | {startup} | {} |",
            row.lesson,
            if row.variant.is_empty() { "-" } else { &row.variant },
            row.workers,
            row.wall_ms / 1000.0,
            row.spread_ms,
            row.limit_ms / 1000.0,
            row.wall_ms / row.limit_ms.max(1e-9),
            verdict(row),
        );
    }
    out
}

/// The rows at scale, with memory and requests per second.
pub fn scale_table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| lesson | variant | pages | in flight | measured | limit | measured / limit | \
         peak memory | requests/s | target |\n\
         |---|---|--:|--:|--:|--:|--:|--:|--:|---|\n",
    );
    for row in rows {
        let memory =
            row.peak_rss_kb.map_or("not measured on this system".into(), |kb| {
                format!("{:.1} MiB", kb as f64 / 1024.0)
            });
        let in_flight = row.report.peak_in_flight();
        // Pages served at once have no limit worth dividing by.
        let ratio = match row.limit_ms {
            0.0 => "-".into(),
            limit => format!("{:.3}", row.wall_ms / limit),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {in_flight} | {:.3} s | {:.3} s | {ratio} | {memory} | {:.0} | {} |",
            row.lesson,
            row.variant,
            row.pages,
            row.wall_ms / 1000.0,
            row.limit_ms / 1000.0,
            row.requests_per_s,
            verdict(row),
        );
    }
    out
}

fn verdict(row: &Row) -> String {
    let target = match (row.target_ms, row.target_rss_kb) {
        (None, None) => return "-".into(),
        (Some(ms), None) => format!("≤ {:.3} s", ms / 1000.0),
        (Some(ms), Some(kb)) => {
            format!("≤ {:.3} s, ≤ {} MiB", ms / 1000.0, kb / 1024)
        }
        (None, Some(kb)) => format!("≤ {} MiB", kb / 1024),
    };
    format!("{} {target}", if row.within_target() { "yes" } else { "NO" })
}
