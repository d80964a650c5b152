//! Exercise sequential-1: the plain loop.
//!
//! Write `download_all` so that it downloads every site of `run.urls()` with
//! `download_one`, one after the other, as lesson 1 does.
//!
//! Check it with `cargo run -p exercises -- check sequential-1`.

#![allow(unused)] // remove once the exercise is done

use std::process::ExitCode;

use reqwest::blocking::Client;
use sites::{Page, Run};

fn download_one(run: &Run, client: &Client, url: &str) -> sites::Result<Page> {
    run.report(url, || client.get(url).send())
}

fn download_all(run: &Run, client: &Client) {
    todo!("call download_one for each URL of run.urls(), in order")
}

fn main() -> anyhow::Result<ExitCode> {
    let run = Run::from_args(&sites::SEQUENTIAL)?;
    let client = run.blocking_client()?;
    run.start();
    download_all(&run, &client);
    Ok(run.finish())
}
