//! A wrong answer to sequential-3: `0..ATTEMPTS` tries, then one more after
//! the loop: five requests to a site that keeps failing.
//!
//! The check must say: it asked for /fault/status/503 5 times: stop after 4 attempts in all

use std::{process::ExitCode, thread, time::Duration, time::Instant};

use clap::Parser;
use reqwest::blocking::{Client, Response};

/// How many requests a site gets at most.
const ATTEMPTS: u32 = 4;
/// The wait before the first retry; each next wait is twice the one before.
const FIRST_WAIT: Duration = Duration::from_millis(100);

/// Exercise sequential-3: retry a failing site with a growing wait.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: sites::Args,
}

/// Sends the request, and again after a wait while the answer is a 5xx.
fn send_with_retries(client: &Client, url: &str) -> reqwest::Result<Response> {
    // EXERCISE: send; on a 5xx wait and send again, ATTEMPTS at most, waits doubling
    let mut wait = FIRST_WAIT;
    for _ in 0..ATTEMPTS {
        let response = client.get(url).send()?;
        if !response.status().is_server_error() {
            return Ok(response);
        }
        thread::sleep(wait);
        wait *= 2;
    }
    client.get(url).send()
    // END EXERCISE
}

#[tracing::instrument(skip(client), ret, err)]
fn download_one(client: &Client, url: &str) -> sites::Result<usize> {
    let response = send_with_retries(client, url)?.error_for_status()?;
    let body = sites::read_body(response)?;
    println!("Read {} from {}", body.len(), url);
    Ok(body.len())
}

fn download_all(client: &Client, sites: &[String]) {
    for url in sites {
        if let Err(err) = download_one(client, url) {
            println!("Failed {url}: {err}");
        }
    }
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
