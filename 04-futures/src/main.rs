//! Lesson 4: submit every site to a pool, then take the results as they
//! complete.
//!
//! The notes' section 3 hands each site to a pool of three threads with
//! `executor.submit`, which returns a *future* at once: a handle to a result
//! that does not exist yet. `as_completed` then yields those futures in the
//! order their downloads finish, and `result()` gives back the value, or the
//! error the worker met. Here the worker only downloads; `main` prints each
//! result when it takes it, so the order of the lines shows the order in which
//! the results arrive.
//!
//! ```text
//! cargo run -p ch04-futures
//! cargo run -p ch04-futures -- --variant in-order    # results in submission order
//! ```

use std::process::ExitCode;

use futures::stream::FuturesUnordered;
use futures::{channel::oneshot, executor::block_on, executor::block_on_stream};
use reqwest::blocking::Client;
use sites::{Page, Run};
use threadpool::ThreadPool;

/// What a worker sends back: which site, and how its download went.
type Done = (String, sites::Result<Page>);

// ANCHOR: download_one
/// Downloads one site without printing: its line is printed when `main` takes
/// the result.
fn download_one(run: &Run, client: &Client, url: &str) -> sites::Result<Page> {
    run.fetch(url, || client.get(url).send())
}
// ANCHOR_END: download_one

// ANCHOR: submit
/// Hands one site to the pool and returns at once with a handle to its result:
/// `executor.submit(download_one, site)`.
fn submit(
    pool: &ThreadPool,
    run: &Run,
    client: &Client,
    url: &str,
) -> oneshot::Receiver<Done> {
    // A oneshot channel carries exactly one value: the sender goes to the
    // worker, the receiver is the handle, Python's Future.
    let (sender, handle) = oneshot::channel();
    let (run, client, url) = (run.clone(), client.clone(), url.to_string());
    pool.execute(move || {
        let page = download_one(&run, &client, &url);
        let _ = sender.send((url, page)); // the future is done
    });
    handle
}
// ANCHOR_END: submit

// ANCHOR: download_all
/// Submits every site, then takes the results as they complete: `as_completed`.
fn download_all(run: &Run, client: &Client) {
    let pool = ThreadPool::new(run.workers()); // ThreadPoolExecutor(max_workers=3)
    // FuturesUnordered yields whichever handle is ready first.
    let to_do: FuturesUnordered<_> =
        run.urls().iter().map(|url| submit(&pool, run, client, url)).collect();
    // Each handle moved into `to_do`, so listing one twice would not compile:
    // Python's as_completed has to drop duplicate futures, Rust cannot have them.
    // The duplicate *site* in the list is another handle: it is downloaded twice.
    for done in block_on_stream(to_do) {
        take(run, done); // as_completed: in the order they finish
    }
}
// ANCHOR_END: download_all

// ANCHOR: download_all_in_order
/// Submits every site, then waits for each result in turn, in the order the
/// sites were submitted.
fn download_all_in_order(run: &Run, client: &Client) {
    let pool = ThreadPool::new(run.workers());
    let to_do: Vec<_> =
        run.urls().iter().map(|url| submit(&pool, run, client, url)).collect();
    for handle in to_do {
        take(run, block_on(handle)); // in submission order
    }
}
// ANCHOR_END: download_all_in_order

// ANCHOR: take
/// `future.result()`: the page or the worker's error, which `print` shows. A
/// worker that vanished without answering (`Canceled`) leaves its site to
/// `finish`, which reports it as failed.
fn take(run: &Run, done: Result<Done, oneshot::Canceled>) {
    if let Ok((url, page)) = done {
        run.print(&url, &page);
    }
}
// ANCHOR_END: take

// ANCHOR: main
fn main() -> anyhow::Result<ExitCode> {
    let run = Run::from_args(&sites::FUTURES)?;
    let client = run.blocking_client()?;
    run.start();
    match run.variant() {
        "in-order" => download_all_in_order(&run, &client),
        _ => download_all(&run, &client),
    }
    Ok(run.finish())
}
// ANCHOR_END: main
