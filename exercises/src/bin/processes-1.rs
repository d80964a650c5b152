//! Exercise processes-1: rayon.
//!
//! Write `download_all` with rayon: build a thread pool of `run.workers()`
//! threads (`rayon::ThreadPoolBuilder`), and inside it (`install`) download the
//! sites with `par_iter`.
//!
//! Check it with `cargo run -p exercises -- check processes-1`.

#![allow(unused)] // remove once the exercise is done

use std::process::ExitCode;

use rayon::prelude::*;
use reqwest::blocking::Client;
use sites::{Page, Run};

fn download_one(run: &Run, client: &Client, url: &str) -> sites::Result<Page> {
    run.report(url, || client.get(url).send())
}

fn download_all(run: &Run, client: &Client) -> anyhow::Result<()> {
    todo!("a rayon pool of run.workers() threads; par_iter in it")
}

fn main() -> anyhow::Result<ExitCode> {
    let run = Run::from_args(&sites::PROCESSES)?;
    let client = run.blocking_client()?;
    run.start();
    download_all(&run, &client)?;
    Ok(run.finish())
}
