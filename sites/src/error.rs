//! What can go wrong, as one small enum.

use std::{io, path::PathBuf, time::Duration};

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
    /// The body grew past `--max-bytes`.
    #[error("page is larger than the limit of {0} bytes")]
    TooLarge(usize),
    /// The connection failed: refused, reset, closed early, a bad URL...
    #[error("{0}")]
    Http(String),
    /// The worker process downloading this site died.
    #[error("the worker process died: {0}")]
    WorkerDied(String),
    /// The code downloading this site panicked.
    #[error("the worker panicked")]
    Panicked,
    /// The download was dropped before it finished.
    #[error("cancelled before it finished")]
    Cancelled,
    /// The lesson ended without ever downloading this site.
    #[error("never downloaded")]
    NeverDownloaded,
    /// The `--urls` file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    UrlFile {
        /// The file the user named.
        path: PathBuf,
        /// Why it could not be read.
        source: io::Error,
    },
    /// A line of the `--urls` file is not an http or https URL.
    #[error("{}:{line}: not an http(s) URL: {text}", path.display())]
    BadUrl {
        /// The file the user named.
        path: PathBuf,
        /// The line number, from 1.
        line: usize,
        /// The line as written.
        text: String,
    },
    /// The `--urls` file lists nothing to download.
    #[error("{} lists no URLs", .0.display())]
    NoUrls(PathBuf),
    /// The simulated web could not start, or a client could not be built.
    #[error("{0}")]
    Setup(String),
}

/// A `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<reqwest::Error> for Error {
    fn from(err: reqwest::Error) -> Self {
        Error::Http(reason(&err))
    }
}

/// The innermost cause of a failed request ("Connection refused", "connection
/// closed before message completed"), without the URL that the output line
/// already shows.
fn reason(err: &(dyn std::error::Error + 'static)) -> String {
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
            Some(inner) => Error::Http(reason(inner)),
            None => Error::Http(reason(&err)),
        }
    }
}
