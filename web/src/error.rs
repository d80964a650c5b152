//! What can go wrong when a simulated web starts.

use std::{io, net::SocketAddr};

/// Why a simulated web could not start.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The address could not be bound, or the server's thread not started.
    #[error("cannot serve at {addr}: {err}")]
    Serve {
        /// Where it was to listen.
        addr: SocketAddr,
        /// What the system said.
        err: io::Error,
    },
    /// The certificate for HTTPS could not be made.
    #[error("cannot make a certificate: {0}")]
    Certificate(String),
}

/// A `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
