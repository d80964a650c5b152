//! What can go wrong, as one small enum.

use std::{io, time::Duration};

/// Everything `sites` can fail with. A download's error is printed on the site's
/// own line, so each message is one short phrase.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server answered with a status outside 200–299.
    #[error("HTTP status {0}")]
    Status(reqwest::StatusCode),
    /// The whole download, body included, took longer than `--timeout`.
    #[error("timed out after {} s", .0.as_secs_f64())]
    Timeout(Duration),
    /// The body grew, or was announced to grow, past `--max-bytes`.
    #[error("page is larger than the limit of {0} bytes")]
    TooLarge(usize),
    /// The pages held in memory at once would pass [`BUDGET`](crate::BUDGET).
    #[error("the pages held at once would pass the budget of {} MiB", .0 >> 20)]
    OverBudget(usize),
    /// The connection failed: refused, reset, closed early, a bad URL...
    #[error("{0}")]
    Http(String),
    /// The worker process downloading this site died, or could not be reached.
    #[error("the worker process died: {0}")]
    WorkerDied(String),
    /// The worker process did not answer in time, and was stopped.
    #[error("the worker process did not answer within {} s, and was stopped", .0.as_secs_f64())]
    WorkerLate(Duration),
    /// No thread or process could be started to download this site.
    #[error("cannot start a worker: {0}")]
    CannotStart(String),
    /// The simulated web could not start, a client could not be built, or a
    /// list of URLs could not be fetched.
    #[error("{0}")]
    Setup(String),
    /// The output could not be written.
    #[error("cannot write {0}")]
    Output(String),
}

/// A `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<web::Error> for Error {
    fn from(err: web::Error) -> Self {
        Error::Setup(err.to_string())
    }
}

impl From<reqwest::Error> for Error {
    fn from(err: reqwest::Error) -> Self {
        if err.is_timeout() {
            Error::Timeout(crate::body::limits().timeout)
        } else if let Some(status) = err.status() {
            Error::Status(status)
        } else {
            Error::Http(plain(&err))
        }
    }
}

/// What a panic said: its message, formatted or not.
pub(crate) fn panic_message(info: &std::panic::PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    let text = payload.downcast_ref::<&str>().copied();
    let formatted = payload.downcast_ref::<String>().map(String::as_str);
    text.or(formatted).unwrap_or("a panic").to_string()
}

/// The innermost cause of a failed request ("Connection refused", "connection
/// closed before message completed"), without the URL that the output line
/// already shows.
pub(crate) fn plain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut innermost = err;
    while let Some(source) = innermost.source() {
        innermost = source;
    }
    let text = innermost.to_string();
    // An io::Error that only wraps another error shows as that error.
    match text.split_once(" (os error") {
        Some((message, _)) => message.to_string(),
        None => text,
    }
}

impl From<io::Error> for Error {
    /// Errors met while reading a blocking body; reqwest wraps its own inside.
    fn from(err: io::Error) -> Self {
        match err.get_ref().and_then(|inner| inner.downcast_ref::<reqwest::Error>())
        {
            Some(inner) if inner.is_timeout() => {
                Error::Timeout(crate::body::limits().timeout)
            }
            Some(inner) => Error::Http(plain(inner)),
            None if err.kind() == io::ErrorKind::TimedOut => {
                Error::Timeout(crate::body::limits().timeout)
            }
            None => Error::Http(plain(&err)),
        }
    }
}
