//! A wrong answer to async-3: its own tasks, left at the deadline, then
//! awaited "to clean up", so the slow downloads run on until --timeout.
//!
//! The check must say: it was still running at 10 s, with a deadline of 0.8 s

// Left as a learner leaves a wrong turn: what it no longer uses stays.
#![allow(unused)]

use std::{process::ExitCode, time::Duration, time::Instant};

use clap::Parser;
use reqwest::Client;
use tokio::task::JoinSet;

/// How long the whole run may take.
const DEADLINE: Duration = Duration::from_millis(800);

/// Exercise async-3: cancel every download still running at a deadline.
#[derive(Parser)]
struct Args {
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

async fn download_all(client: &Client, sites: &[String]) {
    let mut tasks = JoinSet::new();
    for url in sites {
        let (client, url) = (client.clone(), url.clone());
        tasks.spawn(async move {
            if let Err(err) = download_one(&client, &url).await {
                println!("Failed {url}: {err}");
            }
        });
    }
    tasks.join_all().await;
}

async fn download_all_by_the_deadline(client: &Client, sites: &[String]) {
    // EXERCISE: run download_all under tokio::time::timeout(DEADLINE, ...)
    let mut tasks = JoinSet::new();
    for url in sites {
        let (client, url) = (client.clone(), url.clone());
        tasks.spawn(async move {
            if let Err(err) = download_one(&client, &url).await {
                println!("Failed {url}: {err}");
            }
        });
    }
    let waiting = async { while tasks.join_next().await.is_some() {} };
    let _ = tokio::time::timeout(DEADLINE, waiting).await;
    // Don't leave anything behind.
    while tasks.join_next().await.is_some() {}
    // END EXERCISE
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<ExitCode> {
    let args: Args = sites::cli::parse();
    let setup = sites::Setup::new(&args.common)?;
    let client = setup.client()?;
    let recorder = sites::Recorder::start(&setup);
    let start_time = Instant::now();
    download_all_by_the_deadline(&client, setup.urls()).await;
    let seconds = start_time.elapsed().as_secs_f64();
    println!("Download {} sites in {seconds:.2} seconds", setup.urls().len());
    Ok(recorder.finish())
}
