//! The class page's routes: the page itself, its feed of server-sent events,
//! the state as JSON, and where a finished run posts its summary; the same
//! for the progress view, where a check posts its verdict; and the results.

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
    verdict::{MOST_VERDICT_BYTES, Verdict},
};

/// The class page: a lane per run and the scoreboard, drawn by a little script
/// from the runs so far, then from the server's events. Every text from a
/// client is set with `textContent`, never as HTML; so on the other pages.
const CLASS_PAGE: &str = include_str!("class.html");

/// The progress view: a grid of students and exercises, drawn by a little
/// script from the rows so far, then from the server's events.
const PROGRESS_PAGE: &str = include_str!("progress.html");

/// The join command of the class page and the progress view, named where
/// other machines reach this web.
const JOIN_SCRIPT: &str = include_str!("join.js");

/// The language of the class's pages: the browser's, English or Chinese,
/// with a link to switch.
const SAY_SCRIPT: &str = include_str!("say.js");

/// The results view: a bar per lesson and variant, its runs against their
/// limit, beside the notes' time.
const RESULTS_PAGE: &str = include_str!("results.html");

/// Answers what is neither a page nor the list of URLs: the class page and
/// what feeds it, or 404. A request's body must come whole within `patience`,
/// as its headers must.
pub(crate) async fn answer(
    class: &Arc<Class>,
    pages: &Pages,
    request: Request<Incoming>,
    patience: Duration,
) -> Response<Frames> {
    match (request.method().as_str(), request.uri().path()) {
        ("GET", "/") => with_state(CLASS_PAGE, class, class.news(class.since(0).0)),
        ("GET", "/class/join.js") => typed(
            whole(StatusCode::OK, Bytes::from_static(JOIN_SCRIPT.as_bytes())),
            "text/javascript; charset=utf-8",
        ),
        ("GET", "/class/say.js") => typed(
            whole(StatusCode::OK, Bytes::from_static(SAY_SCRIPT.as_bytes())),
            "text/javascript; charset=utf-8",
        ),
        ("GET", "/class/state") => {
            let (runs, _) = class.since(0);
            typed(whole(StatusCode::OK, runs), "application/json")
        }
        ("GET", "/class/events") => events(class.clone()),
        ("POST", "/class/report") => summary(class, pages, request, patience).await,
        ("GET", "/class/exercises") => {
            with_state(PROGRESS_PAGE, class, [class.progress.everything().0])
        }
        ("GET", "/class/exercises/state") => typed(
            whole(StatusCode::OK, class.progress.everything().0),
            "application/json",
        ),
        ("GET", "/class/exercises/events") => {
            let class = class.clone();
            feed(move |seen| {
                let (rows, version) = class.progress.everything();
                (version != seen).then(|| (vec![rows], version))
            })
        }
        ("POST", "/class/verdict") => verdict(class, request, patience).await,
        ("GET", "/class/results") => {
            with_state(RESULTS_PAGE, class, [class.results.json(pages.speed())])
        }
        ("GET", "/class/results/state") => typed(
            whole(StatusCode::OK, class.results.json(pages.speed())),
            "application/json",
        ),
        _ => whole(StatusCode::NOT_FOUND, "no such page\n".into()),
    }
}

/// `page` with `state` in place of its `/*STATE*/` mark, and where other
/// machines reach this web in place of its `/*REACHABLE*/` mark if it has one,
/// in pieces: the state is shared, not copied.
fn with_state(
    page: &'static str,
    class: &Class,
    state: impl IntoIterator<Item = Bytes>,
) -> Response<Frames> {
    let (head, tail) = page.split_once("/*STATE*/").unwrap_or((page, ""));
    let mut pieces = match head.split_once("/*REACHABLE*/") {
        Some((before, after)) => vec![
            Bytes::from_static(before.as_bytes()),
            class.reachable(),
            Bytes::from_static(after.as_bytes()),
        ],
        None => vec![Bytes::from_static(head.as_bytes())],
    };
    pieces.extend(state);
    pieces.push(Bytes::from_static(tail.as_bytes()));
    typed(in_pieces(StatusCode::OK, pieces), "text/html; charset=utf-8")
}

/// The class page's feed: four times a second, the runs that changed (all of
/// them first) and the time, as server-sent events; none while nothing
/// changes and nothing is being downloaded.
fn events(class: Arc<Class>) -> Response<Frames> {
    feed(move |seen| {
        let (runs, version) = class.since(seen);
        let news = runs != "[]" || seen == 0 || class.busy();
        news.then(|| (class.news(runs).to_vec(), version))
    })
}

/// A feed of server-sent events: four times a second, what `news` gives for
/// the version last sent (0 at first), if anything, in pieces shared with
/// every other page.
fn feed(
    news: impl Fn(u64) -> Option<(Vec<Bytes>, u64)> + Send + Sync + 'static,
) -> Response<Frames> {
    let news = Arc::new(news);
    let ticks = tokio::time::interval(Duration::from_millis(250));
    let events = futures::stream::unfold((ticks, 0), move |(mut ticks, seen)| {
        let news = news.clone();
        async move {
            loop {
                ticks.tick().await;
                if let Some((pieces, version)) = news(seen) {
                    let mut event = vec![Bytes::from_static(b"data: ")];
                    event.extend(pieces);
                    event.push(Bytes::from_static(b"\n\n"));
                    return Some((event, (ticks, version.max(1))));
                }
            }
        }
    });
    let frames = events.flat_map(|event| {
        futures::stream::iter(event.into_iter().map(|piece| Ok(Frame::data(piece))))
    });
    let mut response = typed(Response::new(frames.boxed()), "text/event-stream");
    (response.headers_mut())
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// Why a request's body was not read whole.
enum Refused {
    /// It said it was longer than it may be, or was.
    TooLong,
    /// It did not come whole within the patience given.
    TooSlow(Duration),
}

impl Refused {
    /// The answer, which closes the connection: nothing more of the body is
    /// read. `too_long` is the answer to a body too long.
    fn answer(self, too_long: (StatusCode, &str)) -> Response<Frames> {
        match self {
            Refused::TooLong => refuse_and_close(too_long.0, too_long.1),
            Refused::TooSlow(patience) => refuse_and_close(
                StatusCode::REQUEST_TIMEOUT,
                &format!(
                    "a body must come whole within {} s",
                    patience.as_secs_f64()
                ),
            ),
        }
    }
}

/// The body of `request`, if it is at most `most` bytes and comes whole
/// within `patience`: as soon as it says it is longer, or is, or `patience`
/// ends, nothing more of it is read.
async fn within(
    request: Request<Incoming>,
    most: usize,
    patience: Duration,
) -> Result<Bytes, Refused> {
    let announced = (request.headers().get(CONTENT_LENGTH))
        .and_then(|length| length.to_str().ok()?.parse::<u64>().ok());
    if announced.is_some_and(|length| length > most as u64) {
        return Err(Refused::TooLong);
    }
    let body = Limited::new(request.into_body(), most).collect();
    match tokio::time::timeout(patience, body).await {
        Ok(Ok(body)) => Ok(body.to_bytes()),
        Ok(Err(_)) => Err(Refused::TooLong),
        Err(_) => Err(Refused::TooSlow(patience)),
    }
}

/// A refusal, `why` in a line.
fn refuse(status: StatusCode, why: &str) -> Response<Frames> {
    whole(status, format!("{why}\n").into())
}

/// A refusal of a body too long, which also closes its connection: the rest
/// of it is never read.
fn refuse_and_close(status: StatusCode, why: &str) -> Response<Frames> {
    let mut response = refuse(status, why);
    (response.headers_mut()).insert(CONNECTION, HeaderValue::from_static("close"));
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
    patience: Duration,
) -> Response<Frames> {
    let Some(who) = Who::from_headers(request.headers()) else {
        return refuse(StatusCode::BAD_REQUEST, "a report must say who it is");
    };
    let body = match within(request, MOST_SUMMARY_BYTES, patience).await {
        Ok(body) => body,
        Err(refused) => {
            return refused.answer((
                StatusCode::PAYLOAD_TOO_LARGE,
                "a report is at most 64 KiB",
            ));
        }
    };
    match serde_json::from_slice::<Summary>(&body) {
        Ok(summary) => {
            class.finished(&who, summary, pages);
            whole(StatusCode::OK, "thank you\n".into())
        }
        Err(err) => {
            refuse(StatusCode::BAD_REQUEST, &format!("not a run's summary: {err}"))
        }
    }
}

/// A check's verdict: at most 4 KiB, of the verdict's shape, naming one of the
/// exercises; anything else is refused with 400 and changes nothing, and a
/// verdict too long has its connection closed.
async fn verdict(
    class: &Class,
    request: Request<Incoming>,
    patience: Duration,
) -> Response<Frames> {
    let body = match within(request, MOST_VERDICT_BYTES, patience).await {
        Ok(body) => body,
        Err(refused) => {
            return refused
                .answer((StatusCode::BAD_REQUEST, "a verdict is at most 4 KiB"));
        }
    };
    let filed = serde_json::from_slice::<Verdict>(&body)
        .map_err(|err| format!("not a verdict: {err}"))
        .and_then(|verdict| class.progress.file(&verdict));
    match filed {
        Ok(()) => whole(StatusCode::OK, "thank you\n".into()),
        Err(why) => refuse(StatusCode::BAD_REQUEST, &why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The two arguments of each call of `say` in `script`, as written; the
    /// second is empty if there is none.
    fn says(script: &str) -> Vec<(&str, &str)> {
        let calls = script.match_indices("say(").map(|(at, _)| at + 4);
        let calls = calls.filter(|&at| !script[..at].ends_with("function say("));
        calls
            .map(|start| {
                let (mut depth, mut quote, mut comma) = (1, None, None);
                let end = script[start..].char_indices().find_map(|(at, c)| {
                    match (quote, c) {
                        (Some(q), c) if c == q => quote = None,
                        (Some(_), _) => {}
                        (None, '"' | '`' | '\'') => quote = Some(c),
                        (None, '(') => depth += 1,
                        (None, ')') if depth == 1 => return Some(at),
                        (None, ')') => depth -= 1,
                        (None, ',') if depth == 1 => comma = Some(at),
                        _ => {}
                    }
                    None
                });
                let end = start + end.unwrap_or(0);
                match comma {
                    Some(at) => (
                        &script[start..start + at],
                        script[start + at + 1..end].trim(),
                    ),
                    None => (&script[start..end], ""),
                }
            })
            .collect()
    }

    #[test]
    fn every_sentence_of_the_class_s_pages_is_in_english_and_in_chinese() {
        let pages =
            [CLASS_PAGE, PROGRESS_PAGE, RESULTS_PAGE, JOIN_SCRIPT, SAY_SCRIPT];
        for page in pages {
            let (english, chinese) = ("data-lang=\"en\"", "data-lang=\"zh-CN\"");
            assert_eq!(page.matches(english).count(), page.matches(chinese).count());
            for (english, chinese) in says(page) {
                // Chinese in the second, but in the language switch's own name.
                let han = chinese.chars().any(|c| c > '\u{2e80}');
                assert!(
                    han || chinese == "\"English\"" || chinese == "\"en\"",
                    "say({english}, {chinese}) has no Chinese"
                );
            }
        }
        assert!(says(CLASS_PAGE).len() > 10 && says(PROGRESS_PAGE).len() > 5);
    }

    #[test]
    fn the_class_page_states_the_memory_budget() {
        let budget = format!("at most {} MiB of memory", crate::MEMORY_BYTES >> 20);
        assert!(super::CLASS_PAGE.contains(&budget));
    }
}
