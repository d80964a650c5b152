//! Exercise threads-2: a thread per site, with `std::thread::scope`.
//!
//! Write `download_all` so that it starts one thread per site with
//! `std::thread::scope`, and returns when all of them have finished. The
//! threads may borrow `run`, `client` and the URLs: no clones needed.
//!
//! Check it with `cargo run -p exercises -- check threads-2`.

use std::{process::ExitCode, thread};

use reqwest::blocking::Client;
use sites::{Page, Run};

fn download_one(run: &Run, client: &Client, url: &str) -> sites::Result<Page> {
    run.report(url, || client.get(url).send())
}

fn download_all(run: &Run, client: &Client) {
    // EXERCISE: in a thread::scope, a thread per URL that calls download_one
    thread::scope(|scope| {
        for url in run.urls() {
            scope.spawn(|| download_one(run, client, url));
        }
    });
    // END EXERCISE
}

fn main() -> anyhow::Result<ExitCode> {
    let run = Run::from_args(&sites::THREADS)?;
    let client = run.blocking_client()?;
    run.start();
    download_all(&run, &client);
    Ok(run.finish())
}
