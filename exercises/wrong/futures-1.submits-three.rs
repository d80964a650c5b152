//! A wrong answer to futures-1: only the first three sites submitted.
//!
//! The check must say: only 3 of the 7 sites were asked for, with 6 workers: submit every site

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
    let (sender, results) = mpsc::channel();
    for url in sites.iter().take(FIRST) {
        let (client, url, sender) = (client.clone(), url.clone(), sender.clone());
        pool.execute(move || {
            let result = download_one(&client, &url);
            let _ = sender.send((url, result));
        });
    }
    for (url, result) in results.iter().take(FIRST) {
        match result {
            Ok(size) => println!("Read {size} from {url}"),
            Err(err) => println!("Failed {url}: {err}"),
        }
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
