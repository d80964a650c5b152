//! The command line of a simulated web: [`WebArgs`], which `serve` and every
//! lesson take, and how a command line is read so that a mistake is one line.

use std::{ops::RangeInclusive, time::Duration};

use clap::Parser;

use crate::{MAX_SYNTHETIC, Pages, language::Language};

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
    parse_with(command::<T>())
}

/// [`parse`] with `command`: `T`'s, changed (its help in another language,
/// say).
pub fn parse_with<T: clap::FromArgMatches>(command: clap::Command) -> T {
    command
        .try_get_matches()
        .and_then(|matches| T::from_arg_matches(&matches))
        .unwrap_or_else(|err| exit_usage(&err))
}

/// `command` with its help said by `said`, for a language clap does not
/// speak: each argument's help (`arg-ID`, and `value-NAME` for each value it
/// may take), and clap's own words (`usage`, `commands`, `arguments`,
/// `options`, `default`, `possible`, and `arg-help` for `-h`). What `said`
/// has no text for keeps clap's. The command's own text (its about) is the
/// caller's to set, and each subcommand is a command of its own.
pub fn with_help(
    mut command: clap::Command,
    said: impl Fn(&str) -> Option<String>,
) -> clap::Command {
    if let Some(usage) = said("usage") {
        command = command.help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{usage} {{usage}}\n\n{{all-args}}{{after-help}}"
        ));
    }
    if let Some(heading) = said("commands") {
        command = command.subcommand_help_heading(heading);
    }
    if let Some(help) = said("arg-help") {
        let flag = clap::Arg::new("help").short('h').long("help");
        let flag = flag.action(clap::ArgAction::Help).help(help);
        command = command.disable_help_flag(true).arg(flag);
    }
    let mut order = 0;
    command.mut_args(move |arg| {
        // Under a heading of ours, clap would not keep the order declared.
        order += 1;
        let heading = if arg.is_positional() { "arguments" } else { "options" };
        let arg = match said(heading) {
            Some(heading) => arg.help_heading(heading),
            None => arg,
        };
        arg_with_help(arg.display_order(order), &said)
    })
}

/// `arg` with its help said by `said`, as [`with_help`] has it.
fn arg_with_help(
    mut arg: clap::Arg,
    said: &impl Fn(&str) -> Option<String>,
) -> clap::Arg {
    let Some(mut help) = said(&format!("arg-{}", arg.get_id())) else {
        return arg;
    };
    let mut long = help.clone();
    // The values it may take, each with its help, where all are said.
    let values = arg.get_possible_values();
    let said_values: Option<Vec<(String, String)>> = values
        .iter()
        .filter(|value| !value.is_hide_set())
        .map(|value| {
            let name = value.get_name();
            said(&format!("value-{name}")).map(|help| (name.to_string(), help))
        })
        .collect();
    if let (Some(label), Some(said_values)) = (said("possible"), said_values)
        && !said_values.is_empty()
        && !arg.is_hide_possible_values_set()
    {
        let names: Vec<&str> =
            said_values.iter().map(|(name, _)| name.as_str()).collect();
        help += &format!(" [{label}: {}]", names.join(", "));
        long += &format!("\n\n{label}:");
        let width = names.iter().map(|name| name.len() + 1).max().unwrap_or(0);
        for (name, text) in &said_values {
            long += &format!("\n- {:width$} {text}", format!("{name}:"));
        }
        long += "\n";
        arg = arg.hide_possible_values(true);
    }
    // Its default, if it takes a value and has one shown.
    let defaults: Vec<String> = (arg.get_default_values().iter())
        .map(|value| value.to_string_lossy().into_owned())
        .collect();
    let shown = arg.get_action().takes_values() && !arg.is_hide_default_value_set();
    if let Some(label) = said("default").filter(|_| shown && !defaults.is_empty()) {
        let default = format!("[{label}: {}]", defaults.join(", "));
        help = format!("{help} {default}");
        // Under the list of values, a paragraph of its own, as clap has it.
        long = match long.ends_with('\n') {
            true => format!("{long}\n{default}"),
            false => format!("{long} {default}"),
        };
        arg = arg.hide_default_value(true);
    }
    // A long help of its own only where --help says more than -h.
    match long == help {
        true => arg.help(help),
        false => arg.help(help).long_help(long),
    }
}

/// The Chinese of [`WebArgs`]' help, which the lessons and `serve` both take,
/// as [`with_help`] asks for it (`arg-sites`): said here once for both, as
/// their English is in its doc comments.
pub fn web_args_in_chinese(id: &str) -> Option<&'static str> {
    match id {
        "arg-sites" => {
            Some("提供 N 个虚构的页面，而不是笔记中的 12 个网站（最多 100000 个）")
        }
        "arg-latency" => Some("每个虚构的页面要多少毫秒才提供（0 到 60000）"),
        "arg-speed" => {
            Some("以笔记中的 Web 的 F 倍速度提供每个页面，0.01 到 1000（测试用 50）")
        }
        _ => None,
    }
}

/// What `program`'s `-h` and `--help` leave in English where the system reads
/// Chinese: each line with no Chinese in it but the options' names and
/// values. Empty when all of it is said in Chinese. For the tests of the
/// programs that speak Chinese.
pub fn help_left_in_english(program: &str) -> Vec<String> {
    let mut left = Vec::new();
    for flag in ["-h", "--help"] {
        let said = std::process::Command::new(program)
            .arg(flag)
            .env("LC_ALL", "zh_CN.UTF-8")
            .output();
        let said =
            said.map(|said| String::from_utf8_lossy(&said.stdout).into_owned());
        let said = said.unwrap_or_else(|err| format!("cannot run {program}: {err}"));
        let chinese = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
        let named = |word: &str| word.starts_with(['-', '<', '[']);
        left.extend(
            said.lines()
                .filter(|line| !line.chars().any(chinese))
                .filter(|line| !line.split_whitespace().all(named))
                .map(|line| format!("{flag}: {line}")),
        );
    }
    left
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

/// A mistake on the command line in one line, in the system's language:
/// clap's first line, the arguments it lists under it (those missing, or in
/// conflict), the values that would do, and the option or command meant.
pub fn one_line(err: &clap::Error) -> String {
    one_line_in(err, Language::of_the_system())
}

/// [`one_line`] in `language`. Clap speaks only English: in Chinese, the
/// kinds of mistake a learner makes most are said anew, and the rare others
/// keep clap's line.
fn one_line_in(err: &clap::Error, language: Language) -> String {
    use clap::error::ContextKind;
    let first = match language {
        Language::Chinese => in_chinese(err),
        Language::English => None,
    };
    let mut line = first.unwrap_or_else(|| clap_s_first_line(err));
    let valid =
        context(err, ContextKind::ValidValue).filter(|valid| !valid.is_empty());
    if let Some(valid) = valid {
        line += &language
            .either(format!("; it may be {valid}"), format!("；可以是 {valid}"));
    }
    let meant = context(err, ContextKind::SuggestedArg)
        .or_else(|| context(err, ContextKind::SuggestedSubcommand));
    if let Some(meant) = meant {
        line += &language.either(
            format!("; did you mean '{meant}'?"),
            format!("；你是想写 '{meant}' 吗？"),
        );
    }
    line + language.either(" (see --help)", "（见 --help）")
}

/// Clap's own first line, with what it lists under it.
fn clap_s_first_line(err: &clap::Error) -> String {
    let text = err.to_string();
    let mut lines = text.lines();
    let mut first = lines.next().unwrap_or("error: bad arguments").to_string();
    if first.ends_with(':') {
        let listed = lines.take_while(|line| line.starts_with(' ')).map(str::trim);
        first = format!("{first} {}", listed.collect::<Vec<_>>().join(", "));
    }
    first
}

/// The mistakes a learner makes most, in Chinese; `None` for the others.
fn in_chinese(err: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ErrorKind};
    let arg = || context(err, ContextKind::InvalidArg);
    let value = || context(err, ContextKind::InvalidValue);
    let said = match err.kind() {
        ErrorKind::InvalidValue if value()?.is_empty() => {
            format!("{} 需要一个值，却没有给出", arg()?)
        }
        ErrorKind::InvalidValue => {
            format!("'{}' 不是 {} 可取的值", value()?, arg()?)
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(err)?;
            format!("{} 的值 '{}' 无效：{why}", arg()?, value()?)
        }
        ErrorKind::UnknownArgument => format!("没有参数 '{}'", arg()?),
        ErrorKind::InvalidSubcommand => {
            format!("没有子命令 '{}'", context(err, ContextKind::InvalidSubcommand)?)
        }
        ErrorKind::ArgumentConflict => match context(err, ContextKind::PriorArg) {
            Some(prior) => format!("参数 '{}' 不能与 '{prior}' 一起使用", arg()?),
            None => format!("参数 '{}' 只能给一次", arg()?),
        },
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{}", arg()?),
        _ => return None,
    };
    Some(format!("错误：{said}"))
}

/// What clap noted of a mistake under `kind`, as text; a list joined by
/// commas.
fn context(err: &clap::Error, kind: clap::error::ContextKind) -> Option<String> {
    use clap::error::ContextValue;
    match err.get(kind)? {
        ContextValue::String(text) => Some(text.clone()),
        ContextValue::Strings(texts) => Some(texts.join(", ")),
        _ => None,
    }
}

/// A number within `range`, or a message that names the range: a value
/// parser for clap, so that a value it accepts can never overflow later.
///
/// ```
/// use web::cli::within;
///
/// assert_eq!(within("7", 1..=10, ""), Ok(7));
/// assert!(within("-1", 1..=10, "").is_err()); // must be from 1 to 10
/// assert!(within("x", 1..=10, "").is_err()); // 'x' is not a number
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
    let language = Language::of_the_system();
    let out_of_range = || {
        language.either(
            format!("must be from {low} to {high}{unit}"),
            format!("必须在 {low} 到 {high}{unit} 之间"),
        )
    };
    // A negative number where only whole ones fit is out of range, too.
    let value: T =
        text.trim().parse().map_err(|_| match text.trim().parse::<f64>() {
            Ok(_) => out_of_range(),
            Err(_) => language.either(
                format!("'{text}' is not a number"),
                format!("'{text}' 不是数字"),
            ),
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

#[cfg(test)]
mod tests {
    use clap::{Arg, ArgAction, Command};

    use super::*;

    /// The mistake clap finds in `args`, given to a lesson's kind of command
    /// line, or to one with a subcommand when `args` starts with `chek`.
    fn mistake(args: &[&str]) -> clap::Error {
        let too_many = |_: &str| Err::<usize, _>("too many".to_string());
        let lesson = Command::new("lesson")
            .arg(Arg::new("workers").long("workers").value_parser(too_many))
            .arg(
                Arg::new("variant").long("variant").value_parser(["pool", "scoped"]),
            )
            .arg(Arg::new("online").long("online").action(ArgAction::SetTrue))
            .arg(Arg::new("urls").long("urls").conflicts_with("online"))
            .arg(Arg::new("port").long("port").required(true));
        let exercises = Command::new("exercises").subcommand(Command::new("check"));
        let command = if args.first() == Some(&"chek") { exercises } else { lesson };
        let args = [&["program"], args].concat();
        command.try_get_matches_from(args).expect_err("a mistake")
    }

    #[test]
    fn each_kind_of_mistake_is_one_line_in_english_and_in_chinese() {
        let cases: [(&[&str], &str, &str); 7] = [
            (
                &["--port", "1", "--workers", "9"],
                "error: invalid value '9' for '--workers <workers>': too many (see --help)",
                "错误：--workers <workers> 的值 '9' 无效：too many（见 --help）",
            ),
            (
                &["--port", "1", "--variant", "nope"],
                "error: invalid value 'nope' for '--variant <variant>'; it may be pool, \
                 scoped (see --help)",
                "错误：'nope' 不是 --variant <variant> 可取的值；可以是 pool, scoped（见 --help）",
            ),
            (
                &["--port", "1", "--workers"],
                "error: a value is required for '--workers <workers>' but none was supplied \
                 (see --help)",
                "错误：--workers <workers> 需要一个值，却没有给出（见 --help）",
            ),
            (
                &["--port", "1", "--worker", "3"],
                "error: unexpected argument '--worker' found; did you mean '--workers'? \
                 (see --help)",
                "错误：没有参数 '--worker'；你是想写 '--workers' 吗？（见 --help）",
            ),
            (
                &["--port", "1", "--online", "--urls", "x"],
                "error: the argument '--online' cannot be used with '--urls <urls>' (see --help)",
                "错误：参数 '--online' 不能与 '--urls <urls>' 一起使用（见 --help）",
            ),
            (
                &[],
                "error: the following required arguments were not provided: --port <port> \
                 (see --help)",
                "错误：缺少必需的参数：--port <port>（见 --help）",
            ),
            (
                &["chek"],
                "error: unrecognized subcommand 'chek'; did you mean 'check'? (see --help)",
                "错误：没有子命令 'chek'；你是想写 'check' 吗？（见 --help）",
            ),
        ];
        for (args, english, chinese) in cases {
            let err = mistake(args);
            assert_eq!(one_line_in(&err, Language::English), english, "{args:?}");
            assert_eq!(one_line_in(&err, Language::Chinese), chinese, "{args:?}");
        }
    }

    #[test]
    fn help_said_by_another_keeps_clap_s_layout_and_the_english_of_what_it_lacks() {
        let command = Command::new("lesson")
            .arg(
                Arg::new("variant").long("variant").value_parser(["pool", "scoped"]),
            )
            .arg(
                Arg::new("workers")
                    .long("workers")
                    .default_value("5")
                    .help("How many"),
            );
        let said = |id: &str| {
            let text = match id {
                "usage" => "用法:",
                "options" => "选项",
                "default" => "默认",
                "possible" => "可选值",
                "arg-help" => "显示帮助",
                "arg-variant" => "怎样分发",
                "value-pool" => "一个池",
                "value-scoped" => "每个网站一个线程",
                _ => return None,
            };
            Some(text.to_string())
        };
        let mut said = with_help(command, said);
        let short = said.render_help().to_string();
        assert!(short.starts_with("用法: lesson [OPTIONS]\n\n选项:\n"), "{short}");
        assert!(short.contains("怎样分发 [可选值: pool, scoped]\n"), "{short}");
        assert!(short.contains("How many [default: 5]\n"), "{short}");
        assert!(short.contains("-h, --help  "), "{short}");
        assert!(short.trim_end().ends_with("显示帮助"), "{short}");
        let long = said.render_long_help().to_string();
        let values = "可选值:\n          - pool:   一个池\n          - scoped: 每个网站一个线程\n";
        assert!(long.contains(values), "{long}");
    }

    #[test]
    fn a_number_out_of_range_or_none_is_told_so_in_either_language() {
        let said = |text| within(text, 1..=10, " s").expect_err(text);
        let language = Language::of_the_system();
        assert_eq!(
            said("11"),
            language.either("must be from 1 to 10 s", "必须在 1 到 10 s 之间")
        );
        assert_eq!(
            said("-1"),
            language.either("must be from 1 to 10 s", "必须在 1 到 10 s 之间")
        );
        assert_eq!(
            said("x"),
            language.either("'x' is not a number", "'x' 不是数字")
        );
    }
}
