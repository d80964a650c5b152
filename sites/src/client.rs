//! The HTTP clients the lessons download with, all made by one builder: the
//! blocking one, the async one, and the one in each of lesson 3's worker
//! processes.

use std::time::Duration;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::{Deserialize, Serialize};
use web::WHO_HEADERS;

use crate::{Error, Result, Who};

/// Sent with every request, so that a real site can tell who is asking.
const USER_AGENT: &str = concat!("concurrency-lessons/", env!("CARGO_PKG_VERSION"));

/// What a client is built with. A worker process receives it from its parent,
/// so that both download alike.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The longest a download may take, body included, in seconds.
    pub timeout_s: f64,
    /// The largest page, in bytes.
    pub max_bytes: usize,
    /// Whether the proxy named by the environment may be used: only for the
    /// real sites of `--online`. The simulated web is on this machine, and its
    /// traffic must stay here.
    pub proxy: bool,
    /// Who runs the lesson, sent with every request: only when every URL is
    /// on a class's simulated web.
    #[serde(default)]
    pub who: Option<Who>,
}

impl Settings {
    /// Settings for a short request of the lessons' own, such as fetching a
    /// list of URLs.
    pub fn quick(timeout: Duration) -> Settings {
        Settings {
            timeout_s: timeout.as_secs_f64(),
            max_bytes: crate::body::MAX_BYTES,
            proxy: false,
            who: None,
        }
    }

    /// The timeout as a duration.
    pub fn timeout(&self) -> Duration {
        Duration::try_from_secs_f64(self.timeout_s).unwrap_or(Duration::MAX)
    }
}

/// The builder every client of the lessons starts from: the async client is
/// built from it, and the blocking one wraps it. Its timeout covers the whole
/// download, from connecting to the body's last byte.
///
/// ```no_run
/// # fn main() -> sites::Result<()> {
/// # let settings = sites::client::Settings::quick(std::time::Duration::from_secs(10));
/// let client = sites::client::builder(&settings).build()?;
/// # Ok(()) }
/// ```
pub fn builder(settings: &Settings) -> reqwest::ClientBuilder {
    // rustls needs its cryptography chosen once per process: ring's, which
    // builds on every student's laptop (aws-lc-rs wants cmake and NASM on
    // Windows). rustls 0.23.48 deprecates it for lacking post-quantum key
    // exchange, which the simulated web does not need.
    #[allow(deprecated)]
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder()
        .timeout(settings.timeout())
        .user_agent(USER_AGENT)
        .redirect(redirects(settings.who.is_some()))
        .default_headers(who_headers(settings.who.as_ref()));
    if !settings.proxy {
        builder = builder.no_proxy();
    }
    builder
}

/// How redirects are followed: at most ten, and for a run that says who it
/// is (`to_one_origin`), never away from the server it asked first, so that
/// who it is never reaches another server, even by way of a redirect. (A
/// redirect to a URL that is not http(s) is not followed: `read_body` fails
/// it.)
fn redirects(to_one_origin: bool) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        let next = attempt.url();
        let first = attempt.previous().first().map(|url| url.origin());
        if attempt.previous().len() > 10 {
            attempt.error("redirected more than ten times")
        } else if to_one_origin && first.is_some_and(|first| first != next.origin())
        {
            attempt.error("redirected away from the class's server")
        } else {
            attempt.follow()
        }
    })
}

/// What of a header's text is percent-encoded: control characters, `%`, and
/// everything beyond ASCII, so that a name in any script arrives whole.
const ENCODED: &AsciiSet = &CONTROLS.add(b'%');

/// The headers that say who runs the lesson; none without `who`.
pub fn who_headers(who: Option<&Who>) -> reqwest::header::HeaderMap {
    let mut headers = reqwest::header::HeaderMap::new();
    let Some(who) = who else { return headers };
    let values = [&who.name, &who.run, &who.lesson, &who.variant];
    for (name, value) in WHO_HEADERS.iter().zip(values) {
        let encoded = utf8_percent_encode(value, ENCODED).to_string();
        if let Ok(value) = reqwest::header::HeaderValue::from_str(&encoded) {
            headers.insert(*name, value);
        }
    }
    headers
}

/// The async client.
pub fn asynchronous(settings: &Settings) -> Result<reqwest::Client> {
    builder(settings).build().map_err(cannot_build)
}

/// The blocking client: the async one, run on a thread of its own, which
/// this thread waits for.
pub fn blocking(settings: &Settings) -> Result<reqwest::blocking::Client> {
    let builder = reqwest::blocking::ClientBuilder::from(builder(settings));
    // The inner client's timeout ends a download in time; this one only
    // catches a client that stopped answering at all.
    let outer = settings.timeout().saturating_add(Duration::from_secs(1));
    builder.timeout(outer).build().map_err(cannot_build)
}

fn cannot_build(err: reqwest::Error) -> Error {
    Error::Setup(format!(
        "cannot build an HTTP client: {}",
        crate::error::plain(&err)
    ))
}
