//! Classroom exercises, checked on the simulated web, like rustlings.
//!
//! Each exercise is a small program in `exercises/src/bin/`: one of the lessons
//! with a `todo!()` where you write. Check it, and this program builds it, runs
//! it on the simulated web, and says what is still wrong.
//!
//! ```text
//! cargo run -p exercises -- list               # every exercise, and which are done
//! cargo run -p exercises -- check threads-2    # checks exercises/src/bin/threads-2.rs
//! cargo run -p exercises -- reset threads-2    # puts the starter back
//! ```

mod checks;

use std::{
    env, fs,
    hash::{DefaultHasher, Hash, Hasher},
    io::Write,
    path::{Path, PathBuf},
    process::{Command, ExitCode},
};

use clap::{Parser, Subcommand};

use crate::checks::{EXERCISES, Exercise, Program};

/// Classroom exercises for the lessons, checked on the simulated web.
#[derive(Parser)]
#[command(
    name = "exercises",
    after_help = "Your exercises are the files in exercises/src/bin/, one per exercise \
                  (exercises/src/bin/threads-2.rs is threads-2). Edit one where it says \
                  todo!(), then check it. Hints are in the book, on each lesson's \
                  exercises page."
)]
struct Cli {
    #[command(subcommand)]
    command: Action,
}

#[derive(Subcommand)]
enum Action {
    /// List the exercises, easiest first in each lesson, and which are done
    List,
    /// Build an exercise, run it on the simulated web, and say what is wrong
    Check {
        /// The exercise, such as threads-2
        id: String,
        /// Check the reference solution instead of your file
        #[arg(long)]
        solution: bool,
    },
    /// Put an exercise back to its starter; what you wrote in it is lost
    Reset {
        /// The exercise, such as threads-2
        id: String,
    },
}

fn main() -> ExitCode {
    let outcome = match Cli::parse().command {
        Action::List => list(),
        Action::Check { id, solution } => find(&id).and_then(|e| check(e, solution)),
        Action::Reset { id } => find(&id).and_then(reset),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn find(id: &str) -> Result<&'static Exercise, String> {
    let exercise = EXERCISES.iter().find(|exercise| exercise.id == id);
    exercise.ok_or_else(|| {
        format!("error: there is no exercise {id}; `list` shows them all")
    })
}

fn list() -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    for exercise in EXERCISES {
        let done = if is_done(exercise) { "done" } else { "" };
        // A closed pipe (`list | head`) ends the listing, without a panic.
        let line = format!("{:<14} {:<60} {done}", exercise.id, exercise.title);
        if writeln!(out, "{}", line.trim_end()).is_err() {
            break;
        }
    }
    Ok(())
}

fn check(exercise: &Exercise, solution: bool) -> Result<(), String> {
    let name = if solution {
        format!("{}-solution", exercise.id)
    } else {
        exercise.id.into()
    };
    if !solution {
        println!("Checking {}", student_file(exercise).display());
    }
    build(&name)?;
    let program = Program::new(beside_me(&name));
    match (exercise.check)(&program) {
        Ok(()) => {
            println!("{} is right: {}.", exercise.id, exercise.title);
            if !solution {
                mark_done(exercise);
            }
            Ok(())
        }
        Err(what) => Err(format!("{} is not done yet: {what}", exercise.id)),
    }
}

fn reset(exercise: &Exercise) -> Result<(), String> {
    let solution =
        fs::read_to_string(solution_file(exercise)).map_err(|e| e.to_string())?;
    let file = student_file(exercise);
    fs::write(&file, starter(&solution))
        .map_err(|e| format!("{}: {e}", file.display()))?;
    let _ = fs::remove_file(done_file(exercise));
    println!("{} is back to its starter.", file.display());
    Ok(())
}

/// The starter of an exercise: its solution with each part between
/// `// EXERCISE: what to do` and `// END EXERCISE` replaced by
/// `todo!("what to do")`.
fn starter(solution: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in solution.lines() {
        if let Some((indent, task)) = line.split_once("// EXERCISE: ") {
            out += &format!("{indent}todo!({task:?})\n");
            skipping = true;
        } else if line.trim() == "// END EXERCISE" {
            skipping = false;
        } else if !skipping {
            out += line;
            out.push('\n');
        }
    }
    // What the solution uses may stay unused until the exercise is written.
    let allow = "\n\n#![allow(unused)] // remove once the exercise is done\n\nuse ";
    out.replacen("\n\nuse ", allow, 1)
}

/// Builds one binary of this package with cargo, as this program was built.
fn build(name: &str) -> Result<(), String> {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(["build", "--quiet", "-p", "exercises", "--bin", name]);
    if !cfg!(debug_assertions) {
        command.arg("--release");
    }
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(_) => {
            Err(format!("{name} does not compile yet: cargo's messages are above."))
        }
        Err(err) => Err(format!("error: cannot run cargo: {err}")),
    }
}

fn folder() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn student_file(exercise: &Exercise) -> PathBuf {
    folder().join(format!("src/bin/{}.rs", exercise.id))
}

fn solution_file(exercise: &Exercise) -> PathBuf {
    folder().join(format!("solutions/{}.rs", exercise.id))
}

fn beside_me(program: &str) -> PathBuf {
    let me = env::current_exe().unwrap_or_default();
    me.with_file_name(format!("{program}{}", env::consts::EXE_SUFFIX))
}

/// Where a passed check is remembered: the hash of the file that passed it,
/// so that editing the file again takes the mark away.
fn done_file(exercise: &Exercise) -> PathBuf {
    beside_me(&format!("exercises-done/{}", exercise.id))
}

fn fingerprint(exercise: &Exercise) -> Option<String> {
    let text = fs::read_to_string(student_file(exercise)).ok()?;
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    Some(hasher.finish().to_string())
}

fn mark_done(exercise: &Exercise) {
    let file = done_file(exercise);
    if let (Some(folder), Some(print)) = (file.parent(), fingerprint(exercise)) {
        let _ = fs::create_dir_all(folder).and_then(|()| fs::write(&file, print));
    }
}

fn is_done(exercise: &Exercise) -> bool {
    let marked = fs::read_to_string(done_file(exercise)).ok();
    marked.is_some() && marked == fingerprint(exercise)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_starter_is_its_solution_with_todo_where_the_student_writes() {
        let solution = "//! Doc.\n\nuse a::b;\n\nfn f() {\n    // EXERCISE: add it up\n    \
                        1 + 1\n    // END EXERCISE\n}\n";
        let expected = "//! Doc.\n\n#![allow(unused)] // remove once the exercise is done\n\n\
                        use a::b;\n\nfn f() {\n    todo!(\"add it up\")\n}\n";
        assert_eq!(starter(solution), expected);
    }

    #[test]
    fn every_exercise_has_a_solution_with_a_part_to_write() {
        // A `todo!` line that fits is left as it is by rustfmt, so a reset
        // starter matches the committed, formatted one.
        assert!(EXERCISES.len() >= 15);
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
}
