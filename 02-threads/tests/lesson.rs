//! Lesson 2 run as a learner runs it. Schedules are read from its JSON report
//! and from the simulated web's own record, on pages slow enough (200 ms) that
//! a busy machine cannot blur them.

use std::time::Duration;

use sites::{
    Fault, NOTES_SITES, PageSpec, Pages, Report, SimulatedWeb,
    harness::{self, Finished, url_file},
};

fn lesson(args: &[&str]) -> Finished {
    let program = env!("CARGO_BIN_EXE_ch02-threads");
    harness::run_reporting(program, args, Duration::from_secs(60)).expect("it ends")
}

/// The JSON report of a successful run.
fn report(args: &[&str]) -> Report {
    let done = lesson(args);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    done.report().expect("a JSON report").clone()
}

/// Twelve made-up pages of 200 ms each.
const SLOW: [&str; 4] = ["--sites", "12", "--latency", "200"];

#[test]
fn the_pool_downloads_the_notes_sites_each_once_with_its_size() {
    let report = report(&["--speed", "50"]);
    assert_eq!(report.sites.len(), 12);
    for (site, notes) in report.sites.iter().zip(NOTES_SITES) {
        assert!(site.url.ends_with(notes.path()), "{} for {}", site.url, notes.url);
        assert_eq!(site.bytes, Some(notes.bytes as u64), "{}", site.url);
    }
}

#[test]
fn the_pool_downloads_five_at_a_time_on_five_threads() {
    let report = report(&SLOW);
    assert_eq!(report.peak_in_flight(), 5);
    assert_eq!(report.workers().len(), 5);
    assert_eq!(report.failures(), 0);
}

#[test]
fn workers_sets_the_size_of_the_pool_and_no_more_start_than_there_are_sites() {
    let two = report(&[&SLOW[..], &["--workers", "2"]].concat());
    assert_eq!(two.peak_in_flight(), 2);
    assert_eq!(two.workers().len(), 2);
    let many = report(&[&SLOW[..], &["--workers", "100000"]].concat());
    assert_eq!(many.workers().len(), 12);
}

#[test]
fn the_pool_hands_out_the_sites_in_list_order() {
    let report = report(&SLOW);
    let mut by_start: Vec<usize> = (0..report.sites.len()).collect();
    by_start.sort_by(|&a, &b| {
        report.sites[a].start_ms.total_cmp(&report.sites[b].start_ms)
    });
    // Each worker takes the next site of the list when it is free: no site
    // starts before an earlier one by more than the five running at once,
    // and each worker's own sites come in list order.
    for (position, &index) in by_start.iter().enumerate() {
        assert!(index.abs_diff(position) < 5, "site {index} started {position}th");
    }
    for worker in report.workers() {
        let mine: Vec<usize> = by_start
            .iter()
            .copied()
            .filter(|&i| report.sites[i].worker == worker)
            .collect();
        assert!(mine.is_sorted(), "{worker} took {mine:?}");
    }
}

#[test]
fn the_scoped_variant_starts_a_thread_per_site_all_at_once() -> sites::Result<()> {
    let pages = (0..12)
        .map(|n| PageSpec::new(&format!("/{n}"), 100, Duration::from_millis(200)));
    let web = SimulatedWeb::start(Pages::custom(pages.collect()))?;
    let list = url_file(&web.urls()).expect("a list");
    let report =
        report(&["--urls", list.to_str().expect("UTF-8"), "--variant", "scoped"]);
    assert_eq!(report.workers().len(), 12);
    assert_eq!(report.peak_in_flight(), 12);
    // The web saw it too: twelve connections, every request in before the
    // first answer ended.
    let served = web.downloads();
    let first_end =
        served.iter().filter_map(|s| s.finished_ms).fold(f64::MAX, f64::min);
    assert!(served.iter().all(|s| s.arrived_ms < first_end), "{served:?}");
    let mut connections: Vec<u64> = served.iter().map(|s| s.connection).collect();
    connections.sort();
    connections.dedup();
    assert_eq!(connections.len(), 12);
    Ok(())
}

#[test]
fn an_unknown_variant_is_a_usage_error_naming_the_valid_ones() {
    let done = lesson(&["--variant", "nonsense"]);
    assert_eq!(done.code, Some(2));
    assert_eq!(done.stderr.lines().count(), 1, "{}", done.stderr);
    assert!(
        done.stderr.contains("pool") && done.stderr.contains("scoped"),
        "{}",
        done.stderr
    );
}

#[test]
fn every_url_gets_one_line_when_pages_fail() -> sites::Result<()> {
    let web = SimulatedWeb::start(Pages::notes().faster(10.0))?;
    let good = web.urls();
    let urls = [
        good[0].clone(),
        web.fault(Fault::Stall),
        web.fault(Fault::Silent),
        web.fault(Fault::Reset),
        good[2].clone(),
        web.fault(Fault::Status(500)),
        good[3].clone(),
    ];
    let list = url_file(&urls).expect("a list");
    let path = list.to_str().expect("UTF-8");
    for variant in ["pool", "scoped"] {
        let done =
            lesson(&["--urls", path, "--timeout", "0.5", "--variant", variant]);
        assert_eq!(done.code, Some(1), "{variant}: {}", done.stderr);
        let report = done.report().expect("a JSON report");
        let listed: Vec<&str> =
            report.sites.iter().map(|site| site.url.as_str()).collect();
        assert_eq!(listed, urls, "{variant}");
        let errors: Vec<Option<&str>> =
            report.sites.iter().map(|site| site.error.as_deref()).collect();
        assert_eq!(errors[1], Some("timed out after 0.5 s"), "{variant}");
        assert_eq!(errors[2], Some("timed out after 0.5 s"), "{variant}");
        assert_eq!(report.failures(), 4, "{variant}: {errors:?}");
        assert_eq!(done.lines().len(), urls.len() + 1, "{variant}: {}", done.stdout);
        done.one_line_each(&urls).unwrap_or_else(|why| panic!("{variant}: {why}"));
    }
    Ok(())
}

#[test]
fn thread_cost_prints_the_cost_of_a_thread_and_of_a_pooled_job() {
    let program = env!("CARGO_BIN_EXE_thread-cost");
    let args = ["--jobs", "200", "--alive", "20"];
    let done =
        harness::run(program, &args, Duration::from_secs(60)).expect("it ends");
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    let lines = done.lines();
    assert_eq!(lines.len(), 4, "{}", done.stdout);
    assert!(lines[0].starts_with("200 jobs, each on a thread of its own: "));
    assert!(lines[1].starts_with("200 jobs on a pool of 5 threads: "));
    assert!(lines[3].contains("KiB"), "{}", lines[3]);
}

#[test]
fn nothing_a_user_types_or_a_server_sends_makes_it_panic_hang_or_lose_a_line() {
    let program = std::path::Path::new(env!("CARGO_BIN_EXE_ch02-threads"));
    sites::hostile::check(program).unwrap_or_else(|err| panic!("{err}"));
}

#[cfg(target_os = "linux")]
#[test]
fn thread_cost_keeps_to_the_threads_the_system_allows_and_says_so() {
    // 300 MB of address space holds a few dozen threads' stacks, not 5,000.
    let done = std::process::Command::new("sh")
        .args(["-c", "ulimit -v 300000 && exec \"$0\" --jobs 20 --alive 5000"])
        .arg(env!("CARGO_BIN_EXE_thread-cost"))
        .env_remove("RUST_BACKTRACE")
        .env("LC_ALL", "C")
        .output()
        .expect("thread-cost ran");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&done.stdout),
        String::from_utf8_lossy(&done.stderr),
    );
    assert_eq!(done.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("note: this system allows "), "{stderr}");
    assert!(stderr.trim_end().ends_with(", not 5000"), "{stderr}");
    assert!(stdout.contains("A waiting thread uses "), "{stdout}");
}

#[test]
fn its_help_and_thread_cost_s_are_said_in_chinese_where_the_system_reads_chinese() {
    for program in
        [env!("CARGO_BIN_EXE_ch02-threads"), env!("CARGO_BIN_EXE_thread-cost")]
    {
        harness::help_in_chinese(program).unwrap_or_else(|why| panic!("{why}"));
    }
}
