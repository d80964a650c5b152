//! A wrong answer to threads-3: each thread downloads the whole list.
//!
//! The check must say: with --workers {n}, {} was asked for {n} times: each site should be downloaded once

// Left as a learner leaves a wrong turn: what it no longer uses stays.
#![allow(unused)]

use std::{process::ExitCode, sync::Mutex, thread, time::Instant};

use clap::Parser;
use reqwest::blocking::Client;

/// Exercise threads-3: write a pool: N scoped threads sharing a queue.
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
    thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                for url in sites {
                    if let Err(err) = download_one(client, url) {
                        println!("Failed {url}: {err}");
                    }
                }
            });
        }
    });
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
