//! A wrong answer to threads-1: the exit status always 0, whatever failed.
//!
//! The check must say: it ended with exit status 0, but {f} of the sites failed, so it should end with 1: return the exit status recorder.finish() gives

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
    let pool = ThreadPool::new(workers);
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
    recorder.finish();
    Ok(ExitCode::SUCCESS)
}
