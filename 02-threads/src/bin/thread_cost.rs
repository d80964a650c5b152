//! What a thread costs. The notes warn that threads are not free: creating,
//! keeping and removing each one takes time and memory. This measures both on
//! your machine, and compares starting a thread per job with reusing a pool.
//!
//! ```text
//! cargo run --release -p ch02-threads --bin thread-cost
//! cargo run --release -p ch02-threads --bin thread-cost -- --jobs 100000
//! ```

use std::{
    hint::black_box,
    sync::{Arc, Barrier},
    thread,
    time::{Duration, Instant},
};

use clap::Parser;
use threadpool::ThreadPool;

/// Time N threads started and joined against N jobs on a reused pool, and
/// measure the memory of threads that are alive but waiting.
#[derive(Parser)]
#[command(name = "thread-cost")]
struct Args {
    /// How many jobs to run each way
    #[arg(long, default_value_t = 10_000, value_parser = sites::cli::workers)]
    jobs: usize,

    /// How many threads the pool keeps
    #[arg(long, default_value_t = 5, value_parser = sites::cli::workers)]
    workers: usize,

    /// How many waiting threads to keep alive at once for the memory figure
    #[arg(long, default_value_t = 1_000, value_parser = sites::cli::workers)]
    alive: usize,
}

fn main() {
    let args: Args = sites::cli::parse();
    // The system may allow fewer threads at once than asked for: then it says so.
    let workers = sites::threads_allowed(args.workers);
    let (jobs, alive) = (args.jobs, sites::threads_allowed(args.alive));

    // A new thread per job: created, run, joined, freed. `Builder::spawn`,
    // unlike `thread::spawn`, says when the system will not start one.
    let started = Instant::now();
    for job in 0..jobs {
        match thread::Builder::new().spawn(move || black_box(job)) {
            Ok(thread) => drop(thread.join()),
            Err(err) => cannot_start(&err),
        }
    }
    let per_thread = started.elapsed() / jobs as u32;

    // The same jobs on a pool: its threads are created once and then reused.
    let pool = ThreadPool::new(workers);
    let started = Instant::now();
    for job in 0..jobs {
        pool.execute(move || {
            black_box(job);
        });
    }
    pool.join();
    let per_job = started.elapsed() / jobs as u32;

    println!(
        "{jobs} jobs, each on a thread of its own: {} a job",
        micros(per_thread)
    );
    println!(
        "{jobs} jobs on a pool of {workers} threads: {} a job",
        micros(per_job)
    );
    println!(
        "Starting a thread costs about {:.0} times the pool's hand-over.",
        per_thread.as_secs_f64() / per_job.as_secs_f64().max(1e-9)
    );
    match memory_per_thread(alive) {
        Some((resident, reserved)) => println!(
            "A waiting thread uses {resident:.0} KiB of memory, and grows the address space \
             by {reserved:.0} KiB: its stack, and what the allocator sets aside for it.",
        ),
        None => println!(
            "Memory per thread: not measured on this system (it does not count the \
             address space a process reserves)."
        ),
    }
}

/// Says in one line that the system would not start a thread, and ends the
/// process (with any threads waiting at a barrier for the rest).
fn cannot_start(err: &std::io::Error) -> ! {
    eprintln!("error: cannot start a thread: {err}");
    std::process::exit(1)
}

fn micros(duration: Duration) -> String {
    format!("{:.2} µs", duration.as_secs_f64() * 1e6)
}

/// Keeps `count` threads waiting at a barrier and reads how much the process
/// grew, resident and reserved, per thread, in KiB.
fn memory_per_thread(count: usize) -> Option<(f64, f64)> {
    let before = memory()?;
    let barrier = Arc::new(Barrier::new(count + 1));
    let mut threads = Vec::new();
    for _ in 0..count {
        let barrier = barrier.clone();
        let thread = thread::Builder::new().spawn(move || {
            barrier.wait(); // all started
            barrier.wait(); // measured: may end
        });
        match thread {
            Ok(thread) => threads.push(thread),
            Err(err) => cannot_start(&err),
        }
    }
    barrier.wait();
    let during = memory();
    barrier.wait();
    for thread in threads {
        let _ = thread.join();
    }
    let during = during?;
    let per_thread =
        |after: u64, before: u64| after.saturating_sub(before) as f64 / count as f64;
    Some((per_thread(during.0, before.0), per_thread(during.1, before.1)))
}

/// The process's resident size and address space in KiB, as the system
/// counts them.
fn memory() -> Option<(u64, u64)> {
    platform::memory::resident_kb().zip(platform::memory::address_space_kb())
}
