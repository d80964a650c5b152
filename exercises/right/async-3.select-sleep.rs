//! A right answer to async-3, written otherwise than the solution: download_all
//! raced against tokio::time::sleep with select!, which drops the loser.

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
    tokio::select! {
        () = download_all(client, sites) => {}
        () = tokio::time::sleep(DEADLINE) => {}
    }
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
