//! A wrong answer to async-3: a deadline of 1.2 s instead of 0.8 s.
//!
//! The check must say: should be cut at the deadline, 0.8 s after the start, but it was cut at 1.2 s: one deadline of 0.8 s

use std::{process::ExitCode, time::Duration, time::Instant};

use clap::Parser;
use reqwest::Client;
use tokio::task::JoinSet;

/// How long the whole run may take.
const DEADLINE: Duration = Duration::from_millis(1200);

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
    let _ = tokio::time::timeout(DEADLINE, download_all(client, sites)).await;
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
