//! Exercise futures-3: what `result()` gives back.
//!
//! `download_all` takes every result as it completes. Make it count the
//! results that are errors, and return that count; `main` prints it. In
//! Python, `result()` would raise each error; here it is a value to look at.
//!
//! Check it with `cargo run -p exercises -- check futures-3`.

#![allow(unused)] // remove once the exercise is done

use std::process::ExitCode;

use futures::{
    channel::oneshot, executor::block_on_stream, stream::FuturesUnordered,
};
use reqwest::blocking::Client;
use sites::{Page, Run};
use threadpool::ThreadPool;

type Done = (String, sites::Result<Page>);

fn submit(
    pool: &ThreadPool,
    run: &Run,
    client: &Client,
    url: &str,
) -> oneshot::Receiver<Done> {
    let (sender, handle) = oneshot::channel();
    let (run, client, url) = (run.clone(), client.clone(), url.to_string());
    pool.execute(move || {
        let page = run.report(&url, || client.get(&url).send());
        let _ = sender.send((url, page));
    });
    handle
}

fn download_all(run: &Run, client: &Client) -> usize {
    let pool = ThreadPool::new(run.workers());
    let to_do: FuturesUnordered<_> =
        run.urls().iter().map(|url| submit(&pool, run, client, url)).collect();
    todo!("count the results of block_on_stream(to_do) that are errors")
}

fn main() -> anyhow::Result<ExitCode> {
    let run = Run::from_args(&sites::FUTURES)?;
    let client = run.blocking_client()?;
    run.start();
    let failed = download_all(&run, &client);
    let status = run.finish();
    println!("Failed: {failed} of {}", run.urls().len());
    Ok(status)
}
