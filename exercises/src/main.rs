//! Classroom exercises for the lessons, checked on the simulated web, like
//! rustlings.
//!
//! Each exercise is a small program in `exercises/yours/`: one of the lessons
//! with a `todo!()` where you write. `check` builds it, runs it on a simulated
//! web of its own, and says what is still wrong; `watch` does that every time
//! you save, and moves on when it passes.
//!
//! ```text
//! cargo run -p exercises -- watch              # check as you save; q quits
//! cargo run -p exercises -- list               # every exercise, and which are done
//! cargo run -p exercises -- check threads-2    # checks exercises/yours/threads-2.rs
//! cargo run -p exercises -- hint threads-2     # the hints, as the book has them
//! cargo run -p exercises -- hint threads-2 --lang zh-CN   # 中文提示
//! cargo run -p exercises -- reset threads-2    # puts the starter back
//! cargo run -p exercises -- join URL --name ana  # your class sees your checks
//! cargo run -p exercises -- leave              # and no longer
//! ```
//!
//! Your files are a package of their own, outside the workspace, so that one
//! that does not compile yet breaks nothing else: `cargo test --workspace`,
//! the lessons and clippy go on working.
//!
//! # Layout
//! - `checks`: the exercises, and the check of each, lesson by lesson.
//! - `probe`: what a check learns of a run from the web's record and the CPU.
//! - `tools`: which tools an answer calls, read from its source.
//! - `hints`: an exercise's hints, from the book, in English or Chinese.
//! - `class`: joining a class, and sending it each check's verdict.
//! - `watch`: checking as you save.
//! - here: the commands, the progress file, and `ready` and `prove`.

mod checks;
mod class;
mod hints;
mod probe;
mod tools;
mod watch;

use std::{
    collections::HashSet,
    env, fs,
    io::Write,
    path::{Path, PathBuf},
    process::ExitCode,
};

use clap::{Parser, Subcommand};
use sha2::{Digest, Sha256};

use crate::{
    checks::{EXERCISES, Exercise},
    hints::{Language, hint},
    probe::{Dice, Program},
};

/// Classroom exercises for the lessons, checked on the simulated web.
#[derive(Parser)]
#[command(
    name = "exercises",
    after_help = "Your exercises are the files in exercises/yours/, one per exercise \
                  (exercises/yours/threads-2.rs is threads-2). Edit one where it says \
                  todo!(), then check it, or let `watch` check it each time you save."
)]
struct Cli {
    #[command(subcommand)]
    command: Action,
}

#[derive(Subcommand)]
enum Action {
    /// Check the exercise you are on each time you save it, and move on when it
    /// passes; q quits
    Watch {
        /// The hints' language: en or zh-CN (中文); the system's by default
        #[arg(long, value_enum)]
        lang: Option<Language>,
    },
    /// List the exercises, easiest first in each lesson, and which are done
    List,
    /// The first exercise not done yet: its file and what to do
    Next,
    /// Build an exercise, run it on the simulated web, and say what is wrong
    Check {
        /// The exercise, such as threads-2
        id: String,
        /// Check the reference solution instead of your file
        #[arg(long)]
        solution: bool,
        /// Check one of the wrong answers in exercises/wrong/ instead, such as
        /// lock-held for exercises/wrong/threads-3.lock-held.rs
        #[arg(long, value_name = "WHAT", conflicts_with = "solution")]
        wrong: Option<String>,
        /// Check one of the right answers in exercises/right/ instead, such as
        /// deque for exercises/right/threads-3.deque.rs
        #[arg(long, value_name = "WHAT", conflicts_with_all = ["solution", "wrong"])]
        right: Option<String>,
        /// Check it on the web of this number, which a failed check names,
        /// rather than on a new one
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Join a class's serve: each check of your own file then sends it the
    /// verdict (pass or fail, the message's first line), never your code
    Join {
        /// The class's address, such as http://192.168.1.20:8000
        url: String,
        /// Your name, as the class's pages show it
        #[arg(long)]
        name: String,
    },
    /// Leave the class: checks send it nothing more
    Leave,
    /// The exercise's hints, as the book has them
    Hint {
        /// The exercise, such as threads-2
        id: String,
        /// The hints' language: en or zh-CN (中文); the system's by default
        #[arg(long, value_enum)]
        lang: Option<Language>,
    },
    /// Put an exercise back to its starter; what you wrote in it is lost
    Reset {
        /// The exercise, such as threads-2
        id: String,
    },
    /// Before a class: builds what the class runs (the lessons, `serve`,
    /// `compare`, the exercises), then runs lesson 1 and checks an exercise's
    /// solution, and says whether this machine is ready
    Ready,
    /// For teachers and CI: every solution passes its check, every starter
    /// fails, and every wrong answer in exercises/wrong/ fails as it says (a
    /// race, which a check catches by chance, within three checks)
    Prove,
}

fn main() -> ExitCode {
    let outcome = match Cli::parse().command {
        Action::Watch { lang } => {
            watch::watch(lang.unwrap_or_else(Language::of_the_system))
        }
        Action::List => list(),
        Action::Next => next(),
        Action::Check { id, solution, wrong, right, seed } => {
            let answer = match (wrong, right) {
                (Some(what), _) => Some(("wrong", what)),
                (_, Some(what)) => Some(("right", what)),
                _ => None,
            };
            find(&id).and_then(|e| check(e, solution, answer, seed))
        }
        Action::Hint { id, lang } => {
            let language = lang.unwrap_or_else(Language::of_the_system);
            find(&id).and_then(|e| hint(e, language).map(|text| print!("{text}")))
        }
        Action::Reset { id } => find(&id).and_then(reset),
        Action::Join { url, name } => class::join(&url, &name),
        Action::Leave => class::leave(),
        Action::Prove => prove(),
        Action::Ready => ready(),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // A failed check has said why already, before its class heard it.
            if !message.is_empty() {
                eprintln!("{message}");
            }
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
    let mut done = 0;
    for exercise in EXERCISES {
        let mark = if is_done(exercise) {
            done += 1;
            "done"
        } else {
            ""
        };
        let line = format!("{:<14} {:<56} {mark}", exercise.id, exercise.title);
        // A closed pipe (`list | head`) ends the listing, without a panic.
        if writeln!(out, "{}", line.trim_end()).is_err() {
            return Ok(());
        }
    }
    let _ = writeln!(out, "\n{done}/{} done", EXERCISES.len());
    Ok(())
}

/// The first exercise not done yet.
fn first_not_done() -> Option<&'static Exercise> {
    EXERCISES.iter().find(|exercise| !is_done(exercise))
}

fn next() -> Result<(), String> {
    match first_not_done() {
        Some(exercise) => {
            println!("{}", task(exercise));
            Ok(())
        }
        None => {
            println!("Every exercise is done.");
            Ok(())
        }
    }
}

/// An exercise's file and what to do, from the file's opening comment.
fn task(exercise: &Exercise) -> String {
    let file = student_file(exercise);
    let text = fs::read_to_string(&file).unwrap_or_default();
    let about: Vec<&str> = text
        .lines()
        .take_while(|line| line.starts_with("//!"))
        .map(|line| line.trim_start_matches("//!").trim_start())
        .collect();
    format!(
        "{}: {}\n\nEdit {}\n\n{}\n",
        exercise.id,
        exercise.title,
        shown(&file),
        about.join("\n")
    )
}

/// A path as the learner sees it: from the workspace's folder.
fn shown(path: &Path) -> String {
    let root = folder().parent().unwrap_or(folder());
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

/// Checks one exercise: `Ok` with the verdict's line, `Err` with what is wrong.
/// Builds `program` and checks it on the web named `seed` (a new one if
/// `None`). A failure names its web, so that it can be run again.
fn verdict(
    exercise: &Exercise,
    program: &str,
    seed: Option<u64>,
) -> Result<String, String> {
    // Each run of the program has the reference solution's beside it.
    let reference = format!("{}-solution", exercise.id);
    build(&[program, &reference])?;
    let programs = Program {
        path: sites::harness::beside_me(program),
        reference: (program != reference)
            .then(|| sites::harness::beside_me(&reference)),
        in_turn: false,
    };
    let seed = seed.unwrap_or_else(Dice::fresh_seed);
    (exercise.check)(&programs, &mut Dice::seeded(seed)).map_err(|what| {
        format!(
            "{} is not done yet: {what}\n(On web {seed}: `cargo run -p exercises -- \
             check {} --seed {seed}` checks it on the same web again.)",
            exercise.id, exercise.id
        )
    })?;
    // It does the work; where the tool is the point, is it the tool?
    let read = |file: PathBuf| {
        fs::read_to_string(&file).map_err(|err| format!("{}: {err}", file.display()))
    };
    let answer = read(source_file(exercise, program))?;
    let starter = starter(&read(solution_file(exercise))?);
    (exercise.tools.check(&answer, &starter))
        .map_err(|what| format!("{} is not done yet: {what}", exercise.id))?;
    Ok(format!("{} is right: {}.", exercise.id, exercise.title))
}

fn check(
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
        println!("Checking {}", shown(&student_file(exercise)));
    }
    let outcome = verdict(exercise, &program, seed);
    match &outcome {
        Ok(passed) => println!("{passed}"),
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

fn reset(exercise: &Exercise) -> Result<(), String> {
    let solution =
        fs::read_to_string(solution_file(exercise)).map_err(|e| e.to_string())?;
    let file = student_file(exercise);
    fs::write(&file, starter(&solution))
        .map_err(|e| format!("{}: {e}", file.display()))?;
    println!("{} is back to its starter.", shown(&file));
    Ok(())
}

/// The starter of an exercise: its solution with each part between
/// `// EXERCISE: what to do` and `// END EXERCISE` replaced by
/// `todo!("what to do")`.
fn starter(solution: &str) -> String {
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
    // What the solution uses may stay unused until the exercise is written.
    let allow = "\n\n#![allow(unused)] // remove once the exercise is done\n\nuse ";
    out.replacen("\n\nuse ", allow, 1)
}

/// An answer kept to prove the checks: a wrong one, whose check must fail
/// and say what it must, or a right one, written otherwise than the
/// solution, whose check must pass.
struct Answer {
    exercise: &'static Exercise,
    program: String,
    /// What the check must say; `None` for a right answer.
    expected: Option<String>,
    /// How many checks a wrong answer is given to be caught: three for a race,
    /// which a check catches by chance (its file says so), else one.
    tries: usize,
}

/// Every answer in `exercises/FOLDER/` (`wrong` or `right`), named
/// `ID.what.rs`. A wrong one's opening comment says `The check must say: ...`,
/// with the facts of its run where it has some (see [`says`]).
fn answers(folder_name: &str) -> Result<Vec<Answer>, String> {
    let mut answers = Vec::new();
    let entries =
        fs::read_dir(folder().join(folder_name)).map_err(|err| err.to_string())?;
    let mut files: Vec<PathBuf> =
        entries.filter_map(|entry| Some(entry.ok()?.path())).collect();
    files.sort();
    for file in files {
        let name =
            file.file_stem().and_then(|name| name.to_str()).unwrap_or_default();
        let (id, slug) =
            name.split_once('.').ok_or(format!("{name}: not ID.what"))?;
        let text = fs::read_to_string(&file).map_err(|err| err.to_string())?;
        let expected = text
            .lines()
            .find_map(|line| line.strip_prefix("//! The check must say: "))
            .map(String::from);
        if folder_name == "wrong" && expected.is_none() {
            return Err(format!("{name} does not say what its check must say"));
        }
        let by_chance = text.contains("\n//! The check catches it by chance");
        answers.push(Answer {
            exercise: find(id)?,
            program: format!("{id}-{folder_name}-{slug}"),
            expected,
            tries: if by_chance { 3 } else { 1 },
        });
    }
    Ok(answers)
}

fn prove() -> Result<(), String> {
    let wrong = answers("wrong")?;
    let right = answers("right")?;
    let mut failures = Vec::new();
    for exercise in EXERCISES {
        let solution = fs::read_to_string(solution_file(exercise))
            .map_err(|e| e.to_string())?;
        let committed =
            fs::read_to_string(student_file(exercise)).unwrap_or_default();
        if committed != starter(&solution) {
            failures.push(format!(
                "{}: the starter is not what `reset` makes",
                exercise.id
            ));
        }
        match verdict(exercise, &format!("{}-solution", exercise.id), None) {
            Ok(_) => println!("{:<14} the solution passes", exercise.id),
            Err(why) => {
                failures.push(format!("{}: the solution fails: {why}", exercise.id))
            }
        }
        match verdict(exercise, exercise.id, None) {
            Ok(_) => failures
                .push(format!("{}: the untouched starter passes", exercise.id)),
            Err(_) => println!("{:<14} the starter fails", exercise.id),
        }
        for answer in right.iter().filter(|answer| answer.exercise.id == exercise.id)
        {
            match verdict(exercise, &answer.program, None) {
                Ok(_) => println!("{:<14} {} passes", exercise.id, answer.program),
                Err(why) => {
                    failures.push(format!("{} fails: {why}", answer.program))
                }
            }
        }
        for answer in wrong.iter().filter(|answer| answer.exercise.id == exercise.id)
        {
            let expected = answer.expected.as_deref().unwrap_or_default();
            let mut outcome = verdict(exercise, &answer.program, None);
            for _ in 1..answer.tries {
                if outcome.is_err() {
                    break;
                }
                outcome = verdict(exercise, &answer.program, None);
            }
            match outcome {
                Ok(_) => {
                    failures.push(format!("{}: passes its check", answer.program))
                }
                Err(why) if says(&why, expected) => {
                    println!("{:<14} {} fails: {why}", exercise.id, answer.program);
                }
                Err(why) => failures.push(format!(
                    "{} fails, but does not say `{expected}`: {why}",
                    answer.program
                )),
            }
        }
        for (kind, kept) in [("wrong", &wrong), ("right", &right)] {
            let count = kept
                .iter()
                .filter(|answer| answer.exercise.id == exercise.id)
                .count();
            if count < 2 {
                failures.push(format!(
                    "{} has {count} {kind} answers; it should have two or more",
                    exercise.id
                ));
            }
        }
    }
    if failures.is_empty() {
        println!(
            "{} exercises: solutions and {} right answers pass, starters and {} wrong \
             answers fail",
            EXERCISES.len(),
            right.len(),
            wrong.len()
        );
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// `ready`: each step a class needs, in turn, said as it goes; the first that
/// fails is named, with what to do.
fn ready() -> Result<(), String> {
    let cargo = |args: &[&str]| -> Result<(), String> {
        println!("cargo {}", args.join(" "));
        let status = sites::harness::cargo().args(args).status();
        match status {
            Ok(status) if status.success() => Ok(()),
            _ => Err(format!(
                "`cargo {}` failed: see its messages above. Without the internet, run \
                 `cargo fetch` once while online.",
                args.join(" ")
            )),
        }
    };
    // What students run with `cargo run -p` (built as this program was), and
    // the release builds the class uses: `compare --quick` and `serve`.
    let mut lessons = vec!["build", "--workspace", "--bins"];
    if !cfg!(debug_assertions) {
        lessons.push("--release");
    }
    cargo(&lessons)?;
    cargo(&["build", "--release", "-p", "compare", "-p", "web"])?;
    println!("building the exercises' programs");
    build(&["sequential-1"])?;
    let lesson = sites::harness::beside_me("ch01-sequential");
    let run = sites::harness::run(lesson, &["--speed", "50"], probe::LIMIT)
        .map_err(|err| format!("lesson 1 did not run: {err}"))?;
    let read = run.lines().iter().filter(|line| line.starts_with("Read ")).count();
    if run.code != Some(0) || read != 12 {
        return Err(format!(
            "lesson 1 read {read} of its 12 pages:\n{}{}",
            run.stdout, run.stderr
        ));
    }
    println!("lesson 1 downloaded its 12 pages");
    let exercise = find("sequential-1")?;
    let passed = verdict(exercise, "sequential-1-solution", None)?;
    println!("{passed}");
    println!("This machine is ready for the class.");
    Ok(())
}

/// Builds programs of the exercises' package, as this program was built.
/// The package is outside the workspace, so it gets the workspace's lock file
/// (the same versions of everything) and shares its target folder.
fn build(names: &[&str]) -> Result<(), String> {
    let yours = folder().join("yours");
    let lock = folder().parent().unwrap_or(folder()).join("Cargo.lock");
    let copy = yours.join("Cargo.lock");
    let modified =
        |path: &Path| fs::metadata(path).and_then(|meta| meta.modified()).ok();
    if modified(&copy).is_none() || modified(&copy) < modified(&lock) {
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
        Ok(_) => Err(format!(
            "{} does not compile yet: cargo's messages are above.",
            names[0]
        )),
        Err(err) => Err(format!("error: cannot run cargo: {err}")),
    }
}

fn folder() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace's target folder, where this program was built.
fn target() -> PathBuf {
    let me = env::current_exe().unwrap_or_default();
    // target/debug/exercises: two folders up.
    me.ancestors()
        .nth(2)
        .map_or_else(|| folder().join("../target"), Path::to_path_buf)
}

fn student_file(exercise: &Exercise) -> PathBuf {
    folder().join(format!("yours/{}.rs", exercise.id))
}

fn solution_file(exercise: &Exercise) -> PathBuf {
    folder().join(format!("solutions/{}.rs", exercise.id))
}

/// The file a program of the exercises' package is built from: `ID` is the
/// learner's, `ID-solution` the solution, `ID-wrong-what` and `ID-right-what`
/// the answers kept to prove the checks.
fn source_file(exercise: &Exercise, program: &str) -> PathBuf {
    let kept = program.strip_prefix(exercise.id).unwrap_or_default();
    match kept.trim_start_matches('-').split_once('-') {
        Some((folder_name, what)) => {
            folder().join(format!("{folder_name}/{}.{what}.rs", exercise.id))
        }
        None if kept == "-solution" => solution_file(exercise),
        None => student_file(exercise),
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
fn mark_done(exercise: &Exercise) {
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
fn is_done(exercise: &Exercise) -> bool {
    let hash = fingerprint(exercise);
    progress()
        .iter()
        .any(|(id, done)| id == exercise.id && Some(done) == hash.as_ref())
}

/// Whether a check's `message` says `expected`: its words as they stand,
/// where `{}` stands for any text and `{name}` for a number, the same each
/// time the name comes back. So a wrong answer's file states the facts of
/// its run (`{n} downloads should run at once, but at most 5 did`), and a
/// message that tells them wrong fails `prove`.
fn says(message: &str, expected: &str) -> bool {
    let (mut pattern, mut named, mut rest) =
        (String::new(), HashSet::new(), expected);
    while let Some((before, after)) = rest.split_once('{') {
        let Some((name, after)) = after.split_once('}') else { break };
        pattern += &fancy_regex::escape(before);
        pattern += &match name {
            "" => ".*?".to_string(),
            _ if named.insert(name) => format!("(?P<{name}>[0-9]+(?:[.][0-9]+)?)"),
            _ => format!("\\k<{name}>"),
        };
        rest = after;
    }
    pattern += &fancy_regex::escape(rest);
    let pattern = fancy_regex::Regex::new(&pattern);
    pattern.is_ok_and(|pattern| pattern.is_match(message).unwrap_or(false))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn a_wrong_answers_sentence_holds_the_facts_of_its_run() {
        let message =
            "with --workers 6, 6 downloads should run at once, but at most 5 did";
        assert!(says(message, "at most 5 did"));
        assert!(says(
            message,
            "{n} downloads should run at once, but at most 5 did"
        ));
        assert!(says(message, "--workers {n}, {n} downloads{}at most 5"));
        assert!(!says(message, "at most 4 did"));
        assert!(!says(message, "--workers {n}, {n} downloads{}at most {n} did"));
        assert!(!says(
            "with --workers 6, 5 downloads",
            "--workers {n}, {n} downloads"
        ));
    }

    #[test]
    fn a_starter_is_its_solution_with_todo_where_the_student_writes() {
        let solution = "//! Doc.\n\nuse a::b;\n\nfn f() {\n    // EXERCISE: add it up\n    \
                        1 + 1\n    // END EXERCISE\n}\n";
        let expected = "//! Doc.\n\n#![allow(unused)] // remove once the exercise is done\n\n\
                        use a::b;\n\nfn f() {\n    todo!(\"add it up\")\n}\n";
        assert_eq!(starter(solution), expected);
    }

    /// `exercises/yours/Cargo.toml` names a program for each file it builds:
    /// the learner's, the solution, and every answer kept to prove the checks.
    /// Kept by hand, it is checked here against the files.
    #[test]
    fn the_manifest_builds_every_answer_and_nothing_else() {
        let yours = folder().join("yours");
        let manifest = fs::read_to_string(yours.join("Cargo.toml")).expect("it");
        let value = |bin: &str, key: &str| {
            let line = bin.lines().find_map(|line| line.strip_prefix(key))?;
            Some(line.trim_start_matches([' ', '=']).trim_matches('"').to_string())
        };
        let listed: BTreeSet<(String, String)> = (manifest.split("[[bin]]").skip(1))
            .filter_map(|bin| Some((value(bin, "name")?, value(bin, "path")?)))
            .collect();
        let mut programs: Vec<(&Exercise, String)> = Vec::new();
        for exercise in EXERCISES {
            programs.push((exercise, exercise.id.to_string()));
            programs.push((exercise, format!("{}-solution", exercise.id)));
        }
        for kind in ["wrong", "right"] {
            let kept = answers(kind).expect("the answers");
            programs.extend(kept.into_iter().map(|a| (a.exercise, a.program)));
        }
        let files = programs.into_iter().map(|(exercise, program)| {
            let file = source_file(exercise, &program);
            let path = match file.strip_prefix(&yours) {
                Ok(mine) => mine.display().to_string(),
                Err(_) => format!(
                    "../{}",
                    file.strip_prefix(folder()).unwrap_or(&file).display()
                ),
            };
            (program, path.replace('\\', "/"))
        });
        let expected: BTreeSet<(String, String)> = files.collect();
        let entry = |(name, path): &(String, String)| {
            format!("[[bin]]\nname = \"{name}\"\npath = \"{path}\"\n")
        };
        let missing: Vec<String> = expected.difference(&listed).map(entry).collect();
        let extra: Vec<String> = listed.difference(&expected).map(entry).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "exercises/yours/Cargo.toml should add:\n{}\nand drop:\n{}",
            missing.join("\n"),
            extra.join("\n")
        );
    }

    #[test]
    fn the_class_s_progress_view_has_every_exercise_in_the_book_s_order() {
        let ids: Vec<&str> = EXERCISES.iter().map(|exercise| exercise.id).collect();
        assert_eq!(ids, web::EXERCISES);
    }

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
}
