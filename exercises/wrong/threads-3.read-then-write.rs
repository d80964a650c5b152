//! A wrong answer to threads-3: the queue is a place in the list, read under the
//! lock, then written back under it again.
//!
//! The check must say: never a read and a write back
//! The check catches it by chance (a race), so `prove` gives it three checks.

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
    let place = Mutex::new(0);
    thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = *place.lock().unwrap();
                    let Some(url) = sites.get(index) else { break };
                    *place.lock().unwrap() = index + 1;
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
