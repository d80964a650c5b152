//! A wrong answer to sequential-1: a HEAD request to see that each site is up,
//! then the GET, so that every site is asked for twice.
//!
//! The check must say: was asked for 2 times: each site should be downloaded once

use std::{process::ExitCode, time::Instant};

use clap::Parser;
use reqwest::blocking::Client;

/// Exercise sequential-1: download the sites one by one.
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
    // EXERCISE: download_one for each site in turn; print a line for a failure
    for url in sites {
        // Make sure the site answers before downloading it.
        if let Err(err) = client.head(url.as_str()).send() {
            println!("Failed {url}: {}", sites::Error::from(err));
            continue;
        }
        if let Err(err) = download_one(client, url) {
            println!("Failed {url}: {err}");
        }
    }
    // END EXERCISE
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
