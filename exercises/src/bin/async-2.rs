//! Exercise async-2: bound the downloads without tasks.
//!
//! A stream can run several futures at once without a task for each: turn the
//! URLs into a stream of `download_one` futures, and let `buffer_unordered`
//! keep at most `run.workers()` of them going at a time.
//!
//! Check it with `cargo run -p exercises -- check async-2`.

#![allow(unused)] // remove once the exercise is done

use std::process::ExitCode;

use futures::StreamExt;
use reqwest::Client;
use sites::{Page, Run};

async fn download_one(run: &Run, client: &Client, url: &str) -> sites::Result<Page> {
    run.report_async(url, client.get(url).send()).await
}

async fn download_all(run: &Run, client: &Client) {
    todo!("map the URLs to download_one, buffer_unordered(run.workers())")
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<ExitCode> {
    let run = Run::from_args(&sites::ASYNC)?;
    let client = run.client()?;
    run.start();
    download_all(&run, &client).await;
    Ok(run.finish())
}
