//! Lesson 3: download the sites with a pool of processes, or with rayon.
//!
//! The notes' section 2.3 swaps the thread pool for a `ProcessPoolExecutor`,
//! one process per CPU. Python needs processes to compute in parallel, because
//! its global interpreter lock lets only one thread run Python code at a time.
//! For downloading, that buys nothing: the work is waiting, and threads wait
//! in parallel just as well. The notes' run took 1.65 s, slower than five
//! threads, partly because starting processes costs time.
//!
//! Rust has no such lock: its threads already run in parallel. This lesson
//! still builds the real thing, worker processes fed over pipes, so that their
//! start-up shows in the timeline. `--variant rayon` uses rayon, Rust's tool
//! for parallel computing, whose pool also has one thread per CPU. For work
//! that *does* need the CPUs, see the `mapreduce` binary beside this one.
//!
//! ```text
//! cargo run -p ch03-processes -- --timeline
//! cargo run -p ch03-processes -- --variant rayon --timeline
//! cargo run --release -p ch03-processes --bin mapreduce
//! ```

use std::{process::ExitCode, sync::Mutex, thread};

use rayon::prelude::*;
use reqwest::blocking::Client;
use sites::{Page, Run, process::WorkerProcess};

// ANCHOR: download_one
/// Has a worker process download one site: the URL goes down one pipe, the
/// page comes back up another, and this process prints its line.
fn download_one(
    run: &Run,
    worker: &mut WorkerProcess,
    url: &str,
) -> sites::Result<Page> {
    run.report_as(&worker.name(), url, || worker.download(url))
}
// ANCHOR_END: download_one

// ANCHOR: download_all
/// `ProcessPoolExecutor().map`: a worker process per CPU, each this same
/// program started again, and each fed the next site whenever it is free.
fn download_all(run: &Run) {
    let queue = Mutex::new(run.urls().iter()); // the sites not yet handed out
    let next = || queue.lock().ok()?.next();
    // A thread per process hands it work and waits for its answers, as the
    // executor's own management thread does.
    thread::scope(|scope| {
        for _ in 0..run.workers() {
            scope.spawn(|| {
                let mut worker = start(run)?; // a new process: this takes time
                while let Some(url) = next() {
                    let _ = download_one(run, &mut worker, url);
                    if worker.died() {
                        worker = start(run)?; // a crash ends one process only
                    }
                }
                Some(())
            });
        }
    });
}
// ANCHOR_END: download_all

/// Starts a worker process, or says on stderr why it could not. The sites it
/// would have downloaded are then reported as failed by `finish`.
fn start(run: &Run) -> Option<WorkerProcess> {
    WorkerProcess::spawn(run).inspect_err(|err| eprintln!("error: {err}")).ok()
}

// ANCHOR: download_all_rayon
/// rayon's `par_iter`: the same loop as lesson 1, spread over a pool of
/// threads, one per CPU unless --workers says otherwise.
fn download_all_rayon(run: &Run, client: &Client) -> anyhow::Result<()> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(run.workers()).build()?;
    pool.install(|| {
        run.urls().par_iter().for_each(|url| {
            let _ = run.report(url, || client.get(url).send()); // on a pool thread
        });
    });
    Ok(())
}
// ANCHOR_END: download_all_rayon

// ANCHOR: main
fn main() -> anyhow::Result<ExitCode> {
    // The pool starts this program again for each worker; in a worker process,
    // this serves the parent and exits, and nothing below runs.
    sites::process::serve_if_worker();
    let run = Run::from_args(&sites::PROCESSES)?;
    let client = run.blocking_client()?;
    run.start();
    match run.variant() {
        "rayon" => download_all_rayon(&run, &client)?,
        _ => download_all(&run),
    }
    Ok(run.finish())
}
// ANCHOR_END: main
