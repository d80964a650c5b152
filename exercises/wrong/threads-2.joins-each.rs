//! A wrong answer to threads-2: waits for each thread before starting the next.
//!
//! The check must say: pages should download at once, but at most 1 did: start every site's thread before waiting for any

use std::{process::ExitCode, thread, time::Instant};

use clap::Parser;
use reqwest::blocking::Client;

/// Exercise threads-2: write download_all with thread::scope, a thread a site.
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

fn download_all(client: &Client, sites: &[String]) {
    thread::scope(|scope| {
        for url in sites {
            let _ = scope
                .spawn(move || {
                    if let Err(err) = download_one(client, url) {
                        println!("Failed {url}: {err}");
                    }
                })
                .join();
        }
    });
}

fn main() -> anyhow::Result<ExitCode> {
    let args: Args = sites::cli::parse();
    let setup = sites::Setup::new(&args.common)?;
    let client = setup.blocking_client()?;
    let recorder = sites::Recorder::start(&setup);
    let start_time = Instant::now();
    download_all(&client, setup.urls());
    let seconds = start_time.elapsed().as_secs_f64();
    println!("Download {} sites in {seconds:.2} seconds", setup.urls().len());
    Ok(recorder.finish())
}
