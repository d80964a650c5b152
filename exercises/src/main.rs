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
    language::{Language, message},
    prove::prove,
};

/// The command line. What `--help` says of each command and option is a
/// message of the Fluent files (`help-check`, `help-arg-seed`): see [`cli`].
#[derive(Parser)]
#[command(name = "exercises")]
struct Cli {
    #[command(subcommand)]
    command: Action,
    #[arg(long, global = true, value_enum, hide_possible_values = true)]
    lang: Option<Language>,
}

#[derive(Subcommand)]
enum Action {
    Watch,
    List,
    Next,
    Check {
        id: String,
        #[arg(long)]
        solution: bool,
        #[arg(long, value_name = "WHAT", conflicts_with = "solution")]
        wrong: Option<String>,
        #[arg(long, value_name = "WHAT", conflicts_with_all = ["solution", "wrong"])]
        right: Option<String>,
        #[arg(long)]
        seed: Option<u64>,
    },
    Join {
        url: String,
        #[arg(long)]
        name: String,
    },
    Leave,
    Hint {
        id: String,
        #[arg(default_value_t = 1)]
        count: usize,
    },
    Reset {
        id: String,
    },
    Ready,
    Prove {
        #[arg(value_name = "ID")]
        only: Vec<String>,
        #[arg(long, conflicts_with = "only")]
        write_docs: bool,
    },
    Answers,
}

/// [`Cli`]'s command, its help in the language spoken: a command's text is
/// the message `help-` and its name, an option's `help-arg-` and its name,
/// whichever command takes it, and clap's own words `help-usage` and the
/// like (see [`web::cli::with_help`]). Clap's `help` command, which would
/// speak only its English, is left out.
fn cli() -> clap::Command {
    let said = |id: &str| {
        let id = format!("help-{id}");
        language::SPOKEN.has(&id).then(|| message(&id))
    };
    let command = web::cli::command::<Cli>()
        .about(message("help-about"))
        .after_help(message("help-after"))
        .disable_help_subcommand(true);
    web::cli::with_help(command, said).mut_subcommands(move |command| {
        let about = message(&format!("help-{}", command.get_name()));
        web::cli::with_help(command.about(about), said)
    })
}

fn main() -> ExitCode {
    // The language asked for is spoken before the command line is read, so
    // that --help is said in it. A mistake is one line, as in the lessons.
    language::speak(
        language::asked(std::env::args_os()).unwrap_or_else(Language::of_the_system),
    );
    let Cli { command, lang } = web::cli::parse_with(cli());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_said_in_the_messages_is_whole() {
        cli().debug_assert();
    }
}
