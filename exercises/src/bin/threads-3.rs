//! Exercise threads-3: a pool of your own.
//!
//! Write the pool yourself: in a `std::thread::scope`, start `run.workers()`
//! threads, and have each one take the next URL from a shared queue, download
//! it, and take another, until the queue is empty. The queue can be the list's
//! iterator behind a `Mutex`.
//!
//! Check it with `cargo run -p exercises -- check threads-3`.

#![allow(unused)] // remove once the exercise is done

use std::{process::ExitCode, sync::Mutex, thread};

use reqwest::blocking::Client;
use sites::{Page, Run};

fn download_one(run: &Run, client: &Client, url: &str) -> sites::Result<Page> {
    run.report(url, || client.get(url).send())
}

fn download_all(run: &Run, client: &Client) {
    todo!("run.workers() scoped threads take URLs from a shared queue")
}

fn main() -> anyhow::Result<ExitCode> {
    let run = Run::from_args(&sites::THREADS)?;
    let client = run.blocking_client()?;
    run.start();
    download_all(&run, &client);
    Ok(run.finish())
}
