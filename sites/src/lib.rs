//! What the notes' programs do not have, and the lessons share: the notes' site
//! list, the common command line, the clients, and the recording behind
//! `--timeline` and `--json`, over the simulated web of the crate `web`,
//! whose names a lesson uses are handed on from here. Each lesson's `main.rs`
//! holds the lesson itself: the request, the status check, reading the body,
//! the printed line, and how the downloads are spread out.
//!
//! A lesson uses it like this:
//!
//! ```no_run
//! use std::time::Instant;
//!
//! use clap::Parser;
//! use reqwest::blocking::Client;
//!
//! /// Lesson 1: download the sites one by one.
//! #[derive(Parser)]
//! struct Args {
//!     #[command(flatten)]
//!     common: sites::Args,
//! }
//!
//! #[tracing::instrument(skip(client), ret, err)] // for --timeline and --json
//! fn download_one(client: &Client, url: &str) -> sites::Result<usize> {
//!     let response = client.get(url).send()?.error_for_status()?;
//!     let body = sites::read_body(response)?;
//!     println!("Read {} from {}", body.len(), url);
//!     Ok(body.len())
//! }
//!
//! fn main() -> anyhow::Result<std::process::ExitCode> {
//!     let args: Args = sites::cli::parse();
//!     let setup = sites::Setup::new(&args.common)?; // starts the simulated web
//!     let client = setup.blocking_client()?;
//!     let recorder = sites::Recorder::start(&setup);
//!     let start_time = Instant::now();
//!     for url in setup.urls() {
//!         if let Err(err) = download_one(&client, url) {
//!             println!("Failed {url}: {err}");
//!         }
//!     }
//!     let seconds = start_time.elapsed().as_secs_f64();
//!     println!("Download {} sites in {seconds:.2} seconds", setup.urls().len());
//!     Ok(recorder.finish())
//! }
//! ```
//!
//! # Layout
//!
//! - [`cli`]: the options every lesson takes, [`Args`], and [`cli::parse`].
//! - `help`: the lessons' `--help` in Chinese.
//! - `setup`: [`Setup`], the URLs, the clients and the open-file limit.
//! - `url_list`: reading `--urls`, a file or the URL of a list.
//! - [`client`]: the one builder behind every HTTP client of the lessons.
//! - `body`: [`read_body`], reading a page within `--max-bytes` and the
//!   memory [`BUDGET`].
//! - `record`: [`Recorder`], which watches the downloads for `--timeline`
//!   and `--json`, and gives every URL its line.
//! - [`report`]: the JSON [`Report`] and the timeline drawn from it.
//! - [`process`]: [`ProcessPool`], lesson 3's pool of worker processes.
//! - `harness`: running a lesson's binary with a time limit, for tests (with
//!   the feature `harness`, which no lesson turns on).
//! - `hostile`: a lesson tried as a hostile user and network would, for tests
//!   (the same).
//! - `other_server`: a server that is not a simulated web and redirects, for
//!   tests (the same).
//! - `error`: the [`Error`] enum.

mod body;
pub mod cli;
pub mod client;
mod error;
#[cfg(feature = "harness")]
pub mod harness;
mod help;
#[cfg(feature = "harness")]
pub mod hostile;
#[cfg(feature = "harness")]
pub mod other_server;
pub mod process;
mod record;
pub mod report;
mod setup;
mod url_list;

pub use body::{BUDGET, Body, ReadBody, read_body};
pub use cli::Args;
pub use error::{Error, Result};
pub use process::ProcessPool;
pub use record::Recorder;
pub use report::{Report, SiteReport};
pub use setup::{Setup, threads_allowed};
// The simulated web's names that lessons, their tests, `compare` and
// `exercises` use, and `Who`, which a client's settings hold.
pub use web::{Fault, NOTES_SITES, PageSpec, Pages, Served, SimulatedWeb, Who};

/// How many CPUs this machine has: rayon's and `ProcessPoolExecutor()`'s
/// default number of workers.
pub fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}
