//! A wrong answer to sequential-2: a thread per site adds its size to a shared
//! total, to be done sooner.
//!
//! The check must say: download the sites one after the other

#![allow(unused)]

use std::{
    process::ExitCode,
    sync::atomic::{AtomicUsize, Ordering},
    thread,
    time::Instant,
};

use clap::Parser;
use reqwest::blocking::Client;

/// Exercise sequential-2: add up the sizes of the pages downloaded.
#[derive(Parser)]
struct Args {
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

fn download_all(client: &Client, sites: &[String]) -> usize {
    let total = AtomicUsize::new(0);
    thread::scope(|scope| {
        for url in sites {
            let total = &total;
            scope.spawn(move || match download_one(client, url) {
                Ok(size) => {
                    total.fetch_add(size, Ordering::Relaxed);
                }
                Err(err) => println!("Failed {url}: {err}"),
            });
        }
    });
    total.into_inner()
}

fn main() -> anyhow::Result<ExitCode> {
    let args: Args = sites::cli::parse();
    let setup = sites::Setup::new(&args.common)?;
    let client = setup.blocking_client()?;
    let recorder = sites::Recorder::start(&setup);
    let start_time = Instant::now();
    let total = download_all(&client, setup.urls());
    let seconds = start_time.elapsed().as_secs_f64();
    println!("Download {} sites in {seconds:.2} seconds", setup.urls().len());
    println!("Total: {total} bytes");
    Ok(recorder.finish())
}
