//! A right answer to futures-1, written otherwise than the solution:
//! a bounded channel with room for every site, read with a counter.
//!
//! `cargo run -p exercises -- check futures-1 --right sync-channel` checks it.

use std::{process::ExitCode, sync::mpsc, time::Instant};

use clap::Parser;
use reqwest::blocking::Client;
use threadpool::ThreadPool;

/// How many results to take.
const FIRST: usize = 3;

/// Exercise futures-1: the first results to come back, through a channel.
#[derive(Parser)]
struct Args {
    /// How many threads the pool has
    #[arg(long, default_value_t = 3, value_parser = sites::cli::workers)]
    workers: usize,

    #[command(flatten)]
    common: sites::Args,
}

/// Downloads one site; its line is printed by whoever takes the result.
#[tracing::instrument(skip(client), ret, err)]
fn download_one(client: &Client, url: &str) -> sites::Result<usize> {
    let response = client.get(url).send()?.error_for_status()?;
    let body = sites::read_body(response)?;
    Ok(body.len())
}

fn download_all(client: &Client, sites: &[String], workers: usize) {
    let pool = ThreadPool::new(workers);
    let (sender, results) = mpsc::sync_channel(sites.len());
    for url in sites {
        let sender = sender.clone();
        let (client, url) = (client.clone(), url.to_string());
        pool.execute(move || {
            let _ = sender.send((download_one(&client, &url), url));
        });
    }
    let mut taken = 0;
    while taken < FIRST {
        match results.recv() {
            Ok((Ok(size), url)) => println!("Read {size} from {url}"),
            Ok((Err(err), url)) => println!("Failed {url}: {err}"),
            Err(_) => break,
        }
        taken += 1;
    }
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
    println!(
        "Took the first {FIRST} of {} sites in {seconds:.2} seconds",
        setup.urls().len()
    );
    Ok(recorder.finish())
}
