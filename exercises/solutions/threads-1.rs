//! Exercise threads-1: a pool of threads.
//!
//! Write `download_all` so that a pool of `run.workers()` threads from the
//! `threadpool` crate downloads the sites, each thread taking the next site
//! when it is free, and so that it returns only when every site is done.
//!
//! Check it with `cargo run -p exercises -- check threads-1`.

use std::process::ExitCode;

use reqwest::blocking::Client;
use sites::{Page, Run};
use threadpool::ThreadPool;

fn download_one(run: &Run, client: &Client, url: &str) -> sites::Result<Page> {
    run.report(url, || client.get(url).send())
}

fn download_all(run: &Run, client: &Client) {
    // EXERCISE: a ThreadPool of run.workers() threads, a job per site, then join
    let pool = ThreadPool::new(run.workers());
    for url in run.urls() {
        let (run, client, url) = (run.clone(), client.clone(), url.clone());
        pool.execute(move || {
            let _ = download_one(&run, &client, &url);
        });
    }
    pool.join();
    // END EXERCISE
}

fn main() -> anyhow::Result<ExitCode> {
    let run = Run::from_args(&sites::THREADS)?;
    let client = run.blocking_client()?;
    run.start();
    download_all(&run, &client);
    Ok(run.finish())
}
