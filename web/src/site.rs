//! What the server shares between connections ([`Site`]), and how it
//! answers one request: a page, a fault, the list of URLs or the class page,
//! each noted in the record as it arrives and as its answer ends.

use std::{
    collections::HashMap,
    io,
    net::IpAddr,
    sync::{Arc, Mutex, atomic::AtomicU64},
    time::Duration,
};

use bytes::Bytes;
use futures::StreamExt;
use http_body_util::StreamBody;
use hyper::{
    Request, Response, StatusCode,
    body::Incoming,
    header::{CONTENT_LENGTH, HeaderValue},
};
use tokio::time::Instant;

use crate::{
    Fault, Pages, Served, Who,
    class::{self, Class},
    record::{Record, SIMULATED_HEADER},
    send::{self, Flaky, Frames},
};

/// How a simulated web guards itself against clients that take too much:
/// what `serve` needs on a class network, where one student's runaway script
/// must not stop the room.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Guard {
    /// How long a client may take to send a request's headers, and how long
    /// an idle connection is kept open waiting for the next request.
    pub(crate) header_timeout: Duration,
    /// The most connections one client address may hold open at once; more
    /// are closed as soon as they are accepted.
    pub(crate) per_address: usize,
}

impl Default for Guard {
    /// Ten seconds for headers; 4,096 connections per address, more than a
    /// lesson at its largest opens.
    fn default() -> Self {
        Guard { header_timeout: Duration::from_secs(10), per_address: 4096 }
    }
}

/// What the server thread shares between connections.
pub(crate) struct Site {
    pub(crate) pages: Pages,
    pub(crate) guard: Guard,
    /// The text every body is cut from.
    text: Bytes,
    pub(crate) started: Instant,
    pub(crate) record: Record,
    /// How many connections were accepted: each is numbered.
    pub(crate) connections: AtomicU64,
    /// Open connections per client address.
    pub(crate) open: Mutex<HashMap<IpAddr, usize>>,
    flaky: Flaky,
    /// Every request, as it arrives and as its answer ends.
    pub(crate) events: tokio::sync::broadcast::Sender<Served>,
    /// The runs the class page shows.
    class: Arc<Class>,
    /// For a web served over HTTPS: the handshake's side of the server.
    #[cfg(feature = "tls")]
    pub(crate) tls: Option<tokio_rustls::TlsAcceptor>,
}

impl Site {
    pub(crate) fn new(pages: Pages, guard: Guard) -> Self {
        let text = send::text_for(&pages);
        let started = Instant::now();
        Site {
            pages,
            guard,
            text,
            started,
            record: Record::default(),
            connections: AtomicU64::new(0),
            open: Mutex::new(HashMap::new()),
            flaky: Flaky::default(),
            events: tokio::sync::broadcast::channel(4096).0,
            class: Arc::new(Class::new(started)),
            #[cfg(feature = "tls")]
            tls: None,
        }
    }

    /// Whether it serves over HTTPS.
    pub(crate) fn tls(&self) -> bool {
        #[cfg(feature = "tls")]
        return self.tls.is_some();
        #[cfg(not(feature = "tls"))]
        false
    }

    pub(crate) fn ms(&self, at: Instant) -> f64 {
        (at - self.started).as_secs_f64() * 1e3
    }

    /// `https` for a web started with `start_tls`, else `http`.
    pub(crate) fn scheme(&self) -> &'static str {
        if self.tls() { "https" } else { "http" }
    }

    /// Every page's URL at `host`, which may carry a port.
    pub(crate) fn urls(&self, host: &str) -> impl Iterator<Item = String> {
        let scheme = self.scheme();
        self.pages.iter().map(move |page| format!("{scheme}://{host}{}", page.path))
    }

    /// The index of `/`: every page's URL as the client reached it.
    pub(crate) fn index(&self, host: &str) -> Bytes {
        self.urls(host).map(|url| url + "\n").collect::<String>().into()
    }
}

/// Answers one request on connection number `connection`.
pub(crate) async fn respond(
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
        send::page(&page, &site.text, arrived).await
    } else if let Some(fault) = Fault::from_path(&path) {
        let run = who.map(|who| who.run).unwrap_or_default();
        send::fault(fault, &site.text, &site.flaky, run).await?
    } else if asks_for_the_list(&request) {
        let host = request.headers().get(hyper::header::HOST);
        let host = host.and_then(|host| host.to_str().ok()).unwrap_or("127.0.0.1");
        let list = site.index(host);
        send::typed(send::whole(StatusCode::OK, list), "text/plain; charset=utf-8")
    } else {
        class::routes::answer(&site.class, &site.pages, request).await
    };
    let mut response = flight.watch(response);
    response.headers_mut().insert(SIMULATED_HEADER, HeaderValue::from_static("1"));
    Ok(response.map(StreamBody::new))
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

/// Whether `request` asks for the list of URLs: `/urls.txt`, or `/` from
/// anything but a browser (`curl`, a lesson); a browser gets the class page.
fn asks_for_the_list(request: &Request<Incoming>) -> bool {
    let browser = (request.headers().get(hyper::header::ACCEPT))
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    let method = request.method().as_str();
    let listed = match request.uri().path() {
        "/urls.txt" => true,
        "/" => !(browser && method == "GET"),
        _ => false,
    };
    listed && matches!(method, "GET" | "HEAD")
}
