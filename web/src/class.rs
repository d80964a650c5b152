//! The class page of a shared simulated web (`serve`): every run against it,
//! live, a lane each, and a scoreboard of the finished runs.
//!
//! A run says who it is with the [`Who`] headers on each request (a lesson
//! sends them only to a server that says it is a simulated web), and posts a
//! short [`Summary`] when it ends. The server keeps the latest runs in memory
//! (never on disk), and pushes what changed, with its clock, to every open
//! page four times a second, as server-sent events.
//!
//! Two more views of the same class: its progress on the exercises, from the
//! verdicts `exercises check` sends (`class/progress`), and its results, each
//! lesson's runs against their limit (`class/results`). The routes of all
//! three are in `class/routes`.

pub(crate) mod progress;
pub(crate) mod results;
pub(crate) mod routes;

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex, MutexGuard, PoisonError, Weak},
    time::Duration,
};

use bytes::Bytes;
use serde::Serialize;
use tokio::time::Instant;

use self::{progress::Progress, results::Results};
use crate::{
    Pages, Served, Who,
    limit::{Download, limit},
    record::allocated,
    summary::{MOST_SEEN, Seen, Summary},
};

/// The most runs kept; the oldest go first.
const MOST_RUNS: usize = 100;

/// The most requests drawn for one run; the rest are counted.
const MOST_BARS: usize = 2000;

/// The most bytes the runs may take; past it the oldest runs go, and a run
/// that alone would pass it has its further requests counted, not drawn.
pub const CLASS_BYTES: usize = 16 << 20;

/// One bar of a lane: a request, from its arrival to the end of its answer,
/// in ms since the run's first request.
#[derive(Debug, Clone, Serialize)]
struct Bar {
    /// Its place among the run's bars, where the page puts it.
    index: usize,
    path: String,
    connection: u64,
    start: f64,
    end: Option<f64>,
    ok: bool,
    /// The class's version when it last changed.
    #[serde(skip)]
    version: u64,
}

/// The scoreboard's row of a finished run.
#[derive(Debug, Clone, Serialize)]
struct Score {
    workers: usize,
    sites: usize,
    failures: usize,
    wall_ms: f64,
    limit_ms: f64,
}

/// One run, as the class page shows it.
#[derive(Debug, Clone)]
struct Lane {
    who: Who,
    /// When its first request arrived, in ms since the web started.
    first_ms: f64,
    bars: Vec<Bar>,
    /// Requests past the ones drawn.
    more: usize,
    score: Option<Score>,
    /// The run's own timeline, from its summary: what it saw, where the
    /// bars are what the server saw.
    seen: Vec<Seen>,
    version: u64,
    /// About how many bytes it takes.
    bytes: usize,
}

/// What the page hears of a lane: everything but its bars, and of those only
/// the ones changed since it last heard, so that a room of long runs costs
/// the server and the projector little.
#[derive(Serialize)]
struct Change<'a> {
    who: &'a Who,
    first_ms: f64,
    bars: Vec<&'a Bar>,
    more: usize,
    score: &'a Option<Score>,
    seen: &'a [Seen],
}

/// Every run the class page shows, newest last.
pub(crate) struct Class {
    state: Mutex<State>,
    /// When the web started: the page's clock counts from it.
    started: Instant,
    /// Each student's latest verdict on each exercise.
    pub(crate) progress: Progress,
    /// Every finished run's time against its limit.
    pub(crate) results: Results,
    /// Where other machines reach this web (`["http://192.168.1.20:8000"]`),
    /// as JSON: the join commands of a page opened on this machine name them.
    /// Only the teacher's `serve` sets it, from the machine's addresses.
    pub(crate) reachable: Mutex<Bytes>,
}

#[derive(Default)]
struct State {
    lanes: VecDeque<Lane>,
    /// Counts the changes, so that a page can ask for those since it last heard.
    version: u64,
    /// Requests of runs that said who they are, still being answered.
    in_flight: usize,
    /// About how many bytes the lanes take.
    bytes: usize,
    /// Every run as JSON: one copy, shared by every page and feed that asks.
    everything: Snapshot,
}

/// The whole of a class's state as JSON, one copy shared by every answer
/// that sends it. After a change it is made again when no answer holds the
/// last copy, or a second after that one was made if fewer than
/// [`MOST_COPIES`] are held: clients that do not read what they asked for
/// hold that many copies between them, not one each, and a page that comes
/// meanwhile hears the rest from the feed.
#[derive(Default)]
pub(crate) struct Snapshot {
    /// The copy, the version of the state it is of, and when it was made.
    last: Option<(Arc<Bytes>, u64, Instant)>,
    /// The copies made before it, while answers hold them.
    older: Vec<Weak<Bytes>>,
}

/// The most copies of a [`Snapshot`] that answers may hold at once.
pub(crate) const MOST_COPIES: usize = 2;

impl Snapshot {
    /// The copy and the version it is of: the last one, or one of the state
    /// at `version` that `make` gives, as the rule above says.
    pub(crate) fn of(
        &mut self,
        version: u64,
        make: impl FnOnce() -> Bytes,
    ) -> (Bytes, u64) {
        self.older.retain(|copy| copy.strong_count() > 0);
        if let Some((copy, of, made)) = &self.last {
            let held = Arc::strong_count(copy) > 1;
            let may = made.elapsed() >= Duration::from_secs(1)
                && self.older.len() + 1 < MOST_COPIES;
            if *of == version || (held && !may) {
                return (Bytes::from_owner(Shared(copy.clone())), *of);
            }
            if held {
                self.older.push(Arc::downgrade(copy));
            }
        }
        let copy = Arc::new(make());
        self.last = Some((copy.clone(), version, Instant::now()));
        (Bytes::from_owner(Shared(copy)), version)
    }
}

/// A snapshot's copy as an answer holds it: while one does, the copy counts
/// as held.
struct Shared(Arc<Bytes>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Class {
    pub(crate) fn new(started: Instant) -> Class {
        Class {
            state: Mutex::default(),
            started,
            progress: Progress::default(),
            results: Results::default(),
            reachable: Mutex::new(Bytes::from_static(b"[]")),
        }
    }

    /// Where other machines reach this web, as JSON (see `reachable`).
    pub(crate) fn reachable(&self) -> Bytes {
        self.reachable.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Files a request of a run that said who it is, as it arrives and again
    /// as its answer ends.
    pub(crate) fn served(&self, served: &Served) {
        let Some(who) = &served.who else { return };
        if served.path.starts_with("/class/") {
            return;
        }
        let mut guard = self.lock();
        let State { lanes, version, in_flight, bytes, .. } = &mut *guard;
        *version += 1;
        match served.finished_ms {
            None => *in_flight += 1,
            Some(_) => *in_flight = in_flight.saturating_sub(1),
        }
        let lane = match lanes.iter().position(|lane| lane.who.run == who.run) {
            Some(index) => &mut lanes[index],
            None => {
                let cost = size_of::<Lane>() + who.bytes();
                while lanes.len() == MOST_RUNS || *bytes + cost > CLASS_BYTES {
                    let Some(oldest) = lanes.pop_front() else { break };
                    *bytes -= oldest.bytes;
                }
                let first_ms = served.arrived_ms;
                *bytes += cost;
                lanes.push_back(Lane {
                    who: who.clone(),
                    first_ms,
                    bars: Vec::new(),
                    more: 0,
                    score: None,
                    seen: Vec::new(),
                    version: 0,
                    bytes: cost,
                });
                lanes.back_mut().expect("just pushed")
            }
        };
        lane.version = *version;
        let start = served.arrived_ms - lane.first_ms;
        let ok = served.status == 200 && served.complete;
        // Twice its size for the room its lane's list keeps to grow into.
        let cost = 2 * size_of::<Bar>() + allocated(served.path.len());
        let room = lane.bars.len() < MOST_BARS && *bytes + cost <= CLASS_BYTES;
        match served.finished_ms {
            None if room => {
                (*bytes, lane.bytes) = (*bytes + cost, lane.bytes + cost);
                lane.bars.push(Bar {
                    index: lane.bars.len(),
                    path: served.path.clone(),
                    connection: served.connection,
                    start,
                    end: None,
                    ok,
                    version: *version,
                });
            }
            None => lane.more += 1,
            Some(end) => {
                let bar = lane.bars.iter_mut().rev().find(|bar| {
                    bar.end.is_none()
                        && bar.connection == served.connection
                        && bar.start == start
                });
                if let Some(bar) = bar {
                    bar.end = Some(end - lane.first_ms);
                    bar.ok = ok;
                    bar.version = *version;
                }
            }
        }
    }

    /// Files a finished run's summary: its score, with the limit worked out
    /// as `compare` does, from what this web served the run.
    pub(crate) fn finished(&self, who: &Who, summary: Summary, pages: &Pages) {
        let mut guard = self.lock();
        let State { lanes, version, bytes, .. } = &mut *guard;
        *version += 1;
        let Some(lane) = lanes.iter_mut().find(|lane| lane.who.run == who.run)
        else {
            return;
        };
        let seen = &summary.timeline[..summary.timeline.len().min(MOST_SEEN)];
        let cost = allocated(size_of_val(seen));
        if lane.seen.is_empty() && *bytes + cost <= CLASS_BYTES {
            (*bytes, lane.bytes) = (*bytes + cost, lane.bytes + cost);
            lane.seen = seen.to_vec();
        }
        let workers: Vec<String> = lane
            .bars
            .iter()
            .map(|bar| format!("connection {}", bar.connection))
            .collect();
        let latency = |path: &str| {
            pages.find(path).map_or(0.0, |page| page.latency().as_secs_f64() * 1e3)
        };
        let downloads: Vec<Download> = (lane.bars.iter().zip(&workers))
            .map(|(bar, worker)| Download {
                worker,
                start_ms: bar.start,
                end_ms: bar.end.unwrap_or(bar.start),
                latency_ms: latency(&bar.path),
            })
            .collect();
        let score = Score {
            workers: summary.workers,
            sites: summary.sites,
            failures: summary.failures,
            wall_ms: summary.wall_ms,
            limit_ms: limit(&downloads, &summary.work),
        };
        if score.failures == 0 {
            let group = (lane.who.lesson.as_str(), lane.who.variant.as_str());
            let times = (score.wall_ms, score.limit_ms);
            self.results.add(group, times, summary.notes_ms);
        }
        lane.score = Some(score);
        lane.version = *version;
    }

    /// The runs changed since `seen`, each with its bars changed since then,
    /// as JSON, and the version to ask from next time. For 0, or for changes
    /// past [`MOST_NEWS_BYTES`], every run: the [`Snapshot`] shared by every
    /// answer, which may be of an earlier version (then nothing, `[]`, if it
    /// is not newer than `seen`). A `<` in a client's text is written
    /// `\u003c`, so that no text can close the page's script it is put in.
    pub(crate) fn since(&self, seen: u64) -> (Bytes, u64) {
        let mut guard = self.lock();
        let State { lanes, version, everything, .. } = &mut *guard;
        if seen > 0 {
            let changed = runs_since(lanes, seen);
            if changed.len() <= MOST_NEWS_BYTES {
                return (changed, *version);
            }
        }
        match everything.of(*version, || runs_since(lanes, 0)) {
            (_, of) if seen > 0 && of <= seen => (Bytes::from_static(b"[]"), seen),
            snapshot => snapshot,
        }
    }
}

/// The most bytes of news a page is sent for itself; past it, it is sent the
/// [`Snapshot`] that every page shares, so that what a page has not read
/// costs the server little.
pub(crate) const MOST_NEWS_BYTES: usize = 8 << 10;

/// The runs of `lanes` changed since `seen`, as [`Class::since`] gives them.
fn runs_since(lanes: &VecDeque<Lane>, seen: u64) -> Bytes {
    let changed: Vec<Change> = lanes
        .iter()
        .filter(|lane| lane.version > seen)
        .map(|lane| Change {
            who: &lane.who,
            first_ms: lane.first_ms,
            bars: lane.bars.iter().filter(|bar| bar.version > seen).collect(),
            more: lane.more,
            score: &lane.score,
            seen: &lane.seen,
        })
        .collect();
    let json = serde_json::to_string(&changed).unwrap_or_else(|_| "[]".into());
    Bytes::from(json.replace('<', "\\u003c"))
}

impl Class {
    /// What the page hears: the runs that changed, as [`Class::since`] gives
    /// them, and the web's clock, in ms since it started, up to which it draws
    /// the downloads still going. As JSON, in pieces around the runs.
    pub(crate) fn news(&self, runs: Bytes) -> [Bytes; 3] {
        let now_ms = self.started.elapsed().as_secs_f64() * 1e3;
        let head = format!(r#"{{"now_ms":{now_ms:.1},"runs":"#);
        [Bytes::from(head), runs, Bytes::from_static(b"}")]
    }

    /// Whether a request of a run is being answered: while one is, the page
    /// hears the time even when nothing else changed, to draw it growing.
    pub(crate) fn busy(&self) -> bool {
        self.lock().in_flight > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str, arrived_ms: f64, finished_ms: Option<f64>) -> Served {
        Served {
            connection: 1,
            path: path.into(),
            status: 200,
            arrived_ms,
            finished_ms,
            bytes: 10,
            complete: finished_ms.is_some(),
            who: Some(Who {
                name: "ana".into(),
                run: "1".into(),
                lesson: "ch01-sequential".into(),
                variant: String::new(),
            }),
        }
    }

    fn bars(json: &[u8]) -> Vec<(usize, Option<f64>)> {
        let runs: serde_json::Value = serde_json::from_slice(json).expect("JSON");
        let bars = runs[0]["bars"].as_array().cloned().unwrap_or_default();
        bars.iter()
            .map(|bar| {
                let index = bar["index"].as_u64().expect("an index") as usize;
                (index, bar["end"].as_f64())
            })
            .collect()
    }

    #[test]
    fn the_feed_sends_a_lane_again_with_only_its_bars_that_changed() {
        let class = Class::new(Instant::now());
        class.served(&request("/a/", 0.0, None));
        assert!(class.busy(), "a download going");
        class.served(&request("/a/", 0.0, Some(5.0)));
        assert!(!class.busy(), "none going");
        let (all, seen) = class.since(0);
        assert_eq!(bars(&all), [(0, Some(5.0))]);

        class.served(&request("/b/", 6.0, None));
        let (changed, seen) = class.since(seen);
        assert_eq!(bars(&changed), [(1, None)], "only the new bar");
        class.served(&request("/b/", 6.0, Some(9.0)));
        let (changed, seen) = class.since(seen);
        assert_eq!(bars(&changed), [(1, Some(9.0))], "only the bar that ended");
        assert_eq!(class.since(seen).0, "[]", "nothing since");
        drop(all); // the last whole copy, which no answer holds now
        assert_eq!(bars(&class.since(0).0), [(0, Some(5.0)), (1, Some(9.0))]);
    }
}
