//! Lesson 5 run as a learner runs it; the schedule is read from its JSON report.

use std::{io::Write, time::Duration};

use sites::{Fault, NOTES_SITES, Pages, Report, SimulatedWeb, harness::Finished};

fn lesson(args: &[&str]) -> Finished {
    let program = env!("CARGO_BIN_EXE_ch05-async");
    sites::harness::run(program, args, Duration::from_secs(120)).expect("it ends")
}

fn report(args: &[&str]) -> Report {
    let done = lesson(&[args, &["--json"]].concat());
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    done.report().expect("one JSON object")
}

#[test]
fn every_site_downloads_at_once_each_in_a_task_of_its_own() {
    let report = report(&["--speed", "5"]);
    assert_eq!(report.peak_in_flight(), 12);
    assert_eq!(report.workers().len(), 12);
    assert!(report.workers().iter().all(|worker| worker.starts_with("task ")));
    for (site, notes) in report.sites.iter().zip(NOTES_SITES) {
        assert_eq!(site.bytes, Some(notes.bytes as u64), "{}", site.url);
    }
}

#[test]
fn workers_bounds_how_many_download_at_once() {
    let report = report(&["--speed", "5", "--workers", "3"]);
    assert_eq!(report.peak_in_flight(), 3);
    assert_eq!(report.failures(), 0);
}

/// When the first site ended, and the earliest any other site ended after it.
fn first_end_and_next(report: &Report) -> (f64, f64) {
    let first = report.sites[0].end_ms;
    let others = report.sites[1..].iter().map(|site| site.end_ms);
    (first, others.fold(f64::INFINITY, f64::min))
}

#[test]
fn a_task_that_blocks_the_thread_stalls_every_other_task() {
    // Every other site is served within 125 ms of the start at this speed, but
    // the client reads none of them while the first task blocks for a second.
    let (first, next) =
        first_end_and_next(&report(&["--speed", "5", "--variant", "blocking"]));
    assert!(
        next >= first + 900.0,
        "the first ended at {first} ms, another at {next} ms"
    );
}

#[test]
fn spawn_blocking_keeps_the_other_tasks_going() {
    let report = report(&["--speed", "5", "--variant", "spawn-blocking"]);
    let (first, _) = first_end_and_next(&report);
    let last = report.sites.iter().map(|site| site.end_ms).fold(0.0, f64::max);
    assert!(
        last < first + 900.0,
        "the first ended at {first} ms, the last at {last} ms"
    );
    assert!(report.wall_ms >= first + 900.0, "the run still waits for the work");
}

#[test]
fn ten_thousand_pages_with_a_thousand_in_flight_all_get_their_line() {
    let args = ["--sites", "10000", "--workers", "1000", "--latency", "20"];
    let done = lesson(&args);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    let lines = done.lines();
    assert_eq!(lines.len(), 10_001);
    assert!(lines[..10_000].iter().all(|line| line.starts_with("Read ")));
    assert!(lines[10_000].starts_with("Download 10000 sites in "));

    let report = report(&args);
    assert!(report.peak_in_flight() <= 1000, "{}", report.peak_in_flight());
}

#[test]
fn every_url_gets_one_line_when_pages_fail_or_a_task_panics() -> sites::Result<()> {
    let web = SimulatedWeb::start(Pages::notes().faster(10.0))?;
    let urls = [
        web.urls()[0].clone(),
        web.fault(Fault::Panic),
        web.fault(Fault::Silent),
        web.fault(Fault::Endless),
        web.fault(Fault::Truncated),
        web.urls()[1].clone(),
    ];
    let mut list = tempfile::NamedTempFile::new().expect("a temporary file");
    writeln!(list, "{}", urls.join("\n")).expect("written");
    let path = list.path().to_str().expect("UTF-8");
    let done =
        lesson(&["--urls", path, "--timeout", "0.5", "--max-bytes", "100000"]);
    assert_eq!(done.code, Some(1));
    let lines = done.lines();
    assert_eq!(lines.len(), urls.len() + 1, "{}", done.stdout);
    assert!(
        lines.contains(&format!("Failed {}: the worker panicked", urls[1]).as_str())
    );
    assert!(
        lines.contains(
            &format!("Failed {}: timed out after 0.5 s", urls[2]).as_str()
        )
    );
    assert!(lines.last().is_some_and(|line| line.ends_with("(4 failed)")));
    Ok(())
}
