//! Exercise sequential-3: try again.
//!
//! Some servers fail now and then, and answer a second or third request
//! (`/fault/flaky` on the simulated web fails twice, then succeeds). Make
//! `download_one` send the request again when the server answers with a 5xx
//! status, up to 5 attempts in all, waiting 10 ms before the first retry and
//! twice as long before each next one.
//!
//! Check it with `cargo run -p exercises -- check sequential-3`.

use std::{process::ExitCode, thread, time::Duration};

use reqwest::blocking::Client;
use sites::{Page, Run};

fn download_one(run: &Run, client: &Client, url: &str) -> sites::Result<Page> {
    run.report(url, || {
        // EXERCISE: on a 5xx status, wait and send again, 5 attempts at most
        let mut wait = Duration::from_millis(10);
        for _ in 1..5 {
            match client.get(url).send() {
                Ok(response) if response.status().is_server_error() => {
                    thread::sleep(wait)
                }
                answer => return answer,
            }
            wait *= 2;
        }
        client.get(url).send()
        // END EXERCISE
    })
}

fn download_all(run: &Run, client: &Client) {
    for url in run.urls() {
        let _ = download_one(run, client, url);
    }
}

fn main() -> anyhow::Result<ExitCode> {
    let run = Run::from_args(&sites::SEQUENTIAL)?;
    let client = run.blocking_client()?;
    run.start();
    download_all(&run, &client);
    Ok(run.finish())
}
