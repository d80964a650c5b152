//! The default command: every lesson and variant on the notes' pages, then the
//! runs at scale, as tables or JSON; with `--write-docs`, the book's measured
//! pages too.

use std::{path::Path, process::Command, time::Duration};

use anyhow::{Context, bail};
use sites::{Pages, cpus, harness::beside_me};

use crate::{
    cases::{self, Case},
    class, docs,
    language::Language,
    measure::{Row, Web, against_wrk, measure},
    tables::{scale_table, table},
};

/// The options of the default command.
#[derive(clap::Args)]
pub struct Options {
    /// Run each lesson this many times and report the median
    #[arg(long, default_value_t = REPEAT, value_parser = clap::value_parser!(u32).range(1..))]
    repeat: u32,

    /// Serve the notes' pages F times faster than the notes' web, 0.01 to 1000
    #[arg(long, value_name = "F", default_value_t = 1.0, value_parser = web::cli::speed)]
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

    /// Write the book's measured pages into docs/src/generated (and zh-CN/)
    #[arg(long)]
    write_docs: bool,
}

/// How many times each lesson runs unless told.
const REPEAT: u32 = 3;

impl Options {
    /// The command line that writes the book's pages as these options did,
    /// for their stamp: what a reader types to measure them again.
    fn command_line(&self) -> String {
        let mut line = String::from("cargo run --release -p compare --");
        if self.repeat != REPEAT {
            line += &format!(" --repeat {}", self.repeat);
        }
        if self.speed != 1.0 {
            line += &format!(" --speed {}", self.speed);
        }
        if self.python {
            line += " --python";
        }
        if self.no_scale {
            line += " --no-scale";
        }
        line + " --write-docs"
    }
}

/// Measures every lesson and variant of `packages` (and our Python programs
/// if asked), then the runs at scale; `Ok(false)` when a row missed its
/// target.
pub fn run(
    mut args: Options,
    root: &Path,
    packages: &[String],
) -> anyhow::Result<bool> {
    if args.quick {
        (args.repeat, args.no_scale) = (1, true);
    }
    let lessons = cases::lessons(packages, beside_me)?;
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
    let aiohttp =
        cases.iter().find(|case| case.name.ends_with("asyncio_aiohttp.py"));
    let scale = match args.no_scale {
        true => Vec::new(),
        false => at_scale(&lessons, aiohttp, &args)?,
    };
    if !args.json {
        eprintln!();
    }

    if args.json {
        let all: Vec<&Row> = rows.iter().chain(&scale).collect();
        println!("{}", serde_json::to_string_pretty(&all)?);
    } else {
        print!("{}", table(&rows, Language::English));
        if !scale.is_empty() {
            print!("\nAt scale:\n\n{}", scale_table(&scale, Language::English));
        }
    }
    if args.write_docs {
        let folder = root.join("docs/src/generated");
        docs::write(
            &folder,
            &rows,
            &scale,
            &cases,
            &notes.list,
            (args.speed, args.repeat, &args.command_line()),
        )?;
        class::show(&class::binaries(), Some(&folder))?;
        class::projector(&class::binaries(), Some(&folder), 30)?;
        eprintln!("Wrote the measured pages into {}", folder.display());
    }
    Ok(rows.iter().chain(&scale).all(Row::within_target))
}

fn progress(args: &Options) {
    if !args.json {
        eprint!(".");
    }
}

/// The runs at scale: 10,000 pages of 100 ms with 1,000 in flight, as tasks
/// and as threads; then pages served at once, to find how fast the lesson's
/// client can go against the server's own capacity, and against wrk's and
/// (where --python asks) `aiohttp`'s.
fn at_scale(
    lessons: &[Case],
    aiohttp: Option<&Case>,
    args: &Options,
) -> anyhow::Result<Vec<Row>> {
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
    rows.push(server);
    // A hundred in flight, against wrk with a hundred connections on the same
    // web: how near the lesson's client comes to one written for speed.
    let mut against =
        against_wrk(&tasks.clone().with_workers(100), &fast, args.repeat)?;
    progress(args);
    against.target_ms = None;
    rows.push(against);
    // And our asyncio program's aiohttp client, as many in flight.
    if let Some(aiohttp) = aiohttp {
        let mut theirs = measured(&aiohttp.clone().with_workers(100), &fast, 1)?;
        theirs.target_ms = None;
        rows.push(theirs);
    }
    Ok(rows)
}

/// Checks that python3 has what our Python programs import.
fn python_ready() -> anyhow::Result<()> {
    let python = cases::interpreter();
    let status =
        Command::new(&python).args(["-c", "import requests, aiohttp"]).status();
    match status {
        Ok(status) if status.success() => Ok(()),
        _ => bail!(
            "--python needs {python} with requests and aiohttp: pip install requests aiohttp"
        ),
    }
}
