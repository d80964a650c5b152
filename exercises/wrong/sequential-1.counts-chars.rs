//! A wrong answer to sequential-1: the body read as text, and its characters
//! counted instead of its bytes.
//!
//! The check must say: bytes

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
    let body = response.text()?;
    println!("Read {} from {}", body.chars().count(), url);
    Ok(body.chars().count())
}

fn download_all(client: &Client, sites: &[String]) {
    for url in sites {
        if let Err(err) = download_one(client, url) {
            println!("Failed {url}: {err}");
        }
    }
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
