//! Exercise async-4: keep the thread free.
//!
//! After its download, the first site's task parses the page, which takes a
//! second of blocking work (`parse`). Done in the task, it would stall every
//! other task on the runtime's only thread. Write `parse_off_the_thread` so
//! that the work runs on Tokio's pool for blocking work
//! (`tokio::task::spawn_blocking`), and the task awaits its end.
//!
//! Check it with `cargo run -p exercises -- check async-4`.

use std::{process::ExitCode, time::Duration};

use reqwest::Client;
use sites::{Page, Run};
use tokio::task::JoinSet;

/// Stands for a second of CPU work on the page.
fn parse(page: Page) -> usize {
    std::thread::sleep(Duration::from_secs(1));
    page.len()
}

async fn parse_off_the_thread(page: Page) -> usize {
    // EXERCISE: run parse(page) with tokio::task::spawn_blocking; await it
    tokio::task::spawn_blocking(move || parse(page)).await.unwrap_or(0)
    // END EXERCISE
}

async fn download_one(run: &Run, client: &Client, url: &str) -> sites::Result<Page> {
    run.report_async(url, client.get(url).send()).await
}

async fn download_all(run: &Run, client: &Client) {
    let mut tasks = JoinSet::new();
    for (index, url) in run.urls().iter().enumerate() {
        let (run, client, url) = (run.clone(), client.clone(), url.clone());
        tasks.spawn(async move {
            if let (0, Ok(page)) = (index, download_one(&run, &client, &url).await) {
                parse_off_the_thread(page).await;
            }
        });
    }
    tasks.join_all().await;
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<ExitCode> {
    let run = Run::from_args(&sites::ASYNC)?;
    let client = run.client()?;
    run.start();
    download_all(&run, &client).await;
    Ok(run.finish())
}
