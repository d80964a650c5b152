//! [`Summary`]: what a run posts to the class page when it ends. Its shape
//! belongs here, with the server that accepts it.

use serde::{Deserialize, Serialize};

/// The largest summary a run may post.
pub const MOST_SUMMARY_BYTES: usize = 64 * 1024;

/// What a run posts to `/class/report` when it ends: a summary, not the whole
/// report, which the server has seen for itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// The run's wall-clock time, in ms.
    pub wall_ms: f64,
    /// How many workers downloaded.
    pub workers: usize,
    /// How many sites it was given.
    pub sites: usize,
    /// How many failed.
    pub failures: usize,
    /// Work other than downloads, which the server cannot see.
    #[serde(default)]
    pub work: Vec<WorkReport>,
    /// What the notes measured for this lesson and variant, in ms, if they
    /// did: for the class's results.
    #[serde(default)]
    pub notes_ms: Option<f64>,
    /// The run's own timeline: each download as the run saw it, from its
    /// request to the last byte read, in the order of its URLs; the first
    /// [`MOST_SEEN`] of them. Where the server's record cannot see a client
    /// that was stalled (lesson 5's `--variant blocking`), this can.
    #[serde(default)]
    pub timeline: Vec<Seen>,
}

/// The most downloads a [`Summary`]'s timeline gives.
pub const MOST_SEEN: usize = 1000;

/// One download as the run saw it: when it started and ended, in ms since the
/// run began, which worker took it (numbered from 0 in the order they first
/// started), and whether it succeeded. Sent as a JSON array, `[0.0, 212.5, 3,
/// true]`, so that a thousand of them fit a summary.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Seen(pub f64, pub f64, pub u32, pub bool);

/// Work other than a download, done by a worker between its downloads: in a
/// run's [`Summary`], and in the report a lesson writes with `--json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkReport {
    /// The instrumented function's name.
    pub name: String,
    /// Who did it.
    pub worker: String,
    /// When it started, in ms since the run began.
    pub start_ms: f64,
    /// When it ended.
    pub end_ms: f64,
}
