//! A wrong answer to async-2: each download awaited in turn.
//!
//! The check must say: with --workers {n}, {n} downloads should run at once, but at most 1 did: --workers is {n}: keep --workers futures going

// Left as a learner leaves a wrong turn: what it no longer uses stays.
#![allow(unused)]

use std::{process::ExitCode, time::Instant};

use clap::Parser;
use futures::StreamExt;
use reqwest::Client;

/// Exercise async-2: bound them with buffer_unordered, no tasks.
#[derive(Parser)]
struct Args {
    /// How many downloads run at once [default: all]
    #[arg(long, value_parser = sites::cli::workers)]
    workers: Option<usize>,

    #[command(flatten)]
    common: sites::Args,
}

#[tracing::instrument(skip(client), ret, err)]
async fn download_one(client: &Client, url: &str) -> sites::Result<usize> {
    let response = client.get(url).send().await?.error_for_status()?;
    let body = sites::read_body(response).await?;
    println!("Read {} from {}", body.len(), url);
    Ok(body.len())
}

async fn download_all(client: &Client, sites: &[String], workers: usize) {
    let _ = workers;
    for url in sites {
        if let Err(err) = download_one(client, url).await {
            println!("Failed {url}: {err}");
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<ExitCode> {
    let args: Args = sites::cli::parse();
    let setup = sites::Setup::new(&args.common)?;
    let client = setup.client()?;
    let workers = setup.workers(args.workers.unwrap_or(setup.urls().len()));
    let recorder = sites::Recorder::start(&setup);
    let start_time = Instant::now();
    download_all(&client, setup.urls(), workers).await;
    let seconds = start_time.elapsed().as_secs_f64();
    println!("Download {} sites in {seconds:.2} seconds", setup.urls().len());
    Ok(recorder.finish())
}
