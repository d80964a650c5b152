//! Lesson 5 run as a learner runs it; the schedule is read from its JSON report.

use std::time::Duration;

use sites::{
    Fault, NOTES_SITES, Pages, Report, SimulatedWeb,
    harness::{self, Finished, url_file},
};

fn lesson(args: &[&str]) -> Finished {
    let program = env!("CARGO_BIN_EXE_ch05-async");
    harness::run_reporting(program, args, Duration::from_secs(120)).expect("it ends")
}

fn report(args: &[&str]) -> Report {
    let done = lesson(args);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    done.report().expect("a JSON report").clone()
}

#[test]
fn every_site_downloads_at_once_each_in_a_task_of_its_own() {
    let report = report(&["--sites", "12", "--latency", "300"]);
    assert_eq!(report.peak_in_flight(), 12);
    assert_eq!(report.workers().len(), 12);
    assert!(report.workers().iter().all(|worker| worker.starts_with("task ")));
    let report = self::report(&["--speed", "50"]);
    assert_eq!(report.sites.len(), NOTES_SITES.len());
    for (site, notes) in report.sites.iter().zip(NOTES_SITES) {
        assert_eq!(site.bytes, Some(notes.bytes as u64), "{}", site.url);
    }
}

#[test]
fn workers_bounds_how_many_download_at_once() {
    let report = report(&["--sites", "9", "--latency", "200", "--workers", "3"]);
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
    let report = report(&["--speed", "5", "--variant", "blocking"]);
    let (first, next) = first_end_and_next(&report);
    assert!(
        next >= first + 900.0,
        "the first ended at {first} ms, another at {next} ms"
    );
    assert_eq!(report.work.len(), 1, "the second of work shows in the report");
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
    let report = done.report().expect("a JSON report");
    assert!(report.peak_in_flight() <= 1000, "{}", report.peak_in_flight());
}

#[test]
fn every_url_gets_one_line_when_pages_fail() -> sites::Result<()> {
    let web = SimulatedWeb::start(Pages::notes().faster(10.0))?;
    let urls = [
        web.urls()[0].clone(),
        web.fault(Fault::Stall),
        web.fault(Fault::Silent),
        web.fault(Fault::Endless),
        web.fault(Fault::Truncated),
        web.urls()[1].clone(),
    ];
    let list = url_file(&urls).expect("a list");
    let path = list.to_str().expect("UTF-8");
    let done =
        lesson(&["--urls", path, "--timeout", "0.5", "--max-bytes", "100000"]);
    assert_eq!(done.code, Some(1));
    let lines = done.lines();
    assert_eq!(lines.len(), urls.len() + 1, "{}", done.stdout);
    for url in &urls[1..3] {
        let timed_out = format!("Failed {url}: timed out after 0.5 s");
        assert!(lines.contains(&timed_out.as_str()), "{}", done.stdout);
    }
    assert_eq!(done.report().expect("a JSON report").failures(), 4);
    Ok(())
}

#[test]
fn nothing_a_user_types_or_a_server_sends_makes_it_panic_hang_or_lose_a_line() {
    let program = std::path::Path::new(env!("CARGO_BIN_EXE_ch05-async"));
    sites::hostile::check(program).unwrap_or_else(|err| panic!("{err}"));
}

/// A web of `pages` that serves one address `share` connections at once.
fn sharing(share: usize, pages: Pages) -> SimulatedWeb {
    let guard =
        web::Guard { connections: 100, per_address: share, ..Default::default() };
    let addr = "127.0.0.1:0".parse().expect("an address");
    SimulatedWeb::guarded(pages, addr, guard).expect("a web")
}

#[test]
fn against_a_server_that_limits_each_address_it_opens_no_more_and_says_so() {
    let web = sharing(50, Pages::synthetic(200, Duration::from_millis(100)));
    let done = lesson(&["--urls", &web.url("/urls.txt")]);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    assert_eq!(done.lines().len(), 201, "every page, then the summary");
    let note = "note: the server of the URL list lets one address hold 50 connections at \
                once: using 50 workers, not 200";
    assert_eq!(done.stderr.lines().collect::<Vec<_>>(), [note]);
    let report = done.report().expect("a report");
    assert_eq!((report.peak_in_flight(), report.failures()), (50, 0));
}

#[test]
fn past_a_server_s_share_each_download_waits_its_turn_and_none_is_cut_off() {
    let web = sharing(20, Pages::synthetic(40, Duration::from_millis(50)));
    // From a file, the lesson cannot know the server's share: it opens 40
    // connections, and 20 wait until the first 20 are idle long enough to go.
    let list = url_file(&web.urls()).expect("a URL file");
    let path = list.to_str().expect("a UTF-8 path");
    let done = lesson(&["--urls", path, "--workers", "40"]);
    assert_eq!(done.code, Some(0), "{}", done.stdout);
    assert_eq!(done.report().expect("a report").failures(), 0);
}

#[test]
fn its_help_is_said_in_chinese_where_the_system_reads_chinese() {
    let program = env!("CARGO_BIN_EXE_ch05-async");
    harness::help_in_chinese(program).unwrap_or_else(|why| panic!("{why}"));
}
