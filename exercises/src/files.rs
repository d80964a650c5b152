//! Where each program of the exercises is, how it is built, and the
//! learner's progress: which exercises passed, with the file that passed.

use std::{
    env, fs,
    path::{Path, PathBuf},
};

use sha2::{Digest, Sha256};

use crate::{
    checks::{EXERCISES, Exercise},
    language::tr,
};

pub(crate) fn folder() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace's target folder, where this program was built.
pub(crate) fn target() -> PathBuf {
    let me = env::current_exe().unwrap_or_default();
    // target/debug/exercises: two folders up.
    me.ancestors()
        .nth(2)
        .map_or_else(|| folder().join("../target"), Path::to_path_buf)
}

pub(crate) fn student_file(exercise: &Exercise) -> PathBuf {
    folder().join(format!("yours/{}.rs", exercise.id))
}

pub(crate) fn solution_file(exercise: &Exercise) -> PathBuf {
    folder().join(format!("solutions/{}.rs", exercise.id))
}

/// The file a program of the exercises' package is built from: `ID` is the
/// learner's, `ID-solution` the solution; `ID-starter` (the starter as
/// `reset` makes it), `ID-wrong-what` and `ID-right-what` (the answers kept
/// to prove the checks) are written into `exercises/answers/`
/// ([`write_program`]).
pub(crate) fn source_file(exercise: &Exercise, program: &str) -> PathBuf {
    if patch_file(exercise, program).is_some() || program.ends_with("-starter") {
        folder().join(format!("answers/{program}.rs"))
    } else if program.ends_with("-solution") {
        solution_file(exercise)
    } else {
        student_file(exercise)
    }
}

/// An answer's patch on the solution: `exercises/wrong/ID.what.patch` for the
/// program `ID-wrong-what`; `None` for a program that is no answer.
pub(crate) fn patch_file(exercise: &Exercise, program: &str) -> Option<PathBuf> {
    let kept = program.strip_prefix(exercise.id)?.strip_prefix('-')?;
    let (folder_name, what) = kept.split_once('-')?;
    Some(folder().join(format!("{folder_name}/{}.{what}.patch", exercise.id)))
}

/// Writes a program kept to prove the checks into `exercises/answers/`: an
/// answer's patch applied to the solution as it is now, or the starter. A
/// patch that no longer applies, because the solution changed where the
/// answer changes it, says so with the lines its hunks expect. Nothing to do
/// for the learner's program or the solution.
pub(crate) fn write_program(
    exercise: &Exercise,
    program: &str,
) -> Result<(), String> {
    let solution = read(&solution_file(exercise))?;
    let text = match patch_file(exercise, program) {
        Some(patch_file) => applied(&read(&patch_file)?, &solution).map_err(|why| {
            format!(
                "{} {why}: the solution changed where the answer changes it; make \
                 the patch again (CONTRIBUTING.md, the exercises)",
                shown(&patch_file),
            )
        })?,
        None if program.ends_with("-starter") => starter(&solution),
        None => return Ok(()),
    };
    let file = source_file(exercise, program);
    // Written only when it changed, so that cargo builds it only then.
    if fs::read_to_string(&file).ok().as_deref() != Some(text.as_str()) {
        let write = |file: &Path| {
            fs::create_dir_all(folder().join("answers"))?;
            fs::write(file, &text)
        };
        write(&file).map_err(|err| format!("{}: {err}", shown(&file)))?;
    }
    Ok(())
}

/// Writes the starter of each exercise whose file is not there yet. Git keeps
/// no file of yours (a fresh clone has none until the first command), so
/// that a `git pull` of the course never meets what you wrote.
pub(crate) fn write_starters() -> Result<(), String> {
    (EXERCISES.iter())
        .filter(|exercise| !student_file(exercise).exists())
        .try_for_each(write_starter)
}

/// Puts an exercise's file back to its starter: the solution with a `todo!()`
/// where the learner writes ([`starter`]).
pub(crate) fn write_starter(exercise: &Exercise) -> Result<(), String> {
    let file = student_file(exercise);
    let text = starter(&read(&solution_file(exercise))?);
    fs::write(&file, text).map_err(|err| format!("{}: {err}", shown(&file)))
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|err| format!("{}: {err}", shown(path)))
}

/// `patch` applied to `solution`, or which of its hunks no longer applies.
fn applied(patch: &str, solution: &str) -> Result<String, String> {
    let patch = diffy::Patch::from_str(patch)
        .map_err(|err| format!("is no patch: {err}"))?;
    diffy::apply(solution, &patch).map_err(|err| {
        let hunks =
            patch.hunks().iter().map(|hunk| format!("@@ -{} @@", hunk.old_range()));
        format!(
            "no longer applies to the solution ({err} of {})",
            hunks.collect::<Vec<_>>().join(", ")
        )
    })
}

/// A path as the learner sees it: from the workspace's folder.
pub(crate) fn shown(path: &Path) -> String {
    let root = folder().parent().unwrap_or(folder());
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

/// The starter of an exercise: its solution with each part between
/// `// EXERCISE: what to do` and `// END EXERCISE` replaced by
/// `todo!("what to do")`.
pub(crate) fn starter(solution: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    let mut lines = solution.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some((indent, task)) = line.split_once("// EXERCISE: ") {
            out += &format!("{indent}todo!({task:?})");
            skipping = true;
        } else if line.trim() == "// END EXERCISE" {
            // A statement needs its `;` when more of the block follows.
            let last =
                lines.peek().is_none_or(|next| next.trim_start().starts_with('}'));
            out += if last { "\n" } else { ";\n" };
            skipping = false;
        } else if !skipping {
            out += line;
            out.push('\n');
        }
    }
    // What the solution uses may stay unused until the exercise is written;
    // not the whole `unused` group, which would hide "unused future, which
    // does nothing unless you .await it", the warning a learner needs most.
    let allow = "\n\n// Remove once the exercise is done.\n\
                 #![allow(unused)]\n#![warn(unused_must_use)]\n\nuse ";
    out.replacen("\n\nuse ", allow, 1)
}

/// Builds programs of the exercises' package, as this program was built.
/// The package is outside the workspace, so it gets the workspace's lock file
/// (the same versions of everything) and shares its target folder.
pub(crate) fn build(names: &[&str]) -> Result<(), String> {
    let yours = folder().join("yours");
    let lock = folder().parent().unwrap_or(folder()).join("Cargo.lock");
    let copy = yours.join("Cargo.lock");
    // Compared whole, not by date: cargo run on the package by hand (or an
    // editor's rust-analyzer) writes a newer lock of its own choosing.
    if fs::read(&copy).ok() != fs::read(&lock).ok() {
        fs::copy(&lock, &copy)
            .map_err(|err| format!("cannot copy {}: {err}", lock.display()))?;
    }
    let mut command = sites::harness::cargo();
    command.args(["build", "--quiet", "--manifest-path"]);
    command.arg(yours.join("Cargo.toml")).arg("--target-dir").arg(target());
    for name in names {
        command.args(["--bin", name]);
    }
    if !cfg!(debug_assertions) {
        command.arg("--release");
    }
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(_) => Err(tr!("does-not-compile", program = names[0])),
        Err(err) => Err(tr!("cargo-failed", error = err.to_string())),
    }
}

/// Where progress is kept: a file beside your exercises, out of `target/`, so
/// that `cargo clean` or a new toolchain keeps it. Git ignores it.
fn progress_file() -> PathBuf {
    folder().join(".progress")
}

/// The SHA-256 of an exercise's file as it is now, in hex.
fn fingerprint(exercise: &Exercise) -> Option<String> {
    let text = fs::read(student_file(exercise)).ok()?;
    Some(Sha256::digest(&text).iter().map(|byte| format!("{byte:02x}")).collect())
}

/// `id hash` lines: each exercise done, and the hash of the file that passed.
fn progress() -> Vec<(String, String)> {
    let text = fs::read_to_string(progress_file()).unwrap_or_default();
    let pairs = text.lines().filter_map(|line| line.split_once(' '));
    pairs.map(|(id, hash)| (id.to_string(), hash.to_string())).collect()
}

/// Remembers that the exercise's file, as it is now, passed its check.
pub(crate) fn mark_done(exercise: &Exercise) {
    let Some(hash) = fingerprint(exercise) else { return };
    let mut lines: Vec<(String, String)> =
        progress().into_iter().filter(|(id, _)| id != exercise.id).collect();
    lines.push((exercise.id.into(), hash));
    let text: String =
        lines.iter().map(|(id, hash)| format!("{id} {hash}\n")).collect();
    let _ = fs::write(progress_file(), text);
}

/// Whether the exercise's file, as it is now, passed its check. Editing it
/// again takes the mark away until it passes again.
pub(crate) fn is_done(exercise: &Exercise) -> bool {
    let hash = fingerprint(exercise);
    progress()
        .iter()
        .any(|(id, done)| id == exercise.id && Some(done) == hash.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::EXERCISES;
    #[test]
    fn a_starter_is_its_solution_with_todo_where_the_student_writes() {
        let solution = "//! Doc.\n\nuse a::b;\n\nfn f() {\n    // EXERCISE: add it up\n    \
                        1 + 1\n    // END EXERCISE\n}\n";
        let expected = "//! Doc.\n\n// Remove once the exercise is done.\n\
                        #![allow(unused)]\n#![warn(unused_must_use)]\n\n\
                        use a::b;\n\nfn f() {\n    todo!(\"add it up\")\n}\n";
        assert_eq!(starter(solution), expected);
    }

    /// `exercises/yours/Cargo.toml` names a program for each file it builds:
    /// the learner's, the solution, and every answer kept to prove the checks.
    /// Kept by hand, it is checked here against the files.
    #[test]
    fn every_exercise_has_a_solution_a_part_to_write_and_hints() {
        // A `todo!` line that fits is left as it is by rustfmt, so a reset
        // starter matches the committed, formatted one.
        assert!(EXERCISES.len() >= 16);
        for exercise in EXERCISES {
            let solution =
                fs::read_to_string(solution_file(exercise)).expect("a solution");
            assert!(
                solution.contains("// EXERCISE: "),
                "{} has nothing to write",
                exercise.id
            );
            let starter = starter(&solution);
            let todo =
                starter.lines().find(|line| line.contains("todo!(")).unwrap_or("");
            assert!(!todo.is_empty() && todo.len() <= 85, "{}: {todo}", exercise.id);
        }
    }

    #[test]
    fn a_file_marked_done_is_done_until_it_changes() {
        // The hash is SHA-256 of the bytes: stable across runs and toolchains.
        let hash: String =
            Sha256::digest(b"abc").iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hash,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_changed_line_of_the_solution_where_an_answer_changes_it_is_named() {
        let patch =
            fs::read_to_string(folder().join("wrong/threads-1.five-threads.patch"));
        let patch = patch.expect("the patch");
        let solution = fs::read_to_string(folder().join("solutions/threads-1.rs"));
        let solution = solution.expect("the solution");
        let answer = applied(&patch, &solution).expect("it applies");
        assert!(answer.contains("ThreadPool::new(5)"));
        // The line the answer changes, changed in the solution.
        let changed = solution
            .replace("ThreadPool::new(workers)", "ThreadPool::new(workers.max(1))");
        let why = applied(&patch, &changed).expect_err("it no longer applies");
        assert!(why.contains("hunk #2") && why.contains("@@ -32,8 @@"), "{why}");
    }
}
