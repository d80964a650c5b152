//! Exercise sequential-2: add up the sizes.
//!
//! Make `download_all` return the total size, in bytes, of the pages that came
//! down; a site that failed adds nothing. `main` prints the total after the
//! summary line.
//!
//! Check it with `cargo run -p exercises -- check sequential-2`.

#![allow(unused)] // remove once the exercise is done

use std::process::ExitCode;

use reqwest::blocking::Client;
use sites::{Page, Run};

fn download_one(run: &Run, client: &Client, url: &str) -> sites::Result<Page> {
    run.report(url, || client.get(url).send())
}

fn download_all(run: &Run, client: &Client) -> usize {
    todo!("download every site; add up the sizes of the pages")
}

fn main() -> anyhow::Result<ExitCode> {
    let run = Run::from_args(&sites::SEQUENTIAL)?;
    let client = run.blocking_client()?;
    run.start();
    let total = download_all(&run, &client);
    let status = run.finish();
    println!("Total: {total} bytes");
    Ok(status)
}
