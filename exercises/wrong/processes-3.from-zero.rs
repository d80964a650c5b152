//! A wrong answer to processes-3: the numbers of threads counted from 0
//! (`0..workers`), instead of from 1 to `workers`.
//!
//! The check must say: it printed lines for 0, 1{} threads ({}): print one line `T threads: M ms` for each number of threads from 1 to

use std::{process::ExitCode, time::Instant};

use clap::Parser;
use rayon::prelude::*;
use reqwest::blocking::Client;

/// Exercise processes-3: measure the speed-up with 1 to N rayon threads.
#[derive(Parser)]
struct Args {
    /// Up to how many threads [default: one per CPU]
    #[arg(long, value_parser = sites::cli::workers)]
    workers: Option<usize>,

    #[command(flatten)]
    common: sites::Args,
}

/// CPU work on every byte of every page, shared out among the pool's threads:
/// a hash of each 4 KiB, mixed 64 times over.
fn checksum(pages: &[Vec<u8>]) -> u64 {
    let hash = |block: &[u8]| {
        let mut hash = 0xcbf2_9ce4_8422_2325_u64;
        for _ in 0..64 {
            for &byte in block {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3);
            }
        }
        hash
    };
    let blocks = pages.par_iter().flat_map(|page| page.par_chunks(4096));
    blocks.map(hash).reduce(|| 0, u64::wrapping_add)
}

fn speed_ups(pages: &[Vec<u8>], workers: usize) -> anyhow::Result<()> {
    for threads in 0..workers {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
        let started = Instant::now();
        pool.install(|| checksum(pages));
        println!(
            "{threads} threads: {:.1} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    Ok(())
}

#[tracing::instrument(skip(client), err)]
fn download_one(client: &Client, url: &str) -> sites::Result<Vec<u8>> {
    let response = client.get(url).send()?.error_for_status()?;
    let body = sites::read_body(response)?;
    println!("Read {} from {}", body.len(), url);
    tracing::info!(bytes = body.len());
    Ok(body.to_vec())
}

fn main() -> anyhow::Result<ExitCode> {
    let args: Args = sites::cli::parse();
    let setup = sites::Setup::new(&args.common)?;
    let client = setup.blocking_client()?;
    let recorder = sites::Recorder::start(&setup);
    let pages: Vec<Vec<u8>> = setup
        .urls()
        .iter()
        .filter_map(|url| download_one(&client, url).ok())
        .collect();
    let status = recorder.finish();
    speed_ups(&pages, args.workers.unwrap_or_else(sites::cpus))?;
    Ok(status)
}
