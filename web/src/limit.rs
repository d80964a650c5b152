//! The shortest time a run could have taken, given how long each page takes
//! to serve: what `compare` and the class page measure runs against.

use std::{cmp::Reverse, collections::BinaryHeap, collections::HashMap};

use crate::WorkReport;

/// One download as the limit sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Download<'a> {
    /// Who downloaded it: `main`, `thread 3`, `connection 7`...
    pub worker: &'a str,
    /// When it started, in ms.
    pub start_ms: f64,
    /// When it ended, in ms.
    pub end_ms: f64,
    /// How long its page takes to serve, in ms.
    pub latency_ms: f64,
}

/// The shortest time a run of these `downloads` (in list order) and `work`
/// could have taken: the time a pool of as many workers as the run had
/// downloads at once needs, each next site going to the first free worker
/// (the sum of the latencies for one worker, the slowest site for a worker per
/// site); or, if it is longer, the busiest worker's own downloads and work,
/// one after the other (rayon splits the list in halves instead of queueing
/// it, and lesson 5's blocking task works a second after its download).
///
/// ```
/// use web::limit::{Download, limit};
///
/// let main = |latency_ms, start_ms| Download {
///     worker: "main", start_ms, end_ms: start_ms + latency_ms, latency_ms,
/// };
/// assert_eq!(limit(&[main(100.0, 0.0), main(300.0, 100.0)], &[]), 400.0);
/// ```
pub fn limit(downloads: &[Download], work: &[WorkReport]) -> f64 {
    let latencies: Vec<f64> = downloads.iter().map(|d| d.latency_ms).collect();
    let spans = downloads.iter().map(|d| (d.start_ms, d.end_ms));
    let pool = pool_time(&latencies, most_at_once(&in_flight_changes(spans)));
    let mut busy: HashMap<&str, f64> = HashMap::new();
    for download in downloads {
        *busy.entry(download.worker).or_default() += download.latency_ms;
    }
    for work in work {
        *busy.entry(&work.worker).or_default() += work.end_ms - work.start_ms;
    }
    busy.into_values().fold(pool, f64::max)
}

/// How long `workers` take to serve `latencies` in order, each next one going
/// to the first free worker.
fn pool_time(latencies: &[f64], workers: usize) -> f64 {
    let spans = pool(latencies, workers);
    spans.into_iter().map(|(_, end)| end).fold(0.0, f64::max)
}

/// When each of `latencies` (in ms) would start and end, in order, each next
/// one going to the first of `workers` that is free: a pool's schedule with
/// no time lost, which says which site ends a run last.
///
/// ```
/// let spans = web::limit::pool(&[100.0, 300.0, 200.0], 2);
/// assert_eq!(spans, [(0.0, 100.0), (0.0, 300.0), (100.0, 300.0)]);
/// ```
pub fn pool(latencies: &[f64], workers: usize) -> Vec<(f64, f64)> {
    // Each worker's next free moment, in microseconds so that a heap can order
    // them.
    let mut free_at: BinaryHeap<Reverse<u64>> =
        (0..workers.max(1)).map(|_| Reverse(0)).collect();
    let mut spans = Vec::with_capacity(latencies.len());
    for latency in latencies {
        let Reverse(free) = free_at.pop().unwrap_or(Reverse(0));
        let end = free + (latency * 1000.0) as u64;
        spans.push((free as f64 / 1000.0, end as f64 / 1000.0));
        free_at.push(Reverse(end));
    }
    spans
}

/// Each moment something started (+1) or ended (-1), in order, from the
/// `(start, end)` of each: the sweep behind [`most_at_once`]. At equal
/// times an end comes first: back to back is not at once.
///
/// ```
/// use web::limit::{in_flight_changes, most_at_once};
///
/// let changes = in_flight_changes([(0.0, 10.0), (5.0, 20.0), (10.0, 30.0)]);
/// assert_eq!(changes[..3], [(0.0, 1), (5.0, 1), (10.0, -1)]);
/// assert_eq!(most_at_once(&changes), 2);
/// ```
pub fn in_flight_changes(
    spans: impl IntoIterator<Item = (f64, f64)>,
) -> Vec<(f64, i32)> {
    let mut changes: Vec<(f64, i32)> = (spans.into_iter())
        .flat_map(|(start, end)| [(start, 1), (end, -1)])
        .collect();
    changes.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    changes
}

/// The most at once, from [`in_flight_changes`].
pub fn most_at_once(changes: &[(f64, i32)]) -> usize {
    let mut now = 0;
    let mut most = 0;
    for (_, change) in changes {
        now += change;
        most = most.max(now);
    }
    most as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pool_gives_each_next_site_to_the_first_free_worker() {
        // Two at once: A takes 100, B 300; A is free first and takes 200 (ends
        // at 300), then A again takes 50 (ends at 350). B ends at 300.
        assert_eq!(pool_time(&[100.0, 300.0, 200.0, 50.0], 2), 350.0);
        assert_eq!(pool_time(&[100.0, 300.0, 200.0, 50.0], 1), 650.0);
        assert_eq!(pool_time(&[100.0, 300.0, 200.0, 50.0], 5), 300.0);
    }
}
