//! [`Verdict`]: what `exercises check` sends a class's `serve` after each
//! check of a student's own file. Its shape belongs here, with the server that
//! accepts it, as a run's [`Summary`](crate::Summary) does.

use serde::{Deserialize, Serialize};

/// The exercises, in the order the book gives them: the columns of the class's
/// progress view. The `exercises` crate tests that its list is this one.
pub const EXERCISES: [&str; 16] = [
    "sequential-1",
    "sequential-2",
    "sequential-3",
    "threads-1",
    "threads-2",
    "threads-3",
    "processes-1",
    "processes-2",
    "processes-3",
    "futures-1",
    "futures-2",
    "futures-3",
    "async-1",
    "async-2",
    "async-3",
    "async-4",
];

/// The largest verdict a student may send.
pub const MOST_VERDICT_BYTES: usize = 4096;

/// The most characters of a check's message kept: its first line, cut.
pub const MOST_MESSAGE_CHARS: usize = 300;

/// The most students a class keeps; a newcomer past it takes the place of the
/// student who sent nothing for the longest.
pub const MOST_STUDENTS: usize = 200;

/// A check's verdict on a student's exercise: whether it passed, and the first
/// line of what the check said. Never the student's code.
///
/// ```
/// let verdict = web::Verdict {
///     name: "ana".into(),
///     exercise: "threads-2".into(),
///     passed: false,
///     message: "threads-2 is not done yet: the sites went one by one".into(),
///     attempt: 1,
///     at: 1_796_000_000,
/// };
/// let json = serde_json::to_string(&verdict)?;
/// assert!(json.contains("\"passed\":false"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    /// The student's name, as they joined the class.
    pub name: String,
    /// One of [`EXERCISES`].
    pub exercise: String,
    /// Whether the check passed.
    pub passed: bool,
    /// The first line of the check's message.
    pub message: String,
    /// How many times the student has checked this exercise, this one included.
    pub attempt: u32,
    /// When it was checked, in seconds since 1970 (UTC).
    pub at: u64,
}
