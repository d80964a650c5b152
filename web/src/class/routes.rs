//! The class page's routes: the page itself, its feed of server-sent events,
//! the state as JSON, and where a finished run posts its summary.

use std::{sync::Arc, time::Duration};

use bytes::Bytes;
use futures::StreamExt;
use http_body_util::{BodyExt, Limited};
use hyper::{
    Request, Response, StatusCode,
    body::{Frame, Incoming},
    header::{CACHE_CONTROL, CONNECTION, CONTENT_LENGTH, HeaderValue},
};

use super::Class;
use crate::{
    Pages, Who,
    send::{Frames, in_pieces, typed, whole},
    summary::{MOST_SUMMARY_BYTES, Summary},
};

/// Answers what is neither a page nor the list of URLs: the class page and
/// what feeds it, or 404.
pub(crate) async fn answer(
    class: &Arc<Class>,
    pages: &Pages,
    request: Request<Incoming>,
) -> Response<Frames> {
    match (request.method().as_str(), request.uri().path()) {
        ("GET", "/") => {
            let page = in_pieces(StatusCode::OK, class.page());
            typed(page, "text/html; charset=utf-8")
        }
        ("GET", "/class/state") => {
            let (runs, _) = class.since(0);
            typed(whole(StatusCode::OK, runs), "application/json")
        }
        ("GET", "/class/events") => events(class.clone()),
        ("POST", "/class/report") => summary(class, pages, request).await,
        _ => whole(StatusCode::NOT_FOUND, "no such page\n".into()),
    }
}

/// The class page's feed: four times a second, the runs that changed (all of
/// them first) and the time, as server-sent events; none while nothing
/// changes and nothing is being downloaded.
fn events(class: Arc<Class>) -> Response<Frames> {
    let ticks = tokio::time::interval(Duration::from_millis(250));
    let events = futures::stream::unfold((ticks, 0), move |(mut ticks, seen)| {
        let class = class.clone();
        async move {
            loop {
                ticks.tick().await;
                let (runs, version) = class.since(seen);
                if runs != "[]" || seen == 0 || class.busy() {
                    let [head, runs, tail] = class.news(runs);
                    let end = Bytes::from_static(b"\n\n");
                    let event =
                        [Bytes::from_static(b"data: "), head, runs, tail, end];
                    return Some((event, (ticks, version.max(1))));
                }
            }
        }
    });
    // Each event in pieces, the runs shared with every other page.
    let frames = events.flat_map(|event| {
        futures::stream::iter(event.map(|piece| Ok(Frame::data(piece))))
    });
    let mut response = typed(Response::new(frames.boxed()), "text/event-stream");
    (response.headers_mut())
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// A finished run's summary: at most 64 KiB, of the summary's shape, from a
/// run that says who it is; anything else is refused with 400 and changes
/// nothing. One larger is refused with 413 as soon as it says so, or passes
/// the limit, and its connection closed: nothing of it is kept.
async fn summary(
    class: &Class,
    pages: &Pages,
    request: Request<Incoming>,
) -> Response<Frames> {
    let refuse =
        |why: &str| whole(StatusCode::BAD_REQUEST, format!("{why}\n").into());
    let too_large = || {
        let why = "a report is at most 64 KiB\n";
        let mut response = whole(StatusCode::PAYLOAD_TOO_LARGE, why.into());
        (response.headers_mut())
            .insert(CONNECTION, HeaderValue::from_static("close"));
        response
    };
    let Some(who) = Who::from_headers(request.headers()) else {
        return refuse("a report must say who it is");
    };
    let announced = (request.headers().get(CONTENT_LENGTH))
        .and_then(|length| length.to_str().ok()?.parse::<u64>().ok());
    if announced.is_some_and(|length| length > MOST_SUMMARY_BYTES as u64) {
        return too_large();
    }
    let body = Limited::new(request.into_body(), MOST_SUMMARY_BYTES).collect().await;
    let Ok(body) = body else { return too_large() };
    match serde_json::from_slice::<Summary>(&body.to_bytes()) {
        Ok(summary) => {
            class.finished(&who, summary, pages);
            whole(StatusCode::OK, "thank you\n".into())
        }
        Err(err) => refuse(&format!("not a run's summary: {err}")),
    }
}
