//! Exercise processes-2: MapReduce with rayon.
//!
//! `count_sequentially` counts the words of the downloaded pages on one thread.
//! Write `count_in_parallel`, which must count the same with rayon: share the
//! pages' lines out among the threads (`par_iter`, `par_lines`), let each fold
//! the lines it gets into counts of its own (`fold`), then merge the counts
//! (`reduce`).
//!
//! Check it with `cargo run -p exercises -- check processes-2`.

#![allow(unused)] // remove once the exercise is done

use std::{collections::HashMap, process::ExitCode};

use rayon::prelude::*;
use sites::Run;

type Counts<'page> = HashMap<&'page str, usize>;

fn count_line<'page>(mut counts: Counts<'page>, line: &'page str) -> Counts<'page> {
    for word in line.split_whitespace() {
        *counts.entry(word).or_default() += 1;
    }
    counts
}

fn merge<'page>(mut into: Counts<'page>, from: Counts<'page>) -> Counts<'page> {
    for (word, count) in from {
        *into.entry(word).or_default() += count;
    }
    into
}

fn count_sequentially(pages: &[String]) -> Counts<'_> {
    pages.iter().flat_map(|page| page.lines()).fold(Counts::new(), count_line)
}

fn count_in_parallel(pages: &[String]) -> Counts<'_> {
    todo!("par_iter, par_lines, fold with count_line, reduce with merge")
}

fn main() -> anyhow::Result<ExitCode> {
    let run = Run::from_args(&sites::PROCESSES)?;
    let client = run.blocking_client()?;
    run.start();
    let pages: Vec<String> = (run.urls().iter())
        .filter_map(|url| run.report(url, || client.get(url).send()).ok())
        .map(|page| String::from_utf8_lossy(page.body()).into_owned())
        .collect();
    let status = run.finish();
    let counts = count_in_parallel(&pages);
    let same = counts == count_sequentially(&pages);
    let words: usize = counts.values().sum();
    println!(
        "Words: {words}, {} different; the same as on one thread: {same}",
        counts.len()
    );
    Ok(status)
}
