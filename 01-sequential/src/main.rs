//! Lesson 1: download the sites one by one.
//!
//! The notes' first program (section 2.1) fetches twelve sites with
//! `requests.get` in a plain `for` loop. Each request waits for the one before
//! it to finish, so the run takes the sum of every site's time: 2.80 s in the
//! notes, and about the same here on the simulated web. The other lessons start
//! from this one and change only how `download_all` hands out the sites.
//!
//! ```text
//! cargo run -p ch01-sequential
//! cargo run -p ch01-sequential -- --timeline    # the staircase of a sequential run
//! ```

use std::process::ExitCode;

use reqwest::blocking::Client;
use sites::{Page, Run};

// ANCHOR: download_one
/// Downloads one site and prints its size: the notes' `download_one`.
fn download_one(run: &Run, client: &Client, url: &str) -> sites::Result<Page> {
    // `send` blocks this thread until the server answers, as `requests.get`
    // does; `report` then reads the page and prints `Read N from URL`.
    run.report(url, || client.get(url).send())
}
// ANCHOR_END: download_one

// ANCHOR: download_all
/// Downloads every site, each after the one before.
fn download_all(run: &Run, client: &Client) {
    for url in run.urls() {
        // The line is already printed; a failure does not stop the loop.
        let _ = download_one(run, client, url); // one at a time
    }
}
// ANCHOR_END: download_all

// ANCHOR: main
fn main() -> anyhow::Result<ExitCode> {
    // The notes' list of sites, here served by a simulated web on 127.0.0.1
    // (or the real ones with --online, or your own with --urls FILE).
    let run = Run::from_args(&sites::SEQUENTIAL)?;
    // One client for every request, like a `requests.Session`: it keeps the
    // connection open from one site to the next.
    let client = run.blocking_client()?;
    run.start(); // start_time = time.perf_counter()
    download_all(&run, &client);
    Ok(run.finish()) // "Download 12 sites in 2.80 seconds"
}
// ANCHOR_END: main
