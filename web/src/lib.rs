//! The simulated web: a real HTTP/1.1 server on loopback that serves the
//! notes' twelve sites (or many made-up pages) after a simulated latency, so
//! that every lesson runs, and is timed, offline. It keeps its own record of
//! every request it served, which tests and exercise checks trust more than
//! anything a client says about itself. Run on its own as `serve`, it is a
//! class's shared server, with a class page that shows every run live.
//!
//! ```no_run
//! # fn main() -> web::Result<()> {
//! use web::{Fault, Pages, SimulatedWeb};
//!
//! let web = SimulatedWeb::start(Pages::notes().faster(50.0))?;
//! let first = web.url("/www.baidu.com/"); // http://127.0.0.1:PORT/www.baidu.com/
//! let broken = web.fault(Fault::Reset);
//! // ... download them, then ask the web what it served:
//! let served = web.downloads();
//! # Ok(()) }
//! ```
//!
//! # Layout
//!
//! - `notes`: the notes' twelve sites, their sizes and simulated latencies.
//! - `pages`: [`Pages`], what a web serves, each a [`PageSpec`].
//! - `fault`: [`Fault`], pages that fail on purpose.
//! - `web`: [`SimulatedWeb`], the handle that starts, addresses and stops a
//!   web.
//! - `listen`: the server thread, which accepts and serves connections.
//! - `connections`: the connections open, within the [`Guard`]'s budget.
//! - `site`: what the connections share, and how one request is answered.
//! - `send`: how a page or a fault is sent.
//! - `record`: the record of what was [`Served`], to [`Who`].
//! - `class`: the class page: every run against a shared web, live; its
//!   routes in `class/routes`.
//! - `summary`: the [`Summary`] a run posts to the class page when it ends.
//! - `verdict`: the [`Verdict`] `exercises check` sends the class.
//! - [`limit`]: the shortest time a run could take, that runs are measured
//!   against.
//! - [`cli`]: [`cli::WebArgs`], the options of what a web serves, and one-line
//!   command-line mistakes.
//! - `tls`: HTTPS with a certificate made at start-up (feature `tls`).
//! - `error`: the [`Error`] a web can fail to start with.
//!
//! The binary `serve` (in `src/bin/serve.rs`) serves a web until Ctrl-C.

mod class;
pub mod cli;
mod connections;
mod error;
mod fault;
pub mod limit;
mod listen;
mod notes;
mod pages;
mod record;
mod send;
mod site;
mod summary;
#[cfg(feature = "tls")]
mod tls;
mod verdict;
mod web;

pub use class::CLASS_BYTES;
pub use connections::Guard;
pub use error::{Error, Result};
pub use fault::Fault;
pub use notes::{BYTES_PER_SECOND, NOTES_SITES, NotesSite};
pub use pages::{MAX_SYNTHETIC, PageSpec, Pages};
pub use record::{
    CONNECTIONS_HEADER, MOST_PATH_BYTES, RECORD_BYTES, SIMULATED_HEADER, Served,
    WHO_HEADERS, Who, shown_name,
};
pub use summary::{MOST_SUMMARY_BYTES, Summary, WorkReport};
pub use verdict::{
    EXERCISES, MOST_MESSAGE_CHARS, MOST_STUDENTS, MOST_VERDICT_BYTES, Verdict,
};
pub use web::SimulatedWeb;
