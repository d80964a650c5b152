//! A wrong answer to sequential-2: the summary worded its own way,
//! `Total size: N bytes`, not the `Total: N bytes` line asked for.
//!
//! The check must say: No line starts with `Total: `

use std::{process::ExitCode, time::Instant};

use clap::Parser;
use reqwest::blocking::Client;

/// Exercise sequential-2: add up the sizes of the pages downloaded.
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

fn download_all(client: &Client, sites: &[String]) -> usize {
    let mut total = 0;
    for url in sites {
        // EXERCISE: add each page's size to the total; print a line for a failure
        match download_one(client, url) {
            Ok(size) => total += size,
            Err(err) => println!("Failed {url}: {err}"),
        }
        // END EXERCISE
    }
    total
}

fn main() -> anyhow::Result<ExitCode> {
    let args: Args = sites::cli::parse();
    let setup = sites::Setup::new(&args.common)?;
    let client = setup.blocking_client()?;
    let recorder = sites::Recorder::start(&setup);
    let start_time = Instant::now();
    let total = download_all(&client, setup.urls());
    let seconds = start_time.elapsed().as_secs_f64();
    println!("Download {} sites in {seconds:.2} seconds", setup.urls().len());
    println!("Total size: {total} bytes");
    Ok(recorder.finish())
}
