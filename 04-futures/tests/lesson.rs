//! Lesson 4 run as a learner runs it: the order of its lines is the order in
//! which `main` takes the results.

use std::{io::Write, time::Duration};

use sites::{Fault, Pages, SimulatedWeb, harness::Finished};

fn lesson(args: &[&str]) -> Finished {
    let program = env!("CARGO_BIN_EXE_ch04-futures");
    sites::harness::run(program, args, Duration::from_secs(60)).expect("it ends")
}

/// A `--urls` file listing these URLs.
fn url_file(urls: &[String]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().expect("a temporary file");
    writeln!(file, "{}", urls.join("\n")).expect("written");
    file
}

/// The URL at the end of each `Read N from URL` line.
fn urls_printed(done: &Finished) -> Vec<&str> {
    let reads = done.lines().into_iter().filter(|line| line.starts_with("Read "));
    reads.filter_map(|line| line.split(" from ").nth(1)).collect()
}

#[test]
fn as_completed_takes_results_as_they_finish_and_in_order_as_submitted()
-> sites::Result<()> {
    // At half speed: www.163.com takes 310 ms, baidu 21, qq 30, pypi 105. On
    // three workers they finish baidu, qq, pypi (started when baidu ended), 163.
    let web = SimulatedWeb::start(Pages::notes().faster(2.0))?;
    let [baidu, pypi, netease, qq] = [0, 1, 3, 4].map(|i| web.urls()[i].clone());
    let list = url_file(&[netease.clone(), baidu.clone(), qq.clone(), pypi.clone()]);
    let path = list.path().to_str().expect("UTF-8");

    let done = lesson(&["--urls", path]);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    assert_eq!(urls_printed(&done), [&baidu, &qq, &pypi, &netease]);

    let done = lesson(&["--urls", path, "--variant", "in-order"]);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    assert_eq!(urls_printed(&done), [&netease, &baidu, &qq, &pypi]);
    Ok(())
}

#[test]
fn three_workers_download_every_site_once_the_duplicate_twice() {
    for variant in ["as-completed", "in-order"] {
        let done = lesson(&["--speed", "5", "--variant", variant, "--json"]);
        assert_eq!(done.code, Some(0), "{}", done.stderr);
        let report = done.report().expect("one JSON object");
        assert_eq!(report.peak_in_flight(), 3, "{variant}");
        assert_eq!(report.workers().len(), 3, "{variant}");
        let ce: Vec<_> = report
            .sites
            .iter()
            .filter(|site| site.url.ends_with("/www.ce.cn/"))
            .collect();
        assert_eq!(ce.len(), 2, "{variant}");
        assert!(ce.iter().all(|site| site.bytes == Some(107_852)), "{variant}");
        assert_ne!(ce[0].start_ms, ce[1].start_ms, "two downloads, not one");
    }
}

#[test]
fn result_gives_back_the_workers_error_and_every_url_gets_one_line()
-> sites::Result<()> {
    let web = SimulatedWeb::start(Pages::notes().faster(10.0))?;
    let urls = [
        web.urls()[0].clone(),
        web.fault(Fault::Panic),
        web.fault(Fault::Status(404)),
        web.fault(Fault::Silent),
        web.urls()[1].clone(),
    ];
    let list = url_file(&urls);
    for variant in ["as-completed", "in-order"] {
        let path = list.path().to_str().expect("UTF-8");
        let done =
            lesson(&["--urls", path, "--timeout", "0.5", "--variant", variant]);
        assert_eq!(done.code, Some(1), "{variant}");
        let lines = done.lines();
        assert_eq!(lines.len(), urls.len() + 1, "{variant}: {}", done.stdout);
        for url in &urls {
            let mine =
                lines.iter().filter(|line| line.contains(url.as_str())).count();
            assert_eq!(mine, 1, "{variant}: {url} in {}", done.stdout);
        }
        let failures = [
            format!("Failed {}: the worker panicked", urls[1]),
            format!("Failed {}: HTTP status 404 Not Found", urls[2]),
            format!("Failed {}: timed out after 0.5 s", urls[3]),
        ];
        for failure in failures {
            assert!(lines.contains(&failure.as_str()), "{variant}: {failure}");
        }
    }
    Ok(())
}
