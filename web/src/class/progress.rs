//! The class's progress: each student's latest verdict on each exercise, for
//! the progress view at `/class/exercises`. Kept in memory only, and bounded:
//! at most [`MOST_STUDENTS`] students of [`EXERCISES`] cells each, a message
//! of at most [`MOST_MESSAGE_CHARS`] characters a cell.

use std::sync::{Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use serde::Serialize;

use super::Snapshot;
use crate::{
    record::{clean, shown_name},
    verdict::{EXERCISES, MOST_MESSAGE_CHARS, MOST_STUDENTS, Verdict},
};

/// One student's row of the grid.
#[derive(Debug, Serialize)]
struct Student {
    name: String,
    /// A cell per exercise, in the book's order; `None` if not tried.
    cells: [Option<Cell>; EXERCISES.len()],
    /// The class's version when a verdict of theirs last came.
    #[serde(skip)]
    version: u64,
}

/// The latest verdict on one exercise.
#[derive(Debug, Clone, Serialize)]
struct Cell {
    passed: bool,
    message: String,
    attempt: u32,
    at: u64,
}

/// Every student's row, and a count of the changes.
#[derive(Default)]
pub(crate) struct Progress {
    state: Mutex<Grid>,
}

#[derive(Default)]
struct Grid {
    students: Vec<Student>,
    /// Counts the changes, so that a page can ask for those since it last heard.
    version: u64,
    /// Every row as JSON: one copy, shared by every page, state and feed.
    everything: Snapshot,
}

/// What the page hears: the exercises, every student's name (a name it has
/// and is not in the list has been let go), and the rows, all of them (the
/// grid is small beside what a copy for each page would cost).
#[derive(Serialize)]
struct Changes<'a> {
    exercises: &'a [&'static str],
    names: Vec<&'a str>,
    changed: Vec<&'a Student>,
}

impl Progress {
    fn lock(&self) -> MutexGuard<'_, Grid> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Files a verdict in place of the student's older one on that exercise.
    /// `Err` says why it was refused; nothing changed then.
    pub(crate) fn file(&self, verdict: &Verdict) -> Result<(), String> {
        let column =
            (EXERCISES.iter()).position(|id| *id == verdict.exercise).ok_or_else(
                || format!("no exercise is called {:?}", verdict.exercise),
            )?;
        let name = shown_name(&verdict.name)?;
        let first_line = verdict.message.lines().next().unwrap_or_default();
        let cell = Cell {
            passed: verdict.passed,
            message: clean(first_line, MOST_MESSAGE_CHARS),
            attempt: verdict.attempt,
            at: verdict.at,
        };
        let mut guard = self.lock();
        let Grid { students, version, .. } = &mut *guard;
        *version += 1;
        let index = match students.iter().position(|student| student.name == name) {
            Some(index) => index,
            None => {
                if students.len() >= MOST_STUDENTS {
                    // The student quiet for the longest makes room.
                    let quietest = (0..students.len())
                        .min_by_key(|&index| students[index].version)
                        .unwrap_or(0);
                    students.remove(quietest);
                }
                students.push(Student {
                    name,
                    cells: Default::default(),
                    version: 0,
                });
                students.len() - 1
            }
        };
        students[index].cells[column] = Some(cell);
        students[index].version = *version;
        Ok(())
    }

    /// Every row as JSON, with a `<` written `\u003c` so that no text can
    /// close the page's script, and the version of the grid it is of: the
    /// class's [`Snapshot`], which the page, the state and the feed share.
    pub(crate) fn everything(&self) -> (Bytes, u64) {
        let mut guard = self.lock();
        let Grid { students, version, everything } = &mut *guard;
        everything.of(*version, || {
            let changes = Changes {
                exercises: &EXERCISES,
                names: students
                    .iter()
                    .map(|student| student.name.as_str())
                    .collect(),
                changed: students.iter().collect(),
            };
            let json =
                serde_json::to_string(&changes).unwrap_or_else(|_| "{}".into());
            Bytes::from(json.replace('<', "\\u003c"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(name: &str, exercise: &str, passed: bool) -> Verdict {
        Verdict {
            name: name.into(),
            exercise: exercise.into(),
            passed,
            message: format!("{exercise}: first line\nsecond line"),
            attempt: 1,
            at: 0,
        }
    }

    fn rows(json: &[u8]) -> serde_json::Value {
        serde_json::from_slice(json).expect("JSON")
    }

    #[test]
    fn a_newer_verdict_replaces_the_older_and_only_its_first_line_is_kept() {
        let progress = Progress::default();
        progress.file(&verdict("ana", "threads-2", false)).expect("filed");
        let (older, seen) = progress.everything();
        progress.file(&verdict("ana", "threads-2", true)).expect("filed");
        drop(older);
        let (newer, version) = progress.everything();
        assert!(version > seen);
        let cell = &rows(&newer)["changed"][0]["cells"][4];
        assert_eq!(cell["passed"], true);
        assert_eq!(cell["message"], "threads-2: first line");
        assert!(progress.file(&verdict("ana", "threads-9", true)).is_err());
        assert!(progress.file(&verdict(" \u{7}", "threads-1", true)).is_err());
    }

    #[test]
    fn the_grid_is_made_again_only_when_no_answer_holds_the_last_copy() {
        let progress = Progress::default();
        progress.file(&verdict("ana", "threads-2", false)).expect("filed");
        let (held, seen) = progress.everything();
        let (again, _) = progress.everything();
        assert_eq!(held.as_ptr(), again.as_ptr(), "one copy, shared");
        progress.file(&verdict("ben", "threads-2", false)).expect("filed");
        let (stale, version) = progress.everything();
        assert_eq!((stale.as_ptr(), version), (held.as_ptr(), seen), "still held");
        drop((held, again, stale));
        let (fresh, version) = progress.everything();
        assert!(version > seen, "made again once no one holds it");
        assert_eq!(rows(&fresh)["names"].as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn past_the_most_students_the_quietest_makes_room() {
        let progress = Progress::default();
        for student in 0..=MOST_STUDENTS {
            let name = format!("student {student}");
            progress.file(&verdict(&name, "async-1", true)).expect("filed");
        }
        let all = rows(&progress.everything().0);
        let names = all["names"].as_array().expect("names");
        assert_eq!(names.len(), MOST_STUDENTS);
        assert!(!names.contains(&"student 0".into()), "the quietest went");
        assert!(names.contains(&format!("student {MOST_STUDENTS}").into()));
    }
}
