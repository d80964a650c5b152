//! The command line every lesson shares: [`Args`], which a lesson flattens into
//! its own, and [`parse`], which reads it.
//!
//! ```no_run
//! use clap::Parser;
//!
//! /// Lesson 9: download the sites some new way.
//! #[derive(Parser)]
//! struct Args {
//!     /// How many downloads run at once
//!     #[arg(long, default_value_t = 5, value_parser = sites::cli::workers)]
//!     workers: usize,
//!
//!     #[command(flatten)]
//!     common: sites::Args,
//! }
//!
//! let args: Args = sites::cli::parse();
//! ```
//!
//! Every number is checked against a range as it is parsed, so a value the
//! parser accepts can never overflow later.

use std::{fs, path::PathBuf, sync::OnceLock, time::Duration};

use clap::{Arg, ArgAction, ArgMatches};
use web::{
    MAX_SYNTHETIC,
    cli::{WebArgs, exit_usage, within},
    language::Language,
};

use crate::BUDGET;

/// The options every lesson takes. `--workers` and `--variant` are each
/// lesson's own, declared in its `main.rs` beside its default.
#[derive(Debug, Clone, clap::Args)]
#[group(id = "sites::Args")]
pub struct Args {
    /// Download the notes' twelve real sites over the internet
    #[arg(long, conflicts_with_all = ["urls", "sites", "speed", "latency"])]
    pub online: bool,

    /// Download the URLs listed in FILE, one a line (blank lines and # comments
    /// are skipped), or in the list at URL, such as a class's
    /// http://HOST:8000/urls.txt
    #[arg(long, value_name = "FILE|URL",
          conflicts_with_all = ["sites", "speed", "latency"])]
    pub urls: Option<String>,

    /// Your name on the class page, when the URLs come from a class's `serve`;
    /// sent to no other server
    #[arg(long, value_name = "NAME", default_value_t = user_name(),
          value_parser = web::given_name)]
    pub name: String,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub web: WebArgs,

    /// Give up on a site after SECS seconds, body included (0.001 to 3600)
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = timeout)]
    pub timeout: Duration,

    /// Refuse a page larger than N bytes (at most 268435456, the memory budget
    /// for the pages held at once)
    #[arg(long, value_name = "N", default_value_t = crate::body::MAX_BYTES,
          value_parser = max_bytes)]
    pub max_bytes: usize,

    /// After the run, draw when each site started and finished, worker by worker
    #[arg(long)]
    pub timeline: bool,

    /// Write a JSON report of the run to FILE: each site's times, worker and size
    #[arg(long, value_name = "FILE", value_parser = json_file)]
    pub json: Option<PathBuf>,
}

/// `--json`: a file this run can write, found out before the run rather than
/// after it. It is opened without being emptied.
fn json_file(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    let language = Language::of_the_system();
    if path.is_dir() {
        return Err(language
            .either("a folder, not a file", "这是文件夹，不是文件")
            .into());
    }
    let opened = fs::OpenOptions::new().append(true).create(true).open(&path);
    opened.map(|_| path).map_err(|err| {
        let err = crate::error::plain(&err);
        language
            .either(format!("cannot write it: {err}"), format!("无法写入：{err}"))
    })
}

/// Parses the command line into a lesson's `Args`, as clap's `Parser::parse`
/// does, but a mistake is one line on stderr (and exit status 2), not a page.
///
/// It ends the process itself after `--help` (status 0) or a mistake (status
/// 2), through [`web::cli::exit_usage`], as `serve` does.
///
/// It also answers `--describe`, a hidden option with which `compare` learns a
/// lesson's variants and what the notes measured: see [`Description`].
pub fn parse<T: clap::Parser>() -> T {
    try_parse(std::env::args_os()).unwrap_or_else(|err| exit_usage(&err))
}

/// [`parse`] from a list of arguments, the program's name first, with the
/// mistake returned.
pub fn try_parse<T: clap::Parser>(
    args: impl IntoIterator<Item = impl Into<std::ffi::OsString> + Clone>,
) -> Result<T, clap::Error> {
    let describe = Arg::new("describe").long("describe").hide(true);
    let command = web::cli::command::<T>().arg(describe.action(ArgAction::SetTrue));
    // --help in the system's language; --describe in the doc comments' English.
    let said = match Language::of_the_system() {
        Language::Chinese => crate::help::in_chinese(command.clone()),
        Language::English => command.clone(),
    };
    let matches: ArgMatches = said.try_get_matches_from(args)?;
    let variant =
        matches.try_get_raw("variant").ok().flatten().and_then(|mut raw| raw.next());
    let variant =
        variant.map(|raw| raw.to_string_lossy().into_owned()).unwrap_or_default();
    let description = Description::of(&command);
    let help = match description.variants.iter().find(|(name, _)| *name == variant) {
        Some((_, help)) => help,
        None => &description.about,
    };
    let notes_ms = Description::notes_seconds(help).map(|seconds| seconds * 1e3);
    let _ = LESSON.set((command.get_name().to_string(), variant, notes_ms));
    if matches.get_flag("describe") {
        println!("{}", description.to_json());
        exit(0);
    }
    T::from_arg_matches(&matches)
}

/// The lesson and variant, as the command line said them, and what the notes
/// measured for them, in ms.
static LESSON: OnceLock<(String, String, Option<f64>)> = OnceLock::new();

/// The lesson's name and the variant it runs (`""` for none), once the
/// command line is parsed: for the class page.
pub fn lesson() -> (String, String) {
    LESSON
        .get()
        .map(|(lesson, variant, _)| (lesson.clone(), variant.clone()))
        .unwrap_or_default()
}

/// What the notes measured for this lesson and variant, in ms, if they did:
/// for the class's results.
pub fn notes_ms() -> Option<f64> {
    LESSON.get().and_then(|(_, _, notes_ms)| *notes_ms)
}

/// Ends the process with `code`: the only call of `std::process::exit` in
/// `sites`, for `--describe`, for a worker process when its parent is done,
/// and for output that can no longer be written.
pub(crate) fn exit(code: i32) -> ! {
    std::process::exit(code)
}

/// What `--describe` prints: a lesson's blurb and its variants, each with the
/// help its doc comment gives. A variant the notes measured says so at the end
/// of its help, as `(the notes: 1.04 s)`; so does a lesson without variants,
/// in its blurb.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Description {
    /// The lesson's package, which is also its binary.
    pub name: String,
    /// The lesson's blurb.
    pub about: String,
    /// Its variants: name and help, the default first.
    pub variants: Vec<(String, String)>,
}

impl Description {
    fn of(command: &clap::Command) -> Self {
        let variant = command.get_arguments().find(|arg| arg.get_id() == "variant");
        let values =
            variant.map(|arg| arg.get_possible_values()).unwrap_or_default();
        let default = variant
            .and_then(|arg| arg.get_default_values().first())
            .and_then(|value| value.to_str());
        let mut variants: Vec<(String, String)> = values
            .iter()
            .map(|value| {
                let help =
                    value.get_help().map(ToString::to_string).unwrap_or_default();
                (value.get_name().to_string(), help)
            })
            .collect();
        variants.sort_by_key(|(name, _)| Some(name.as_str()) != default);
        Description {
            name: command.get_name().to_string(),
            about: command.get_about().map(ToString::to_string).unwrap_or_default(),
            variants,
        }
    }

    fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// What the notes measured, in seconds, as a help text or blurb says it:
    /// `(the notes: 1.04 s)`.
    pub fn notes_seconds(text: &str) -> Option<f64> {
        let (_, rest) = text.split_once("(the notes: ")?;
        rest.split_once(" s)")?.0.parse().ok()
    }
}

/// `--workers`: from 1 to 100,000. A lesson may ask for more than it has
/// sites; it then starts one per site.
pub fn workers(text: &str) -> Result<usize, String> {
    within(text, 1..=MAX_SYNTHETIC, "")
}

fn timeout(text: &str) -> Result<Duration, String> {
    within(text, 0.001..=3600.0, " s").map(Duration::from_secs_f64)
}

fn max_bytes(text: &str) -> Result<usize, String> {
    within(text, 1..=BUDGET, " bytes")
}

/// Who runs the lesson, for the class page: the user's name.
fn user_name() -> String {
    let name = std::env::var("USER").or_else(|_| std::env::var("USERNAME"));
    name.unwrap_or_else(|_| "student".into())
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use web::cli::one_line;

    use super::*;

    /// A lesson with a pool and variants, as lessons declare them.
    #[derive(Parser, Debug)]
    #[command(name = "pool", about = "A lesson with a pool (the notes: 2.80 s)")]
    struct Pool {
        #[arg(long, default_value_t = 5, value_parser = workers)]
        workers: usize,
        #[arg(long, value_enum, default_value_t = Variant::Pool)]
        variant: Variant,
        #[command(flatten)]
        common: Args,
    }

    #[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq)]
    enum Variant {
        /// A thread a site
        Scoped,
        /// A pool (the notes: 1.04 s)
        Pool,
    }

    fn parse(args: &[&str]) -> Result<Pool, clap::Error> {
        try_parse(std::iter::once("pool").chain(args.iter().copied()))
    }

    #[test]
    fn the_command_line_is_well_formed() {
        Pool::command().debug_assert();
    }

    #[test]
    fn workers_and_variant_have_the_lessons_defaults() {
        let parsed = parse(&[]).expect("no arguments are fine");
        assert_eq!((parsed.workers, parsed.variant), (5, Variant::Pool));
        let parsed =
            parse(&["--workers", "3", "--variant", "scoped"]).expect("valid");
        assert_eq!((parsed.workers, parsed.variant), (3, Variant::Scoped));
    }

    #[test]
    fn an_unknown_variant_is_a_mistake_that_names_the_valid_ones() {
        let err = parse(&["--variant", "nonsense"]).expect_err("no such variant");
        let line = one_line(&err);
        assert!(line.contains("'nonsense'"), "{line}");
        let valid = Language::of_the_system().either(
            "; it may be scoped, pool (see --help)",
            "；可以是 scoped, pool（见 --help）",
        );
        assert!(line.ends_with(valid), "{line}");
    }

    #[test]
    fn the_description_lists_the_variants_default_first_with_the_notes_time() {
        let command = Pool::command();
        let description = Description::of(&command);
        let names: Vec<&str> =
            description.variants.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["pool", "scoped"]);
        let help = &description.variants[0].1;
        assert_eq!(Description::notes_seconds(help), Some(1.04));
        assert_eq!(Description::notes_seconds(&description.about), Some(2.8));
        assert_eq!(Description::notes_seconds(&description.variants[1].1), None);
    }

    #[test]
    fn every_number_is_checked_against_its_range() {
        let extremes = [
            ["--timeout", "0"],
            ["--timeout", "-1"],
            ["--timeout", "1e19"],
            ["--timeout", "NaN"],
            ["--speed", "0"],
            ["--speed", "1e-20"],
            ["--speed", "inf"],
            ["--speed", "x"],
            ["--latency", "1e23"],
            ["--latency", "-5"],
            ["--sites", "0"],
            ["--sites", "10000000"],
            ["--max-bytes", "0"],
            ["--max-bytes", "100000000000"],
            ["--workers", "0"],
            ["--workers", "1000000"],
            ["--workers", "-3"],
        ];
        for [option, value] in extremes {
            let mut args = vec![option, value];
            if option == "--latency" {
                args.extend(["--sites", "3"]);
            }
            let err = parse(&args).expect_err(&format!("{option} {value}"));
            let line = one_line(&err);
            assert!(line.contains(option) || line.contains(value), "{line}");
            // A number, however wrong, is answered with the range it missed.
            let named = match value {
                "x" => {
                    Language::of_the_system().either("is not a number", "不是数字")
                }
                _ => Language::of_the_system().either("must be from", "必须在"),
            };
            assert!(line.contains(named), "{line}");
        }
        let parsed = parse(&["--timeout", "0.25", "--max-bytes", "268435456"]);
        let parsed = parsed.expect("valid");
        assert_eq!(parsed.common.timeout, Duration::from_millis(250));
    }

    #[test]
    fn a_json_file_that_cannot_be_written_is_refused_before_the_run() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let inside = folder.path().join("missing/report.json");
        for path in [folder.path(), inside.as_path()] {
            let path = path.to_str().expect("UTF-8");
            let err = parse(&["--json", path]).expect_err(path);
            assert!(one_line(&err).contains("--json"), "{}", one_line(&err));
        }
        let fine = folder.path().join("report.json");
        assert!(parse(&["--json", fine.to_str().expect("UTF-8")]).is_ok());
    }

    #[test]
    fn a_name_that_shows_nothing_or_stands_for_one_is_a_clear_mistake() {
        for given in ["\u{200b}", "\u{3164}", "\u{2800}", " ", "NAME", "名字"] {
            let mistake = parse(&["--name", given]).expect_err(given);
            let why = web::given_name(given).expect_err(given);
            assert!(one_line(&mistake).contains(&why), "{mistake}");
        }
        assert!(parse(&["--name", "学生"]).is_ok());
    }

    #[test]
    fn online_does_not_mix_with_a_url_list() {
        let file = tempfile::NamedTempFile::new().expect("a temporary file");
        fs::write(file.path(), "http://127.0.0.1:9/\n").expect("written");
        let path = file.path().to_str().expect("UTF-8");
        assert!(parse(&["--online", "--urls", path]).is_err());
        assert!(parse(&["--urls", path, "--speed", "2"]).is_err());
        assert!(parse(&["--urls", path]).is_ok());
    }
}
