//! A right answer to futures-2, written otherwise than the solution: the
//! futures kept in a Vec, then each waited for in turn in an iterator chain.

use std::{process::ExitCode, time::Instant};

use clap::Parser;
use futures::{channel::oneshot, executor::block_on};
use reqwest::blocking::Client;
use threadpool::ThreadPool;

/// Exercise futures-2: take the results in submission order.
#[derive(Parser)]
struct Args {
    /// How many threads the pool has
    #[arg(long, default_value_t = 3, value_parser = sites::cli::workers)]
    workers: usize,

    #[command(flatten)]
    common: sites::Args,
}

/// What a worker sends back: which site, and how its download went.
type Done = (String, sites::Result<usize>);

/// Downloads one site; its line is printed by whoever takes the result.
#[tracing::instrument(skip(client), ret, err)]
fn download_one(client: &Client, url: &str) -> sites::Result<usize> {
    let response = client.get(url).send()?.error_for_status()?;
    let body = sites::read_body(response)?;
    Ok(body.len())
}

fn submit(pool: &ThreadPool, client: &Client, url: &str) -> oneshot::Receiver<Done> {
    let (sender, handle) = oneshot::channel();
    let (client, url) = (client.clone(), url.to_string());
    pool.execute(move || {
        let result = download_one(&client, &url);
        let _ = sender.send((url, result));
    });
    handle
}

fn download_all(client: &Client, sites: &[String], workers: usize) {
    let pool = ThreadPool::new(workers);
    // EXERCISE: submit every site, then block_on each handle in turn; print it
    let to_do: Vec<_> = sites.iter().map(|url| submit(&pool, client, url)).collect();
    to_do.into_iter().map(block_on).for_each(|done| {
        if let Ok((url, result)) = done {
            match result {
                Ok(size) => println!("Read {size} from {url}"),
                Err(err) => println!("Failed {url}: {err}"),
            }
        }
    });
    // END EXERCISE
}

fn main() -> anyhow::Result<ExitCode> {
    let args: Args = sites::cli::parse();
    let setup = sites::Setup::new(&args.common)?;
    let client = setup.blocking_client()?;
    let workers = setup.workers(args.workers);
    let recorder = sites::Recorder::start(&setup);
    let start_time = Instant::now();
    download_all(&client, setup.urls(), workers);
    let seconds = start_time.elapsed().as_secs_f64();
    println!("Download {} sites in {seconds:.2} seconds", setup.urls().len());
    Ok(recorder.finish())
}
