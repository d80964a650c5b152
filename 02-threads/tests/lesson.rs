//! Lesson 2 run as a learner runs it; the schedule is read from its JSON report.

use std::{io::Write, time::Duration};

use sites::{Fault, NOTES_SITES, Pages, Report, SimulatedWeb, harness::Finished};

fn run(program: &str, args: &[&str]) -> Finished {
    sites::harness::run(program, args, Duration::from_secs(60)).expect("it ends")
}

fn lesson(args: &[&str]) -> Finished {
    run(env!("CARGO_BIN_EXE_ch02-threads"), args)
}

/// The JSON report of a successful run. The tests run the web at a speed where
/// every download still takes milliseconds, far longer than starting a thread.
fn report(args: &[&str]) -> Report {
    let args = [args, &["--json"]].concat();
    let done = lesson(&args);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    done.report().expect("one JSON object")
}

/// Each URL of the list exactly once, with the notes' size.
fn assert_every_site_downloaded_once(report: &Report) {
    assert_eq!(report.sites.len(), 12);
    for (site, notes) in report.sites.iter().zip(NOTES_SITES) {
        assert!(site.url.ends_with(notes.path()), "{} for {}", site.url, notes.url);
        assert_eq!(site.bytes, Some(notes.bytes as u64), "{}", site.url);
    }
}

#[test]
fn the_pool_downloads_five_at_a_time_on_five_threads() {
    let report = report(&["--speed", "5"]);
    assert_every_site_downloaded_once(&report);
    assert_eq!(report.peak_in_flight(), 5);
    assert_eq!(report.workers().len(), 5);
}

#[test]
fn workers_sets_the_size_of_the_pool() {
    let report = report(&["--workers", "2", "--speed", "5"]);
    assert_every_site_downloaded_once(&report);
    assert_eq!(report.peak_in_flight(), 2);
    assert_eq!(report.workers().len(), 2);
}

#[test]
fn the_pool_hands_out_the_sites_in_list_order() {
    let report = report(&["--speed", "5"]);
    let mut by_start: Vec<usize> = (0..report.sites.len()).collect();
    by_start.sort_by(|&a, &b| {
        report.sites[a].start_ms.total_cmp(&report.sites[b].start_ms)
    });
    // The first five start together; after that, each site starts when one
    // before it in the list has ended, so no site starts before an earlier one
    // by more than the few sites running at once.
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
fn the_scoped_variant_starts_a_thread_per_site_all_at_once() {
    let report = report(&["--variant", "scoped", "--speed", "5"]);
    assert_every_site_downloaded_once(&report);
    assert_eq!(report.workers().len(), 12);
    assert_eq!(report.peak_in_flight(), 12);
}

#[test]
fn every_url_gets_one_line_when_pages_fail_or_a_worker_panics() -> sites::Result<()>
{
    let web = SimulatedWeb::start(Pages::notes().faster(10.0))?;
    let good = web.urls();
    let urls = [
        good[0].clone(),
        web.fault(Fault::Panic),
        web.fault(Fault::Silent),
        web.fault(Fault::Reset),
        good[2].clone(),
        web.fault(Fault::Status(500)),
        good[3].clone(),
    ];
    let mut list = tempfile::NamedTempFile::new().expect("a temporary file");
    writeln!(list, "{}", urls.join("\n")).expect("written");
    let path = list.path().to_str().expect("UTF-8");
    for variant in ["pool", "scoped"] {
        let args =
            ["--urls", path, "--timeout", "0.5", "--variant", variant, "--json"];
        let done = lesson(&args);
        assert_eq!(done.code, Some(1), "{variant}: {}", done.stderr);
        let report = done.report().expect("one JSON object");
        let listed: Vec<&str> =
            report.sites.iter().map(|site| site.url.as_str()).collect();
        assert_eq!(listed, urls, "{variant}");
        let errors: Vec<Option<&str>> =
            report.sites.iter().map(|site| site.error.as_deref()).collect();
        assert_eq!(errors[1], Some("the worker panicked"), "{variant}");
        assert_eq!(errors[2], Some("timed out after 0.5 s"), "{variant}");
        assert_eq!(report.failures(), 4, "{variant}: {errors:?}");

        let text = lesson(&args[..args.len() - 1]);
        assert_eq!(text.lines().len(), urls.len() + 1, "{variant}: {}", text.stdout);
    }
    Ok(())
}

#[test]
fn thread_cost_prints_the_cost_of_a_thread_and_of_a_pooled_job() {
    let done =
        run(env!("CARGO_BIN_EXE_thread-cost"), &["--jobs", "200", "--alive", "20"]);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    let lines = done.lines();
    assert_eq!(lines.len(), 4, "{}", done.stdout);
    assert!(lines[0].starts_with("200 jobs, each on a thread of its own: "));
    assert!(lines[1].starts_with("200 jobs on a pool of 5 threads: "));
    assert!(lines[3].contains("KiB"), "{}", lines[3]);
}
