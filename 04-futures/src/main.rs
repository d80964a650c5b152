//! Lesson 4: submit every site to a pool, then take the results as they
//! complete.
//!
//! The notes' section 3 hands each site to a pool of three threads with
//! `executor.submit`, which returns a *future* at once: a handle to a result
//! that does not exist yet. `as_completed` then yields those futures in the
//! order their downloads finish, and `result()` gives back the value, or the
//! error the worker met.
//!
//! In the notes each worker prints its own line, so the lines come in the
//! order the downloads end whichever way `main` takes the results. Here the
//! worker only downloads, and `main` prints each result when it takes it: the
//! order of the lines is the order in which `main` gets the results.
//!
//! ```text
//! cargo run -p ch04-futures
//! cargo run -p ch04-futures -- --variant in-order    # results in submission order
//! ```

use std::{process::ExitCode, time::Instant};

use clap::{Parser, ValueEnum};
use futures::{
    channel::oneshot,
    executor::{block_on, block_on_stream},
    stream::FuturesUnordered,
};
use reqwest::blocking::Client;
use threadpool::ThreadPool;

/// Lesson 4: submit every site to a pool of threads, then take the results as
/// they complete, as the notes' section 3 does.
#[derive(Parser)]
struct Args {
    /// How many threads the pool has: ThreadPoolExecutor's max_workers
    #[arg(long, default_value_t = 3, value_parser = sites::cli::workers)]
    workers: usize,

    /// In which order main takes the results
    #[arg(long, value_enum, default_value_t = Variant::AsCompleted)]
    variant: Variant,

    #[command(flatten)]
    common: sites::Args,
}

/// The ways this lesson can run.
#[derive(Clone, Copy, ValueEnum)]
enum Variant {
    /// Results in the order the downloads finish, like as_completed (the
    /// notes: 1.37 s)
    AsCompleted,
    /// Results in the order the sites were submitted
    InOrder,
}

/// What a worker sends back: which site, and how its download went.
type Done = (String, sites::Result<usize>);

// ANCHOR: download_one
/// Downloads one site, as in lesson 1, but leaves the printing to whoever
/// takes the result.
#[tracing::instrument(skip(client), ret, err)] // watched for --timeline and --json
fn download_one(client: &Client, url: &str) -> sites::Result<usize> {
    let response = client.get(url).send()?; // requests.get(url)
    let response = response.error_for_status()?; // a 404 or a 500 fails
    let body = sites::read_body(response)?; // resp.content, within the limit
    Ok(body.len()) // no println! here: `take` prints it
}
// ANCHOR_END: download_one

// ANCHOR: submit
/// Hands one site to the pool and returns at once with a handle to its result:
/// `executor.submit(download_one, site)`.
fn submit(pool: &ThreadPool, client: &Client, url: &str) -> oneshot::Receiver<Done> {
    // A oneshot channel carries exactly one value: the sender goes to the
    // worker, the receiver is the handle, Python's Future.
    let (sender, handle) = oneshot::channel();
    let (client, url) = (client.clone(), url.to_string());
    pool.execute(move || {
        let result = download_one(&client, &url);
        let _ = sender.send((url, result)); // the future is done
    });
    handle
}
// ANCHOR_END: submit

// ANCHOR: download_all
/// Submits every site, then takes the results as they complete: `as_completed`.
fn download_all(client: &Client, sites: &[String], workers: usize) {
    let pool = ThreadPool::new(workers); // ThreadPoolExecutor(max_workers=3)
    // FuturesUnordered yields whichever handle is ready first.
    let to_do: FuturesUnordered<_> =
        sites.iter().map(|url| submit(&pool, client, url)).collect();
    // Each handle moved into `to_do`, so listing one twice would not compile:
    // Python's as_completed has to drop duplicate futures, Rust cannot have them.
    // The duplicate *site* in the list is another handle: it is downloaded twice.
    for done in block_on_stream(to_do) {
        take(done); // as_completed: in the order they finish
    }
}
// ANCHOR_END: download_all

// ANCHOR: download_all_in_order
/// Submits every site, then waits for each result in turn, in the order the
/// sites were submitted.
fn download_all_in_order(client: &Client, sites: &[String], workers: usize) {
    let pool = ThreadPool::new(workers);
    let to_do: Vec<_> = sites.iter().map(|url| submit(&pool, client, url)).collect();
    for handle in to_do {
        take(block_on(handle)); // in submission order
    }
}
// ANCHOR_END: download_all_in_order

// ANCHOR: take
/// `future.result()`: the page's size, or the worker's error; either way its
/// line. A worker that vanished without answering (`Canceled`) leaves its site
/// to the recorder, which reports it as failed.
fn take(done: Result<Done, oneshot::Canceled>) {
    match done {
        Ok((url, Ok(size))) => println!("Read {size} from {url}"),
        Ok((url, Err(err))) => println!("Failed {url}: {err}"),
        Err(oneshot::Canceled) => {}
    }
}
// ANCHOR_END: take

// ANCHOR: main
fn main() -> anyhow::Result<ExitCode> {
    let args: Args = sites::cli::parse();
    let setup = sites::Setup::new(&args.common)?;
    let client = setup.blocking_client()?;
    let workers = setup.workers(args.workers);
    let recorder = sites::Recorder::start(&setup);

    let start_time = Instant::now(); // time.perf_counter()
    match args.variant {
        Variant::AsCompleted => download_all(&client, setup.urls(), workers),
        Variant::InOrder => download_all_in_order(&client, setup.urls(), workers),
    }
    let seconds = start_time.elapsed().as_secs_f64();
    println!("Download {} sites in {seconds:.2} seconds", setup.urls().len());
    Ok(recorder.finish())
}
// ANCHOR_END: main
