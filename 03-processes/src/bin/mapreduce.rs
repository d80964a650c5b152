//! The other half of the notes' point: parallelism is for work that keeps the
//! CPU busy. This downloads the pages, then counts their words MapReduce-style
//! (count each line's words, then merge the counts), first on one thread, then
//! with rayon on every core, and prints both times and the speed-up.
//!
//! Python would need processes for the second half, to get past its global
//! interpreter lock; Rust's threads share the pages in memory and run at once.
//!
//! ```text
//! cargo run --release -p ch03-processes --bin mapreduce
//! cargo run --release -p ch03-processes --bin mapreduce -- --workers 1
//! ```

use std::{
    collections::HashMap,
    process::ExitCode,
    time::{Duration, Instant},
};

use clap::Parser;
use rayon::prelude::*;
use reqwest::blocking::Client;

/// Download the pages, then count their words on one thread and with rayon.
#[derive(Parser)]
#[command(name = "mapreduce")]
struct Args {
    /// How many threads rayon counts with [default: one per CPU]
    #[arg(long, value_parser = sites::cli::workers)]
    workers: Option<usize>,

    #[command(flatten)]
    common: sites::Args,
}

/// How many times the pages are counted, so that the time is long enough to
/// measure well.
const ROUNDS: usize = 20;

/// How many times each way counts its `ROUNDS`: the quickest is shown.
const TRIES: usize = 3;

/// How many times each word occurs.
type Counts<'page> = HashMap<&'page str, usize>;

// ANCHOR: map_reduce
/// Map: adds the words of one line to the counts.
fn count_line<'page>(mut counts: Counts<'page>, line: &'page str) -> Counts<'page> {
    for word in line.split_whitespace() {
        *counts.entry(word).or_default() += 1;
    }
    counts
}

/// Reduce: merges two sets of counts.
fn merge<'page>(mut into: Counts<'page>, from: Counts<'page>) -> Counts<'page> {
    for (word, count) in from {
        *into.entry(word).or_default() += count;
    }
    into
}

/// Every line of every page, one after the other, on this thread.
fn count_sequentially(pages: &[String]) -> Counts<'_> {
    pages.iter().flat_map(|page| page.lines()).fold(Counts::new(), count_line)
}

/// The same lines shared out among rayon's threads: each piece of them that
/// rayon splits off is folded into counts of its own, and the counts are
/// merged at the end.
fn count_in_parallel(pages: &[String]) -> Counts<'_> {
    pages
        .par_iter() // par_iter for iter
        .flat_map(|page| page.par_lines()) // par_lines for lines
        .fold(Counts::new, count_line) // new counts for each piece
        .reduce(Counts::new, merge) // and merged into one
}
// ANCHOR_END: map_reduce

/// Counts the pages `ROUNDS` times over, `TRIES` times; returns the counts
/// and the quickest try's time: the others lost time to whatever else the
/// machine did (the first, to bringing the pages into the CPUs' caches).
fn timed<'page>(count: impl Fn() -> Counts<'page>) -> (Counts<'page>, Duration) {
    let (mut counts, mut quickest) = (Counts::new(), Duration::MAX);
    for _ in 0..TRIES {
        let started = Instant::now();
        for _ in 0..ROUNDS {
            counts = count();
        }
        quickest = quickest.min(started.elapsed());
    }
    (counts, quickest)
}

/// Downloads one page and keeps its text, for counting.
#[tracing::instrument(skip(client), err)] // watched for --timeline and --json
fn download_one(client: &Client, url: &str) -> sites::Result<String> {
    let response = client.get(url).send()?.error_for_status()?;
    let body = sites::read_body(response)?;
    println!("Read {} from {}", body.len(), url);
    tracing::info!(bytes = body.len()); // the size, for the report
    Ok(String::from_utf8_lossy(&body).into_owned())
}

fn main() -> anyhow::Result<ExitCode> {
    let args: Args = sites::cli::parse();
    let setup = sites::Setup::new(&args.common)?;
    let client = setup.blocking_client()?;
    let recorder = sites::Recorder::start(&setup);
    let start_time = Instant::now();
    let pages: Vec<String> = setup
        .urls()
        .par_iter()
        .filter_map(|url| match download_one(&client, url) {
            Ok(page) => Some(page),
            Err(err) => {
                println!("Failed {url}: {err}");
                None
            }
        })
        .collect();
    let seconds = start_time.elapsed().as_secs_f64();
    println!("Download {} sites in {seconds:.2} seconds", setup.urls().len());
    let status = recorder.finish();

    let (counts, sequential) = timed(|| count_sequentially(&pages));
    let threads = args.workers.unwrap_or_else(sites::cpus);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    let (parallel_counts, parallel) =
        pool.install(|| timed(|| count_in_parallel(&pages)));
    anyhow::ensure!(counts == parallel_counts, "the two ways counted differently");

    let words: usize = counts.values().sum();
    let cpus = sites::cpus();
    println!();
    println!(
        "Counted {words} words ({} different) in {} pages, {ROUNDS} times over \
         (the quickest of {TRIES} tries):",
        counts.len(),
        pages.len()
    );
    println!("  on one thread:         {:7.1} ms", sequential.as_secs_f64() * 1e3);
    println!(
        "  with rayon, {threads} threads: {:7.1} ms, {:.2} times as fast, on {cpus} CPUs",
        parallel.as_secs_f64() * 1e3,
        sequential.as_secs_f64() / parallel.as_secs_f64().max(1e-9),
    );
    Ok(status)
}
