//! Lesson 3: download the sites with a pool of processes, or with rayon.
//!
//! The notes' section 2.3 swaps the thread pool for a `ProcessPoolExecutor`,
//! one process per CPU. Python needs processes to compute in parallel, because
//! its global interpreter lock lets only one thread run Python code at a time.
//! For downloading, that buys nothing: the work is waiting, and threads wait
//! in parallel just as well. The notes' run took 1.65 s, slower than five
//! threads.
//!
//! Rust has no such lock: its threads already run in parallel. This lesson
//! still builds the real thing, worker processes fed over pipes, so that their
//! start-up shows in the timeline. `--variant rayon` uses rayon, Rust's tool
//! for parallel computing, whose pool also has one thread per CPU. For work
//! that *does* need the CPUs, see the `mapreduce` binary beside this one.
//!
//! ```text
//! cargo run -p ch03-processes -- --timeline
//! cargo run -p ch03-processes -- --variant rayon --timeline
//! cargo run --release -p ch03-processes --bin mapreduce
//! ```

use std::{process::ExitCode, time::Instant};

use clap::{Parser, ValueEnum};
use rayon::prelude::*;
use reqwest::blocking::Client;
use sites::ProcessPool;

/// Lesson 3: download the sites with a pool of processes, or with rayon, as
/// the notes' section 2.3 does.
#[derive(Parser)]
struct Args {
    /// How many worker processes, or rayon threads [default: one per CPU]
    #[arg(long, value_parser = sites::cli::workers)]
    workers: Option<usize>,

    /// How download_all hands out the sites
    #[arg(long, value_enum, default_value_t = Variant::Pool)]
    variant: Variant,

    #[command(flatten)]
    common: sites::Args,
}

/// The ways this lesson can run.
#[derive(Clone, Copy, ValueEnum)]
enum Variant {
    /// Worker processes, one per CPU by default, like ProcessPoolExecutor (the
    /// notes: 1.65 s)
    Pool,
    /// rayon's par_iter on a pool of --workers threads, one per CPU by default
    Rayon,
}

// ANCHOR: download_one
/// Downloads one site and prints its size, as in lesson 1. In the process
/// pool, each worker process runs this.
#[tracing::instrument(skip(client), ret, err)] // watched for --timeline and --json
fn download_one(client: &Client, url: &str) -> sites::Result<usize> {
    let response = client.get(url).send()?; // requests.get(url)
    let response = response.error_for_status()?; // a 404 or a 500 fails
    let body = sites::read_body(response)?; // resp.content, within the limit
    println!("Read {} from {}", body.len(), url);
    Ok(body.len())
}
// ANCHOR_END: download_one

// ANCHOR: download_all
/// `ProcessPoolExecutor().map(download_one, sites)`: worker processes, each
/// this same program started again, each fed the next site whenever it is
/// free. A worker prints its own lines; the failures come back here.
fn download_all(pool: &ProcessPool, sites: &[String]) {
    let results = pool.map(sites); // in the worker processes
    for (url, result) in sites.iter().zip(results) {
        if let Err(err) = result {
            println!("Failed {url}: {err}");
        }
    }
}
// ANCHOR_END: download_all

// ANCHOR: download_or_say_why
/// Downloads one site, or prints why it could not: every site gets its line.
/// In the notes' pool an error stays in a future nobody asks; here it is a value.
fn download_or_say_why(client: &Client, url: &str) {
    if let Err(err) = download_one(client, url) {
        println!("Failed {url}: {err}");
    }
}
// ANCHOR_END: download_or_say_why

// ANCHOR: download_all_rayon
/// rayon's `par_iter`: the same loop as lesson 1, spread over a pool of
/// `threads` threads.
fn download_all_rayon(
    client: &Client,
    sites: &[String],
    threads: usize,
) -> anyhow::Result<()> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    pool.install(|| {
        sites.par_iter().for_each(|url| download_or_say_why(client, url)); // on the pool
    });
    Ok(())
}
// ANCHOR_END: download_all_rayon

// ANCHOR: main
fn main() -> anyhow::Result<ExitCode> {
    // The pool starts this program again for each worker: in a worker process,
    // this runs download_one for the parent's URLs, then exits.
    sites::process::serve_if_worker(download_one);
    let args: Args = sites::cli::parse();
    let setup = sites::Setup::new(&args.common)?;
    let client = setup.blocking_client()?;
    let workers = args.workers.unwrap_or_else(sites::cpus); // one per CPU
    let recorder = sites::Recorder::start(&setup);

    let start_time = Instant::now(); // time.perf_counter()
    match args.variant {
        Variant::Pool => {
            download_all(&ProcessPool::new(&setup, workers), setup.urls())
        }
        Variant::Rayon => {
            download_all_rayon(&client, setup.urls(), setup.workers(workers))?
        }
    }
    let seconds = start_time.elapsed().as_secs_f64();
    println!("Download {} sites in {seconds:.2} seconds", setup.urls().len());
    Ok(recorder.finish())
}
// ANCHOR_END: main
