//! Exercise futures-2: results in submission order.
//!
//! `submit` hands a site to the pool and returns a handle to its result (the
//! receiving end of a oneshot channel), as in lesson 4. Write
//! `download_all`: submit every site first, then wait for the handles one by
//! one, in the order they were submitted, and print each result with
//! `run.print`.
//!
//! Check it with `cargo run -p exercises -- check futures-2`.

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
    // EXERCISE: submit every site, then block_on each handle in turn
    let handles: Vec<_> =
        run.urls().iter().map(|url| submit(&pool, run, client, url)).collect();
    for handle in handles {
        if let Ok((url, page)) = block_on(handle) {
            run.print(&url, &page);
        }
    }
    // END EXERCISE
}

fn main() -> anyhow::Result<ExitCode> {
    let run = Run::from_args(&sites::FUTURES)?;
    let client = run.blocking_client()?;
    run.start();
    download_all(&run, &client);
    Ok(run.finish())
}
