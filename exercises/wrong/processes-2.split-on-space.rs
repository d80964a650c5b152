//! A wrong answer to processes-2: its own fold that splits lines on `' '`
//! rather than count_line, so a tab or two spaces change the counts.
//!
//! The check must say: it found words the pages do not hold: split each line with count_line

use std::{collections::HashMap, process::ExitCode};

use clap::Parser;
use rayon::prelude::*;
use reqwest::blocking::Client;

/// Exercise processes-2: count words with rayon: fold, then reduce.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: sites::Args,
}

/// How many times each word occurs.
type Counts<'page> = HashMap<&'page str, usize>;

/// Map: adds the words of one line to the counts.
fn count_line<'page>(mut counts: Counts<'page>, line: &'page str) -> Counts<'page> {
    for word in line.split_whitespace() {
        *counts.entry(word).or_default() += 1;
    }
    counts
}

/// Reduce: merges two sets of counts.
fn merge<'page>(mut into: Counts<'page>, from: Counts<'page>) -> Counts<'page> {
    for (word, count) in from {
        *into.entry(word).or_default() += count;
    }
    into
}

/// Every line of every page, one after the other, on this thread.
#[allow(dead_code)]
fn count_sequentially(pages: &[String]) -> Counts<'_> {
    pages.iter().flat_map(|page| page.lines()).fold(Counts::new(), count_line)
}

fn count_in_parallel(pages: &[String]) -> Counts<'_> {
    // EXERCISE: par_iter, par_lines, fold with count_line, reduce with merge
    pages
        .par_iter()
        .flat_map(|page| page.par_lines())
        .fold(Counts::new, |mut counts, line| {
            for word in line.split(' ') {
                *counts.entry(word).or_default() += 1;
            }
            counts
        })
        .reduce(Counts::new, merge)
    // END EXERCISE
}

#[tracing::instrument(skip(client), err)]
fn download_one(client: &Client, url: &str) -> sites::Result<String> {
    let response = client.get(url).send()?.error_for_status()?;
    let body = sites::read_body(response)?;
    println!("Read {} from {}", body.len(), url);
    tracing::info!(bytes = body.len());
    Ok(String::from_utf8_lossy(&body).into_owned())
}

fn main() -> anyhow::Result<ExitCode> {
    let args: Args = sites::cli::parse();
    let setup = sites::Setup::new(&args.common)?;
    let client = setup.blocking_client()?;
    let recorder = sites::Recorder::start(&setup);
    let pages: Vec<String> = setup
        .urls()
        .iter()
        .filter_map(|url| download_one(&client, url).ok())
        .collect();
    let status = recorder.finish();
    let counts = count_in_parallel(&pages);
    let words: usize = counts.values().sum();
    println!("Words: {words}, {} different", counts.len());
    Ok(status)
}
