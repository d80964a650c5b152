//! The class page's routes: the page itself, its feed of server-sent events,
//! the state as JSON, and where a finished run posts its summary.

use std::{sync::Arc, time::Duration};

use bytes::Bytes;
use futures::StreamExt;
use http_body_util::{BodyExt, Limited};
use hyper::{
    Request, Response, StatusCode,
    body::{Frame, Incoming},
    header::{CACHE_CONTROL, HeaderValue},
};

use super::Class;
use crate::{
    Pages, Who,
    send::{Frames, typed, whole},
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
            let page = whole(StatusCode::OK, class.page().into());
            typed(page, "text/html; charset=utf-8")
        }
        ("GET", "/class/state") => {
            let (runs, _) = class.since(0);
            typed(whole(StatusCode::OK, runs.into()), "application/json")
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
    let frames = futures::stream::unfold((ticks, 0), move |(mut ticks, seen)| {
        let class = class.clone();
        async move {
            loop {
                ticks.tick().await;
                let (runs, version) = class.since(seen);
                if runs != "[]" || seen == 0 || class.busy() {
                    let news = class.news(&runs);
                    let event =
                        Frame::data(Bytes::from(format!("data: {news}\n\n")));
                    return Some((Ok(event), (ticks, version.max(1))));
                }
            }
        }
    });
    let mut response = typed(Response::new(frames.boxed()), "text/event-stream");
    (response.headers_mut())
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// A finished run's summary: at most 64 KiB, of the summary's shape, from a
/// run that says who it is; anything else is refused with 400 and changes
/// nothing.
async fn summary(
    class: &Class,
    pages: &Pages,
    request: Request<Incoming>,
) -> Response<Frames> {
    let refuse =
        |why: &str| whole(StatusCode::BAD_REQUEST, format!("{why}\n").into());
    let Some(who) = Who::from_headers(request.headers()) else {
        return refuse("a report must say who it is");
    };
    let body = Limited::new(request.into_body(), MOST_SUMMARY_BYTES).collect().await;
    let Ok(body) = body else { return refuse("a report is at most 64 KiB") };
    match serde_json::from_slice::<Summary>(&body.to_bytes()) {
        Ok(summary) => {
            class.finished(&who, summary, pages);
            whole(StatusCode::OK, "thank you\n".into())
        }
        Err(err) => refuse(&format!("not a run's summary: {err}")),
    }
}
