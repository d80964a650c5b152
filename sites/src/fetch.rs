//! Reading a response into a [`Page`], within the time and size limits, for the
//! blocking and the async client alike.

use std::{
    io::Read,
    time::{Duration, Instant},
};

use bytes::{Bytes, BytesMut};

use crate::{
    Error, Result,
    web::{LATENCY_HEADER, PANIC_HEADER},
};

/// A downloaded page.
#[derive(Debug, Clone)]
pub struct Page {
    body: Bytes,
    latency: Option<Duration>,
}

impl Page {
    pub(crate) fn new(body: Bytes, latency: Option<Duration>) -> Self {
        Page { body, latency }
    }

    /// The body's size in bytes: `len(resp.content)` in the notes.
    pub fn len(&self) -> usize {
        self.body.len()
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.body.is_empty()
    }

    /// The body itself.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// How long the simulated web said this page takes to serve; `None` off
    /// the simulated web.
    pub fn simulated_latency(&self) -> Option<Duration> {
        self.latency
    }
}

/// How long a download may take and how large its page may be.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub timeout: Duration,
    pub max_bytes: usize,
}

impl Limits {
    /// A reqwest error as ours, naming the timeout when that is what it was.
    fn error(&self, err: reqwest::Error) -> Error {
        if err.is_timeout() { Error::Timeout(self.timeout) } else { err.into() }
    }

    /// The checks made before reading a body: status, announced size, and the
    /// simulated web's latency header; then room for the body, so that it is
    /// not moved again and again as it grows.
    fn head(
        &self,
        status: reqwest::StatusCode,
        headers: &reqwest::header::HeaderMap,
        length: Option<u64>,
    ) -> Result<(Option<Duration>, BytesMut)> {
        if headers.contains_key(PANIC_HEADER) {
            panic!("the simulated web asked this worker to panic");
        }
        if !status.is_success() {
            return Err(Error::Status(status));
        }
        if length.is_some_and(|length| length > self.max_bytes as u64) {
            return Err(Error::TooLarge(self.max_bytes));
        }
        let latency = headers
            .get(LATENCY_HEADER)
            .and_then(|value| value.to_str().ok()?.parse::<f64>().ok())
            .map(|ms| Duration::from_secs_f64(ms / 1000.0));
        let room = length.map_or(0, |length| length as usize);
        Ok((latency, BytesMut::with_capacity(room)))
    }

    /// Appends a chunk to the body unless that would pass the size limit.
    fn append(&self, body: &mut BytesMut, chunk: &[u8]) -> Result<()> {
        if body.len() + chunk.len() > self.max_bytes {
            return Err(Error::TooLarge(self.max_bytes));
        }
        body.extend_from_slice(chunk);
        Ok(())
    }

    /// Reads a blocking response to the end, giving up at `deadline`.
    pub fn read_blocking(
        &self,
        response: reqwest::Result<reqwest::blocking::Response>,
        deadline: Instant,
    ) -> Result<Page> {
        let mut response = response.map_err(|err| self.error(err))?;
        let (latency, mut body) = self.head(
            response.status(),
            response.headers(),
            response.content_length(),
        )?;
        let mut buffer = vec![0; 64 * 1024];
        loop {
            // A server that drips one byte at a time never makes a single read
            // wait long, so the deadline is checked between reads too.
            if Instant::now() >= deadline {
                return Err(Error::Timeout(self.timeout));
            }
            let read = match response.read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => read,
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {
                    continue;
                }
                Err(err) if err.kind() == std::io::ErrorKind::TimedOut => {
                    return Err(Error::Timeout(self.timeout));
                }
                Err(err) => return Err(err.into()),
            };
            self.append(&mut body, &buffer[..read])?;
        }
        Ok(Page { body: body.freeze(), latency })
    }

    /// Awaits an async response and reads it to the end. The client's own
    /// timeout covers the whole download, body included.
    pub async fn read_async(
        &self,
        response: impl Future<Output = reqwest::Result<reqwest::Response>>,
    ) -> Result<Page> {
        let mut response = response.await.map_err(|err| self.error(err))?;
        let (latency, mut body) = self.head(
            response.status(),
            response.headers(),
            response.content_length(),
        )?;
        while let Some(chunk) =
            response.chunk().await.map_err(|err| self.error(err))?
        {
            self.append(&mut body, &chunk)?;
        }
        Ok(Page { body: body.freeze(), latency })
    }
}
