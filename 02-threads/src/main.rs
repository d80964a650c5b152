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

use std::{process::ExitCode, thread};

use reqwest::blocking::Client;
use sites::{Page, Run};
use threadpool::ThreadPool;

// ANCHOR: download_one
/// Downloads one site and prints its size, as in lesson 1. The client is shared
/// by every thread: it is safe to use from several at once.
fn download_one(run: &Run, client: &Client, url: &str) -> sites::Result<Page> {
    run.report(url, || client.get(url).send())
}
// ANCHOR_END: download_one

// ANCHOR: download_all
/// Hands every site to a pool of threads, then waits for them all:
/// `ThreadPoolExecutor(max_workers=5)` and `executor.map`.
fn download_all(run: &Run, client: &Client) {
    let pool = ThreadPool::new(run.workers()); // five threads, started once
    for url in run.urls() {
        // A job may run after this loop has moved on, so it must own what it
        // uses. Cloning a Run or a Client is cheap: the clones share one inside.
        let (run, client, url) = (run.clone(), client.clone(), url.clone());
        pool.execute(move || {
            let _ = download_one(&run, &client, &url); // on the first free thread
        });
    }
    pool.join(); // the end of the notes' `with` block: wait for every job
}
// ANCHOR_END: download_all

// ANCHOR: download_all_scoped
/// Starts a thread per site, no pool. `thread::scope` waits for all of its
/// threads before it returns, so they may borrow `run` and `client` instead of
/// owning clones.
fn download_all_scoped(run: &Run, client: &Client) {
    thread::scope(|scope| {
        for url in run.urls() {
            scope.spawn(|| download_one(run, client, url)); // a new thread each
        }
    }); // every thread has finished here
}
// ANCHOR_END: download_all_scoped

// ANCHOR: main
fn main() -> anyhow::Result<ExitCode> {
    let run = Run::from_args(&sites::THREADS)?;
    let client = run.blocking_client()?;
    run.start(); // start_time = time.perf_counter()
    match run.variant() {
        "scoped" => download_all_scoped(&run, &client),
        _ => download_all(&run, &client),
    }
    Ok(run.finish())
}
// ANCHOR_END: main
