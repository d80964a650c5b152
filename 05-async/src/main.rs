//! Lesson 5: download the sites as async tasks that switch only at `.await`.
//!
//! The notes' section 1 contrasts threads, which the operating system switches
//! whenever it likes, with asyncio's tasks, which switch only where the program
//! says so. Here every site is a Tokio task, all on a single thread like
//! asyncio's event loop. A task runs until it reaches an `.await` on something
//! not ready yet (a server that has not answered), and there the thread moves
//! on to another task. So one thread keeps every download going at once, and
//! the run takes about as long as the slowest site.
//!
//! The price of switching only at `.await`: a task that blocks, with no
//! `.await` to stop at, stalls every other task. `--variant blocking` shows
//! that, and `--variant spawn-blocking` the cure.
//!
//! ```text
//! cargo run -p ch05-async
//! cargo run -p ch05-async -- --workers 3 --timeline    # at most 3 at once
//! cargo run -p ch05-async -- --variant blocking --timeline
//! cargo run --release -p ch05-async -- --sites 10000 --workers 1000
//! ```

use std::{process::ExitCode, sync::Arc, time::Duration};

use reqwest::Client;
use sites::{Page, Run};
use tokio::{sync::Semaphore, task::JoinSet};

/// How long the blocking variants' work on one page lasts.
const WORK: Duration = Duration::from_secs(1);

// ANCHOR: download_one
/// Downloads one site and prints its size. The same shape as lesson 1, with
/// `async` and `.await` added: at each `.await` this task may give way.
async fn download_one(run: &Run, client: &Client, url: &str) -> sites::Result<Page> {
    run.report_async(url, client.get(url).send()).await
}
// ANCHOR_END: download_one

// ANCHOR: download_all
/// Starts a task per site, then waits for them all: `asyncio.gather`.
async fn download_all(run: &Run, client: &Client) {
    // A semaphore of --workers permits bounds how many download at once; by
    // default there is one per site, so all of them do.
    let permits = Arc::new(Semaphore::new(run.workers()));
    let mut tasks = JoinSet::new();
    for (index, url) in run.urls().iter().enumerate() {
        // Waits for a free permit, so only running tasks take up memory.
        let Ok(permit) = permits.clone().acquire_owned().await else { break };
        let (run, client, url) = (run.clone(), client.clone(), url.clone());
        tasks.spawn(async move {
            let page = download_one(&run, &client, &url).await;
            if index == 0 {
                work_on(&run, page).await; // the first site's task does more
            }
            drop(permit); // the next site may start
        });
        while tasks.try_join_next().is_some() {} // let go of the finished tasks
    }
    // Wait for the rest. A task that panicked ends here like the others; its
    // site is then reported as failed by `finish`.
    while tasks.join_next().await.is_some() {}
}
// ANCHOR_END: download_all

// ANCHOR: work_on
/// Work on a downloaded page that takes a while without ever waiting on the
/// network: parsing it, say. `thread::sleep` stands for it.
async fn work_on(run: &Run, page: sites::Result<Page>) {
    match run.variant() {
        // No `.await` for a whole second: the only thread is busy, so no other
        // task can run, and their downloads stall.
        "blocking" => std::thread::sleep(WORK),
        // The same work on a thread of Tokio's blocking pool: this task awaits
        // it, and meanwhile the others go on.
        "spawn-blocking" => {
            let _ = tokio::task::spawn_blocking(move || {
                std::thread::sleep(WORK);
                drop(page);
            })
            .await;
        }
        _ => {}
    }
}
// ANCHOR_END: work_on

// ANCHOR: main
// One thread runs every task, as asyncio's event loop does.
#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<ExitCode> {
    let run = Run::from_args(&sites::ASYNC)?;
    let client = run.client()?;
    run.start();
    download_all(&run, &client).await;
    Ok(run.finish())
}
// ANCHOR_END: main
