//! Lesson 1 run as a learner runs it, against the simulated web.

use std::{
    process::{Command, Stdio},
    time::Duration,
};

use sites::{
    Fault, NOTES_SITES, PageSpec, Pages, SimulatedWeb,
    harness::{self, Finished, url_file},
};

/// Runs the lesson with these arguments; a minute is ample even for a debug build.
fn lesson(args: &[&str]) -> Finished {
    let program = env!("CARGO_BIN_EXE_ch01-sequential");
    harness::run(program, args, Duration::from_secs(60)).expect("the lesson ends")
}

/// The same, with the JSON report read back.
fn reporting(args: &[&str]) -> Finished {
    let program = env!("CARGO_BIN_EXE_ch01-sequential");
    harness::run_reporting(program, args, Duration::from_secs(60)).expect("it ends")
}

#[test]
fn it_prints_the_notes_twelve_sizes_in_order_then_the_summary() {
    let done = lesson(&["--speed", "50"]);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    let lines = done.lines();
    assert_eq!(lines.len(), 13, "{}", done.stdout);
    for (line, site) in lines.iter().zip(NOTES_SITES) {
        let expected_end =
            site.url.split_once("://").map(|(_, rest)| rest).expect("a scheme");
        assert!(
            line.starts_with(&format!("Read {} from http://127.0.0.1:", site.bytes)),
            "{line}"
        );
        assert!(line.ends_with(expected_end), "{line} for {}", site.url);
    }
    assert!(lines[12].starts_with("Download 12 sites in "), "{}", lines[12]);
    assert!(lines[12].ends_with(" seconds"), "{}", lines[12]);
}

#[test]
fn the_json_report_shows_one_request_in_flight_at_a_time_in_list_order() {
    let done = reporting(&["--speed", "50"]);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    let report = done.report().expect("a JSON report");

    assert_eq!(report.sites.len(), 12);
    assert_eq!(report.peak_in_flight(), 1);
    assert_eq!(report.workers(), ["main"]);
    let listed: Vec<&str> =
        report.sites.iter().map(|site| site.url.as_str()).collect();
    assert_eq!(report.finish_order(), listed);
    assert_eq!(report.sites.len(), NOTES_SITES.len());
    for (site, notes) in report.sites.iter().zip(NOTES_SITES) {
        assert_eq!(site.bytes, Some(notes.bytes as u64));
        assert_eq!(site.error, None);
        assert!(site.start_ms <= site.end_ms && site.end_ms <= report.wall_ms);
    }
}

#[test]
fn the_web_served_one_request_at_a_time_on_one_connection() -> sites::Result<()> {
    let web = SimulatedWeb::start(Pages::notes().faster(50.0))?;
    let list = url_file(&web.urls()).expect("a list");
    let done = lesson(&["--urls", list.to_str().expect("UTF-8")]);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    let served = web.downloads();
    assert_eq!(served.len(), 12);
    for pair in served.windows(2) {
        let finished = pair[0].finished_ms.expect("every answer ended");
        assert!(pair[1].arrived_ms >= finished, "{pair:?}");
    }
    // One client, which keeps its connection open from one site to the next.
    assert!(served.iter().all(|request| request.connection == served[0].connection));
    Ok(())
}

#[test]
fn the_timeline_draws_a_staircase() {
    // A page of 60 ms each: the steps are wide enough to tell apart.
    let done = lesson(&["--sites", "6", "--latency", "60", "--timeline"]);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    let stdout = done.stdout;
    let bars: Vec<(usize, usize)> = stdout
        .lines()
        .filter_map(|line| {
            let bar = line.split_once('|')?.1;
            let first = bar.find('#')?;
            Some((first, bar.rfind('#')?))
        })
        .collect();
    assert_eq!(bars.len(), 6, "{stdout}");
    for step in bars.windows(2) {
        let ((start, end), (next_start, _)) = (step[0], step[1]);
        assert!(
            next_start > start && next_start + 1 >= end,
            "not a staircase:\n{stdout}"
        );
    }
}

#[test]
fn every_url_gets_one_line_when_pages_fail_and_the_run_ends_within_its_timeouts()
-> sites::Result<()> {
    let good = PageSpec::new("/good", 2443, Duration::ZERO);
    let web = SimulatedWeb::start(Pages::custom(vec![good]))?;
    let refused = {
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        format!("http://{}/", listener.local_addr().expect("bound"))
    };
    let urls = vec![
        web.url("/good"),
        web.fault(Fault::Silent),
        web.fault(Fault::Status(503)),
        web.fault(Fault::Reset),
        web.fault(Fault::Truncated),
        web.fault(Fault::Stall),
        web.fault(Fault::Drip),
        web.fault(Fault::Endless),
        web.fault(Fault::Huge),
        refused.clone(),
        web.url("/good"),
    ];
    let list = url_file(&urls).expect("a list");
    let path = list.to_str().expect("a UTF-8 path");
    let done =
        lesson(&["--urls", path, "--timeout", "0.5", "--max-bytes", "1000000"]);

    assert_eq!(done.code, Some(1), "a failure means exit status 1");
    let lines = done.lines();
    assert_eq!(lines.len(), urls.len() + 1, "{}", done.stdout);
    for (line, url) in lines.iter().zip(&urls) {
        assert!(
            line.ends_with(url.as_str()) || line.contains(&format!("{url}: ")),
            "{line}"
        );
    }
    let timed_out = ": timed out after 0.5 s";
    let too_large = ": page is larger than the limit of 1000000 bytes";
    assert!(lines[0].starts_with("Read 2443 from "));
    assert!(lines[1].ends_with(timed_out), "{}", lines[1]);
    assert!(
        lines[2].ends_with(": HTTP status 503 Service Unavailable"),
        "{}",
        lines[2]
    );
    assert!(lines[3].starts_with("Failed "), "{}", lines[3]);
    assert!(lines[4].starts_with("Failed "), "{}", lines[4]);
    // Headers, then nothing: the same timeout as a server that never answers.
    assert!(lines[5].ends_with(timed_out), "{}", lines[5]);
    assert!(lines[6].ends_with(timed_out), "{}", lines[6]);
    assert!(lines[7].ends_with(too_large), "{}", lines[7]);
    assert!(lines[8].ends_with(too_large), "{}", lines[8]);
    assert!(lines[9].starts_with(&format!("Failed {refused}: ")), "{}", lines[9]);
    assert!(lines[10].starts_with("Read 2443 from "));
    assert!(lines[11].starts_with("Download 11 sites in "), "{}", lines[11]);
    // Three timeouts of 0.5 s; the bound is loose, it only catches a hang.
    assert!(done.took < Duration::from_secs(10), "took {:?}", done.took);
    Ok(())
}

/// Runs the lesson and returns its one line of error, which must end it with
/// `code`: 2 for bad arguments, 1 for a list it cannot use (read as the lesson
/// sets up, after parsing). Without `RUST_BACKTRACE`, which would add the
/// error's backtrace to its line.
fn error_line(args: &[&str], code: i32) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ch01-sequential"));
    command.args(args).env_remove("RUST_BACKTRACE");
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let done = harness::run_command(command, Duration::from_secs(60));
    let done = done.expect("the lesson ends");
    assert_eq!(done.code, Some(code), "{args:?}");
    assert!(done.stdout.is_empty());
    assert_eq!(done.stderr.lines().count(), 1, "one line, not {}", done.stderr);
    done.stderr
}

#[test]
fn a_missing_url_file_is_one_clear_line() {
    let line = error_line(&["--urls", "no/such/list.txt"], 1);
    assert!(line.contains("cannot read no/such/list.txt: No such file"), "{line}");
}

#[test]
fn an_invalid_url_is_one_clear_line_naming_its_place() {
    let list = url_file(&[
        "# a list".into(),
        "http://127.0.0.1:9/".into(),
        "not a url".into(),
    ]);
    let list = list.expect("a list");
    let line = error_line(&["--urls", list.to_str().expect("UTF-8")], 1);
    assert!(line.contains(":3: not an http(s) URL: not a url"), "{line}");
}

#[test]
fn an_unknown_flag_is_one_clear_line() {
    let line = error_line(&["--wrokers", "5"], 2);
    assert!(line.contains("'--wrokers'") && line.contains("--help"), "{line}");
    // Lesson 1 has one way of running, and no pool.
    error_line(&["--variant", "nonsense"], 2);
    error_line(&["--workers", "3"], 2);
}

#[test]
fn help_lists_the_common_options() {
    let done = lesson(&["--help"]);
    assert_eq!(done.code, Some(0));
    let help = done.stdout;
    for option in [
        "--online",
        "--urls",
        "--timeout",
        "--timeline",
        "--json",
        "--sites",
        "--speed",
    ] {
        assert!(help.contains(option), "{option} missing from\n{help}");
    }
    assert!(!help.contains("--workers"), "lesson 1 has no pool");
}

#[test]
fn nothing_a_user_types_or_a_server_sends_makes_it_panic_hang_or_lose_a_line() {
    let program = std::path::Path::new(env!("CARGO_BIN_EXE_ch01-sequential"));
    sites::hostile::check(program).unwrap_or_else(|err| panic!("{err}"));
}

#[test]
fn its_help_is_said_in_chinese_where_the_system_reads_chinese() {
    let program = env!("CARGO_BIN_EXE_ch01-sequential");
    harness::help_in_chinese(program).unwrap_or_else(|why| panic!("{why}"));
}
