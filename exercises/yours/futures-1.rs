//! Exercise futures-1: the first answers, with a channel.
//!
//! `as_completed` hands out results as they come, so a program can stop as
//! soon as it has enough. Make `download_all` submit every site to the pool,
//! each job sending `(url, result)` down a `std::sync::mpsc` channel; then
//! print the first `FIRST` results to arrive, `Read N from URL` or
//! `Failed URL: reason`, and return without waiting for the rest.
//!
//! Check it with `cargo run -p exercises -- check futures-1`.

#![allow(unused)] // remove once the exercise is done

use std::{process::ExitCode, sync::mpsc, time::Instant};

use clap::Parser;
use reqwest::blocking::Client;
use threadpool::ThreadPool;

/// How many results to take.
const FIRST: usize = 3;

/// Exercise futures-1: the first results to come back, through a channel.
#[derive(Parser)]
struct Args {
    /// How many threads the pool has
    #[arg(long, default_value_t = 3, value_parser = sites::cli::workers)]
    workers: usize,

    #[command(flatten)]
    common: sites::Args,
}

/// Downloads one site; its line is printed by whoever takes the result.
#[tracing::instrument(skip(client), ret, err)]
fn download_one(client: &Client, url: &str) -> sites::Result<usize> {
    let response = client.get(url).send()?.error_for_status()?;
    let body = sites::read_body(response)?;
    Ok(body.len())
}

fn download_all(client: &Client, sites: &[String], workers: usize) {
    let pool = ThreadPool::new(workers);
    todo!("jobs send (url, result) down a channel; print the first FIRST")
}

fn main() -> anyhow::Result<ExitCode> {
    let args: Args = sites::cli::parse();
    let setup = sites::Setup::new(&args.common)?;
    let client = setup.blocking_client()?;
    let workers = setup.workers(args.workers);
    let recorder = sites::Recorder::start(&setup);
    let start_time = Instant::now();
    download_all(&client, setup.urls(), workers);
    let seconds = start_time.elapsed().as_secs_f64();
    println!(
        "Took the first {FIRST} of {} sites in {seconds:.2} seconds",
        setup.urls().len()
    );
    Ok(recorder.finish())
}
