//! A wrong answer to futures-1: each worker prints its own line, no channel.
//!
//! The check must say: it printed 7 results: print the first 3 to arrive, and no more

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
    for url in sites {
        let (client, url) = (client.clone(), url.clone());
        pool.execute(move || match download_one(&client, &url) {
            Ok(size) => println!("Read {size} from {url}"),
            Err(err) => println!("Failed {url}: {err}"),
        });
    }
    pool.join();
    let _ = mpsc::channel::<()>();
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
