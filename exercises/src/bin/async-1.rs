//! Exercise async-1: bound the tasks with a semaphore.
//!
//! `download_all` starts a task per site, and all of them download at once.
//! Make at most `run.workers()` download at the same time: give the tasks a
//! shared `tokio::sync::Semaphore` of that many permits, and have each task
//! hold a permit while it downloads.
//!
//! Check it with `cargo run -p exercises -- check async-1`.

#![allow(unused)] // remove once the exercise is done

use std::{process::ExitCode, sync::Arc};

use reqwest::Client;
use sites::{Page, Run};
use tokio::{sync::Semaphore, task::JoinSet};

async fn download_one(run: &Run, client: &Client, url: &str) -> sites::Result<Page> {
    run.report_async(url, client.get(url).send()).await
}

async fn download_all(run: &Run, client: &Client) {
    todo!("a task per site; each holds one of run.workers() Semaphore permits")
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<ExitCode> {
    let run = Run::from_args(&sites::ASYNC)?;
    let client = run.client()?;
    run.start();
    download_all(&run, &client).await;
    Ok(run.finish())
}
