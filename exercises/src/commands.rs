//! The learner's commands: `list`, `next`, `check`, `reset`, and the
//! teacher's `ready`.

use std::{fs, io::Write, path::PathBuf};

use unicode_width::UnicodeWidthStr;

use crate::{
    checks::{EXERCISES, Exercise},
    class,
    files::{
        build, is_done, mark_done, shown, solution_file, source_file, starter,
        student_file, write_program, write_starter,
    },
    language::{lang_option, tr},
    probe::{self, Dice, Program},
};

/// `println!`, but a reader that has gone (`next | head -3`) ends the
/// output quietly rather than in a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}
pub(crate) use say;

pub(crate) fn find(id: &str) -> Result<&'static Exercise, String> {
    let exercise = EXERCISES.iter().find(|exercise| exercise.id == id);
    exercise.ok_or_else(|| tr!("no-such-exercise", id = id))
}

pub(crate) fn list() -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    let mut done = 0;
    for exercise in EXERCISES {
        let mark = if is_done(exercise) {
            done += 1;
            tr!("list-done")
        } else {
            String::new()
        };
        // Padded by the width a terminal gives it: a Chinese character
        // takes two columns.
        let title = exercise.title();
        let pad = " ".repeat(56_usize.saturating_sub(title.width()));
        let line = format!("{:<14} {title}{pad} {mark}", exercise.id);
        // A closed pipe (`list | head`) ends the listing, without a panic.
        if writeln!(out, "{}", line.trim_end()).is_err() {
            return Ok(());
        }
    }
    let _ =
        writeln!(out, "\n{}", tr!("list-count", done = done, all = EXERCISES.len()));
    Ok(())
}

/// The first exercise not done yet.
pub(crate) fn first_not_done() -> Option<&'static Exercise> {
    EXERCISES.iter().find(|exercise| !is_done(exercise))
}

pub(crate) fn next() -> Result<(), String> {
    match first_not_done() {
        Some(exercise) => {
            say!("{}", task(exercise));
            Ok(())
        }
        None => {
            say!("{}", tr!("all-done"));
            Ok(())
        }
    }
}

/// An exercise's file and what to do, from the file's opening comment.
pub(crate) fn task(exercise: &Exercise) -> String {
    let file = student_file(exercise);
    let text = fs::read_to_string(&file).unwrap_or_default();
    let about: Vec<&str> = text
        .lines()
        .take_while(|line| line.starts_with("//!"))
        .map(|line| line.trim_start_matches("//!").trim_start())
        .collect();
    format!(
        "{}: {}\n\n{}\n\n{}\n",
        exercise.id,
        exercise.title(),
        tr!("edit", file = shown(&file)),
        about.join("\n")
    )
}

/// Checks one exercise: `Ok` with the verdict's line, `Err` with what is wrong.
/// Builds `program` and checks it on the web named `seed` (a new one if
/// `None`). A failure names its web, so that it can be run again.
pub(crate) fn verdict(
    exercise: &Exercise,
    program: &str,
    seed: Option<u64>,
) -> Result<String, String> {
    // Each run of the program has the reference solution's beside it.
    let reference = format!("{}-solution", exercise.id);
    write_program(exercise, program)?;
    build(&[program, &reference])?;
    judged(exercise, program, seed)
}

/// The options of `check` that name `program` again, after the exercise's id:
/// none for the learner's file, ` --wrong slug` for a wrong answer.
fn which_program(id: &str, program: &str) -> String {
    match program.strip_prefix(id).unwrap_or_default() {
        "-solution" => " --solution".to_string(),
        rest => match rest.strip_prefix('-').and_then(|kind| kind.split_once('-')) {
            Some((kind @ ("wrong" | "right"), slug)) => format!(" --{kind} {slug}"),
            _ => String::new(),
        },
    }
}

/// [`verdict`] on `program`, built already with the reference solution.
pub(crate) fn judged(
    exercise: &Exercise,
    program: &str,
    seed: Option<u64>,
) -> Result<String, String> {
    let reference = format!("{}-solution", exercise.id);
    let programs = Program {
        path: sites::harness::beside_me(program),
        reference: (program != reference)
            .then(|| sites::harness::beside_me(&reference)),
        in_turn: false,
        stop: Default::default(),
    };
    let seed = seed.unwrap_or_else(Dice::fresh_seed);
    let which = which_program(exercise.id, program);
    (exercise.check)(&programs, &mut Dice::seeded(seed)).map_err(|what| {
        let again = format!(
            "cargo run -p exercises -- check {}{which} --seed {seed}{}",
            exercise.id,
            lang_option()
        );
        let not_done = tr!("not-done", id = exercise.id, what = what);
        format!(
            "{not_done}\n{}",
            tr!("same-web", seed = seed.to_string(), command = again)
        )
    })?;
    // It does the work; where the tool is the point, is it the tool?
    let read = |file: PathBuf| {
        fs::read_to_string(&file).map_err(|err| format!("{}: {err}", file.display()))
    };
    let answer = read(source_file(exercise, program))?;
    let starter = starter(&read(solution_file(exercise))?);
    (exercise.tools.check(&answer, &starter))
        .map_err(|what| tr!("not-done", id = exercise.id, what = what))?;
    Ok(tr!("right", id = exercise.id, title = exercise.title()))
}

pub(crate) fn check(
    exercise: &Exercise,
    solution: bool,
    answer: Option<(&str, String)>,
    seed: Option<u64>,
) -> Result<(), String> {
    let yours = !solution && answer.is_none();
    let program = match answer {
        Some((kind, what)) => format!("{}-{kind}-{what}", exercise.id),
        None if solution => format!("{}-solution", exercise.id),
        None => exercise.id.into(),
    };
    // A check of your own file reaches your class, if you joined one, while
    // it runs; the class hears the verdict after you do.
    let class = if yours { class::Sending::start() } else { None };
    if yours {
        say!("{}", tr!("checking", file = shown(&student_file(exercise))));
    }
    let outcome = verdict(exercise, &program, seed);
    match &outcome {
        Ok(passed) => say!("{passed}"),
        Err(why) => eprintln!("{why}"),
    }
    if yours && outcome.is_ok() {
        mark_done(exercise);
    }
    if let Some(Err(note)) = class.map(|class| class.finish(exercise, &outcome)) {
        eprintln!("{note}");
    }
    outcome.map(|_| ()).map_err(|_| String::new())
}

pub(crate) fn reset(exercise: &Exercise) -> Result<(), String> {
    // What the learner wrote is kept beside it: the id may have been mistyped.
    let file = student_file(exercise);
    let starter =
        starter(&fs::read_to_string(solution_file(exercise)).unwrap_or_default());
    let kept = file.with_extension("rs.bak");
    let written = fs::read_to_string(&file).ok().filter(|text| *text != starter);
    if let Some(text) = &written {
        fs::write(&kept, text).map_err(|err| format!("{}: {err}", shown(&kept)))?;
    }
    write_starter(exercise)?;
    say!("{}", tr!("reset", file = shown(&file)));
    if written.is_some() {
        say!("{}", tr!("reset-kept", kept = shown(&kept)));
    }
    Ok(())
}

/// What each command of the day's plan builds (docs/src/teachers.md), as that
/// command builds it. Cargo chooses each crate's features for the packages
/// that one command names. The workspace-hack makes that the same for the
/// dependencies, but not for our own crates (`web`'s `speak`, `sites'`
/// `harness`), so a build of the whole workspace would leave each lesson to
/// build those again; `ready` builds each command's instead.
const PLAN: &[&[&str]] = &[
    &["build", "-p", "ch01-sequential"],
    &["build", "-p", "ch02-threads"],
    &["build", "-p", "ch03-processes"],
    &["build", "-p", "ch04-futures"],
    &["build", "-p", "ch05-async"],
    &["build", "-p", "exercises"],
    &["build", "--release", "-p", "web", "--bin", "serve"],
    // `compare --quick`: compare, then what it builds to measure.
    &["run", "--quiet", "--release", "-p", "compare", "--", "build"],
];

/// `ready`: each step a class needs, in turn, said as it goes; the first that
/// fails is named, with what to do.
pub(crate) fn ready() -> Result<(), String> {
    let cargo = |args: &[&str]| -> Result<(), String> {
        say!("cargo {}", args.join(" "));
        let status = sites::harness::cargo().args(args).status();
        match status {
            Ok(status) if status.success() => Ok(()),
            _ => Err(tr!("ready-cargo-failed", command = args.join(" "))),
        }
    };
    // Each command of the day's plan, built as that command builds it.
    for command in PLAN {
        cargo(command)?;
    }
    say!("{}", tr!("ready-building"));
    build(&["sequential-1"])?;
    let lesson = sites::harness::beside_me("ch01-sequential");
    let run = sites::harness::run(lesson, &["--speed", "50"], probe::LIMIT)
        .map_err(|err| tr!("ready-lesson-1-failed", error = err.to_string()))?;
    let read = run.lines().iter().filter(|line| line.starts_with("Read ")).count();
    if run.code != Some(0) || read != 12 {
        let said = tr!("ready-lesson-1-read", read = read);
        return Err(format!("{said}\n{}{}", run.stdout, run.stderr));
    }
    say!("{}", tr!("ready-lesson-1"));
    let exercise = find("sequential-1")?;
    let passed = verdict(exercise, "sequential-1-solution", None)?;
    say!("{passed}");
    say!("{}", tr!("ready"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verdict_names_the_program_it_checked_to_check_it_again() {
        let which = |program| which_program("threads-1", program);
        assert_eq!(which("threads-1"), "");
        assert_eq!(which("threads-1-solution"), " --solution");
        assert_eq!(
            which("threads-1-wrong-jobs-of-several"),
            " --wrong jobs-of-several"
        );
        assert_eq!(which("threads-1-right-channel"), " --right channel");
        assert_eq!(which("threads-1-starter"), "");
    }

    #[test]
    fn the_class_s_progress_view_has_every_exercise_in_the_book_s_order() {
        let ids: Vec<&str> = EXERCISES.iter().map(|exercise| exercise.id).collect();
        assert_eq!(ids, web::EXERCISES);
    }
}
