//! Lesson 2: download the sites with a pool of threads.
//!
//! The notes' second program (section 2.2) hands the twelve sites to a
//! `ThreadPoolExecutor` of five threads. While one thread waits for a server,
//! the others download, so the run takes about as long as the busiest thread's
//! share: 1.04 s in the notes instead of 2.80 s. Only `download_all` differs
//! from lesson 1.
//!
//! ```text
//! cargo run -p ch02-threads
//! cargo run -p ch02-threads -- --workers 12 --timeline
//! cargo run -p ch02-threads -- --variant scoped      # a thread per site, no pool
//! cargo run -p ch02-threads --bin thread-cost        # what a thread costs
//! ```

use std::{process::ExitCode, thread, time::Instant};

use clap::{Parser, ValueEnum};
use reqwest::blocking::Client;
use threadpool::ThreadPool;

/// Lesson 2: download the sites with a pool of threads, as the notes' section
/// 2.2 does.
#[derive(Parser)]
struct Args {
    /// How many threads the pool has: ThreadPoolExecutor's max_workers
    #[arg(long, default_value_t = 5, value_parser = sites::cli::workers)]
    workers: usize,

    /// How download_all hands out the sites
    #[arg(long, value_enum, default_value_t = Variant::Pool)]
    variant: Variant,

    #[command(flatten)]
    common: sites::Args,
}

/// The ways this lesson can run.
#[derive(Clone, Copy, ValueEnum)]
enum Variant {
    /// A pool of --workers threads takes the sites in turn, like
    /// ThreadPoolExecutor (the notes: 1.04 s)
    Pool,
    /// One thread per site with std::thread::scope, no pool
    Scoped,
}

// ANCHOR: download_one
/// Downloads one site and prints its size, as in lesson 1. The client is shared
/// by every thread: it is safe to use from several at once.
#[tracing::instrument(skip(client), ret, err)] // watched for --timeline and --json
fn download_one(client: &Client, url: &str) -> sites::Result<usize> {
    let response = client.get(url).send()?; // requests.get(url)
    let response = response.error_for_status()?; // a 404 or a 500 fails
    let body = sites::read_body(response)?; // resp.content, within the limit
    println!("Read {} from {}", body.len(), url);
    Ok(body.len())
}
// ANCHOR_END: download_one

// ANCHOR: download_or_say_why
/// Downloads one site, or prints why it could not: every site gets its line.
/// In the notes' pool an error stays in a future nobody asks; here it is a value.
fn download_or_say_why(client: &Client, url: &str) {
    if let Err(err) = download_one(client, url) {
        println!("Failed {url}: {err}");
    }
}
// ANCHOR_END: download_or_say_why

// ANCHOR: download_all
/// Hands every site to a pool of threads, then waits for them all:
/// `ThreadPoolExecutor(max_workers=5)` and `executor.map`.
fn download_all(client: &Client, sites: &[String], workers: usize) {
    let pool = ThreadPool::new(workers); // --workers threads, started once
    for url in sites {
        // A job may run after this loop has moved on, so it must own what it
        // uses. Cloning a Client is cheap: the clones share one inside.
        let (client, url) = (client.clone(), url.clone());
        pool.execute(move || download_or_say_why(&client, &url)); // on a free thread
    }
    pool.join(); // the end of the notes' `with` block: wait for every job
}
// ANCHOR_END: download_all

// ANCHOR: download_all_scoped
/// Starts a thread per site, no pool, as long as the system allows `most`
/// more. `thread::scope` waits for all of its threads before it returns, so
/// they may borrow `client` and the URLs instead of owning clones.
fn download_all_scoped(client: &Client, sites: &[String], most: usize) {
    thread::scope(|scope| {
        for (index, url) in sites.iter().enumerate() {
            if index >= most {
                println!(
                    "Failed {url}: cannot start a thread: {most} are the most here"
                );
                continue;
            }
            let job = || download_or_say_why(client, url);
            let started = thread::Builder::new().spawn_scoped(scope, job); // a thread each
            // Starting a thread can fail all the same: that costs this site.
            if let Err(err) = started {
                println!("Failed {url}: cannot start a thread: {err}");
            }
        }
    }); // every thread has finished here
}
// ANCHOR_END: download_all_scoped

// ANCHOR: main
fn main() -> anyhow::Result<ExitCode> {
    let args: Args = sites::cli::parse();
    let setup = sites::Setup::new(&args.common)?;
    let client = setup.blocking_client()?;
    let workers = setup.workers(args.workers); // no more threads than sites
    let recorder = sites::Recorder::start(&setup);

    let start_time = Instant::now(); // time.perf_counter()
    match args.variant {
        Variant::Pool => download_all(&client, setup.urls(), workers),
        Variant::Scoped => {
            let most = setup.workers(setup.urls().len()); // what the system allows
            download_all_scoped(&client, setup.urls(), most)
        }
    }
    let seconds = start_time.elapsed().as_secs_f64();
    println!("Download {} sites in {seconds:.2} seconds", setup.urls().len());
    Ok(recorder.finish())
}
// ANCHOR_END: main
