//! Reading a response's body within `--max-bytes` and within the memory
//! budget for pages: [`read_body`], which the lessons call where a program of
//! your own would call reqwest's `bytes()`.
//!
//! reqwest's `bytes()` reads whatever the server sends, for as long as the
//! timeout allows; a server that sends without end could fill the memory first.
//! `read_body` grows the body with what arrives (never with what the server
//! announces) and stops at the limits.

use std::{
    io::Read,
    ops::Deref,
    pin::Pin,
    sync::{
        OnceLock,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use bytes::Bytes;

use crate::{Error, Result};

/// The most page bytes that all the downloads of a run may hold in memory at
/// once: 256 MiB, or less under a limit of address space (see
/// [`Setup`](crate::Setup)). `--max-bytes` may not be larger.
pub const BUDGET: usize = 256 << 20;

/// The largest page a download takes unless told otherwise (`--max-bytes`):
/// 16 MiB.
pub(crate) const MAX_BYTES: usize = 16 << 20;

/// The page bytes held now, by every [`Body`] alive or being read.
static HELD: AtomicUsize = AtomicUsize::new(0);

/// How long a download may take and how large its page may be: `--timeout`
/// and `--max-bytes`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// The longest a download may take, body included.
    pub timeout: Duration,
    /// The largest page.
    pub max_bytes: usize,
    /// The most page bytes held at once, [`BUDGET`] or less.
    pub budget: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(10),
            max_bytes: MAX_BYTES,
            budget: BUDGET,
        }
    }
}

static LIMITS: OnceLock<Limits> = OnceLock::new();

/// The run's limits: those [`Setup`](crate::Setup) was given, or the defaults.
pub fn limits() -> Limits {
    LIMITS.get().copied().unwrap_or_default()
}

/// Sets the run's limits, once; later calls change nothing.
pub(crate) fn set_limits(limits: Limits) {
    let _ = LIMITS.set(limits);
}

/// A page's body, held in memory until it is dropped. It derefs to its bytes,
/// so `body.len()` is its size.
#[derive(Debug)]
pub struct Body {
    bytes: Bytes,
    _held: Held,
}

impl Deref for Body {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

/// A share of the [`BUDGET`], given back when dropped.
#[derive(Debug, Default)]
struct Held(usize);

impl Held {
    fn grow(&mut self, more: usize) -> Result<()> {
        let budget = limits().budget;
        let before = HELD.fetch_add(more, Ordering::Relaxed);
        if before + more > budget {
            HELD.fetch_sub(more, Ordering::Relaxed);
            return Err(Error::OverBudget(budget));
        }
        self.0 += more;
        Ok(())
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        HELD.fetch_sub(self.0, Ordering::Relaxed);
    }
}

/// A redirect the client did not follow, because its `Location` is missing,
/// not a URL, or not an http(s) one: a failure, not a page of no bytes.
fn unfollowed(
    url: &reqwest::Url,
    status: reqwest::StatusCode,
    headers: &reqwest::header::HeaderMap,
) -> Result<()> {
    if !status.is_redirection() {
        return Ok(());
    }
    let location = headers.get(reqwest::header::LOCATION);
    let location = location.map(|value| String::from_utf8_lossy(value.as_bytes()));
    Err(Error::Http(match location {
        None => format!("{status} without a Location"),
        Some(text) => match url.join(&text) {
            Ok(next) => {
                format!(
                    "redirected to a {}: URL, which is not http(s)",
                    next.scheme()
                )
            }
            Err(_) => {
                let text: String = text.chars().take(100).collect();
                format!("redirected to {text:?}, which is not a URL")
            }
        },
    }))
}

/// A body being read: checks each chunk against the limits before keeping it.
struct Reading {
    body: Vec<u8>,
    /// A body that came in one chunk, kept as it came rather than copied.
    whole: Option<Bytes>,
    held: Held,
    max_bytes: usize,
}

impl Reading {
    fn new(announced: Option<u64>) -> Result<Self> {
        let max_bytes = limits().max_bytes;
        if announced.is_some_and(|length| length > max_bytes as u64) {
            return Err(Error::TooLarge(max_bytes));
        }
        Ok(Reading {
            body: Vec::new(),
            whole: None,
            held: Held::default(),
            max_bytes,
        })
    }

    /// Keeps a chunk, growing the body to twice its room when it is full: the
    /// room, not only the bytes, is counted against the budget, and taken
    /// before it is allocated.
    fn push(&mut self, chunk: &[u8]) -> Result<()> {
        let needed = self.body.len() + chunk.len();
        if needed > self.max_bytes {
            return Err(Error::TooLarge(self.max_bytes));
        }
        let room = self.body.capacity();
        if needed > room {
            let grown = needed.max(room * 2).min(self.max_bytes);
            self.held.grow(grown - self.held.0)?;
            self.body.reserve_exact(grown - self.body.len());
        }
        self.body.extend_from_slice(chunk);
        Ok(())
    }

    /// Keeps a chunk that came as `Bytes`: the first as it is, the others
    /// copied after it.
    fn push_bytes(&mut self, chunk: Bytes) -> Result<()> {
        if self.body.is_empty()
            && self.whole.is_none()
            && chunk.len() <= self.max_bytes
        {
            self.held.grow(chunk.len())?;
            self.whole = Some(chunk);
            return Ok(());
        }
        if let Some(first) = self.whole.take() {
            self.held = Held::default(); // given back, and taken again by push
            self.push(&first)?;
        }
        self.push(&chunk)
    }

    fn done(self) -> Body {
        let bytes = self.whole.unwrap_or_else(|| Bytes::from(self.body));
        Body { bytes, _held: self.held }
    }
}

/// A response whose body [`read_body`] can read: reqwest's blocking one, which
/// gives the body at once, and its async one, which gives a future of it.
pub trait ReadBody {
    /// `Result<Body>`, or a future of it.
    type Output;

    /// Reads the body to its end, within the limits.
    fn read_body(self) -> Self::Output;
}

/// Reads a response's whole body, as reqwest's `bytes()` does, but within
/// `--max-bytes` and the [`BUDGET`]. The client's `--timeout` covers it too.
///
/// ```no_run
/// # fn main() -> sites::Result<()> {
/// # let client = reqwest::blocking::Client::new();
/// let response = client.get("http://127.0.0.1:8000/www.baidu.com/").send()?;
/// let body = sites::read_body(response)?;
/// println!("Read {} bytes", body.len());
/// # Ok(()) }
/// ```
///
/// With the async client, the same call gives a future:
///
/// ```no_run
/// # async fn f() -> sites::Result<()> {
/// # let client = reqwest::Client::new();
/// let response = client.get("http://127.0.0.1:8000/www.baidu.com/").send().await?;
/// let body = sites::read_body(response).await?;
/// # Ok(()) }
/// ```
pub fn read_body<R: ReadBody>(response: R) -> R::Output {
    response.read_body()
}

impl ReadBody for reqwest::blocking::Response {
    type Output = Result<Body>;

    fn read_body(mut self) -> Result<Body> {
        unfollowed(self.url(), self.status(), self.headers())?;
        let mut reading = Reading::new(self.content_length())?;
        let mut buffer = [0; 16 * 1024];
        loop {
            match self.read(&mut buffer) {
                Ok(0) => return Ok(reading.done()),
                Ok(read) => reading.push(&buffer[..read])?,
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err.into()),
            }
        }
    }
}

impl ReadBody for reqwest::Response {
    type Output = Pin<Box<dyn Future<Output = Result<Body>> + Send>>;

    fn read_body(mut self) -> Self::Output {
        Box::pin(async move {
            unfollowed(self.url(), self.status(), self.headers())?;
            let mut reading = Reading::new(self.content_length())?;
            while let Some(chunk) = self.chunk().await? {
                reading.push_bytes(chunk)?;
            }
            Ok(reading.done())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Held by each test that takes from the budget, which is the process's:
    /// the tests run at once, on threads of one process.
    static BUDGET_TAKEN: std::sync::Mutex<()> = std::sync::Mutex::new(());

    #[test]
    fn a_body_gives_back_its_share_of_the_budget_when_dropped() {
        let _alone = BUDGET_TAKEN.lock().unwrap_or_else(|err| err.into_inner());
        let mut reading = Reading::new(Some(10)).expect("within the limit");
        reading.push(b"0123456789").expect("within the budget");
        let body = reading.done();
        assert_eq!(body.len(), 10);
        assert!(HELD.load(Ordering::Relaxed) >= 10);
        let mut other = Held::default();
        other.grow(BUDGET - 10).expect("the rest of the budget is free");
        assert!(matches!(other.grow(1), Err(Error::OverBudget(_))));
        drop(body);
        other.grow(1).expect("the dropped body's share is free again");
    }

    #[test]
    fn an_announced_length_past_the_limit_is_refused_before_reading() {
        let _alone = BUDGET_TAKEN.lock().unwrap_or_else(|err| err.into_inner());
        let huge = Some(50_000_000_000);
        assert!(matches!(Reading::new(huge), Err(Error::TooLarge(_))));
        let mut reading = Reading::new(None).expect("no length announced");
        let too_much = vec![0; limits().max_bytes + 1];
        assert!(matches!(reading.push(&too_much), Err(Error::TooLarge(_))));
    }
}
