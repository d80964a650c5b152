//! A wrong answer to futures-3: only the errors with an HTTP status counted.
//!
//! The check must say: so the last line should be `Failed: {f} of {t}`, not `Failed: {} of {t}`: every Err counts

use std::{process::ExitCode, time::Instant};

use clap::Parser;
use futures::{
    channel::oneshot, executor::block_on_stream, stream::FuturesUnordered,
};
use reqwest::blocking::Client;
use threadpool::ThreadPool;

/// Exercise futures-3: count the errors that result() gives back.
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

fn download_all(client: &Client, sites: &[String], workers: usize) -> usize {
    let pool = ThreadPool::new(workers);
    let to_do: FuturesUnordered<_> =
        sites.iter().map(|url| submit(&pool, client, url)).collect();
    let mut failed = 0;
    for done in block_on_stream(to_do) {
        match done {
            Ok((url, Ok(size))) => println!("Read {size} from {url}"),
            Ok((url, Err(err @ sites::Error::Status(_)))) => {
                println!("Failed {url}: {err}");
                failed += 1;
            }
            Ok((url, Err(err))) => println!("Failed {url}: {err}"),
            Err(oneshot::Canceled) => failed += 1,
        }
    }
    failed
}

fn main() -> anyhow::Result<ExitCode> {
    let args: Args = sites::cli::parse();
    let setup = sites::Setup::new(&args.common)?;
    let client = setup.blocking_client()?;
    let workers = setup.workers(args.workers);
    let recorder = sites::Recorder::start(&setup);
    let start_time = Instant::now();
    let failed = download_all(&client, setup.urls(), workers);
    let seconds = start_time.elapsed().as_secs_f64();
    println!("Download {} sites in {seconds:.2} seconds", setup.urls().len());
    println!("Failed: {failed} of {}", setup.urls().len());
    Ok(recorder.finish())
}
