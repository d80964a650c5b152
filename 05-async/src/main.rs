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

use std::{process::ExitCode, sync::Arc, time::Duration, time::Instant};

use clap::{Parser, ValueEnum};
use reqwest::Client;
use tokio::{sync::Semaphore, task::JoinSet};

/// Lesson 5: download the sites as async tasks on one thread, which switch
/// only at .await, like asyncio.
#[derive(Parser)]
struct Args {
    /// How many downloads run at once [default: all]
    #[arg(long, value_parser = sites::cli::workers)]
    workers: Option<usize>,

    /// What the first site's task does after its download
    #[arg(long, value_enum, default_value_t = Variant::Tasks)]
    variant: Variant,

    #[command(flatten)]
    common: sites::Args,
}

/// The ways this lesson can run.
#[derive(Clone, Copy, Debug, PartialEq, ValueEnum)]
enum Variant {
    /// Every site a task; at most --workers downloads at once
    Tasks,
    /// One task blocks the thread for a second after its download: the others
    /// stall
    Blocking,
    /// The same blocking work moved off the thread with spawn_blocking
    SpawnBlocking,
}

/// How long the blocking variants' work on one page lasts.
const WORK: Duration = Duration::from_secs(1);

// ANCHOR: download_one
/// Downloads one site and prints its size. The same shape as lesson 1, with
/// `async` and `.await` added: at each `.await` this task may give way.
#[tracing::instrument(skip(client), ret, err)] // watched for --timeline and --json
async fn download_one(client: &Client, url: &str) -> sites::Result<usize> {
    let response = client.get(url).send().await?; // requests.get(url)
    let response = response.error_for_status()?; // a 404 or a 500 fails
    let body = sites::read_body(response).await?; // resp.content, within the limit
    println!("Read {} from {}", body.len(), url);
    Ok(body.len())
}
// ANCHOR_END: download_one

// ANCHOR: download_or_say_why
/// Downloads one site, or prints why it could not: every site gets its line.
async fn download_or_say_why(client: &Client, url: &str) {
    if let Err(err) = download_one(client, url).await {
        println!("Failed {url}: {err}");
    }
}
// ANCHOR_END: download_or_say_why

// ANCHOR: download_all
/// Starts a task per site, then waits for them all: `asyncio.gather`.
async fn download_all(
    client: &Client,
    sites: &[String],
    workers: usize,
    variant: Variant,
) {
    // A semaphore of --workers permits bounds how many download at once; by
    // default there is one per site, so all of them do.
    let permits = Arc::new(Semaphore::new(workers));
    let mut tasks = JoinSet::new();
    for (index, url) in sites.iter().enumerate() {
        // Waits for a free permit, so only running tasks take up memory.
        let Ok(permit) = permits.clone().acquire_owned().await else { break };
        let (client, url) = (client.clone(), url.clone());
        tasks.spawn(async move {
            download_or_say_why(&client, &url).await; // in a task of its own
            if index == 0 && variant != Variant::Tasks {
                work_on(variant).await; // the first site's task does more
            }
            drop(permit); // the next site may start
        });
        while tasks.try_join_next().is_some() {} // let go of the finished tasks
    }
    // Wait for the rest. A task that panicked ends here like the others; the
    // recorder then reports its site as failed.
    while tasks.join_next().await.is_some() {}
}
// ANCHOR_END: download_all

// ANCHOR: work_on
/// Work on a downloaded page that takes a while without ever waiting on the
/// network: parsing it, say. `thread::sleep` stands for it.
#[tracing::instrument] // shown in the timeline as `=`
async fn work_on(variant: Variant) {
    match variant {
        // No `.await` for a whole second: the only thread is busy, so no other
        // task can run, and their downloads stall.
        Variant::Blocking => std::thread::sleep(WORK),
        // The same work on a thread of Tokio's blocking pool: this task awaits
        // it, and meanwhile the others go on.
        Variant::SpawnBlocking => {
            let _ = tokio::task::spawn_blocking(|| std::thread::sleep(WORK)).await;
        }
        Variant::Tasks => {}
    }
}
// ANCHOR_END: work_on

// ANCHOR: main
fn main() -> anyhow::Result<ExitCode> {
    let args: Args = sites::cli::parse();
    let setup = sites::Setup::new(&args.common)?;
    // One thread runs every task, as asyncio's event loop does, and block_on
    // runs main's future on it: asyncio.run(main()). (#[tokio::main] writes
    // the same lines, but panics when the system has no files to spare for
    // it; Setup::new has said so in a line by now.)
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let client = setup.client()?;
        let workers = setup.workers(args.workers.unwrap_or(setup.urls().len()));
        let recorder = sites::Recorder::start(&setup);

        let start_time = Instant::now(); // time.perf_counter()
        download_all(&client, setup.urls(), workers, args.variant).await;
        let seconds = start_time.elapsed().as_secs_f64();
        println!("Download {} sites in {seconds:.2} seconds", setup.urls().len());
        Ok(recorder.finish())
    })
}
// ANCHOR_END: main
