//! The class's results: for each lesson and variant the class ran, every
//! finished run's time ÷ its limit, for the results view at `/class/results`.
//! Kept apart from the lanes, which let old runs go, so that the closing slide
//! counts the whole hour; bounded in groups and in runs a group.

use std::{
    collections::{BTreeMap, VecDeque},
    sync::{Mutex, PoisonError},
};

use bytes::Bytes;
use serde::Serialize;

/// The most lessons and variants kept: a client names them, so a made-up one
/// past this is not counted.
const MOST_GROUPS: usize = 64;

/// The most runs kept of one lesson and variant; the oldest go first.
const MOST_RUNS: usize = 5000;

/// The runs of one lesson and variant.
#[derive(Default)]
struct Group {
    /// Each run's time and its time ÷ limit.
    runs: VecDeque<(f64, f64)>,
    /// What the notes measured, as the runs said.
    notes_ms: Option<f64>,
}

/// A lesson and variant as the class ran it.
#[derive(Serialize)]
struct Row<'a> {
    lesson: &'a str,
    variant: &'a str,
    runs: usize,
    /// The median run's time ÷ limit, and the fastest's and slowest's.
    ratio: [f64; 3],
    /// The median time, in ms.
    median_ms: f64,
    notes_ms: Option<f64>,
}

#[derive(Default)]
pub(crate) struct Results {
    groups: Mutex<BTreeMap<(String, String), Group>>,
}

impl Results {
    /// Counts a finished run of `lesson` and `variant`.
    pub(crate) fn add(
        &self,
        (lesson, variant): (&str, &str),
        (wall_ms, limit_ms): (f64, f64),
        notes_ms: Option<f64>,
    ) {
        if limit_ms <= 0.0 || !wall_ms.is_finite() {
            return;
        }
        let mut groups = self.groups.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (lesson.to_string(), variant.to_string());
        if !groups.contains_key(&key) && groups.len() >= MOST_GROUPS {
            return;
        }
        let group = groups.entry(key).or_default();
        if group.runs.len() == MOST_RUNS {
            group.runs.pop_front();
        }
        group.runs.push_back((wall_ms, wall_ms / limit_ms));
        group.notes_ms = notes_ms.filter(|ms| ms.is_finite()).or(group.notes_ms);
    }

    /// Every lesson and variant, in order, and the web's `speed`, at which
    /// the notes' times are to be read, as JSON with `<` written `\u003c`.
    pub(crate) fn json(&self, speed: f64) -> Bytes {
        let groups = self.groups.lock().unwrap_or_else(PoisonError::into_inner);
        let rows: Vec<Row> = (groups.iter())
            .map(|((lesson, variant), group)| {
                let median = |mut values: Vec<f64>| {
                    values.sort_by(f64::total_cmp);
                    let (low, high) = (values[0], values[values.len() - 1]);
                    (values[values.len() / 2], low, high)
                };
                let (ratio, low, high) =
                    median(group.runs.iter().map(|r| r.1).collect());
                let (median_ms, ..) =
                    median(group.runs.iter().map(|r| r.0).collect());
                Row {
                    lesson,
                    variant,
                    runs: group.runs.len(),
                    ratio: [ratio, low, high],
                    median_ms,
                    notes_ms: group.notes_ms,
                }
            })
            .collect();
        let results = serde_json::json!({ "speed": speed, "rows": rows });
        let json = results.to_string();
        Bytes::from(json.replace('<', "\\u003c"))
    }
}
