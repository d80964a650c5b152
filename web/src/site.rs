//! What the server shares between connections ([`Site`]), and how it
//! answers one request: a page, a fault, the list of URLs or the class page,
//! each noted in the record as it arrives and as its answer ends.

use std::{io, net::SocketAddr, sync::Arc};

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
    Fault, Guard, Pages, Served, Who,
    class::{self, Class},
    connections::Connections,
    record::{self, CONNECTIONS_HEADER, MOST_PATH_BYTES, Record, SIMULATED_HEADER},
    send::{self, Flaky, Frames},
};

/// What the server thread shares between connections.
pub(crate) struct Site {
    pub(crate) pages: Pages,
    /// The text every body is cut from.
    text: Bytes,
    pub(crate) started: Instant,
    pub(crate) record: Record,
    /// The connections open, within the guard's budget.
    pub(crate) connections: Arc<Connections>,
    flaky: Flaky,
    /// Every request, as it arrives and as its answer ends.
    pub(crate) events: tokio::sync::broadcast::Sender<Served>,
    /// The runs the class page shows.
    pub(crate) class: Arc<Class>,
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
            text,
            started,
            record: Record::default(),
            connections: Arc::new(Connections::new(guard)),
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

/// Answers one request on connection number `connection`, which a client
/// reached at `local`, one of this machine's addresses.
pub(crate) async fn respond(
    site: Arc<Site>,
    connection: u64,
    local: SocketAddr,
    request: Request<Incoming>,
) -> io::Result<Response<StreamBody<Frames>>> {
    let arrived = Instant::now();
    site.connections.busy(connection, true);
    let path = request.uri().path().to_string();
    let who = Who::from_headers(request.headers());
    let served = Served {
        connection,
        path: record::cut(&path, MOST_PATH_BYTES),
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
    // What the class's own routes are sent (a verdict, a summary) the class
    // keeps: the record keeps the rest, so that nothing is kept twice.
    let number = (!path.starts_with("/class/")).then(|| site.record.arrived(served));
    let flight = Flight { number, connection, site: site.clone(), named };
    let response = if let Some(page) = site.pages.find(&path) {
        send::page(&page, &site.text, arrived).await
    } else if let Some(fault) = Fault::from_path(&path) {
        let run = who.map(|who| who.run).unwrap_or_default();
        send::fault(fault, &site.text, &site.flaky, run).await?
    } else if asks_for_the_list(&request) {
        // An old client may not say which host it asked for: then the
        // address it reached.
        let host = request.headers().get(hyper::header::HOST);
        let host = host.and_then(|host| host.to_str().ok());
        let list = site.index(host.unwrap_or(&local.to_string()));
        send::typed(send::whole(StatusCode::OK, list), "text/plain; charset=utf-8")
    } else {
        let patience = site.connections.guard().header_timeout;
        class::routes::answer(&site.class, &site.pages, request, patience).await
    };
    let mut response = flight.watch(response);
    let headers = response.headers_mut();
    headers.insert(SIMULATED_HEADER, HeaderValue::from_static("1"));
    let per_address = site.connections.guard().per_address;
    if per_address != usize::MAX {
        headers.insert(CONNECTIONS_HEADER, HeaderValue::from(per_address));
    }
    Ok(response.map(StreamBody::new))
}

/// A request being answered: counts the bytes sent, and notes in the record
/// when the answer ends, whole or cut short.
struct Flight {
    site: Arc<Site>,
    /// Its number in the record, if it is recorded.
    number: Option<usize>,
    /// The connection it came on.
    connection: u64,
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
        self.site.connections.busy(self.connection, false);
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
