//! Exercise async-3: a deadline for the whole run.
//!
//! Stop every download still running `DEADLINE` after the start, however long
//! `--timeout` would let it go on: wrap `download_all` in
//! `tokio::time::timeout`. When the deadline passes, the future is dropped,
//! and so are the tasks of its `JoinSet`; each download cut short is reported
//! as cancelled.
//!
//! Check it with `cargo run -p exercises -- check async-3`.

use std::{process::ExitCode, time::Duration};

use reqwest::Client;
use sites::{Page, Run};
use tokio::task::JoinSet;

const DEADLINE: Duration = Duration::from_millis(500);

async fn download_one(run: &Run, client: &Client, url: &str) -> sites::Result<Page> {
    run.report_async(url, client.get(url).send()).await
}

async fn download_all(run: &Run, client: &Client) {
    let mut tasks = JoinSet::new();
    for url in run.urls() {
        let (run, client, url) = (run.clone(), client.clone(), url.clone());
        tasks.spawn(async move { download_one(&run, &client, &url).await });
    }
    tasks.join_all().await;
}

async fn download_all_by_the_deadline(run: &Run, client: &Client) {
    // EXERCISE: run download_all under tokio::time::timeout(DEADLINE, ...)
    let _ = tokio::time::timeout(DEADLINE, download_all(run, client)).await;
    // END EXERCISE
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<ExitCode> {
    let run = Run::from_args(&sites::ASYNC)?;
    let client = run.client()?;
    run.start();
    download_all_by_the_deadline(&run, &client).await;
    Ok(run.finish())
}
