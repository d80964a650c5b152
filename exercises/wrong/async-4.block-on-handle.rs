//! A wrong answer to async-4: the spawn_blocking handle waited for with
//! futures' block_on, not .await, which holds the runtime's only thread.
//!
//! The check must say: the parse blocked the runtime's only thread. Run it with tokio::task::spawn_blocking, and .await its handle

use std::{process::ExitCode, sync::Arc, time::Duration, time::Instant};

use clap::Parser;
use reqwest::Client;
use tokio::{sync::Semaphore, task::JoinSet};

/// Exercise async-4: move blocking work off the thread with spawn_blocking.
#[derive(Parser)]
struct Args {
    /// How many downloads run at once [default: all]
    #[arg(long, value_parser = sites::cli::workers)]
    workers: Option<usize>,

    #[command(flatten)]
    common: sites::Args,
}

/// Stands for a second of CPU work on a page of `size` bytes: like a real
/// parse, it keeps a CPU busy all that time (it does not sleep).
fn parse(size: usize) -> usize {
    let started = Instant::now();
    let mut state = size;
    while started.elapsed() < Duration::from_secs(1) {
        state = std::hint::black_box(state.wrapping_mul(31).wrapping_add(7));
    }
    size
}

#[tracing::instrument]
async fn parse_off_the_thread(size: usize) -> usize {
    // EXERCISE: run parse(size) with tokio::task::spawn_blocking; await it
    let handle = tokio::task::spawn_blocking(move || parse(size));
    futures::executor::block_on(handle).unwrap_or(0)
    // END EXERCISE
}

#[tracing::instrument(skip(client), ret, err)]
async fn download_one(client: &Client, url: &str) -> sites::Result<usize> {
    let response = client.get(url).send().await?.error_for_status()?;
    let body = sites::read_body(response).await?;
    println!("Read {} from {}", body.len(), url);
    Ok(body.len())
}

async fn download_all(client: &Client, sites: &[String], workers: usize) {
    let permits = Arc::new(Semaphore::new(workers));
    let mut tasks = JoinSet::new();
    for (index, url) in sites.iter().enumerate() {
        let (client, url, permits) = (client.clone(), url.clone(), permits.clone());
        tasks.spawn(async move {
            let _permit = permits.acquire().await;
            match download_one(&client, &url).await {
                Ok(size) if index == 0 => {
                    parse_off_the_thread(size).await;
                }
                Ok(_) => {}
                Err(err) => println!("Failed {url}: {err}"),
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
