//! Exercise async-1: bound the tasks with a semaphore.
//!
//! `download_all` starts a task per site, and all of them download at once.
//! Make at most `run.workers()` download at the same time: give the tasks a
//! shared `tokio::sync::Semaphore` of that many permits, and have each task
//! hold a permit while it downloads.
//!
//! Check it with `cargo run -p exercises -- check async-1`.

use std::{process::ExitCode, sync::Arc};

use reqwest::Client;
use sites::{Page, Run};
use tokio::{sync::Semaphore, task::JoinSet};

async fn download_one(run: &Run, client: &Client, url: &str) -> sites::Result<Page> {
    run.report_async(url, client.get(url).send()).await
}

async fn download_all(run: &Run, client: &Client) {
    // EXERCISE: a task per site; each holds one of run.workers() Semaphore permits
    let mut tasks = JoinSet::new();
    let permits = Arc::new(Semaphore::new(run.workers()));
    for url in run.urls() {
        let (run, client, url, permits) =
            (run.clone(), client.clone(), url.clone(), permits.clone());
        tasks.spawn(async move {
            let Ok(_permit) = permits.acquire().await else { return };
            let _ = download_one(&run, &client, &url).await;
        });
    }
    tasks.join_all().await;
    // END EXERCISE
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<ExitCode> {
    let run = Run::from_args(&sites::ASYNC)?;
    let client = run.client()?;
    run.start();
    download_all(&run, &client).await;
    Ok(run.finish())
}
