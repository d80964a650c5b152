//! Exercise futures-2: results in submission order.
//!
//! `submit` hands a site to the pool and returns a handle to its result (the
//! receiving end of a oneshot channel), as in lesson 4. Write
//! `download_all`: submit every site first, then wait for the handles one by
//! one, in the order they were submitted, and print each result with
//! `run.print`.
//!
//! Check it with `cargo run -p exercises -- check futures-2`.

#![allow(unused)] // remove once the exercise is done

use std::process::ExitCode;

use futures::{channel::oneshot, executor::block_on};
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
        let page = run.fetch(&url, || client.get(&url).send());
        let _ = sender.send((url, page));
    });
    handle
}

fn download_all(run: &Run, client: &Client) {
    let pool = ThreadPool::new(run.workers());
    todo!("submit every site, then block_on each handle in turn")
}

fn main() -> anyhow::Result<ExitCode> {
    let run = Run::from_args(&sites::FUTURES)?;
    let client = run.blocking_client()?;
    run.start();
    download_all(&run, &client);
    Ok(run.finish())
}
