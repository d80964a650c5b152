//! Lesson 4 run as a learner runs it: the order of its lines is the order in
//! which `main` takes the results.

use std::time::Duration;

use sites::{
    Fault, NOTES_SITES, PageSpec, Pages, SimulatedWeb,
    harness::{self, Finished, url_file},
};

fn lesson(args: &[&str]) -> Finished {
    let program = env!("CARGO_BIN_EXE_ch04-futures");
    harness::run_reporting(program, args, Duration::from_secs(60)).expect("it ends")
}

/// The URL at the end of each `Read N from URL` line.
fn urls_printed(done: &Finished) -> Vec<&str> {
    let reads = done.lines().into_iter().filter(|line| line.starts_with("Read "));
    reads.filter_map(|line| line.split(" from ").nth(1)).collect()
}

#[test]
fn as_completed_takes_results_as_they_finish_and_in_order_as_submitted()
-> sites::Result<()> {
    // On three workers, the slow page first in the list finishes last; each
    // end is at least 200 ms from the next (100, 300, 500 and 900 ms).
    let page = |path, ms| PageSpec::new(path, 1000, Duration::from_millis(ms));
    let pages =
        vec![page("/slow", 900), page("/a", 100), page("/b", 300), page("/c", 400)];
    let web = SimulatedWeb::start(Pages::custom(pages))?;
    let [slow, a, b, c] = ["/slow", "/a", "/b", "/c"].map(|path| web.url(path));
    // c starts when a ends, at 100 ms, and ends at 500.
    let list =
        url_file(&[slow.clone(), a.clone(), b.clone(), c.clone()]).expect("a list");
    let path = list.to_str().expect("UTF-8");

    let done = lesson(&["--urls", path]);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    assert_eq!(urls_printed(&done), [&a, &b, &c, &slow]);

    let done = lesson(&["--urls", path, "--variant", "in-order"]);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    assert_eq!(urls_printed(&done), [&slow, &a, &b, &c]);
    Ok(())
}

#[test]
fn three_workers_download_every_site_once_the_duplicate_twice() {
    for variant in ["as-completed", "in-order"] {
        let done = lesson(&["--speed", "50", "--variant", variant]);
        assert_eq!(done.code, Some(0), "{}", done.stderr);
        let report = done.report().expect("a JSON report");
        assert!(report.workers().len() <= 3, "{variant}");
        // Every site as often as the list has it, in any order (the notes
        // list one twice).
        for notes in NOTES_SITES {
            let times =
                NOTES_SITES.iter().filter(|o| o.path() == notes.path()).count();
            let got: Vec<_> = report
                .sites
                .iter()
                .filter(|site| site.url.ends_with(&notes.path()))
                .collect();
            assert_eq!(got.len(), times, "{variant}: {}", notes.path());
            assert!(
                got.iter().all(|site| site.bytes == Some(notes.bytes as u64)),
                "{variant}"
            );
        }
    }
}

#[test]
fn three_workers_download_three_at_a_time() {
    let done = lesson(&["--sites", "9", "--latency", "200"]);
    let report = done.report().expect("a JSON report");
    assert_eq!(report.peak_in_flight(), 3);
    assert_eq!(report.workers().len(), 3);
}

#[test]
fn result_gives_back_the_workers_error_and_every_url_gets_one_line()
-> sites::Result<()> {
    let web = SimulatedWeb::start(Pages::notes().faster(10.0))?;
    let urls = [
        web.urls()[0].clone(),
        web.fault(Fault::Reset),
        web.fault(Fault::Status(404)),
        web.fault(Fault::Silent),
        web.urls()[1].clone(),
    ];
    let list = url_file(&urls).expect("a list");
    for variant in ["as-completed", "in-order"] {
        let path = list.to_str().expect("UTF-8");
        let done =
            lesson(&["--urls", path, "--timeout", "0.5", "--variant", variant]);
        assert_eq!(done.code, Some(1), "{variant}");
        let lines = done.lines();
        assert_eq!(lines.len(), urls.len() + 1, "{variant}: {}", done.stdout);
        done.one_line_each(&urls).unwrap_or_else(|why| panic!("{variant}: {why}"));
        let failures = [
            format!("Failed {}: HTTP status 404 Not Found", urls[2]),
            format!("Failed {}: timed out after 0.5 s", urls[3]),
        ];
        for failure in failures {
            assert!(lines.contains(&failure.as_str()), "{variant}: {failure}");
        }
    }
    Ok(())
}

#[test]
fn nothing_a_user_types_or_a_server_sends_makes_it_panic_hang_or_lose_a_line() {
    let program = std::path::Path::new(env!("CARGO_BIN_EXE_ch04-futures"));
    sites::hostile::check(program).unwrap_or_else(|err| panic!("{err}"));
}

#[test]
fn its_help_is_said_in_chinese_where_the_system_reads_chinese() {
    let program = env!("CARGO_BIN_EXE_ch04-futures");
    harness::help_in_chinese(program).unwrap_or_else(|why| panic!("{why}"));
}
