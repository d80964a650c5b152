//! A wrong answer to async-1: four permits, a number that looked right.
//!
//! The check must say: with --workers {n}, {n} downloads should run at once, but at most 4 did: --workers is {n}: each task should hold a permit

#![allow(unused)]

use std::{process::ExitCode, sync::Arc, time::Instant};

use clap::Parser;
use reqwest::Client;
use tokio::{sync::Semaphore, task::JoinSet};

/// Exercise async-1: bound the async downloads with a Semaphore.
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
    let mut tasks: JoinSet<()> = JoinSet::new();
    let permits = Arc::new(Semaphore::new(4));
    for url in sites {
        let (client, url, permits) = (client.clone(), url.clone(), permits.clone());
        tasks.spawn(async move {
            let _permit = permits.acquire().await;
            if let Err(err) = download_one(&client, &url).await {
                println!("Failed {url}: {err}");
            }
        });
    }
    tasks.join_all().await;
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
