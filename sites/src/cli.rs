//! The command line every lesson shares, and the lessons that use it.

use std::{
    fs,
    path::{Path, PathBuf},
    time::Duration,
};

use clap::{Arg, ArgMatches, Command, CommandFactory, FromArgMatches, value_parser};

use crate::{Error, Pages, Result};

/// A lesson as its command line presents it: its name and blurb, whether it
/// has a pool of workers, and its variants.
#[derive(Debug, Clone, Copy)]
pub struct Lesson {
    /// The package, which is also the binary: `cargo run -p PACKAGE`.
    pub package: &'static str,
    /// One line for `--help`.
    pub about: &'static str,
    /// Whether the lesson takes `--workers`, and its default.
    pub workers: Workers,
    /// The values of `--variant` as (name, what it shows); the first is the
    /// default. Empty when the lesson has no variants.
    pub variants: &'static [(&'static str, &'static str)],
}

/// How many workers a lesson downloads with when `--workers` is not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workers {
    /// The lesson has no pool and no `--workers` option.
    NoPool,
    /// A pool of this many.
    Fixed(usize),
    /// One per CPU, as `ProcessPoolExecutor()` and rayon do.
    PerCpu,
    /// One per site: everything at once.
    PerSite,
}

/// Lesson 1.
pub const SEQUENTIAL: Lesson = Lesson {
    package: "ch01-sequential",
    about: "Lesson 1: download the sites one by one (the notes' section 2.1).",
    workers: Workers::NoPool,
    variants: &[],
};

/// Lesson 2.
pub const THREADS: Lesson = Lesson {
    package: "ch02-threads",
    about: "Lesson 2: download the sites with a pool of threads (the notes' section 2.2).",
    workers: Workers::Fixed(5),
    variants: &[
        (
            "pool",
            "a pool of --workers threads takes the sites in turn, like ThreadPoolExecutor",
        ),
        ("scoped", "one thread per site with std::thread::scope, no pool"),
    ],
};

/// Lesson 3.
pub const PROCESSES: Lesson = Lesson {
    package: "ch03-processes",
    about: "Lesson 3: download the sites with a pool of processes, or with rayon \
            (the notes' section 2.3).",
    workers: Workers::PerCpu,
    variants: &[
        (
            "pool",
            "worker processes, one per CPU by default, like ProcessPoolExecutor",
        ),
        (
            "rayon",
            "rayon's par_iter on a pool of --workers threads, one per CPU by default",
        ),
    ],
};

/// Lesson 4.
pub const FUTURES: Lesson = Lesson {
    package: "ch04-futures",
    about: "Lesson 4: submit every site to a pool, then take the results as they \
            complete (the notes' section 3).",
    workers: Workers::Fixed(3),
    variants: &[
        (
            "as-completed",
            "results in the order the downloads finish, like as_completed",
        ),
        ("in-order", "results in the order the sites were submitted"),
    ],
};

/// Lesson 5.
pub const ASYNC: Lesson = Lesson {
    package: "ch05-async",
    about: "Lesson 5: download the sites as async tasks on one thread, which switch \
            only at .await, like asyncio.",
    workers: Workers::PerSite,
    variants: &[
        ("tasks", "every site a task; at most --workers downloads at once"),
        (
            "blocking",
            "one task blocks the thread after its download: the others stall",
        ),
        (
            "spawn-blocking",
            "the same blocking work moved off the thread with spawn_blocking",
        ),
    ],
};

/// Every lesson, in order.
pub const LESSONS: &[Lesson] = &[SEQUENTIAL, THREADS, PROCESSES, FUTURES, ASYNC];

/// What the simulated web serves; shared by the lessons and the `serve` binary.
#[derive(Debug, Clone, clap::Args)]
pub struct WebArgs {
    /// Serve N made-up pages instead of the notes' twelve sites
    #[arg(long, value_name = "N", value_parser = value_parser!(u32).range(1..))]
    pub sites: Option<u32>,

    /// How long each made-up page takes to serve, in milliseconds
    #[arg(long, value_name = "MS", default_value_t = 100.0, requires = "sites",
          value_parser = non_negative)]
    pub latency: f64,

    /// Serve every page F times faster than the notes' web (the tests use 50)
    #[arg(long, value_name = "F", default_value_t = 1.0, value_parser = positive)]
    pub speed: f64,
}

impl WebArgs {
    /// The pages these arguments ask for.
    pub fn pages(&self) -> Pages {
        let pages = match self.sites {
            Some(count) => {
                let latency = Duration::from_secs_f64(self.latency / 1000.0);
                Pages::synthetic(count as usize, latency)
            }
            None => Pages::notes(),
        };
        pages.faster(self.speed)
    }
}

/// The arguments every lesson takes. `--workers` and `--variant` are added for
/// the lessons that have them.
#[derive(Debug, Clone, clap::Parser)]
#[command(
    after_help = "With no option, the lesson downloads the notes' twelve sites from a \
simulated web that it starts on 127.0.0.1: no network is needed."
)]
pub struct Args {
    /// Download the notes' twelve real sites over the internet
    #[arg(long, conflicts_with_all = ["urls", "sites", "speed", "latency"])]
    pub online: bool,

    /// Download the URLs in FILE, one a line; blank lines and # comments are skipped
    #[arg(long, value_name = "FILE", conflicts_with_all = ["sites", "speed", "latency"])]
    pub urls: Option<PathBuf>,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub web: WebArgs,

    /// Give up on a site after SECS seconds, body included
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = seconds)]
    pub timeout: Duration,

    /// Refuse a page larger than N bytes
    #[arg(long, value_name = "N", default_value_t = 16 * 1024 * 1024)]
    pub max_bytes: usize,

    /// After the run, draw when each site started and finished, worker by worker
    #[arg(long)]
    pub timeline: bool,

    /// Print one JSON object instead of the text
    #[arg(long, conflicts_with = "timeline")]
    pub json: bool,
}

/// The parsed command line of a lesson.
#[derive(Debug, Clone)]
pub(crate) struct Parsed {
    pub lesson: Lesson,
    pub args: Args,
    pub workers: Option<usize>,
    pub variant: Option<String>,
}

impl Lesson {
    fn command(&self) -> Command {
        let mut command = Args::command().name(self.package).about(self.about);
        let workers = Arg::new("workers")
            .long("workers")
            .value_name("N")
            .help("How many downloads run at once")
            .value_parser(value_parser!(u32).range(1..));
        command = match self.workers {
            Workers::NoPool => command,
            Workers::Fixed(n) => command.arg(workers.default_value(n.to_string())),
            Workers::PerCpu => command.arg(
                workers
                    .help("How many downloads run at once [default: one per CPU]"),
            ),
            Workers::PerSite => command
                .arg(workers.help("How many downloads run at once [default: all]")),
        };
        if let Some((default, _)) = self.variants.first() {
            let values = self.variants.iter().map(|(name, about)| {
                clap::builder::PossibleValue::new(name).help(about)
            });
            command = command.arg(
                Arg::new("variant")
                    .long("variant")
                    .value_name("NAME")
                    .help("Which way of running the lesson")
                    .value_parser(clap::builder::PossibleValuesParser::new(values))
                    .default_value(default),
            );
        }
        command
    }

    /// Parses the command line, or prints one line and exits with status 2 (0
    /// for `--help`).
    pub(crate) fn parse(&self) -> Parsed {
        self.try_parse(std::env::args_os()).unwrap_or_else(|err| usage_exit(err))
    }

    fn try_parse<I, T>(&self, args: I) -> Result<Parsed, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let matches: ArgMatches = self.command().try_get_matches_from(args)?;
        Ok(Parsed {
            lesson: *self,
            args: Args::from_arg_matches(&matches)?,
            // A lesson without a pool or variants has no such argument at all.
            workers: matches
                .try_get_one::<u32>("workers")
                .ok()
                .flatten()
                .map(|&n| n as usize),
            variant: matches
                .try_get_one::<String>("variant")
                .ok()
                .flatten()
                .cloned(),
        })
    }
}

/// Reads a `--urls` file: one URL a line, blank lines and `#` comments skipped.
pub(crate) fn read_urls(path: &Path) -> Result<Vec<String>> {
    let text = fs::read_to_string(path)
        .map_err(|source| Error::UrlFile { path: path.into(), source })?;
    let mut urls = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match reqwest::Url::parse(line) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => {
                urls.push(line.into())
            }
            _ => {
                let (path, line_number) = (path.into(), index + 1);
                return Err(Error::BadUrl {
                    path,
                    line: line_number,
                    text: line.into(),
                });
            }
        }
    }
    if urls.is_empty() { Err(Error::NoUrls(path.into())) } else { Ok(urls) }
}

/// Ends the process for a usage error: one line on stderr, exit status 2.
pub(crate) fn usage_exit(err: impl Into<UsageError>) -> ! {
    match err.into() {
        UsageError::Clap(err) if !err.use_stderr() => err.exit(), // --help, --version
        UsageError::Clap(err) => {
            let text = err.to_string();
            let first = text.lines().next().unwrap_or("error: bad arguments");
            eprintln!("{first} (see --help)");
        }
        UsageError::Sites(err) => eprintln!("error: {err}"),
    }
    std::process::exit(2)
}

/// A usage error from clap or from reading the URL list.
pub(crate) enum UsageError {
    Clap(clap::Error),
    Sites(Error),
}

impl From<clap::Error> for UsageError {
    fn from(err: clap::Error) -> Self {
        UsageError::Clap(err)
    }
}

impl From<Error> for UsageError {
    fn from(err: Error) -> Self {
        UsageError::Sites(err)
    }
}

fn number(text: &str) -> Result<f64, String> {
    text.parse::<f64>().map_err(|_| format!("'{text}' is not a number"))
}

fn positive(text: &str) -> Result<f64, String> {
    match number(text)? {
        value if value.is_finite() && value > 0.0 => Ok(value),
        _ => Err("must be a number above 0".into()),
    }
}

fn non_negative(text: &str) -> Result<f64, String> {
    match number(text)? {
        value if value.is_finite() && value >= 0.0 => Ok(value),
        _ => Err("must be a number of 0 or more".into()),
    }
}

fn seconds(text: &str) -> Result<Duration, String> {
    let value = positive(text)?;
    Duration::try_from_secs_f64(value)
        .map_err(|_| format!("'{text}' seconds is too long"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const POOL: Lesson = Lesson {
        package: "pool",
        about: "a lesson with a pool",
        workers: Workers::Fixed(5),
        variants: &[("pool", "a pool"), ("scoped", "a thread a site")],
    };

    #[test]
    fn the_command_line_is_well_formed() {
        SEQUENTIAL.command().debug_assert();
        POOL.command().debug_assert();
    }

    #[test]
    fn workers_and_variant_have_the_lessons_defaults() {
        let parsed = POOL.try_parse(["pool"]).expect("no arguments are fine");
        assert_eq!(parsed.workers, Some(5));
        assert_eq!(parsed.variant.as_deref(), Some("pool"));
        let parsed =
            POOL.try_parse(["pool", "--workers", "3", "--variant", "scoped"]);
        let parsed = parsed.expect("valid arguments");
        assert_eq!(
            (parsed.workers, parsed.variant.as_deref()),
            (Some(3), Some("scoped"))
        );
    }

    #[test]
    fn a_lesson_without_a_pool_refuses_workers() {
        assert!(SEQUENTIAL.try_parse(["seq", "--workers", "3"]).is_err());
        assert!(POOL.try_parse(["pool", "--workers", "0"]).is_err());
        assert!(POOL.try_parse(["pool", "--variant", "nonsense"]).is_err());
    }

    #[test]
    fn online_does_not_mix_with_a_url_list() {
        assert!(
            SEQUENTIAL.try_parse(["seq", "--online", "--urls", "list.txt"]).is_err()
        );
        assert!(
            SEQUENTIAL
                .try_parse(["seq", "--urls", "list.txt", "--speed", "2"])
                .is_err()
        );
    }

    #[test]
    fn timeout_and_speed_must_be_positive() {
        for bad in [
            ["--timeout", "0"],
            ["--timeout", "-1"],
            ["--speed", "0"],
            ["--speed", "x"],
        ] {
            assert!(
                SEQUENTIAL.try_parse(["seq", bad[0], bad[1]]).is_err(),
                "{bad:?}"
            );
        }
        let parsed =
            SEQUENTIAL.try_parse(["seq", "--timeout", "0.25"]).expect("valid");
        assert_eq!(parsed.args.timeout, Duration::from_millis(250));
    }

    #[test]
    fn a_url_list_skips_blank_lines_and_comments() {
        let file = tempfile::NamedTempFile::new().expect("a temporary file");
        let list = "# a class list\n\nhttp://a.test/\n  https://b.test/x  \n";
        fs::write(file.path(), list).expect("written");
        let urls = read_urls(file.path()).expect("a valid list");
        assert_eq!(urls, ["http://a.test/", "https://b.test/x"]);
    }

    #[test]
    fn a_url_list_names_the_line_of_a_bad_url() {
        let file = tempfile::NamedTempFile::new().expect("a temporary file");
        fs::write(file.path(), "http://a.test/\nftp://b.test/\n").expect("written");
        let err = read_urls(file.path()).expect_err("ftp is refused");
        assert!(
            err.to_string().ends_with(":2: not an http(s) URL: ftp://b.test/"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_url_list_is_named() {
        let err = read_urls(Path::new("no/such/list.txt")).expect_err("missing");
        assert!(
            err.to_string().starts_with("cannot read no/such/list.txt: "),
            "{err}"
        );
    }
}
