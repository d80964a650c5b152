//! Everything the lessons share, so that each lesson's `main.rs` holds only the
//! lesson: the notes' site list, a simulated web to download it from offline,
//! the command line, the printed lines, the timing, the timeline and the JSON
//! report.
//!
//! A lesson's `main` reads like the notes' programs:
//!
//! ```no_run
//! # fn main() -> sites::Result<()> {
//! use sites::{Run, SEQUENTIAL};
//!
//! let run = Run::from_args(&SEQUENTIAL)?; // starts the simulated web
//! let client = run.blocking_client()?;
//! run.start(); // time.perf_counter()
//! for url in run.urls() {
//!     // Prints `Read 2443 from http://127.0.0.1:PORT/www.baidu.com/`.
//!     let _ = run.report(url, || client.get(url).send());
//! }
//! run.finish(); // Download 12 sites in 2.80 seconds
//! # Ok(()) }
//! ```
//!
//! # Layout
//!
//! - [`list`]: the notes' twelve sites, their sizes and simulated latencies.
//! - [`web`]: [`SimulatedWeb`], a real HTTP/1.1 server on 127.0.0.1 that serves
//!   them, or many made-up pages, and [`Fault`] pages that fail on purpose.
//! - [`cli`]: the command line every lesson shares, and the [`Lesson`]s.
//! - [`run`]: [`Run`], which a lesson's `main` holds: it times and prints each
//!   download and ends with the summary.
//! - [`fetch`]: reading a response into a [`Page`] within the time and size
//!   limits.
//! - [`process`]: the worker processes of lesson 3's process pool.
//! - [`report`]: the JSON [`Report`] and the timeline drawn from it.
//! - [`harness`]: running a lesson's binary with a time limit, for tests.
//! - [`error`]: the [`Error`] enum.

pub mod cli;
pub mod error;
pub mod fetch;
pub mod harness;
pub mod list;
pub mod process;
pub mod report;
pub mod run;
pub mod web;

pub use cli::{
    ASYNC, FUTURES, LESSONS, Lesson, PROCESSES, SEQUENTIAL, THREADS, WebArgs,
    Workers,
};
pub use error::{Error, Result};
pub use fetch::Page;
pub use list::{BYTES_PER_SECOND, NOTES_SITES, NotesSite};
pub use report::{Report, SiteReport};
pub use run::Run;
pub use web::{Fault, LATENCY_HEADER, PageSpec, Pages, SimulatedWeb};

/// How many CPUs this machine has: rayon's and `ProcessPoolExecutor()`'s
/// default number of workers.
pub fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}
