//! A wrong answer to processes-1: a pool, but iter instead of par_iter.
//!
//! The check must say: with --workers {n}, {n} downloads should run at once, but at most 1 did: download with par_iter

// Left as a learner leaves a wrong turn: what it no longer uses stays.
#![allow(unused)]

use std::{process::ExitCode, time::Instant};

use clap::Parser;
use rayon::prelude::*;
use reqwest::blocking::Client;

/// Exercise processes-1: download with rayon's par_iter on a pool of N.
#[derive(Parser)]
struct Args {
    /// How many threads rayon's pool has [default: one per CPU]
    #[arg(long, value_parser = sites::cli::workers)]
    workers: Option<usize>,

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

fn download_all(
    client: &Client,
    sites: &[String],
    workers: usize,
) -> anyhow::Result<()> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(workers).build()?;
    pool.install(|| {
        sites.iter().for_each(|url| {
            if let Err(err) = download_one(client, url) {
                println!("Failed {url}: {err}");
            }
        });
    });
    Ok(())
}

fn main() -> anyhow::Result<ExitCode> {
    let args: Args = sites::cli::parse();
    let setup = sites::Setup::new(&args.common)?;
    let client = setup.blocking_client()?;
    let workers = setup.workers(args.workers.unwrap_or_else(sites::cpus));
    let recorder = sites::Recorder::start(&setup);
    let start_time = Instant::now();
    download_all(&client, setup.urls(), workers)?;
    let seconds = start_time.elapsed().as_secs_f64();
    println!("Download {} sites in {seconds:.2} seconds", setup.urls().len());
    Ok(recorder.finish())
}
