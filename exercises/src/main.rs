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
//! cargo run -p exercises -- hint threads-2     # its first hint; `... 2` the next
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
//! - `commands`: `list`, `next`, `check`, `reset` and `ready`.
//! - `files`: where each program is, how it is built, and your progress.
//! - `answers`: the wrong and right answers kept as patches on the solutions.
//! - `prove`: that every check takes the right answers and catches the wrong.
//! - `mistakes`: the teachers' page of the class's common mistakes.
//! - `checks`: the exercises, and the check of each, lesson by lesson.
//! - `probe`: what a check learns of a run from the web's record and the CPU.
//! - `tools`: which tools an answer calls, read from its source.
//! - `hints`: `hint`, an exercise's hints from the book, in English or Chinese.
//! - `language`: what the exercises say, in English or Chinese.
//! - `class`: joining a class, and sending it each check's verdict.
//! - `watch`: checking as you save.
//! - here: the command line, and which command runs.

mod answers;
mod checks;
mod class;
mod commands;
mod files;
mod hints;
mod language;
mod mistakes;
mod probe;
mod prove;
mod tools;
mod watch;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::{
    answers::write_answers,
    commands::{check, find, list, next, ready, reset},
    hints::show,
    language::Language,
    prove::prove,
};

/// Classroom exercises for the lessons, checked on the simulated web.
#[derive(Parser)]
#[command(
    name = "exercises",
    after_help = "Your exercises are the files in exercises/yours/, one per exercise \
                  (exercises/yours/threads-2.rs is threads-2), written by the first \
                  command you run. Edit one where it says todo!(), then check it, or \
                  let `watch` check it each time you save."
)]
struct Cli {
    #[command(subcommand)]
    command: Action,
    /// The language to speak: en or zh-CN (中文); the system's by default
    #[arg(long, global = true, value_enum)]
    lang: Option<Language>,
}

#[derive(Subcommand)]
enum Action {
    /// Check the exercise you are on each time you save it, and move on when it
    /// passes; q quits
    Watch,
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
        /// lock-held for exercises/wrong/threads-3.lock-held.patch
        #[arg(long, value_name = "WHAT", conflicts_with = "solution")]
        wrong: Option<String>,
        /// Check one of the right answers in exercises/right/ instead, such as
        /// deque for exercises/right/threads-3.deque.patch
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
        /// How many of its hints to show: the book folds them one at a time
        #[arg(default_value_t = 1)]
        count: usize,
    },
    /// Put an exercise back to its starter; what you wrote is kept in a .bak file
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
    /// race, which a check catches by chance, within five checks)
    Prove {
        /// Only these exercises, such as threads-1 (for a maintainer who
        /// changed their checks); every exercise by default
        #[arg(value_name = "ID")]
        only: Vec<String>,
        /// Then write the teachers' page of the class's common mistakes, in
        /// both editions of the book, from this run's verdicts
        #[arg(long, conflicts_with = "only")]
        write_docs: bool,
    },
    /// For maintainers and CI: write every starter, and every wrong and right
    /// answer from its patch on the solution, into exercises/answers/ (to
    /// read, or lint)
    Answers,
}

fn main() -> ExitCode {
    // A mistake on the command line is one line, as in the lessons.
    let Cli { command, lang } = web::cli::parse();
    let language = language::chosen(lang);
    // `prove` holds each wrong answer's verdict to the English sentence its
    // patch names.
    let proving = matches!(command, Action::Prove { .. });
    language::speak(if proving { Language::English } else { language });
    let outcome = files::write_starters().and_then(|()| match command {
        Action::Watch => watch::watch(language),
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
        Action::Hint { id, count } => {
            find(&id).and_then(|e| show(e, language, count))
        }
        Action::Reset { id } => find(&id).and_then(reset),
        Action::Join { url, name } => class::join(&url, &name),
        Action::Leave => class::leave(),
        Action::Prove { only, write_docs } => prove(&only, write_docs),
        Action::Answers => write_answers(),
        Action::Ready => ready(),
    });
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
