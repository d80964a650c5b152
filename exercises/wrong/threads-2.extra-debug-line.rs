//! A wrong answer to threads-2: a `Starting URL` line left on stdout in each
//! thread, from debugging: a line per site that the exercise does not ask for.
//!
//! The check must say: it printed `Starting {}`, a line the reference solution does not print on the same web

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
    // EXERCISE: in a thread::scope, spawn a thread per site that downloads it
    thread::scope(|scope| {
        for url in sites {
            scope.spawn(move || {
                println!("Starting {url}");
                if let Err(err) = download_one(client, url) {
                    println!("Failed {url}: {err}");
                }
            });
        }
    });
    // END EXERCISE
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
