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
//! - [`language`]: English or Chinese, as the system says; what `serve`
//!   prints, in either.
//! - `tls`: HTTPS with a certificate made at start-up (feature `tls`).
//! - `error`: the [`Error`] a web can fail to start with.
//!
//! The binary `serve` (in `src/bin/serve.rs`) serves a web until Ctrl-C.

mod class;
pub mod cli;
mod connections;
mod error;
mod fault;
pub mod language;
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
pub use connections::{CONNECTION_BYTES, CONNECTIONS_BYTES, Guard};
pub use error::{Error, Result};
pub use fault::Fault;
pub use notes::{BYTES_PER_SECOND, NOTES_SITES, NotesSite};
pub use pages::{MAX_SYNTHETIC, PageSpec, Pages};
pub use record::{
    CONNECTIONS_HEADER, MOST_PATH_BYTES, NAME_PLACEHOLDERS, RECORD_BYTES,
    SIMULATED_HEADER, Served, WHO_HEADERS, Who, given_name,
};
pub use summary::{MOST_SEEN, MOST_SUMMARY_BYTES, Seen, Summary, WorkReport};
pub use verdict::{
    EXERCISES, MOST_MESSAGE_CHARS, MOST_STUDENTS, MOST_VERDICT_BYTES, Verdict,
};
pub use web::SimulatedWeb;

/// The most memory a simulated web holds, whatever its clients send or fail
/// to read: the record ([`RECORD_BYTES`]); the class page ([`CLASS_BYTES`])
/// and the copies of it that answers hold, two at most, each at most four
/// times its size as JSON; the progress view, 4 MiB, and two copies of 6 MiB;
/// the results, 10 MiB; the connections ([`CONNECTIONS_BYTES`]); and the
/// program itself, 16 MiB. `serve --help` and the class page say it.
pub const MEMORY_BYTES: usize = 512 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_budget_covers_each_of_its_parts() {
        const MIB: usize = 1 << 20;
        let class = CLASS_BYTES + class::MOST_COPIES * 4 * CLASS_BYTES;
        // A cell's message, kept as UTF-8 and sent as JSON with `\u003c`s.
        let cells = MOST_STUDENTS * EXERCISES.len();
        let kept = cells * (MOST_MESSAGE_CHARS * 4 + 64);
        let sent = cells * (MOST_MESSAGE_CHARS * 6 + 80);
        let progress = kept + class::MOST_COPIES * sent;
        let parts =
            [RECORD_BYTES, class, progress, 10 * MIB, CONNECTIONS_BYTES, 16 * MIB];
        assert!(parts.iter().sum::<usize>() <= MEMORY_BYTES);
    }
}
