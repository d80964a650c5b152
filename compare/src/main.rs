//! `compare`: every lesson and variant, run as a separate process against one
//! simulated web, beside the time its schedule allows: the notes' comparison of
//! times, measured and repeatable.
//!
//! ```text
//! cargo run --release -p compare                  # the table
//! cargo run --release -p compare -- --json        # the same rows as JSON
//! cargo run --release -p compare -- --write-docs  # the book's measured pages
//! ```
//!
//! The limit of a run is what its schedule allows given the latencies the web
//! served: their sum when the sites go one by one; for a pool of N fed in list
//! order, the moment the last site ends when each next site goes to the first
//! free worker; the slowest site when all go at once.

use std::{
    env,
    fmt::Write as _,
    fs,
    path::{Path, PathBuf},
    process::Command,
    time::Duration,
};

use anyhow::{Context, bail};
use clap::Parser;
use serde::Serialize;
use sites::{LESSONS, Lesson, Pages, Report, SimulatedWeb, SiteReport, Workers};

/// Run every lesson against one simulated web and compare each time with its limit.
#[derive(Parser)]
struct Args {
    /// Run each lesson this many times and report the median
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    repeat: u32,

    /// Serve the pages F times faster than the notes' web
    #[arg(long, value_name = "F", default_value_t = 1.0)]
    speed: f64,

    /// Print the rows as a JSON list instead of a table
    #[arg(long)]
    json: bool,

    /// Write the book's measured pages into docs/src/generated
    #[arg(long)]
    write_docs: bool,
}

/// How a lesson's variant hands out the sites, which sets its limit.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Schedule {
    /// One after the other: the sum of the latencies.
    OneByOne,
    /// A pool of N, each next site to the first free worker.
    Pool(usize),
    /// All at once: the slowest site.
    AllAtOnce,
    /// All at once, but the first site's task then works this long (ms), which
    /// the run waits for: lesson 5's blocking variants.
    AllAtOnceThenWork(f64),
    /// As the sites were divided among the workers up front: the busiest
    /// worker's total. rayon splits the list in halves instead of queueing it.
    AsDivided,
}

/// One row of the comparison.
#[derive(Debug, Clone, Serialize)]
struct Row {
    lesson: String,
    variant: String,
    /// How many workers took sites: the lanes of the timeline.
    workers: usize,
    /// The median wall time of the runs.
    wall_ms: f64,
    /// The slowest run's time less the fastest's.
    spread_ms: f64,
    limit_ms: f64,
    /// What the notes measured for this program, if they did.
    notes_ms: Option<f64>,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    build_lessons()?;
    let web = SimulatedWeb::start(Pages::notes().faster(args.speed))?;
    let list = tempfile::NamedTempFile::new()?;
    fs::write(list.path(), web.urls().join("\n"))?;
    let list =
        list.path().to_str().context("the temporary path is not UTF-8")?.to_owned();

    let mut rows = Vec::new();
    for (lesson, variant) in cases() {
        rows.push(measure(lesson, variant, &list, args.repeat)?);
        if !args.json {
            eprint!(".");
        }
    }
    if !args.json {
        eprintln!();
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        print!("{}", table(&rows));
    }
    if args.write_docs {
        write_docs(&rows, &list, &args)?;
    }
    Ok(())
}

/// Every lesson with each of its variants; `""` for a lesson without any.
fn cases() -> Vec<(&'static Lesson, &'static str)> {
    let variants = |lesson: &'static Lesson| -> Vec<&'static str> {
        match lesson.variants {
            [] => vec![""],
            variants => variants.iter().map(|(name, _)| *name).collect(),
        }
    };
    LESSONS
        .iter()
        .flat_map(|lesson| variants(lesson).into_iter().map(move |v| (lesson, v)))
        .collect()
}

/// Builds the lessons' binaries with this program's own profile, so that a
/// release `compare` measures release lessons.
fn build_lessons() -> anyhow::Result<()> {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(["build", "--quiet"]);
    if !cfg!(debug_assertions) {
        command.arg("--release");
    }
    for lesson in LESSONS {
        command.args(["-p", lesson.package]);
    }
    if !command.status().context("cannot run cargo to build the lessons")?.success()
    {
        bail!("the lessons did not build");
    }
    Ok(())
}

/// The path of a lesson's binary.
fn binary(lesson: &Lesson) -> anyhow::Result<PathBuf> {
    beside_me(lesson.package)
}

/// The path of a program built beside this one.
fn beside_me(program: &str) -> anyhow::Result<PathBuf> {
    let me = env::current_exe()?;
    Ok(me.with_file_name(format!("{program}{}", env::consts::EXE_SUFFIX)))
}

/// The longest a lesson may take before it is taken for hung.
const LIMIT: Duration = Duration::from_secs(300);

/// A lesson's arguments: the URL list, the variant if any, and `output`.
fn lesson_args<'a>(
    list: &'a str,
    variant: &'a str,
    output: &'a str,
) -> Vec<&'a str> {
    match variant {
        "" => vec!["--urls", list, output],
        variant => vec!["--urls", list, output, "--variant", variant],
    }
}

/// Runs a lesson's variant `--repeat` times on the URL list and takes the median.
fn measure(
    lesson: &Lesson,
    variant: &str,
    list: &str,
    repeat: u32,
) -> anyhow::Result<Row> {
    let args = lesson_args(list, variant, "--json");
    let mut reports = Vec::new();
    for _ in 0..repeat {
        let done =
            sites::harness::run(binary(lesson)?, &args, Duration::from_secs(300))?;
        if done.code != Some(0) {
            bail!(
                "{} {variant} failed: {}{}",
                lesson.package,
                done.stdout,
                done.stderr
            );
        }
        reports.push(done.report()?);
    }
    reports.sort_by(|a, b| a.wall_ms.total_cmp(&b.wall_ms));
    let median = &reports[reports.len() / 2];
    let pool = pool_size(lesson, median);
    Ok(Row {
        lesson: lesson.package.into(),
        variant: variant.into(),
        workers: median.workers().len(),
        wall_ms: median.wall_ms,
        spread_ms: reports[reports.len() - 1].wall_ms - reports[0].wall_ms,
        limit_ms: limit(schedule(lesson, variant, pool), median),
        notes_ms: notes_ms(lesson.package, variant),
    })
}

/// The pool the lesson was given: its default, as `Run::workers` sets it.
fn pool_size(lesson: &Lesson, report: &Report) -> usize {
    match lesson.workers {
        Workers::NoPool => 1,
        Workers::Fixed(n) => n,
        Workers::PerCpu => {
            std::thread::available_parallelism().map_or(1, usize::from)
        }
        Workers::PerSite => report.sites.len(),
    }
}

fn schedule(lesson: &Lesson, variant: &str, workers: usize) -> Schedule {
    match (lesson.package, variant) {
        (_, "scoped") => Schedule::AllAtOnce,
        (_, "rayon") => Schedule::AsDivided,
        // Lesson 5's `WORK`: a second of work after the first site's download.
        (_, "blocking" | "spawn-blocking") => Schedule::AllAtOnceThenWork(1000.0),
        _ => match lesson.workers {
            Workers::NoPool => Schedule::OneByOne,
            Workers::PerSite => Schedule::AllAtOnce,
            Workers::Fixed(_) | Workers::PerCpu => Schedule::Pool(workers),
        },
    }
}

/// The shortest time a schedule allows for the latencies the web served.
fn limit(schedule: Schedule, report: &Report) -> f64 {
    let latency = |site: &SiteReport| site.latency_ms.unwrap_or(0.0);
    let latencies: Vec<f64> = report.sites.iter().map(latency).collect();
    let slowest = latencies.iter().copied().fold(0.0, f64::max);
    let busiest = |worker| {
        report.sites.iter().filter(|s| s.worker == worker).map(latency).sum()
    };
    match schedule {
        Schedule::OneByOne => latencies.iter().sum(),
        Schedule::AllAtOnce => slowest,
        Schedule::AllAtOnceThenWork(work) => {
            slowest.max(latencies.first().unwrap_or(&0.0) + work)
        }
        Schedule::AsDivided => {
            report.workers().into_iter().map(busiest).fold(0.0, f64::max)
        }
        Schedule::Pool(workers) => {
            let mut free_at = vec![0.0_f64; workers.max(1)];
            for latency in latencies {
                // The next site goes to the worker that is free first.
                let first_free = (0..free_at.len())
                    .min_by(|&a, &b| free_at[a].total_cmp(&free_at[b]))
                    .unwrap_or(0);
                free_at[first_free] += latency;
            }
            free_at.into_iter().fold(0.0, f64::max)
        }
    }
}

/// The notes' measured times, for the programs they ran.
fn notes_ms(package: &str, variant: &str) -> Option<f64> {
    match (package, variant) {
        ("ch01-sequential", _) => Some(2802.1),
        ("ch02-threads", "pool") => Some(1038.7),
        ("ch03-processes", "pool") => Some(1649.0),
        ("ch04-futures", "as-completed") => Some(1367.5),
        ("ch04-futures", "in-order") => Some(1668.2),
        _ => None,
    }
}

/// The rows as a Markdown table, readable as plain text too.
fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| lesson | variant | workers | the notes | measured | spread | limit | measured / limit |\n\
         |---|---|--:|--:|--:|--:|--:|--:|\n",
    );
    for row in rows {
        let notes =
            row.notes_ms.map_or("".into(), |ms| format!("{:.2} s", ms / 1000.0));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {notes} | {:.3} s | {:.0} ms | {:.3} s | {:.3} |",
            row.lesson,
            if row.variant.is_empty() { "-" } else { &row.variant },
            row.workers,
            row.wall_ms / 1000.0,
            row.spread_ms,
            row.limit_ms / 1000.0,
            row.wall_ms / row.limit_ms.max(1e-9),
        );
    }
    out
}

/// Writes the book's measured pages: the simulated web's sites, the table,
/// and for each lesson and variant its row and its output with the timeline,
/// each with a line that says when and where it was measured.
fn write_docs(rows: &[Row], list: &str, args: &Args) -> anyhow::Result<()> {
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).parent().context("no workspace")?;
    let folder = root.join("docs/src/generated");
    fs::create_dir_all(&folder)?;
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let profile = if cfg!(debug_assertions) { "debug" } else { "release" };
    let stamp = |runs: &str| {
        format!(
            "*Measured {} (UTC) on a machine with {cpus} CPUs ({}), {profile} build, \
             against the simulated web at speed {}; {runs}. Written by `cargo run \
             --release -p compare -- --write-docs`; not to be edited by hand.*\n",
            now(),
            env::consts::OS,
            args.speed,
        )
    };
    let measured = stamp(&format!("times are the median of {} runs", args.repeat));
    fs::write(folder.join("sites.md"), sites_table())?;
    fs::write(folder.join("comparison.md"), format!("{}\n{measured}", table(rows)))?;
    for (lesson, variant) in cases() {
        let done = sites::harness::run(
            binary(lesson)?,
            &lesson_args(list, variant, "--timeline"),
            LIMIT,
        )?;
        let row: Vec<Row> = (rows.iter())
            .filter(|row| row.lesson == lesson.package && row.variant == variant)
            .cloned()
            .collect();
        let page =
            format!("{}\n```text\n{}```\n\n{measured}", table(&row), done.stdout);
        let name = match variant {
            "" => lesson.package.to_string(),
            variant => format!("{}-{variant}", lesson.package),
        };
        fs::write(folder.join(format!("{name}.md")), page)?;
    }
    // The lessons' other programs: what a thread costs, and CPU-heavy work.
    let others = [("thread-cost", vec![]), ("mapreduce", vec!["--urls", list])];
    for (program, args) in others {
        let done = sites::harness::run(beside_me(program)?, &args, LIMIT)?;
        let page = format!("```text\n{}```\n\n{}", done.stdout, stamp("one run"));
        fs::write(folder.join(format!("{program}.md")), page)?;
    }
    eprintln!("Wrote the measured pages into {}", folder.display());
    Ok(())
}

/// The notes' sites as the simulated web serves them at speed 1.
fn sites_table() -> String {
    let ms = |duration: Duration| duration.as_secs_f64() * 1000.0;
    let mut out = String::from(
        "| site | bytes | first byte | transfer | latency |\n|---|--:|--:|--:|--:|\n",
    );
    for site in sites::NOTES_SITES {
        let (first, transfer) = (ms(site.first_byte), ms(site.transfer()));
        let _ = writeln!(
            out,
            "| `{}` | {} | {first:.0} ms | {transfer:.0} ms | {:.0} ms |",
            site.url,
            site.bytes,
            first + transfer
        );
    }
    let pages = Pages::notes();
    let latencies = pages.list().iter().map(|page| ms(page.latency()));
    let (sum, slowest) =
        latencies.fold((0.0, 0.0_f64), |(sum, max), l| (sum + l, max.max(l)));
    let _ = writeln!(out, "| **one by one, in all** | | | | **{sum:.0} ms** |");
    let _ = writeln!(out, "| **the slowest** | | | | **{slowest:.0} ms** |");
    out
}

/// The date and time now, to the minute.
fn now() -> String {
    let stamp =
        humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    stamp.get(..16).unwrap_or(&stamp).replace('T', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report of sites with these latencies and workers.
    fn report(sites: &[(f64, &str)]) -> Report {
        let site = |&(latency, worker): &(f64, &str)| SiteReport {
            url: "http://127.0.0.1/".into(),
            bytes: Some(1),
            error: None,
            start_ms: 0.0,
            end_ms: 0.0,
            worker: worker.into(),
            latency_ms: Some(latency),
        };
        Report { wall_ms: 0.0, sites: sites.iter().map(site).collect() }
    }

    #[test]
    fn one_by_one_takes_the_sum_and_all_at_once_the_slowest() {
        let report = report(&[(100.0, "a"), (300.0, "b"), (200.0, "a")]);
        assert_eq!(limit(Schedule::OneByOne, &report), 600.0);
        assert_eq!(limit(Schedule::AllAtOnce, &report), 300.0);
        assert_eq!(limit(Schedule::AllAtOnceThenWork(1000.0), &report), 1100.0);
        assert_eq!(limit(Schedule::AsDivided, &report), 300.0);
    }

    #[test]
    fn a_pool_gives_each_next_site_to_the_first_free_worker() {
        // Two workers: A takes 100, B takes 300; A is free first and takes 200
        // (ends at 300), then A again takes 50 (ends at 350). B ends at 300.
        let report = report(&[(100.0, ""), (300.0, ""), (200.0, ""), (50.0, "")]);
        assert_eq!(limit(Schedule::Pool(2), &report), 350.0);
        assert_eq!(limit(Schedule::Pool(1), &report), 650.0);
        assert_eq!(limit(Schedule::Pool(5), &report), 300.0);
    }

    #[test]
    fn every_lesson_and_variant_is_compared() {
        let cases: Vec<(&str, &str)> = cases()
            .into_iter()
            .map(|(lesson, variant)| (lesson.package, variant))
            .collect();
        assert_eq!(cases.len(), 10);
        assert!(cases.contains(&("ch01-sequential", "")));
        assert!(cases.contains(&("ch05-async", "spawn-blocking")));
    }
}
