//! The command line of a simulated web: [`WebArgs`], which `serve` and every
//! lesson take, and how a command line is read so that a mistake is one line.

use std::{ops::RangeInclusive, time::Duration};

use clap::Parser;

use crate::{MAX_SYNTHETIC, Pages};

/// What the simulated web serves; shared by the lessons and the `serve` binary.
#[derive(Debug, Clone, clap::Args)]
#[group(id = "web::WebArgs")]
pub struct WebArgs {
    /// Serve N made-up pages instead of the notes' twelve sites (at most 100000)
    #[arg(long, value_name = "N", value_parser = sites)]
    pub sites: Option<usize>,

    /// How long each made-up page takes to serve, in milliseconds (0 to 60000)
    #[arg(long, value_name = "MS", default_value_t = 100.0, requires = "sites",
          value_parser = latency)]
    pub latency: f64,

    /// Serve every page F times faster than the notes' web, 0.01 to 1000 (the
    /// tests use 50)
    #[arg(long, value_name = "F", default_value_t = 1.0, value_parser = speed)]
    pub speed: f64,
}

impl WebArgs {
    /// The pages these arguments ask for.
    pub fn pages(&self) -> Pages {
        let pages = match self.sites {
            Some(count) => {
                Pages::synthetic(count, Duration::from_secs_f64(self.latency / 1e3))
            }
            None => Pages::notes(),
        };
        pages.faster(self.speed)
    }
}

/// `T`'s command, with `--workers -1` read as a number out of range rather
/// than an unknown option.
pub fn command<T: Parser>() -> clap::Command {
    T::command().mut_args(|arg| {
        if arg.get_action().takes_values() {
            arg.allow_negative_numbers(true)
        } else {
            arg
        }
    })
}

/// Parses the command line into `T`, as clap's `Parser::parse` does, but a
/// mistake is one line on stderr (and exit status 2), not a page.
pub fn parse<T: Parser>() -> T {
    command::<T>()
        .try_get_matches()
        .and_then(|matches| T::from_arg_matches(&matches))
        .unwrap_or_else(|err| exit_usage(&err))
}

/// Ends the process for a mistake on the command line: one line on stderr,
/// status 2; `--help` and `--version` print their text, status 0.
pub fn exit_usage(err: &clap::Error) -> ! {
    if !err.use_stderr() {
        let _ = err.print();
        std::process::exit(0);
    }
    eprintln!("{}", one_line(err));
    std::process::exit(2)
}

/// A mistake on the command line in one line: clap's first, the arguments
/// it lists under it (those missing, or in conflict), and the values that
/// would do.
pub fn one_line(err: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue};
    let text = err.to_string();
    let mut lines = text.lines();
    let mut first = lines.next().unwrap_or("error: bad arguments").to_string();
    if first.ends_with(':') {
        let listed = lines.take_while(|line| line.starts_with(' ')).map(str::trim);
        first = format!("{first} {}", listed.collect::<Vec<_>>().join(", "));
    }
    match err.get(ContextKind::ValidValue) {
        Some(ContextValue::Strings(values)) => {
            format!("{first}; it may be {} (see --help)", values.join(", "))
        }
        _ => format!("{first} (see --help)"),
    }
}

/// A number within `range`, or a message that names the range: a value
/// parser for clap, so that a value it accepts can never overflow later.
///
/// ```
/// use web::cli::within;
///
/// assert_eq!(within("7", 1..=10, ""), Ok(7));
/// assert_eq!(within("-1", 1..=10, ""), Err("must be from 1 to 10".into()));
/// assert_eq!(within("x", 1..=10, ""), Err("'x' is not a number".into()));
/// ```
pub fn within<T>(
    text: &str,
    range: RangeInclusive<T>,
    unit: &str,
) -> Result<T, String>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    let (low, high) = (range.start(), range.end());
    let out_of_range = || format!("must be from {low} to {high}{unit}");
    // A negative number where only whole ones fit is out of range, too.
    let value: T =
        text.trim().parse().map_err(|_| match text.trim().parse::<f64>() {
            Ok(_) => out_of_range(),
            Err(_) => format!("'{text}' is not a number"),
        })?;
    if range.contains(&value) { Ok(value) } else { Err(out_of_range()) }
}

fn sites(text: &str) -> Result<usize, String> {
    within(text, 1..=MAX_SYNTHETIC, "")
}

fn latency(text: &str) -> Result<f64, String> {
    within(text, 0.0..=60_000.0, " ms")
}

/// `--speed`: from 0.01 to 1000.
pub fn speed(text: &str) -> Result<f64, String> {
    within(text, 0.01..=1000.0, "")
}
