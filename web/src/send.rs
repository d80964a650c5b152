//! How an answer is sent: a page after its latency and chunk by chunk, a
//! fault in its own way, and the helpers every other answer is made with.

use std::{
    collections::HashMap,
    io,
    sync::{Mutex, PoisonError},
    time::Duration,
};

use bytes::Bytes;
use futures::{StreamExt, stream::BoxStream};
use hyper::{
    Response, StatusCode,
    body::Frame,
    header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue},
};
use tokio::time::{Instant, sleep, sleep_until};

use crate::{Fault, PageSpec, Pages};

/// Bodies are sent in chunks of this size, each when its share of the transfer
/// time is up.
const CHUNK: usize = 16 * 1024;

/// A response's body: frames of bytes, sent as they come.
pub(crate) type Frames = BoxStream<'static, io::Result<Frame<Bytes>>>;

/// `response` with its content type.
pub(crate) fn typed(
    mut response: Response<Frames>,
    kind: &'static str,
) -> Response<Frames> {
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    response
}

/// Tokio's timers fire on a millisecond's tick: the first tick at or after
/// their deadline, so a page would come half a millisecond late on average.
/// Aimed half a tick early, a timer fires at the tick nearest its deadline,
/// and the pages come as often a little early as a little late.
fn nearest_tick(due: Instant) -> Instant {
    due.checked_sub(Duration::from_micros(500)).unwrap_or(due)
}

/// Waits for the time to first byte, then sends the body chunk by chunk.
pub(crate) async fn page(
    page: &PageSpec,
    text: &Bytes,
    arrived: Instant,
) -> Response<Frames> {
    sleep_until(nearest_tick(arrived + page.first_byte)).await;
    let body = whole_characters(text, page.bytes);
    let chunks = page.bytes.div_ceil(CHUNK).max(1);
    let (first_byte, transfer) = (page.first_byte, page.transfer);
    let frames = futures::stream::iter(0..chunks).then(move |k| {
        let chunk = body.slice(k * CHUNK..body.len().min((k + 1) * CHUNK));
        // Each deadline counts from the request's arrival, so the sleeps'
        // rounding never adds up: the last byte leaves at the page's latency.
        let due =
            arrived + first_byte + transfer.mul_f64((k + 1) as f64 / chunks as f64);
        async move {
            sleep_until(nearest_tick(due)).await;
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

/// Sends `fault` as it says, for run `run` (the flaky page counts each run's
/// requests on its own); an error cuts the connection.
pub(crate) async fn fault(
    fault: Fault,
    text: &Bytes,
    flaky: &Flaky,
    run: String,
) -> io::Result<Response<Frames>> {
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
        Fault::Flaky => match flaky.count(run) % 3 {
            2 => whole(StatusCode::OK, whole_characters(text, 1000)),
            _ => whole(StatusCode::SERVICE_UNAVAILABLE, "simulated flake\n".into()),
        },
    };
    Ok(response)
}

/// How many requests the flaky page has had, run by run: each run sees it
/// fail twice, then answer.
#[derive(Default)]
pub(crate) struct Flaky(Mutex<HashMap<String, u64>>);

impl Flaky {
    /// How many times `run` asked for the flaky page before.
    fn count(&self, run: String) -> u64 {
        let mut counts = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        // A class keeps only its recent runs' counts.
        if counts.len() > 10_000 {
            counts.clear();
        }
        let count = counts.entry(run).or_default();
        *count += 1;
        *count - 1
    }
}

/// A response whose body is `frames`, announced as `length` bytes long.
fn with_length(frames: Frames, length: u64) -> Response<Frames> {
    let mut response = Response::new(frames);
    response.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from(length));
    response
}

/// A response sent whole, at once.
pub(crate) fn whole(status: StatusCode, body: Bytes) -> Response<Frames> {
    in_pieces(status, vec![body])
}

/// A response sent at once, its body made of `pieces`, none of them copied.
pub(crate) fn in_pieces(status: StatusCode, pieces: Vec<Bytes>) -> Response<Frames> {
    let length = pieces.iter().map(|piece| piece.len() as u64).sum();
    let frames = futures::stream::iter(
        pieces.into_iter().map(|piece| Ok(Frame::data(piece))),
    );
    let mut response = with_length(frames.boxed(), length);
    *response.status_mut() = status;
    response
}

/// The text every body of `pages` is cut from.
pub(crate) fn text_for(pages: &Pages) -> Bytes {
    filler(pages.largest().max(CHUNK), pages.is_varied())
}

/// The words of the bodies.
const PLAIN: [&str; 16] = [
    "the", "web", "page", "thread", "pool", "worker", "future", "task", "await",
    "site", "download", "byte", "wait", "core", "queue", "socket",
];

/// The words of [`Pages::varied`] bodies: each of the punctuated ones is
/// also there without, and some are more bytes than characters.
const VARIED: [&str; 16] = [
    "the", "web", "web,", "page", "page.", "pool", "(pool)", "café", "naïve",
    "下载", "线程", "thread", "thread;", "Straße", "task", "task!",
];

/// Made-up text for the bodies: words, so that a lesson can count them, in
/// lines that end in LF; if `varied`, [`VARIED`]'s words, and now and then a
/// line that ends in CRLF, or words apart by a tab or by two spaces.
fn filler(len: usize, varied: bool) -> Bytes {
    let words: &[&str] = if varied { &VARIED } else { &PLAIN };
    let mut text = b"<!doctype html>\n<html><body>\n<p>".to_vec();
    // A xorshift generator: the same text on every run, with no dependency.
    let mut state: u32 = 2_463_534_242;
    while text.len() < len {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        text.extend_from_slice(words[state as usize % words.len()].as_bytes());
        if varied && state.is_multiple_of(29) {
            text.extend_from_slice(b"\r\n");
        } else if varied && state.is_multiple_of(31) {
            text.push(b'\t');
        } else if varied && state.is_multiple_of(37) {
            text.extend_from_slice(b"  ");
        } else {
            text.push(if state.is_multiple_of(13) { b'\n' } else { b' ' });
        }
    }
    text.truncate(len);
    Bytes::from(text)
}

/// The first `len` bytes of `text`, ending on a whole character: where the
/// cut falls inside one, that character is left out and spaces make up the
/// length, so that the body is still valid UTF-8.
fn whole_characters(text: &Bytes, len: usize) -> Bytes {
    let len = len.min(text.len());
    // A UTF-8 continuation byte is 0b10xx_xxxx.
    let is_inside = |at: usize| at < text.len() && text[at] & 0xC0 == 0x80;
    let end = (0..=len).rev().find(|&at| !is_inside(at)).unwrap_or(0);
    if end == len {
        return text.slice(..len);
    }
    let mut body = text[..end].to_vec();
    body.resize(len, b' ');
    Bytes::from(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filler_text_has_exactly_the_length_asked() {
        assert_eq!(filler(572_160, false).len(), 572_160);
        assert_eq!(filler(3, false).len(), 3);
    }

    #[test]
    fn a_varied_page_of_any_length_is_whole_characters_of_more_bytes_than_chars() {
        let text = filler(4096, true);
        for len in 0..text.len() {
            let body = whole_characters(&text, len);
            assert_eq!(body.len(), len);
            assert!(
                std::str::from_utf8(&body).is_ok(),
                "cut inside a character at {len}"
            );
        }
        let text = std::str::from_utf8(&text).expect("UTF-8");
        assert!(text.chars().count() < text.len());
        assert!(
            text.contains("\r\n") && text.contains("web,") && text.contains("下载")
        );
    }
}
