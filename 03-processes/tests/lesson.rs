//! Lesson 3 run as a learner runs it; the schedule is read from its JSON report.

use std::{io::Write, time::Duration};

use sites::{Fault, NOTES_SITES, Pages, Report, SimulatedWeb, harness::Finished};

fn run(program: &str, args: &[&str]) -> Finished {
    sites::harness::run(program, args, Duration::from_secs(60)).expect("it ends")
}

fn lesson(args: &[&str]) -> Finished {
    run(env!("CARGO_BIN_EXE_ch03-processes"), args)
}

fn report(args: &[&str]) -> Report {
    let done = lesson(&[args, &["--json"]].concat());
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    let report = done.report().expect("one JSON object");
    for (site, notes) in report.sites.iter().zip(NOTES_SITES) {
        assert_eq!(site.bytes, Some(notes.bytes as u64), "{}", site.url);
    }
    report
}

#[test]
fn the_pool_has_one_worker_process_per_cpu() {
    let cpus = sites::cpus().min(12);
    let report = report(&["--speed", "5"]);
    assert_eq!(report.workers().len(), cpus);
    assert!(report.peak_in_flight() <= cpus);
}

#[test]
fn workers_sets_how_many_processes_and_each_is_a_process_of_its_own() {
    let report = report(&["--speed", "5", "--workers", "3"]);
    let workers = report.workers();
    assert_eq!(workers.len(), 3);
    assert_eq!(report.peak_in_flight(), 3);
    let me = format!("process {}", std::process::id());
    assert!(
        workers.iter().all(|worker| worker.starts_with("process ") && *worker != me)
    );
}

#[test]
fn rayon_downloads_on_as_many_threads_as_its_pool_has() {
    let report = report(&["--speed", "5", "--variant", "rayon", "--workers", "2"]);
    assert_eq!(report.workers().len(), 2);
    assert_eq!(report.peak_in_flight(), 2);
    assert!(report.workers().iter().all(|worker| worker.starts_with("thread ")));
}

#[test]
fn a_crashed_worker_process_costs_one_site_and_is_replaced() -> sites::Result<()> {
    let web = SimulatedWeb::start(Pages::notes().faster(10.0))?;
    let good = web.urls();
    let urls = [
        good[0].clone(),
        web.fault(Fault::Panic),
        good[1].clone(),
        web.fault(Fault::Status(503)),
        good[2].clone(),
        good[3].clone(),
    ];
    let mut list = tempfile::NamedTempFile::new().expect("a temporary file");
    writeln!(list, "{}", urls.join("\n")).expect("written");
    let path = list.path().to_str().expect("UTF-8");

    let done = lesson(&["--urls", path, "--workers", "2", "--json"]);
    assert_eq!(done.code, Some(1));
    let report = done.report().expect("one JSON object");
    let errors: Vec<Option<&str>> =
        report.sites.iter().map(|s| s.error.as_deref()).collect();
    assert!(
        errors[1].is_some_and(|e| e.starts_with("the worker process died")),
        "{errors:?}"
    );
    assert_eq!(errors[3], Some("HTTP status 503 Service Unavailable"));
    assert_eq!(report.failures(), 2, "{errors:?}");

    let done = lesson(&["--urls", path, "--workers", "2", "--variant", "rayon"]);
    assert_eq!(done.lines().len(), urls.len() + 1, "{}", done.stdout);
    Ok(())
}

#[test]
fn mapreduce_counts_the_words_both_ways_and_compares_the_times() {
    let args = ["--sites", "4", "--latency", "1", "--workers", "2"];
    let done = run(env!("CARGO_BIN_EXE_mapreduce"), &args);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    let lines = done.lines();
    assert!(lines[4].starts_with("Download 4 sites in "), "{}", done.stdout);
    let counted =
        lines.iter().find(|line| line.starts_with("Counted ")).expect("a count");
    assert!(counted.ends_with(" in 4 pages, 20 times over:"), "{counted}");
    assert!(lines.iter().any(|line| line.contains("with rayon, 2 threads:")));
}
