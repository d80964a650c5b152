//! `compare`: every lesson and variant, run as a separate process against one
//! simulated web, beside the time its schedule allows: the notes' comparison of
//! times, measured and repeatable. Then the same at scale.
//!
//! ```text
//! cargo run --release -p compare                  # the tables
//! cargo run --release -p compare -- --json        # the same rows as JSON
//! cargo run --release -p compare -- --python      # with our Python programs
//! cargo run --release -p compare -- --write-docs  # the book's measured pages
//! cargo run --release -p compare -- hostile       # the hostile cases at scale
//! cargo run --release -p compare -- class         # a room of 30 on one serve
//! cargo run --release -p compare -- progress      # a class's exercises, at scale
//! cargo run --release -p compare -- build-time    # a learner's first build
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
//! - `measure`: running a case and measuring it, into a [`measure::Row`].
//! - `tables`: the rows as tables.
//! - `times`: the default command, which measures every case.
//! - `docs`: the book's measured pages, for `--write-docs`.
//! - `language`: the book's two editions, each measured page written in both.
//! - `class`: the class page with a room of students, for `class`.
//! - `hostile_measured`: the hostile cases at scale, for `hostile`.
//! - `progress_measured`: the exercises' class, for `progress`.

mod cases;
mod class;
mod docs;
mod hostile_measured;
mod language;
mod measure;
mod progress_measured;
mod tables;
mod times;

use std::{path::Path, process::ExitCode, time::Duration};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use language::{Language, write_both};

/// Run every lesson against one simulated web and compare each time with its
/// limit; or, with a command, one of the larger measurements.
#[derive(Parser)]
#[command(args_conflicts_with_subcommands = true)]
struct Args {
    #[command(subcommand)]
    command: Option<Measurement>,

    #[command(flatten)]
    times: times::Options,
}

/// The measurements other than the times of the lessons.
#[derive(Subcommand)]
enum Measurement {
    /// The cases too large for the tests: a hundred thousand pages, endless
    /// bodies, a thread per URL, idle connections, every lesson under the
    /// system's limits, and serve's memory under every flood at once
    Hostile {
        /// Each case at a size CI can afford
        #[arg(long)]
        small: bool,
    },
    /// A room of 30 students on one `serve` with its class page open: how much
    /// slower the pages come (needs chromium)
    Class {
        /// Write the result into docs/src/generated/class-room.md (and zh-CN/)
        #[arg(long)]
        write_docs: bool,
    },
    /// The exercises' class: how long a check takes with a class that is live,
    /// stopped or silent, against none; then a room sending a verdict on every
    /// exercise each second (the room's serve must stay under 50 MiB)
    Progress {
        /// How many students send
        #[arg(long, default_value_t = 30)]
        students: usize,
        /// For how many seconds
        #[arg(long, default_value_t = 60)]
        seconds: u64,
    },
    /// A learner's first build: lesson 1 from a fresh clone, three times
    /// (needs git; takes minutes)
    BuildTime {
        /// Write the result into docs/src/generated/build-time.md (and zh-CN/)
        #[arg(long)]
        write_docs: bool,
    },
    /// Only build what `compare` runs, as it builds it: for `exercises ready`,
    /// so that nothing is left to compile when the class runs `compare`
    #[command(hide = true)]
    Build,
    /// Holds N connections to ADDR that send nothing, until its input closes:
    /// half of `hostile`'s flood
    #[command(hide = true)]
    Hold { addr: std::net::SocketAddr, count: usize },
}

fn main() -> ExitCode {
    // A mistake on the command line is one line, as in the lessons.
    match compare(web::cli::parse()) {
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

/// Builds the programs, then measures; `Ok(false)` when a row missed its target.
fn compare(args: Args) -> anyhow::Result<bool> {
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).parent().context("no workspace")?;
    let built = || -> anyhow::Result<Vec<String>> {
        let packages = cases::packages(root)?;
        build(&packages)?;
        Ok(packages)
    };
    let generated = root.join("docs/src/generated");
    match args.command {
        None => times::run(args.times, root, &built()?),
        Some(Measurement::Hostile { small }) => {
            built()?;
            let (table, met) = hostile_measured::run(small)?;
            print!("{table}");
            Ok(met)
        }
        Some(Measurement::Class { write_docs }) => {
            built()?;
            let (rooms, met) = class_rooms()?;
            print!("{}", docs::rooms(&rooms, Language::English));
            if write_docs {
                write_both(&generated, "class-room", |lang| {
                    docs::rooms(&rooms, lang)
                })?;
            }
            Ok(met)
        }
        Some(Measurement::Progress { students, seconds }) => {
            built()?;
            let (tables, met) =
                progress_measured::run(&class::binaries(), students, seconds)?;
            print!("{tables}");
            Ok(met)
        }
        Some(Measurement::BuildTime { write_docs }) => {
            built()?;
            let times = docs::build_time(root)?;
            print!("{}", docs::build_time_page(&times, Language::English));
            if write_docs {
                write_both(&generated, "build-time", |language| {
                    docs::build_time_page(&times, language)
                })?;
            }
            Ok(true)
        }
        Some(Measurement::Build) => built().map(|_| true),
        Some(Measurement::Hold { addr, count }) => {
            hostile_measured::hold(addr, count)?;
            Ok(true)
        }
    }
}

/// Rooms of growing size, up to thirty students, each run over 1,000 pages of
/// 100 ms with 100 in flight: where the machine's CPUs run out shows. Then
/// thirty runs of slower pages, which ask less CPU of the machine each second,
/// as a room of real sites would. Met when the page was never a second late
/// and some room of thirty took at most 5% longer than one run alone.
fn class_rooms() -> anyhow::Result<(Vec<class::Room>, bool)> {
    let sizes = [1, 5, 10, 20, 30].map(|runs| (runs, 100));
    let slower = [250, 500, 1000].map(|latency| (30, latency));
    let rooms = (sizes.into_iter().chain(slower))
        .map(|(runs, latency)| {
            class::room(&class::binaries(), runs, (1000, 100, latency))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let updated =
        rooms.iter().all(|room| room.longest_gap <= Duration::from_secs(1));
    let thirty = rooms
        .iter()
        .any(|room| room.runs == 30 && room.together_ms <= room.alone_ms * 1.05);
    Ok((rooms, updated && thirty))
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
    command.args(["-p", "web", "-p", "exercises"]); // `serve`, and the class's exercises
    if !command.status().context("cannot run cargo to build the lessons")?.success()
    {
        bail!("the lessons did not build");
    }
    Ok(())
}
