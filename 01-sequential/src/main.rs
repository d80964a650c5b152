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

use std::{process::ExitCode, time::Instant};

use clap::Parser;
use reqwest::blocking::Client;

/// Lesson 1: download the sites one by one, as the notes' section 2.1 does (the
/// notes: 2.80 s).
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: sites::Args,
}

// ANCHOR: download_one
/// Downloads one site and prints its size: the notes' `download_one`.
#[tracing::instrument(skip(client), ret, err)] // watched for --timeline and --json
fn download_one(client: &Client, url: &str) -> sites::Result<usize> {
    // `send` blocks this thread until the server answers: `requests.get(url)`.
    let response = client.get(url).send()?;
    // A 404 or a 500 is an answer too; `requests` would take its error page
    // as the content. Here it fails the download instead.
    let response = response.error_for_status()?;
    // The whole body, `resp.content`: reqwest's `bytes()` within the run's
    // size limit, so that a page without end cannot fill the memory.
    let body = sites::read_body(response)?;
    println!("Read {} from {}", body.len(), url);
    Ok(body.len())
}
// ANCHOR_END: download_one

// ANCHOR: download_or_say_why
/// Downloads one site, or prints why it could not: every site gets its line.
/// In the notes' program the first error ends the run; here it is a value.
fn download_or_say_why(client: &Client, url: &str) {
    if let Err(err) = download_one(client, url) {
        println!("Failed {url}: {err}");
    }
}
// ANCHOR_END: download_or_say_why

// ANCHOR: download_all
/// Downloads every site, each after the one before.
fn download_all(client: &Client, sites: &[String]) {
    for url in sites {
        download_or_say_why(client, url); // one at a time
    }
}
// ANCHOR_END: download_all

// ANCHOR: main
fn main() -> anyhow::Result<ExitCode> {
    let args: Args = sites::cli::parse();
    // The notes' list of sites, served by a simulated web on 127.0.0.1 (or the
    // real ones with --online, or your own with --urls FILE).
    let setup = sites::Setup::new(&args.common)?;
    // One client for every request, like a `requests.Session`: it keeps the
    // connection open from one site to the next.
    let client = setup.blocking_client()?;
    let recorder = sites::Recorder::start(&setup); // for --timeline and --json

    let start_time = Instant::now(); // time.perf_counter()
    download_all(&client, setup.urls());
    let seconds = start_time.elapsed().as_secs_f64();
    println!("Download {} sites in {seconds:.2} seconds", setup.urls().len());
    Ok(recorder.finish()) // draws the timeline; exit status 1 if a site failed
}
// ANCHOR_END: main
