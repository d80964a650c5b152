//! A wrong answer to threads-1: a pool of five threads, whatever --workers
//! says.
//!
//! The check must say: with --workers {n}, {n} downloads should run at once, but at most 5 did: a pool of --workers ({n}) threads

// Left as a learner leaves a wrong turn: what it no longer uses stays.
#![allow(unused)]

use std::{process::ExitCode, time::Instant};

use clap::Parser;
use reqwest::blocking::Client;
use threadpool::ThreadPool;

/// Exercise threads-1: download on a ThreadPool of --workers threads.
#[derive(Parser)]
struct Args {
    /// How many threads the pool has
    #[arg(long, default_value_t = 5, value_parser = sites::cli::workers)]
    workers: usize,

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

fn download_all(client: &Client, sites: &[String], workers: usize) {
    let pool = ThreadPool::new(5);
    for url in sites {
        let (client, url) = (client.clone(), url.clone());
        pool.execute(move || {
            if let Err(err) = download_one(&client, &url) {
                println!("Failed {url}: {err}");
            }
        });
    }
    pool.join();
}

fn main() -> anyhow::Result<ExitCode> {
    let args: Args = sites::cli::parse();
    let setup = sites::Setup::new(&args.common)?;
    let client = setup.blocking_client()?;
    let workers = setup.workers(args.workers);
    let recorder = sites::Recorder::start(&setup);
    let start_time = Instant::now();
    download_all(&client, setup.urls(), workers);
    let seconds = start_time.elapsed().as_secs_f64();
    println!("Download {} sites in {seconds:.2} seconds", setup.urls().len());
    Ok(recorder.finish())
}
