//! A wrong answer to async-2: a task per site, and buffer_unordered over their
//! handles.
//!
//! The check must say: it calls `spawn`

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
    futures::stream::iter(sites)
        .map(|url| {
            let (client, url) = (client.clone(), url.clone());
            tokio::spawn(async move {
                let result = download_one(&client, &url).await;
                (url, result)
            })
        })
        .buffer_unordered(workers)
        .for_each(|joined| async move {
            if let Ok((url, Err(err))) = joined {
                println!("Failed {url}: {err}");
            }
        })
        .await;
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
