//! A lesson tried as a hostile user and a hostile network would: numbers at
//! and past the ends of their ranges, a server that stalls, an output that
//! cannot be written, too few open files, too little memory. Each lesson's
//! tests call [`check`]; none of it may end in a panic, a hang, or a URL
//! without its line.

use std::{
    io,
    path::Path,
    process::{Command, Stdio},
    time::Duration,
};

use crate::{
    Fault, PageSpec, Pages, SimulatedWeb,
    harness::{self, Finished, expect},
};

/// How long any one case may take.
const LIMIT: Duration = Duration::from_secs(60);

/// Runs every case against `program`, a lesson's binary; the first that goes
/// wrong is described in the `Err`.
pub fn check(program: &Path) -> Result<(), String> {
    let pooled = has_workers(program)?;
    // Pages slow enough that a 1 ms timeout fails them even on a busy machine,
    // whose timers may fire late.
    let pages = (1..=3)
        .map(|n| PageSpec::new(&format!("/{n}"), 1000, Duration::from_millis(200)));
    let web = SimulatedWeb::start(Pages::custom(pages.collect()))
        .map_err(|err| err.to_string())?;
    let mut urls = web.urls();
    let list = harness::url_file(&urls).map_err(|err| err.to_string())?;
    let list = list.to_str().unwrap_or_default().to_string();
    let run = |args: &[&str]| {
        harness::run(program, args, LIMIT).map_err(|err| format!("{args:?}: {err}"))
    };

    // Numbers at the ends of their ranges: accepted, and no panic.
    let mut accepted = vec![
        (vec!["--timeout", "0.001"], 1, Some("timed out after 0.001 s")),
        (
            vec!["--max-bytes", "1"],
            1,
            Some("page is larger than the limit of 1 bytes"),
        ),
        (vec!["--timeout", "3600", "--max-bytes", "268435456"], 0, None),
    ];
    if pooled {
        accepted.push((vec!["--workers", "100000"], 0, None));
    }
    for (args, code, failure) in accepted {
        let done = run(&[&["--urls", &list], &args[..]].concat())?;
        every_url_one_line(&done, &urls, &args)?;
        expect(done.code == Some(code), || {
            format!("{args:?} ended with {:?}, not {code}", done.code)
        })?;
        if let Some(failure) = failure {
            let all =
                done.lines().iter().filter(|line| line.ends_with(failure)).count();
            expect(all == urls.len(), || {
                format!("{args:?}: every site should fail with `{failure}`")
            })?;
        }
    }
    let done = run(&["--speed", "1000", "--sites", "5", "--latency", "0"])?;
    expect(done.code == Some(0), || {
        format!("--speed 1000 ended with {:?}", done.code)
    })?;

    // Numbers past the ends: a mistake on the command line, in one line.
    let mut refused = vec![
        vec!["--timeout", "1e19"],
        vec!["--timeout", "0"],
        vec!["--sites", "3", "--latency", "1e23"],
        vec!["--speed", "1e-20"],
        vec!["--sites", "10000000"],
        vec!["--max-bytes", "100000000000"],
    ];
    if pooled {
        refused.push(vec!["--workers", "1000000"]);
    }
    for args in refused {
        let done = run(&args)?;
        expect(done.code == Some(2) && done.stdout.is_empty(), || {
            format!(
                "{args:?} should be refused with status 2: {:?}, {}",
                done.code, done.stdout
            )
        })?;
        expect(done.stderr.lines().count() == 1, || {
            format!("{args:?}: {}", done.stderr)
        })?;
    }

    // A server that stalls after its headers: a timeout, like any other.
    urls.push(web.fault(Fault::Stall));
    let stalled = harness::url_file(&urls).map_err(|err| err.to_string())?;
    let stalled = stalled.to_str().unwrap_or_default();
    let done = run(&["--urls", stalled, "--timeout", "0.3"])?;
    every_url_one_line(&done, &urls, &["a stall"])?;
    let line = format!("Failed {}: timed out after 0.3 s", web.fault(Fault::Stall));
    expect(done.lines().contains(&line.as_str()), || {
        format!("no `{line}` in\n{}", done.stdout)
    })?;

    // A list that cannot be read, or that lists nothing: one line, status 1,
    // even where RUST_BACKTRACE=1 asks for stacks (a panic's, not a mistake's).
    let empty = harness::url_file(&[]).map_err(|err| err.to_string())?;
    for list in [Path::new("no such list.txt"), &empty] {
        let mut command = Command::new(program);
        command.arg("--urls").arg(list).env("RUST_BACKTRACE", "1");
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let done =
            harness::run_command(command, LIMIT).map_err(|err| err.to_string())?;
        expect(done.code == Some(1) && done.stderr.lines().count() == 1, || {
            format!(
                "--urls {list:?} should be one line, status 1, not: {}",
                done.stderr
            )
        })?;
    }

    // An output that cannot be written: one line, status 1.
    let unwritable = [("a closed pipe", closed_pipe()?)].into_iter().chain(full()?);
    for (what, stdout) in unwritable {
        let mut command = Command::new(program);
        command.args(["--urls", &list]).env("RUST_BACKTRACE", "1");
        command.stdout(stdout).stderr(Stdio::piped());
        let done = harness::run_command(command, LIMIT)
            .map_err(|err| format!("{what}: {err}"))?;
        let stderr = &done.stderr;
        expect(done.code == Some(1), || format!("{what}: {:?}", done.code))?;
        expect(
            stderr.lines().count() == 1
                && stderr.starts_with("error: cannot write the output"),
            || format!("{what} should be one line on stderr, not: {stderr}"),
        )?;
    }

    // The system's limits on files and memory, set as `ulimit` sets them:
    // Linux's. macOS refuses `ulimit -v`, and Windows has no such limits.
    #[cfg(target_os = "linux")]
    limits(program, pooled, &list, &web)?;
    Ok(())
}

/// Too few open files, too little memory: the lesson copes, or says so.
#[cfg(target_os = "linux")]
fn limits(
    program: &Path,
    pooled: bool,
    list: &str,
    web: &SimulatedWeb,
) -> Result<(), String> {
    // Too few open files for the downloads asked for: fewer at once, said so.
    let many = ["--sites", "200", "--latency", "20"];
    let asked: &[&str] = if pooled { &["--workers", "200"] } else { &[] };
    let done = limited(program, "ulimit -n 128", &[&many[..], asked].concat())?;
    expect(done.code == Some(0) && done.lines().len() == 201, || {
        format!(
            "with 128 open files: {:?}, {} lines, {}",
            done.code,
            done.lines().len(),
            done.stderr
        )
    })?;

    // Too little to start: one line, status 1; enough: every line.
    for limit in ["ulimit -n 16", "ulimit -v 50000"] {
        let coped = under_limit(program, limit, &["--urls", list])?;
        expect(coped == Coped::Refused, || format!("under `{limit}`: {coped:?}"))?;
    }
    let done = limited(program, "ulimit -v 102400", &["--urls", list])?;
    every_url_one_line(&done, &web.urls(), &["100 MiB"])
}

/// How a lesson met a limit of the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coped {
    /// It ran to its summary, a line for each site.
    Ran,
    /// It said in one line which limit was too small, with status 1.
    Refused,
}

/// Runs a lesson under `limit`, a `ulimit` command such as `ulimit -n 16`,
/// with `args`: it must run to its summary, with a line for each site, or
/// refuse in one line that names the limit, with status 1, and never panic
/// or abort. `Err` says what it did instead.
#[cfg(target_os = "linux")]
pub fn under_limit(
    program: &Path,
    limit: &str,
    args: &[&str],
) -> Result<Coped, String> {
    let done = limited(program, limit, args)?;
    let lines = done.lines();
    let summary = lines.last().and_then(|last| {
        let sites = last.strip_prefix("Download ")?.split_once(" sites in ")?.0;
        sites.parse::<usize>().ok()
    });
    let ran = summary.is_some_and(|sites| lines.len() == sites + 1);
    // `ulimit -v 50000` is named as `ulimit -v`.
    let named: String =
        limit.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
    let refused = done.code == Some(1)
        && lines.is_empty()
        && done.stderr.lines().count() == 1
        && done.stderr.contains(&named);
    let crashed = ["panicked", "memory allocation", "aborted"]
        .iter()
        .any(|sign| done.stderr.contains(sign));
    match (ran, refused) {
        (true, _) if !crashed => Ok(Coped::Ran),
        (_, true) => Ok(Coped::Refused),
        _ => Err(format!(
            "under `{limit}`: status {:?}, {} lines, and on stderr: {}",
            done.code,
            lines.len(),
            done.stderr.trim()
        )),
    }
}

/// Whether the lesson takes `--workers`.
fn has_workers(program: &Path) -> Result<bool, String> {
    let done =
        harness::run(program, &["--help"], LIMIT).map_err(|err| err.to_string())?;
    Ok(done.stdout.contains("--workers"))
}

/// Runs the lesson from a shell that first sets a limit.
#[cfg(target_os = "linux")]
fn limited(program: &Path, limit: &str, args: &[&str]) -> Result<Finished, String> {
    let script = format!("{limit} && exec \"$0\" \"$@\"");
    let mut full = vec!["-c", &script, program.to_str().unwrap_or_default()];
    full.extend(args);
    let mut command = Command::new("bash");
    command.args(&full).env("RUST_BACKTRACE", "1");
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    harness::run_command(command, LIMIT).map_err(|err| format!("{limit}: {err}"))
}

/// A full disk, where the system has a device that is always full (Linux's
/// `/dev/full`: every write fails with "No space left on device").
fn full() -> Result<Option<(&'static str, Stdio)>, String> {
    if !cfg!(target_os = "linux") {
        return Ok(None);
    }
    let file = std::fs::OpenOptions::new().write(true).open("/dev/full");
    let full = file.map_err(|err| format!("/dev/full: {err}"))?;
    Ok(Some(("a full disk", Stdio::from(full))))
}

/// A pipe whose reading end is closed already.
fn closed_pipe() -> Result<Stdio, String> {
    let (reader, writer) = io::pipe().map_err(|err| err.to_string())?;
    drop(reader);
    Ok(Stdio::from(writer))
}

/// Every URL of `urls` has exactly one line, `Read` or `Failed`.
fn every_url_one_line(
    done: &Finished,
    urls: &[String],
    case: &[&str],
) -> Result<(), String> {
    done.one_line_each(urls).map_err(|why| format!("{case:?}: {why}"))
}
