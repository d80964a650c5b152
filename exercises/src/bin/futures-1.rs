//! Exercise futures-1: `as_completed` with a channel.
//!
//! The workers of the pool only download (`run.fetch` prints nothing). Make
//! each job send its `(url, page)` down a `std::sync::mpsc` channel, and make
//! `download_all` receive the results in the order they arrive and print each
//! with `run.print`: the order of `as_completed`.
//!
//! Check it with `cargo run -p exercises -- check futures-1`.

#![allow(unused)] // remove once the exercise is done

use std::{process::ExitCode, sync::mpsc};

use reqwest::blocking::Client;
use sites::{Page, Run};
use threadpool::ThreadPool;

fn download_one(run: &Run, client: &Client, url: &str) -> sites::Result<Page> {
    run.fetch(url, || client.get(url).send())
}

fn download_all(run: &Run, client: &Client) {
    let pool = ThreadPool::new(run.workers());
    todo!("jobs send (url, page) down a channel; run.print each that comes")
}

fn main() -> anyhow::Result<ExitCode> {
    let run = Run::from_args(&sites::FUTURES)?;
    let client = run.blocking_client()?;
    run.start();
    download_all(&run, &client);
    Ok(run.finish())
}
