//! `compare hostile`: the hostile cases measured, at sizes too slow or too
//! large for the tests (which try each lesson with `sites::hostile`): a
//! hundred thousand pages with their timeline, a hundred endless bodies at
//! once, a thread per URL over a long list, and a server beset by idle
//! connections. `--small` runs each at a size CI can afford.

use std::{
    fmt::Write as _,
    net::{SocketAddr, TcpStream},
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use sites::{Fault, Pages, Report, SimulatedWeb, harness::beside_me};

use crate::{cases::LIMIT, class};

/// One case: what was run, what was measured, and whether it met its target.
struct Outcome {
    case: String,
    measured: String,
    target: String,
    met: bool,
}

/// Runs every case; the table, and whether every case met its target.
pub fn run(small: bool) -> anyhow::Result<(String, bool)> {
    let scale = |large: usize, reduced: usize| if small { reduced } else { large };
    let outcomes = vec![
        many_pages(scale(100_000, 20_000))?,
        endless_bodies(scale(100, 30))?,
        a_thread_per_url(scale(20_000, 2_000))?,
        idle_connections(scale(18_000, 2_000))?,
    ];
    let mut table =
        String::from("| case | measured | target | met |\n|---|---|---|---|\n");
    for outcome in &outcomes {
        let met = if outcome.met { "yes" } else { "NO" };
        let _ = writeln!(
            table,
            "| {} | {} | {} | {met} |",
            outcome.case, outcome.measured, outcome.target
        );
    }
    Ok((table, outcomes.iter().all(|outcome| outcome.met)))
}

/// Runs a lesson with `--json` and reads its report.
fn report_of(
    lesson: &str,
    args: &[&str],
) -> anyhow::Result<(sites::harness::Finished, Report)> {
    let done = sites::harness::run_reporting(beside_me(lesson), args, LIMIT)?;
    let report = done.report().map_err(anyhow::Error::msg)?.clone();
    Ok((done, report))
}

fn mib(kb: Option<u64>) -> String {
    kb.map_or("not measured on this system".into(), |kb| {
        format!("{:.0} MiB", kb as f64 / 1024.0)
    })
}

/// Lesson 5 over N made-up pages served at once, 1,000 at a time, timeline
/// drawn: within 10 s for 100,000.
fn many_pages(count: usize) -> anyhow::Result<Outcome> {
    let count_text = count.to_string();
    let args = [
        "--sites",
        &count_text,
        "--latency",
        "0",
        "--workers",
        "1000",
        "--timeline",
    ];
    let started = Instant::now();
    let (_, report) = report_of("ch05-async", &args)?;
    let took = started.elapsed();
    // A hundred thousand lines are more than the harness keeps: the report
    // says which came down.
    let lines = report.sites.len() - report.failures();
    // A debug build, as CI runs it, is given two and a half times as long.
    let build = if cfg!(debug_assertions) { 2.5 } else { 1.0 };
    let target = Duration::from_secs(10).mul_f64(count as f64 / 100_000.0 * build);
    Ok(Outcome {
        case: format!(
            "ch05-async, {count} pages at once, 1,000 in flight, with --timeline"
        ),
        measured: format!(
            "{:.1} s, {lines} lines, peak memory {}",
            took.as_secs_f64(),
            mib(report.peak_rss_kb)
        ),
        target: format!("under {:.0} s, a line each", target.as_secs_f64()),
        met: took < target && lines == count,
    })
}

/// Lesson 5 over N pages that never end, at once, with `--max-bytes` at the
/// budget: the memory held stays near the budget, not N times the limit.
fn endless_bodies(count: usize) -> anyhow::Result<Outcome> {
    let web = SimulatedWeb::start(Pages::notes())?;
    let urls = vec![web.fault(Fault::Endless); count];
    let list = sites::harness::url_file(&urls)?;
    let list = list.to_str().context("a UTF-8 path")?;
    let args = ["--urls", list, "--max-bytes", "268435456", "--timeout", "20"];
    let (done, report) = report_of("ch05-async", &args)?;
    let lines =
        done.lines().iter().filter(|line| line.starts_with("Failed ")).count();
    let budget_kb = (sites::BUDGET as u64 + (128 << 20)) / 1024;
    Ok(Outcome {
        case: format!(
            "ch05-async, {count} endless bodies at once, --max-bytes 256 MiB"
        ),
        measured: format!(
            "peak memory {}, {lines} failed lines",
            mib(report.peak_rss_kb)
        ),
        target: format!("under {}, a line each", mib(Some(budget_kb))),
        met: report.peak_rss_kb.is_some_and(|kb| kb < budget_kb) && lines == count,
    })
}

/// Lesson 2's thread per site over N URLs: every URL gets its line, whether
/// its thread could start or not.
fn a_thread_per_url(count: usize) -> anyhow::Result<Outcome> {
    let web =
        SimulatedWeb::start(Pages::synthetic(count, Duration::from_millis(200)))?;
    let list = sites::harness::url_file(&web.urls())?;
    let list = list.to_str().context("a UTF-8 path")?;
    let started = Instant::now();
    let (done, report) =
        report_of("ch02-threads", &["--urls", list, "--variant", "scoped"])?;
    let lines = done
        .lines()
        .iter()
        .filter(|line| line.starts_with("Read ") || line.starts_with("Failed "))
        .count();
    Ok(Outcome {
        case: format!("ch02-threads --variant scoped over {count} URLs"),
        measured: format!(
            "{:.1} s, {lines} lines ({} failed), peak memory {}",
            started.elapsed().as_secs_f64(),
            report.failures(),
            mib(report.peak_rss_kb)
        ),
        target: "a line each, no panic".into(),
        met: lines == count && done.code.is_some_and(|code| code <= 1),
    })
}

/// `serve`, with N idle connections open from 127.0.0.1, answering a request
/// from 127.0.0.2 as fast as one served alone.
fn idle_connections(count: usize) -> anyhow::Result<Outcome> {
    let _ = platform::limits::raise_open_files();
    let serve = class::Serve::start(&class::binaries(), &[])?;
    let url = format!("{}{}", serve.root, sites::NOTES_SITES[0].path());
    let addr: SocketAddr =
        serve.root.strip_prefix("http://").context("a URL")?.parse()?;
    let settings = sites::client::Settings::quick(Duration::from_secs(10));
    let elsewhere =
        reqwest::blocking::ClientBuilder::from(sites::client::builder(&settings))
            .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
            .build()?;
    // The quickest of three, so that one slow moment of a busy machine does
    // not count as the server's.
    let timed = |client: &reqwest::blocking::Client| -> anyhow::Result<Duration> {
        let mut times = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            client.get(&url).send()?.error_for_status()?.bytes()?;
            times.push(started.elapsed());
        }
        Ok(times.into_iter().min().unwrap_or_default())
    };
    let alone = timed(&elsewhere)?;
    let idle: Vec<TcpStream> =
        (0..count).filter_map(|_| TcpStream::connect(addr).ok()).collect();
    let beset = timed(&elsewhere)?;
    let opened = idle.len();
    drop(idle);
    drop(serve);
    if opened == 0 {
        bail!("no idle connection could be opened");
    }
    Ok(Outcome {
        case: format!("serve with {opened} idle connections from one address"),
        measured: format!(
            "a request from another: {:.0} ms, against {:.0} ms alone",
            beset.as_secs_f64() * 1e3,
            alone.as_secs_f64() * 1e3
        ),
        target: "within 50 ms of alone".into(),
        met: beset < alone + Duration::from_millis(50),
    })
}
