//! Exercise processes-3: how the speed-up grows.
//!
//! Write `speed_ups`: for every number of threads from 1 to `run.workers()`,
//! build a rayon pool of that many threads, time `count_in_parallel` in it
//! (run it `ROUNDS` times), and print a line `T threads: M ms`. Then try it
//! with `--workers` up to twice your number of CPUs: where does it stop
//! getting faster?
//!
//! Check it with `cargo run -p exercises -- check processes-3`.

use std::{collections::HashMap, process::ExitCode, time::Instant};

use rayon::prelude::*;
use sites::Run;

const ROUNDS: usize = 10;

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

fn count_in_parallel(pages: &[String]) -> Counts<'_> {
    (pages.par_iter().flat_map(|page| page.par_lines()))
        .fold(Counts::new, count_line)
        .reduce(Counts::new, merge)
}

fn speed_ups(run: &Run, pages: &[String]) -> anyhow::Result<()> {
    // EXERCISE: for 1..=run.workers() threads, time the counts, print each time
    for threads in 1..=run.workers() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
        let started = Instant::now();
        for _ in 0..ROUNDS {
            pool.install(|| count_in_parallel(pages));
        }
        println!(
            "{threads} threads: {:.1} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    Ok(())
    // END EXERCISE
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
    speed_ups(&run, &pages)?;
    Ok(status)
}
