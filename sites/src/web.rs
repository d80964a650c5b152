//! The simulated web: a real HTTP/1.1 server on loopback that serves each page
//! after a simulated latency, so every lesson runs, and is timed, offline. It
//! keeps its own record of every request it served, which tests and exercise
//! checks trust more than anything a client says about itself.

use std::{
    collections::{HashMap, VecDeque},
    io,
    net::{IpAddr, SocketAddr},
    sync::{
        Arc, Mutex, MutexGuard, PoisonError,
        atomic::{AtomicU64, Ordering},
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
use hyper_util::rt::{TokioIo, TokioTimer};
use serde::{Deserialize, Serialize};
use tokio::{
    net::{TcpListener, TcpSocket},
    sync::oneshot,
    time::{Instant, sleep, sleep_until},
};

use crate::{Error, NOTES_SITES, Result, class};

/// The response header by which a simulated web says it is one: a lesson
/// sends a run's name and identity only to a server that says so.
pub const SIMULATED_HEADER: &str = "x-simulated-web";

/// The request headers by which a run says who it is: [`Who`].
pub const WHO_HEADERS: [&str; 4] =
    ["x-sites-name", "x-sites-run", "x-sites-lesson", "x-sites-variant"];

/// Bodies are sent in chunks of this size, each when its share of the transfer
/// time is up.
const CHUNK: usize = 16 * 1024;

/// How a simulated web guards itself against clients that take too much:
/// what `serve` needs on a class network, where one student's runaway script
/// must not stop the room.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guard {
    /// How long a client may take to send a request's headers, and how long
    /// an idle connection is kept open waiting for the next request.
    pub header_timeout: Duration,
    /// The most connections one client address may hold open at once; more
    /// are closed as soon as they are accepted.
    pub per_address: usize,
}

impl Default for Guard {
    /// Ten seconds for headers; 4,096 connections per address, more than a
    /// lesson at its largest opens.
    fn default() -> Self {
        Guard { header_timeout: Duration::from_secs(10), per_address: 4096 }
    }
}

/// The most requests kept in the record; the oldest go first.
const RECORD_LIMIT: usize = 200_000;

/// The largest `--sites`: made-up pages are numbered, not stored, but each
/// still gets a URL and a line in the lesson.
pub const MAX_SYNTHETIC: usize = 100_000;

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
    /// A page at `path` of `bytes`, sent whole after `latency`.
    pub fn new(path: &str, bytes: usize, latency: Duration) -> Self {
        PageSpec {
            path: path.into(),
            bytes,
            first_byte: latency,
            transfer: Duration::ZERO,
        }
    }

    /// The time from the request's arrival to the body's last byte.
    pub fn latency(&self) -> Duration {
        self.first_byte + self.transfer
    }
}

/// The pages a simulated web serves, in order, repeats included. Made-up pages
/// are worked out from their number when asked for, so a hundred thousand of
/// them cost nothing until they are served.
#[derive(Debug, Clone, PartialEq)]
pub struct Pages {
    kind: Kind,
    speed: f64,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Notes,
    Synthetic { count: usize, latency: Duration },
    Custom(Arc<Vec<PageSpec>>),
}

impl Pages {
    /// The notes' twelve sites with the sizes the notes recorded; served one by
    /// one they take 2.80 s, as in the notes.
    ///
    /// ```
    /// let pages = sites::Pages::notes();
    /// assert_eq!(pages.len(), 12);
    /// assert_eq!(pages.get(0).map(|page| page.bytes), Some(2443));
    /// ```
    pub fn notes() -> Self {
        Pages { kind: Kind::Notes, speed: 1.0 }
    }

    /// `count` made-up pages at `/page/1`, `/page/2`..., each of 1 to 16 KiB and
    /// each taking `latency` before it is sent whole: for runs at scale. At most
    /// [`MAX_SYNTHETIC`] pages.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let pages = sites::Pages::synthetic(1000, Duration::from_millis(100));
    /// assert_eq!(pages.get(999).map(|page| page.path), Some("/page/1000".into()));
    /// ```
    pub fn synthetic(count: usize, latency: Duration) -> Self {
        let count = count.min(MAX_SYNTHETIC);
        Pages { kind: Kind::Synthetic { count, latency }, speed: 1.0 }
    }

    /// Pages of your own: for tests and exercise checks that need sizes and
    /// latencies of their choosing.
    ///
    /// ```
    /// # use std::time::Duration;
    /// use sites::{PageSpec, Pages};
    ///
    /// let slow = PageSpec::new("/slow", 1000, Duration::from_millis(500));
    /// assert_eq!(Pages::custom(vec![slow]).len(), 1);
    /// ```
    pub fn custom(pages: Vec<PageSpec>) -> Self {
        Pages { kind: Kind::Custom(Arc::new(pages)), speed: 1.0 }
    }

    /// Makes every page `speed` times faster to serve; tests use 50 or more. A
    /// speed that is not a positive number leaves the pages as they are.
    ///
    /// ```
    /// let pages = sites::Pages::notes().faster(100.0);
    /// assert_eq!(pages.get(0).map(|page| page.first_byte.as_millis()), Some(0));
    /// ```
    pub fn faster(mut self, speed: f64) -> Self {
        if speed.is_finite() && speed > 0.0 {
            self.speed *= speed;
        }
        self
    }

    /// How many pages there are.
    pub fn len(&self) -> usize {
        match &self.kind {
            Kind::Notes => NOTES_SITES.len(),
            Kind::Synthetic { count, .. } => *count,
            Kind::Custom(pages) => pages.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The page at `index`, from 0.
    pub fn get(&self, index: usize) -> Option<PageSpec> {
        let page = match &self.kind {
            Kind::Notes => {
                let site = NOTES_SITES.get(index)?;
                PageSpec {
                    path: site.path().into(),
                    bytes: site.bytes,
                    first_byte: site.first_byte,
                    transfer: site.transfer(),
                }
            }
            Kind::Synthetic { count, latency } if index < *count => {
                let n = index + 1;
                PageSpec {
                    path: format!("/page/{n}"),
                    bytes: 1024 * (1 + n * 7919 % 16),
                    first_byte: *latency,
                    transfer: Duration::ZERO,
                }
            }
            Kind::Synthetic { .. } => return None,
            Kind::Custom(pages) => pages.get(index)?.clone(),
        };
        Some(PageSpec {
            first_byte: page.first_byte.div_f64(self.speed),
            transfer: page.transfer.div_f64(self.speed),
            ..page
        })
    }

    /// Every page, in order.
    pub fn iter(&self) -> impl Iterator<Item = PageSpec> + '_ {
        (0..self.len()).filter_map(|index| self.get(index))
    }

    /// The page served at `path`, if any.
    pub fn find(&self, path: &str) -> Option<PageSpec> {
        match &self.kind {
            Kind::Notes => {
                let index =
                    NOTES_SITES.iter().position(|site| site.path() == path)?;
                self.get(index)
            }
            Kind::Custom(pages) => {
                let index = pages.iter().position(|page| page.path == path)?;
                self.get(index)
            }
            Kind::Synthetic { .. } => {
                let n: usize = path.strip_prefix("/page/")?.parse().ok()?;
                // `/page/01` is not `/page/1`: one path per page.
                self.get(n.checked_sub(1)?).filter(|page| page.path == path)
            }
        }
    }

    /// The largest page's size.
    fn largest(&self) -> usize {
        match &self.kind {
            Kind::Notes => {
                NOTES_SITES.iter().map(|site| site.bytes).max().unwrap_or(0)
            }
            Kind::Synthetic { .. } => 16 * 1024,
            Kind::Custom(pages) => {
                pages.iter().map(|page| page.bytes).max().unwrap_or(0)
            }
        }
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
    /// Sends its headers, then nothing at all.
    Stall,
    /// Sends its body one byte every 100 ms, for about a day.
    Drip,
    /// Sends a body that never ends, as fast as it is read.
    Endless,
    /// Announces a body of 50 GB, then sends it as fast as it is read.
    Huge,
    /// Fails with status 503 twice, then answers with a page of 1,000 bytes,
    /// and so on: every third request succeeds. For trying retries.
    Flaky,
}

impl Fault {
    /// Every kind of fault, with status 503 for [`Fault::Status`].
    pub const ALL: [Fault; 9] = [
        Fault::Silent,
        Fault::Status(503),
        Fault::Reset,
        Fault::Truncated,
        Fault::Stall,
        Fault::Drip,
        Fault::Endless,
        Fault::Huge,
        Fault::Flaky,
    ];

    /// Where the simulated web serves this fault, such as `/fault/status/503`.
    pub fn path(&self) -> String {
        let name = match self {
            Fault::Status(code) => return format!("/fault/status/{code}"),
            Fault::Silent => "silent",
            Fault::Reset => "reset",
            Fault::Truncated => "truncated",
            Fault::Stall => "stall",
            Fault::Drip => "drip",
            Fault::Endless => "endless",
            Fault::Huge => "huge",
            Fault::Flaky => "flaky",
        };
        format!("/fault/{name}")
    }

    /// The fault served at `path`, if it is one.
    ///
    /// ```
    /// use sites::Fault;
    ///
    /// assert_eq!(Fault::from_path("/fault/status/502"), Some(Fault::Status(502)));
    /// assert_eq!(Fault::from_path("/www.baidu.com/"), None);
    /// ```
    pub fn from_path(path: &str) -> Option<Fault> {
        let name = path.strip_prefix("/fault/")?;
        if let Some(code) = name.strip_prefix("status/") {
            return code.parse().ok().map(Fault::Status);
        }
        Fault::ALL.into_iter().find(|fault| fault.path() == path)
    }
}

/// One request the simulated web received, as it saw it: the record that
/// tests and exercise checks read, rather than what a program prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Served {
    /// The connection it came on, numbered from 1 in the order accepted.
    pub connection: u64,
    /// The path asked for, such as `/www.baidu.com/`.
    pub path: String,
    /// The status answered; 0 if no answer was sent.
    pub status: u16,
    /// When it arrived, in milliseconds since the web started.
    pub arrived_ms: f64,
    /// When its answer ended, whole or cut; `None` while it is being served.
    pub finished_ms: Option<f64>,
    /// How many bytes of body were sent.
    pub bytes: u64,
    /// Whether the whole answer was sent.
    pub complete: bool,
    /// The run that asked, if it said who it is.
    #[serde(default)]
    pub who: Option<Who>,
}

/// Who a request comes from, as its run's headers say: the student's name,
/// an id for the run, its lesson and variant. Client text, so cut to 64
/// characters and cleared of control characters; a page that shows it must
/// still escape it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Who {
    /// The student's name: `--name`.
    pub name: String,
    /// An id made up for the run.
    pub run: String,
    /// The lesson's package, such as `ch02-threads`.
    pub lesson: String,
    /// The variant, or empty for a lesson without variants.
    pub variant: String,
}

impl Who {
    /// Reads the headers of a request; `None` unless the run id is there.
    pub fn from_headers(headers: &hyper::HeaderMap) -> Option<Who> {
        let text = |name: &str| {
            let value = headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("");
            value.chars().filter(|c| !c.is_control()).take(64).collect::<String>()
        };
        let [name, run, lesson, variant] = WHO_HEADERS.map(text);
        (!run.is_empty()).then_some(Who { name, run, lesson, variant })
    }
}

/// The record of requests, shared by every connection.
#[derive(Default)]
struct Record {
    list: Mutex<(VecDeque<Served>, usize)>,
}

impl Record {
    fn lock(&self) -> MutexGuard<'_, (VecDeque<Served>, usize)> {
        self.list.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Notes a request's arrival; returns its number.
    fn arrived(&self, served: Served) -> usize {
        let mut guard = self.lock();
        let (list, dropped) = &mut *guard;
        if list.len() == RECORD_LIMIT {
            list.pop_front();
            *dropped += 1;
        }
        list.push_back(served);
        *dropped + list.len() - 1
    }

    /// Updates request `number`, if it is still in the record.
    fn update(&self, number: usize, change: impl FnOnce(&mut Served)) {
        self.finish(number, change, false);
    }

    /// Updates request `number`, if it is still in the record; gives back the
    /// request as it is now when `copy` asks for it.
    fn finish(
        &self,
        number: usize,
        change: impl FnOnce(&mut Served),
        copy: bool,
    ) -> Option<Served> {
        let mut guard = self.lock();
        let (list, dropped) = &mut *guard;
        let served = number.checked_sub(*dropped).and_then(|i| list.get_mut(i))?;
        change(served);
        copy.then(|| served.clone())
    }
}

/// A running simulated web. It serves until dropped.
///
/// ```no_run
/// # fn main() -> sites::Result<()> {
/// use sites::{Fault, Pages, SimulatedWeb};
///
/// let web = SimulatedWeb::start(Pages::notes().faster(50.0))?;
/// let first = web.url("/www.baidu.com/"); // http://127.0.0.1:PORT/www.baidu.com/
/// let broken = web.fault(Fault::Reset);
/// // ... download them, then ask the web what it served:
/// let served = web.downloads();
/// # Ok(()) }
/// ```
pub struct SimulatedWeb {
    addr: SocketAddr,
    site: Arc<Site>,
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
        Self::guarded(pages, addr, Guard::default())
    }

    /// [`bind`](SimulatedWeb::bind), with limits of your own on what clients
    /// may take.
    pub fn guarded(pages: Pages, addr: SocketAddr, guard: Guard) -> Result<Self> {
        Self::launch(Site::new(pages, guard), addr)
    }

    /// Serves `pages` over HTTPS on 127.0.0.1, with a certificate made for
    /// `127.0.0.1` and `localhost` as it starts: no client trusts it unless
    /// told to. Returns the web and its certificate, in PEM.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let (web, certificate) = sites::SimulatedWeb::start_tls(sites::Pages::notes())?;
    /// let trusted = reqwest::Certificate::from_pem(certificate.as_bytes())?;
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "tls")]
    pub fn start_tls(pages: Pages) -> Result<(Self, String)> {
        let (acceptor, certificate) = crate::tls::acceptor()?;
        let mut site = Site::new(pages, Guard::default());
        site.tls = Some(acceptor);
        let web = Self::launch(site, SocketAddr::from(([127, 0, 0, 1], 0)))?;
        Ok((web, certificate))
    }

    fn launch(site: Site, addr: SocketAddr) -> Result<Self> {
        let setup =
            |err: io::Error| Error::Setup(format!("cannot serve at {addr}: {err}"));
        let site = Arc::new(site);
        let (ready, bound) = mpsc::channel();
        let (stop, stopped) = oneshot::channel();
        let shared = site.clone();
        let thread = thread::Builder::new()
            .name("simulated-web".into())
            .spawn(move || serve(addr, shared, ready, stopped))
            .map_err(setup)?;
        let addr = match bound.recv() {
            Ok(bound) => bound.map_err(setup)?,
            Err(_) => {
                return Err(setup(io::Error::other("the server thread stopped")));
            }
        };
        Ok(SimulatedWeb { addr, site, stop: Some(stop), thread: Some(thread) })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The full URL of a path on this web.
    pub fn url(&self, path: &str) -> String {
        let slash = if path.starts_with('/') { "" } else { "/" };
        format!("{}://{}{slash}{path}", self.scheme(), self.addr)
    }

    fn scheme(&self) -> &'static str {
        self.site.scheme()
    }

    /// The URL of every page, in order, repeats included.
    pub fn urls(&self) -> Vec<String> {
        self.urls_at(self.addr.ip())
    }

    /// The URL of every page at another address of this machine's: when
    /// listening on every address (0.0.0.0), the one a client should use.
    pub fn urls_at(&self, host: IpAddr) -> Vec<String> {
        let at = SocketAddr::new(host, self.addr.port());
        self.site.urls(&at.to_string()).collect()
    }

    /// The URL of a fault page.
    pub fn fault(&self, fault: Fault) -> String {
        self.url(&fault.path())
    }

    /// The pages it serves.
    pub fn pages(&self) -> &Pages {
        &self.site.pages
    }

    /// The page that `url` names on this web, if it is one of its pages.
    pub fn page(&self, url: &str) -> Option<PageSpec> {
        let path =
            url.strip_prefix(&format!("{}://{}", self.scheme(), self.addr))?;
        self.site.pages.find(path)
    }

    /// When it started: the moment the times in [`Served`] count from.
    pub fn started(&self) -> std::time::Instant {
        self.site.started.into_std()
    }

    /// Every request from now on, as it arrives and again as its answer ends.
    /// A receiver that falls far behind misses some.
    pub fn events(&self) -> tokio::sync::broadcast::Receiver<Served> {
        self.site.events.subscribe()
    }

    /// The downloads received so far: the requests for its pages and its
    /// fault pages, without a lesson's own requests for the list of URLs,
    /// the class page, or to ask whether this is a simulated web.
    pub fn downloads(&self) -> Vec<Served> {
        let page = |served: &Served| {
            self.site.pages.find(&served.path).is_some()
                || Fault::from_path(&served.path).is_some()
        };
        self.served().into_iter().filter(page).collect()
    }

    /// Every request received so far (the latest 200,000), in order of arrival.
    pub fn served(&self) -> Vec<Served> {
        self.site.record.lock().0.iter().cloned().collect()
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
    pages: Pages,
    guard: Guard,
    text: Bytes,
    started: Instant,
    record: Record,
    connections: AtomicU64,
    /// Open connections per client address.
    open: Mutex<HashMap<IpAddr, usize>>,
    /// How many requests the flaky page has had, run by run: each run sees it
    /// fail twice, then answer.
    flaky: Mutex<HashMap<String, u64>>,
    /// Every request, as it arrives and as its answer ends.
    events: tokio::sync::broadcast::Sender<Served>,
    /// The runs the class page shows.
    class: class::Class,
    /// For a web served over HTTPS: the handshake's side of the server.
    #[cfg(feature = "tls")]
    tls: Option<tokio_rustls::TlsAcceptor>,
}

impl Site {
    fn new(pages: Pages, guard: Guard) -> Self {
        let text = filler(pages.largest().max(CHUNK));
        Site {
            pages,
            guard,
            text,
            started: Instant::now(),
            record: Record::default(),
            connections: AtomicU64::new(0),
            open: Mutex::new(HashMap::new()),
            flaky: Mutex::new(HashMap::new()),
            events: tokio::sync::broadcast::channel(4096).0,
            class: class::Class::default(),
            #[cfg(feature = "tls")]
            tls: None,
        }
    }

    /// Whether it serves over HTTPS.
    fn tls(&self) -> bool {
        #[cfg(feature = "tls")]
        return self.tls.is_some();
        #[cfg(not(feature = "tls"))]
        false
    }

    fn ms(&self, at: Instant) -> f64 {
        (at - self.started).as_secs_f64() * 1e3
    }

    /// `https` for a web started with `start_tls`, else `http`.
    fn scheme(&self) -> &'static str {
        if self.tls() { "https" } else { "http" }
    }

    /// Every page's URL at `host`, which may carry a port.
    fn urls(&self, host: &str) -> impl Iterator<Item = String> {
        let scheme = self.scheme();
        self.pages.iter().map(move |page| format!("{scheme}://{host}{}", page.path))
    }

    /// The index of `/`: every page's URL as the client reached it.
    fn index(&self, host: &str) -> Bytes {
        self.urls(host).map(|url| url + "\n").collect::<String>().into()
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
    let mut pause = Duration::ZERO;
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => {
                pause = Duration::ZERO;
                let _ = accepted.0.set_nodelay(true);
                accepted
            }
            // Out of file descriptors, say: say so, and wait longer each time
            // for some to close.
            Err(err) => {
                pause = (pause * 2)
                    .clamp(Duration::from_millis(10), Duration::from_secs(1));
                eprintln!(
                    "simulated web: cannot accept a connection ({err}); trying again in {} ms",
                    pause.as_millis()
                );
                sleep(pause).await;
                continue;
            }
        };
        let Some(slot) = Slot::take(&site, peer.ip()) else {
            continue; // this address has too many open: the connection is closed
        };
        let site = site.clone();
        #[cfg(feature = "tls")]
        if let Some(acceptor) = site.tls.clone() {
            tokio::spawn(async move {
                // A client that fails its handshake has only itself to blame;
                // one that never finishes it is cut off like a silent one.
                let handshake = acceptor.accept(stream);
                let limit = site.guard.header_timeout;
                if let Ok(Ok(stream)) = tokio::time::timeout(limit, handshake).await
                {
                    connection(stream, site, slot).await;
                }
            });
            continue;
        }
        tokio::spawn(connection(stream, site, slot));
    }
}

/// A client address's share of the open connections, given back on drop.
struct Slot {
    site: Arc<Site>,
    ip: IpAddr,
}

impl Slot {
    fn take(site: &Arc<Site>, ip: IpAddr) -> Option<Slot> {
        let mut open = site.open.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(ip).or_default();
        if *count >= site.guard.per_address {
            return None;
        }
        *count += 1;
        Some(Slot { site: site.clone(), ip })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.site.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

async fn connection<S>(stream: S, site: Arc<Site>, _slot: Slot)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let number = site.connections.fetch_add(1, Ordering::Relaxed) + 1;
    let header_timeout = site.guard.header_timeout;
    let service = service_fn(move |request| respond(site.clone(), number, request));
    // A failed connection is the client's to report, not the server's.
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// A response's body: frames of bytes, sent as they come.
type Frames = BoxStream<'static, io::Result<Frame<Bytes>>>;

async fn respond(
    site: Arc<Site>,
    connection: u64,
    request: Request<Incoming>,
) -> io::Result<Response<StreamBody<Frames>>> {
    let arrived = Instant::now();
    let path = request.uri().path().to_string();
    let who = Who::from_headers(request.headers());
    let served = Served {
        connection,
        path: path.clone(),
        status: 0,
        arrived_ms: site.ms(arrived),
        finished_ms: None,
        bytes: 0,
        complete: false,
        who: who.clone(),
    };
    site.class.served(&served);
    if site.events.receiver_count() > 0 {
        let _ = site.events.send(served.clone());
    }
    let named = served.who.is_some();
    let flight =
        Flight { number: site.record.arrived(served), site: site.clone(), named };
    let response = if let Some(page) = site.pages.find(&path) {
        send_page(&page, &site.text, arrived).await
    } else if let Some(fault) = Fault::from_path(&path) {
        let run = who.map(|who| who.run).unwrap_or_default();
        send_fault(fault, &site, run).await?
    } else {
        class_page(&site, request).await
    };
    let mut response = flight.watch(response);
    response.headers_mut().insert(SIMULATED_HEADER, HeaderValue::from_static("1"));
    Ok(response.map(StreamBody::new))
}

/// What is not a page: the list of URLs, and the class page with what feeds
/// it.
async fn class_page(
    site: &Arc<Site>,
    request: Request<Incoming>,
) -> Response<Frames> {
    let headers = request.headers();
    let accepts = |kind: &str| {
        headers
            .get(hyper::header::ACCEPT)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|accept| accept.contains(kind))
    };
    match (request.method().as_str(), request.uri().path()) {
        // A browser gets the class page; `curl` and a lesson, the URLs.
        ("GET", "/") if accepts("text/html") => {
            let now = site.ms(Instant::now());
            let page = whole(StatusCode::OK, site.class.page(now).into());
            typed(page, "text/html; charset=utf-8")
        }
        ("GET" | "HEAD", "/" | "/urls.txt") => {
            let host = headers.get(hyper::header::HOST);
            let host =
                host.and_then(|host| host.to_str().ok()).unwrap_or("127.0.0.1");
            typed(
                whole(StatusCode::OK, site.index(host)),
                "text/plain; charset=utf-8",
            )
        }
        ("GET", "/class/state") => {
            let (runs, _) = site.class.since(0);
            typed(whole(StatusCode::OK, runs.into()), "application/json")
        }
        ("GET", "/class/events") => events(site.clone()),
        ("POST", "/class/report") => summary(site, request).await,
        _ => whole(StatusCode::NOT_FOUND, "no such page\n".into()),
    }
}

/// The class page's feed: four times a second, the runs that changed (all of
/// them first) and the time, as server-sent events; none while nothing
/// changes and nothing is being downloaded.
fn events(site: Arc<Site>) -> Response<Frames> {
    let ticks = tokio::time::interval(Duration::from_millis(250));
    let frames = futures::stream::unfold((ticks, 0), move |(mut ticks, seen)| {
        let site = site.clone();
        async move {
            loop {
                ticks.tick().await;
                let (runs, version) = site.class.since(seen);
                if runs != "[]" || seen == 0 || site.class.busy() {
                    let news = class::news(&runs, site.ms(Instant::now()));
                    let event =
                        Frame::data(Bytes::from(format!("data: {news}\n\n")));
                    return Some((Ok(event), (ticks, version.max(1))));
                }
            }
        }
    });
    let mut response = Response::new(frames.boxed());
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    response
        .headers_mut()
        .insert(hyper::header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// A finished run's summary: at most 64 KiB, of the summary's shape, from a
/// run that says who it is; anything else is refused with 400 and changes
/// nothing.
async fn summary(site: &Site, request: Request<Incoming>) -> Response<Frames> {
    use http_body_util::{BodyExt, Limited};
    let refuse =
        |why: &str| whole(StatusCode::BAD_REQUEST, format!("{why}\n").into());
    let Some(who) = Who::from_headers(request.headers()) else {
        return refuse("a report must say who it is");
    };
    let body =
        Limited::new(request.into_body(), class::MOST_SUMMARY_BYTES).collect().await;
    let Ok(body) = body else { return refuse("a report is at most 64 KiB") };
    match serde_json::from_slice::<class::Summary>(&body.to_bytes()) {
        Ok(summary) => {
            site.class.finished(&who, summary, &site.pages);
            whole(StatusCode::OK, "thank you\n".into())
        }
        Err(err) => refuse(&format!("not a run's summary: {err}")),
    }
}

/// `response` with its content type.
fn typed(mut response: Response<Frames>, kind: &'static str) -> Response<Frames> {
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    response
}

/// A request being answered: counts the bytes sent, and notes in the record
/// when the answer ends, whole or cut short.
struct Flight {
    site: Arc<Site>,
    number: usize,
    /// Whether the run that asked said who it is.
    named: bool,
}

impl Flight {
    fn watch(self, response: Response<Frames>) -> Response<Frames> {
        let status = response.status().as_u16();
        let length = response
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
        self.site.record.update(self.number, |served| served.status = status);
        let (parts, body) = response.into_parts();
        let mut sent = 0;
        let frames = body.map(move |frame| {
            if let Ok(data) = frame.as_ref().map(|frame| frame.data_ref()) {
                sent += data.map_or(0, |data| data.len() as u64);
                let complete = length == Some(sent);
                self.site.record.update(self.number, |served| {
                    served.bytes = sent;
                    served.complete = complete;
                });
            }
            frame
        });
        Response::from_parts(parts, frames.boxed())
    }
}

impl Drop for Flight {
    fn drop(&mut self) {
        let now = self.site.ms(Instant::now());
        // A copy only for whoever wants one: the class page, a listener.
        let listened = self.site.events.receiver_count() > 0;
        let copy = self.named || listened;
        let ended = |served: &mut Served| served.finished_ms = Some(now);
        if let Some(finished) = self.site.record.finish(self.number, ended, copy) {
            self.site.class.served(&finished);
            if listened {
                let _ = self.site.events.send(finished);
            }
        }
    }
}

/// Waits for the time to first byte, then sends the body chunk by chunk.
async fn send_page(
    page: &PageSpec,
    text: &Bytes,
    arrived: Instant,
) -> Response<Frames> {
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
    let mut response = Response::new(frames.boxed());
    let headers = response.headers_mut();
    headers.insert(CONTENT_LENGTH, HeaderValue::from(page.bytes));
    headers
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response
}

async fn send_fault(
    fault: Fault,
    site: &Site,
    run: String,
) -> io::Result<Response<Frames>> {
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
            // The first half goes out with the headers; a moment later the
            // connection is cut, as by a server that crashed mid-page.
            let half = Ok(Frame::data(text.slice(..5_000)));
            let crash = async {
                sleep(Duration::from_millis(50)).await;
                Err(io::Error::new(io::ErrorKind::UnexpectedEof, "simulated crash"))
            };
            let frames =
                futures::stream::iter([half]).chain(futures::stream::once(crash));
            with_length(frames.boxed(), 10_000)
        }
        Fault::Stall => with_length(futures::stream::pending().boxed(), 1_000),
        Fault::Drip => {
            let drops = futures::stream::iter(0..1_000_000).then(|_| async {
                sleep(Duration::from_millis(100)).await;
                Ok(Frame::data(Bytes::from_static(b".")))
            });
            with_length(drops.boxed(), 1_000_000)
        }
        Fault::Endless | Fault::Huge => {
            let chunk = Bytes::from(vec![b'x'; 64 * 1024]);
            let flood =
                futures::stream::repeat_with(move || Ok(Frame::data(chunk.clone())));
            match fault {
                Fault::Huge => with_length(flood.boxed(), 50_000_000_000),
                _ => Response::new(flood.boxed()),
            }
        }
        Fault::Flaky => match flaky_count(site, run) % 3 {
            2 => whole(StatusCode::OK, text.slice(..1000)),
            _ => whole(StatusCode::SERVICE_UNAVAILABLE, "simulated flake\n".into()),
        },
    };
    Ok(response)
}

/// How many times this run asked for the flaky page before.
fn flaky_count(site: &Site, run: String) -> u64 {
    let mut counts = site.flaky.lock().unwrap_or_else(PoisonError::into_inner);
    // A class keeps only its recent runs' counts.
    if counts.len() > 10_000 {
        counts.clear();
    }
    let count = counts.entry(run).or_default();
    *count += 1;
    *count - 1
}

/// A response whose body is `frames`, announced as `length` bytes long.
fn with_length(frames: Frames, length: u64) -> Response<Frames> {
    let mut response = Response::new(frames);
    response.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from(length));
    response
}

/// A response sent whole, at once.
fn whole(status: StatusCode, body: Bytes) -> Response<Frames> {
    let length = body.len() as u64;
    let frame = futures::stream::once(async move { Ok(Frame::data(body)) });
    let mut response = with_length(frame.boxed(), length);
    *response.status_mut() = status;
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
        text.push(if state.is_multiple_of(13) { b'\n' } else { b' ' });
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
        assert_eq!(Fault::from_path("/fault/status/404"), Some(Fault::Status(404)));
    }

    #[test]
    fn filler_text_has_exactly_the_length_asked() {
        assert_eq!(filler(572_160).len(), 572_160);
        assert_eq!(filler(3).len(), 3);
    }

    #[test]
    fn faster_divides_every_latency() {
        let pages = Pages::notes().faster(10.0);
        for (fast, slow) in pages.iter().zip(Pages::notes().iter()) {
            assert_eq!(fast.latency(), slow.latency() / 10);
        }
    }

    #[test]
    fn a_made_up_page_is_found_by_its_path_only() {
        let pages = Pages::synthetic(10, Duration::from_millis(5));
        assert_eq!(
            pages.find("/page/10").map(|page| page.path),
            Some("/page/10".into())
        );
        for missing in
            ["/page/0", "/page/11", "/page/01", "/page/x", "/www.baidu.com/"]
        {
            assert_eq!(pages.find(missing), None, "{missing}");
        }
        assert_eq!(
            Pages::synthetic(usize::MAX, Duration::ZERO).len(),
            MAX_SYNTHETIC
        );
    }
}
