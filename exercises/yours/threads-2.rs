//! Exercise threads-2: a thread a site.
//!
//! Write `download_all` with `std::thread::scope`: a thread per site, all
//! downloading at once, borrowing `client` and the URLs instead of cloning
//! them.
//!
//! Check it with `cargo run -p exercises -- check threads-2`.

#![allow(unused)] // remove once the exercise is done

use std::{process::ExitCode, thread, time::Instant};

use clap::Parser;
use reqwest::blocking::Client;

/// Exercise threads-2: write download_all with thread::scope, a thread a site.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: sites::Args,
}

#[tracing::instrument(skip(client), ret, err)]
fn download_one(client: &Client, url: &str) -> sites::Result<usize> {
    let response = client.get(url).send()?.error_for_status()?;
    let body = sites::read_body(response)?;
    println!("Read {} from {}", body.len(), url);
    Ok(body.len())
}

fn download_all(client: &Client, sites: &[String]) {
    todo!("in a thread::scope, spawn a thread per site that downloads it")
}

fn main() -> anyhow::Result<ExitCode> {
    let args: Args = sites::cli::parse();
    let setup = sites::Setup::new(&args.common)?;
    let client = setup.blocking_client()?;
    let recorder = sites::Recorder::start(&setup);
    let start_time = Instant::now();
    download_all(&client, setup.urls());
    let seconds = start_time.elapsed().as_secs_f64();
    println!("Download {} sites in {seconds:.2} seconds", setup.urls().len());
    Ok(recorder.finish())
}
