//! The simulated web: a real HTTP/1.1 server on loopback that serves each page
//! after a simulated latency, so every lesson runs, and is timed, offline.

use std::{
    collections::HashMap,
    io,
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
        mpsc,
    },
    thread,
    time::Duration,
};

use bytes::Bytes;
use futures::{StreamExt, stream::BoxStream};
use http_body_util::StreamBody;
use hyper::{
    Request, Response, StatusCode,
    body::{Frame, Incoming},
    header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue},
    server::conn::http1,
    service::service_fn,
};
use hyper_util::rt::TokioIo;
use tokio::{
    net::{TcpListener, TcpSocket},
    sync::oneshot,
    time::{Instant, sleep, sleep_until},
};

use crate::{Error, NOTES_SITES, Result};

/// The response header in which the simulated web says how long the page takes
/// to serve, in milliseconds, so a report can compare it with the time measured.
pub const LATENCY_HEADER: &str = "x-simulated-latency-ms";

/// The response header with which [`Fault::Panic`] asks the client to panic.
pub const PANIC_HEADER: &str = "x-simulated-panic";

/// Bodies are sent in chunks of this size, each when its share of the transfer
/// time is up.
const CHUNK: usize = 16 * 1024;

/// One page of the simulated web and how long it takes to serve.
#[derive(Debug, Clone, PartialEq)]
pub struct PageSpec {
    /// Where it is served, such as `/www.baidu.com/`.
    pub path: String,
    /// Its body size.
    pub bytes: usize,
    /// The wait before the response starts.
    pub first_byte: Duration,
    /// The time over which the body is then sent.
    pub transfer: Duration,
}

impl PageSpec {
    /// The time from the request's arrival to the body's last byte.
    pub fn latency(&self) -> Duration {
        self.first_byte + self.transfer
    }
}

/// The list of pages a simulated web serves, in order, repeats included.
#[derive(Debug, Clone, PartialEq)]
pub struct Pages {
    list: Vec<PageSpec>,
}

impl Pages {
    /// The notes' twelve sites with the sizes the notes recorded; served one by
    /// one they take 2.80 s, as in the notes.
    ///
    /// ```
    /// let pages = sites::Pages::notes();
    /// assert_eq!(pages.list().len(), 12);
    /// assert_eq!(pages.list()[0].bytes, 2443);
    /// ```
    pub fn notes() -> Self {
        let list = NOTES_SITES
            .iter()
            .map(|site| PageSpec {
                path: site.path().to_string(),
                bytes: site.bytes,
                first_byte: site.first_byte,
                transfer: site.transfer(),
            })
            .collect();
        Pages { list }
    }

    /// `count` made-up pages at `/page/1`, `/page/2`..., each of 1 to 16 KiB and
    /// each taking `latency` before it is sent whole: for runs at scale.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let pages = sites::Pages::synthetic(1000, Duration::from_millis(100));
    /// assert_eq!(pages.list()[999].path, "/page/1000");
    /// ```
    pub fn synthetic(count: usize, latency: Duration) -> Self {
        let list = (1..=count)
            .map(|n| PageSpec {
                path: format!("/page/{n}"),
                bytes: 1024 * (1 + n * 7919 % 16),
                first_byte: latency,
                transfer: Duration::ZERO,
            })
            .collect();
        Pages { list }
    }

    /// Makes every page `speed` times faster to serve; tests use 50 or more. A
    /// speed that is not a positive number leaves the pages as they are.
    ///
    /// ```
    /// let pages = sites::Pages::notes().faster(100.0);
    /// assert_eq!(pages.list()[0].first_byte.as_millis(), 0); // 40 ms / 100
    /// ```
    pub fn faster(mut self, speed: f64) -> Self {
        if speed.is_finite() && speed > 0.0 {
            for page in &mut self.list {
                page.first_byte = page.first_byte.div_f64(speed);
                page.transfer = page.transfer.div_f64(speed);
            }
        }
        self
    }

    /// The pages, in order.
    pub fn list(&self) -> &[PageSpec] {
        &self.list
    }
}

/// Pages that fail on purpose, so a lesson's handling of failure can be seen
/// offline. Each is served at [`Fault::path`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Accepts the connection and never answers.
    Silent,
    /// Answers at once with this status code.
    Status(u16),
    /// Closes the connection without answering.
    Reset,
    /// Announces 10,000 bytes, sends 5,000, and closes the connection.
    Truncated,
    /// Sends its body one byte every 100 ms, for about a day.
    Drip,
    /// Sends a body that never ends, as fast as it is read.
    Endless,
    /// Fails with status 503 twice, then answers with a page of 1,000 bytes,
    /// and so on: every third request succeeds. For trying retries.
    Flaky,
    /// Answers with a header that makes the client reading it panic, as a bug
    /// in a worker would: for seeing that one crashing worker costs one site.
    Panic,
}

impl Fault {
    /// Every kind of fault, with status 503 for [`Fault::Status`].
    pub const ALL: [Fault; 8] = [
        Fault::Silent,
        Fault::Status(503),
        Fault::Reset,
        Fault::Truncated,
        Fault::Drip,
        Fault::Endless,
        Fault::Flaky,
        Fault::Panic,
    ];

    /// Where the simulated web serves this fault, such as `/fault/status/503`.
    pub fn path(&self) -> String {
        match self {
            Fault::Silent => "/fault/silent".into(),
            Fault::Status(code) => format!("/fault/status/{code}"),
            Fault::Reset => "/fault/reset".into(),
            Fault::Truncated => "/fault/truncated".into(),
            Fault::Drip => "/fault/drip".into(),
            Fault::Endless => "/fault/endless".into(),
            Fault::Flaky => "/fault/flaky".into(),
            Fault::Panic => "/fault/panic".into(),
        }
    }

    fn from_path(path: &str) -> Option<Fault> {
        match path.strip_prefix("/fault/")? {
            "silent" => Some(Fault::Silent),
            "reset" => Some(Fault::Reset),
            "truncated" => Some(Fault::Truncated),
            "drip" => Some(Fault::Drip),
            "endless" => Some(Fault::Endless),
            "flaky" => Some(Fault::Flaky),
            "panic" => Some(Fault::Panic),
            other => other.strip_prefix("status/")?.parse().ok().map(Fault::Status),
        }
    }
}

/// A running simulated web. It serves until dropped.
///
/// ```no_run
/// # fn main() -> sites::Result<()> {
/// use sites::{Fault, Pages, SimulatedWeb};
///
/// let web = SimulatedWeb::start(Pages::notes().faster(50.0))?;
/// let first = &web.urls()[0]; // http://127.0.0.1:PORT/www.baidu.com/
/// let broken = web.fault(Fault::Reset);
/// # Ok(()) }
/// ```
pub struct SimulatedWeb {
    addr: SocketAddr,
    paths: Vec<String>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl SimulatedWeb {
    /// Serves `pages` on 127.0.0.1, on a port the system picks.
    pub fn start(pages: Pages) -> Result<Self> {
        Self::bind(pages, SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// Serves `pages` at `addr`; port 0 lets the system pick one.
    ///
    /// The server runs on a thread and a Tokio runtime of its own, so that
    /// nothing a lesson does to its own threads can slow the web down.
    pub fn bind(pages: Pages, addr: SocketAddr) -> Result<Self> {
        let setup =
            |err: io::Error| Error::Setup(format!("cannot serve at {addr}: {err}"));
        let paths = pages.list.iter().map(|page| page.path.clone()).collect();
        let site = Arc::new(Site::new(pages));
        let (ready, bound) = mpsc::channel();
        let (stop, stopped) = oneshot::channel();
        let thread = thread::Builder::new()
            .name("simulated-web".into())
            .spawn(move || serve(addr, site, ready, stopped))
            .map_err(setup)?;
        let addr = match bound.recv() {
            Ok(bound) => bound.map_err(setup)?,
            Err(_) => {
                return Err(setup(io::Error::other("the server thread stopped")));
            }
        };
        Ok(SimulatedWeb { addr, paths, stop: Some(stop), thread: Some(thread) })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The full URL of a path on this web.
    pub fn url(&self, path: &str) -> String {
        let slash = if path.starts_with('/') { "" } else { "/" };
        format!("http://{}{slash}{path}", self.addr)
    }

    /// The URL of every page, in order, repeats included.
    pub fn urls(&self) -> Vec<String> {
        self.paths.iter().map(|path| self.url(path)).collect()
    }

    /// The URL of a fault page.
    pub fn fault(&self, fault: Fault) -> String {
        self.url(&fault.path())
    }

    /// Blocks until the server stops, which it only does on an error.
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for SimulatedWeb {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What the server thread shares between connections.
struct Site {
    pages: HashMap<String, PageSpec>,
    index: String,
    text: Bytes,
    /// How many requests the flaky page has had.
    flaky: AtomicUsize,
}

impl Site {
    fn new(pages: Pages) -> Self {
        let largest = pages.list.iter().map(|page| page.bytes).max().unwrap_or(0);
        let index =
            pages.list.iter().map(|page| format!("{}\n", page.path)).collect();
        let pages =
            pages.list.into_iter().map(|page| (page.path.clone(), page)).collect();
        Site {
            pages,
            index,
            text: filler(largest.max(1000)),
            flaky: AtomicUsize::new(0),
        }
    }
}

/// The server thread: binds, reports the address, serves until told to stop.
fn serve(
    addr: SocketAddr,
    site: Arc<Site>,
    ready: mpsc::Sender<io::Result<SocketAddr>>,
    stopped: oneshot::Receiver<()>,
) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("simulated-web")
        .enable_all()
        .build();
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(err) => return drop(ready.send(Err(err))),
    };
    runtime.block_on(async move {
        let listener = match listen(addr) {
            Ok(listener) => listener,
            Err(err) => return drop(ready.send(Err(err))),
        };
        let _ = ready.send(listener.local_addr());
        tokio::select! {
            () = accept_all(listener, site) => {}
            _ = stopped => {}
        }
    });
    // Dropping the runtime cancels every connection still open, even one
    // waiting for a page that never answers.
}

/// A listener with a long queue of pending connections, so that thousands of
/// clients connecting at once are not turned away.
fn listen(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket =
        if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(4096)
}

async fn accept_all(listener: TcpListener, site: Arc<Site>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors, say: wait for some to close.
            Err(_) => {
                sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let site = site.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| respond(site.clone(), request));
            // A failed connection is the client's to report, not the server's.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

type Body = StreamBody<BoxStream<'static, io::Result<Frame<Bytes>>>>;

async fn respond(
    site: Arc<Site>,
    request: Request<Incoming>,
) -> io::Result<Response<Body>> {
    let arrived = Instant::now();
    let path = request.uri().path();
    if let Some(page) = site.pages.get(path) {
        return Ok(send_page(page, &site.text, arrived).await);
    }
    match Fault::from_path(path) {
        Some(fault) => send_fault(fault, &site).await,
        None if path == "/" => Ok(whole(StatusCode::OK, site.index.clone().into())),
        None => Ok(whole(StatusCode::NOT_FOUND, "no such page\n".into())),
    }
}

/// Waits for the time to first byte, then sends the body chunk by chunk.
async fn send_page(
    page: &PageSpec,
    text: &Bytes,
    arrived: Instant,
) -> Response<Body> {
    sleep_until(arrived + page.first_byte).await;
    let body = text.slice(..page.bytes);
    let chunks = page.bytes.div_ceil(CHUNK).max(1);
    let (first_byte, transfer) = (page.first_byte, page.transfer);
    let frames = futures::stream::iter(0..chunks).then(move |k| {
        let chunk = body.slice(k * CHUNK..body.len().min((k + 1) * CHUNK));
        // Each deadline counts from the request's arrival, so the sleeps'
        // rounding never adds up: the last byte leaves at the page's latency.
        let due =
            arrived + first_byte + transfer.mul_f64((k + 1) as f64 / chunks as f64);
        async move {
            sleep_until(due).await;
            Ok(Frame::data(chunk))
        }
    });
    let mut response = Response::new(StreamBody::new(frames.boxed()));
    let headers = response.headers_mut();
    headers.insert(CONTENT_LENGTH, HeaderValue::from(page.bytes));
    headers
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    let latency = format!("{:.3}", page.latency().as_secs_f64() * 1000.0);
    if let Ok(latency) = HeaderValue::from_str(&latency) {
        headers.insert(LATENCY_HEADER, latency);
    }
    response
}

async fn send_fault(fault: Fault, site: &Site) -> io::Result<Response<Body>> {
    let text = &site.text;
    let response = match fault {
        Fault::Silent => return futures::future::pending().await,
        Fault::Status(code) => {
            let status =
                StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST);
            whole(status, format!("simulated status {code}\n").into())
        }
        Fault::Reset => {
            return Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "simulated reset",
            ));
        }
        Fault::Truncated => {
            let half = text.slice(..5_000.min(text.len()));
            // The first half goes out with the headers; a moment later the
            // connection is cut, as by a server that crashed mid-page.
            let frames =
                futures::stream::iter([Some(half), None]).then(|half| async {
                    match half {
                        Some(half) => Ok(Frame::data(half)),
                        None => {
                            sleep(Duration::from_millis(50)).await;
                            Err(io::Error::new(
                                io::ErrorKind::UnexpectedEof,
                                "simulated crash",
                            ))
                        }
                    }
                });
            let mut response = Response::new(StreamBody::new(frames.boxed()));
            response.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from(10_000));
            response
        }
        Fault::Drip => {
            let drops = futures::stream::iter(0..1_000_000).then(|_| async {
                sleep(Duration::from_millis(100)).await;
                Ok(Frame::data(Bytes::from_static(b".")))
            });
            let mut response = Response::new(StreamBody::new(drops.boxed()));
            response
                .headers_mut()
                .insert(CONTENT_LENGTH, HeaderValue::from(1_000_000));
            response
        }
        Fault::Endless => {
            let chunk = Bytes::from(vec![b'x'; 64 * 1024]);
            let flood =
                futures::stream::repeat_with(move || Ok(Frame::data(chunk.clone())));
            Response::new(StreamBody::new(flood.boxed()))
        }
        Fault::Flaky => match site.flaky.fetch_add(1, Ordering::Relaxed) % 3 {
            2 => whole(StatusCode::OK, text.slice(..1000)),
            _ => whole(StatusCode::SERVICE_UNAVAILABLE, "simulated flake\n".into()),
        },
        Fault::Panic => {
            let mut response = whole(StatusCode::OK, "panic\n".into());
            response
                .headers_mut()
                .insert(PANIC_HEADER, HeaderValue::from_static("1"));
            response
        }
    };
    Ok(response)
}

/// A response sent whole, at once.
fn whole(status: StatusCode, body: Bytes) -> Response<Body> {
    let length = body.len();
    let frame = futures::stream::once(async move { Ok(Frame::data(body)) });
    let mut response = Response::new(StreamBody::new(frame.boxed()));
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from(length));
    response
}

/// Made-up text for the bodies: words, so that a lesson can count them.
fn filler(len: usize) -> Bytes {
    const WORDS: [&str; 16] = [
        "the", "web", "page", "thread", "pool", "worker", "future", "task", "await",
        "site", "download", "byte", "wait", "core", "queue", "socket",
    ];
    let mut text = b"<!doctype html>\n<html><body>\n<p>".to_vec();
    // A xorshift generator: the same text on every run, with no dependency.
    let mut state: u32 = 2_463_534_242;
    while text.len() < len {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        text.extend_from_slice(WORDS[state as usize % WORDS.len()].as_bytes());
        text.push(if state % 13 == 0 { b'\n' } else { b' ' });
    }
    text.truncate(len);
    Bytes::from(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_is_found_again_at_its_path() {
        for fault in Fault::ALL {
            assert_eq!(Fault::from_path(&fault.path()), Some(fault));
        }
        assert_eq!(Fault::from_path("/fault/nothing"), None);
    }

    #[test]
    fn filler_text_has_exactly_the_length_asked() {
        assert_eq!(filler(572_160).len(), 572_160);
        assert_eq!(filler(3).len(), 3);
    }

    #[test]
    fn faster_divides_every_latency() {
        let pages = Pages::notes().faster(10.0);
        for (fast, slow) in pages.list().iter().zip(Pages::notes().list()) {
            assert_eq!(fast.latency(), slow.latency() / 10);
        }
    }
}
