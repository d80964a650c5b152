//! Lesson 3 run as a learner runs it; schedules are read from its JSON report.
//! Its worker processes are also tried the hard way: killed, stopped, orphaned.

use std::{
    process::{Command, Stdio},
    time::Duration,
};

use sites::{
    NOTES_SITES, Report,
    harness::{self, Finished},
};

const LESSON: &str = env!("CARGO_BIN_EXE_ch03-processes");

/// The longest any run of the lesson may take here.
const LIMIT: Duration = Duration::from_secs(60);

fn lesson(args: &[&str]) -> Finished {
    harness::run_reporting(LESSON, args, LIMIT).expect("it ends")
}

fn report(args: &[&str]) -> Report {
    let done = lesson(args);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    done.report().expect("a JSON report").clone()
}

#[test]
fn the_pool_downloads_every_site_on_at_most_one_process_per_cpu() {
    let report = report(&["--speed", "50"]);
    assert_eq!(report.sites.len(), NOTES_SITES.len());
    for (site, notes) in report.sites.iter().zip(NOTES_SITES) {
        assert_eq!(site.bytes, Some(notes.bytes as u64), "{}", site.url);
    }
    let workers = report.workers();
    assert!((1..=sites::cpus().min(12)).contains(&workers.len()), "{workers:?}");
    assert!(
        workers.iter().all(|worker| worker.starts_with("process ")),
        "{workers:?}"
    );
}

#[test]
fn workers_sets_how_many_processes_download_at_once() {
    // Six pages of half a second: every process starts well before the queue
    // empties, even on a busy machine.
    let report = report(&["--sites", "6", "--latency", "500", "--workers", "3"]);
    assert_eq!(report.workers().len(), 3);
    assert_eq!(report.peak_in_flight(), 3);
}

#[test]
fn rayon_downloads_on_as_many_threads_as_its_pool_has() {
    let args =
        ["--sites", "8", "--latency", "200", "--variant", "rayon", "--workers", "2"];
    let report = report(&args);
    assert_eq!(report.workers().len(), 2);
    assert_eq!(report.peak_in_flight(), 2);
    assert!(report.workers().iter().all(|worker| worker.starts_with("thread ")));
}

#[test]
fn a_proxy_in_the_environment_does_not_take_the_simulated_web_s_traffic() {
    // A proxy that refuses every connection: a request sent to it fails.
    let refused = {
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        format!("http://{}", listener.local_addr().expect("bound"))
    };
    for variant in ["pool", "rayon"] {
        let mut command = Command::new(LESSON);
        command.args(["--speed", "50", "--variant", variant]);
        for name in
            ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "ALL_PROXY"]
        {
            command.env(name, &refused);
        }
        command.stdout(Stdio::piped());
        let done = harness::run_command(command, LIMIT).expect("the lesson ends");
        let stdout = done.stdout;
        assert_eq!(done.code, Some(0), "{variant}: {stdout}");
        assert_eq!(
            stdout.lines().filter(|l| l.starts_with("Read ")).count(),
            12,
            "{stdout}"
        );
    }
}

#[test]
fn a_worker_variable_set_by_hand_is_one_clear_line() {
    let mut command = Command::new(LESSON);
    command.env("SITES_PROCESS_WORKER", "-1 5").stderr(Stdio::piped());
    let done = harness::run_command(command, LIMIT).expect("it ends");
    let stderr = done.stderr;
    assert_eq!(done.code, Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr
            .contains("SITES_PROCESS_WORKER is set, but this is no worker process"),
        "{stderr}"
    );
}

#[test]
fn mapreduce_counts_the_words_both_ways_and_compares_the_times() {
    let args = ["--sites", "4", "--latency", "1", "--workers", "2"];
    let program = env!("CARGO_BIN_EXE_mapreduce");
    let done =
        harness::run(program, &args, Duration::from_secs(60)).expect("it ends");
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    let lines = done.lines();
    assert!(lines[4].starts_with("Download 4 sites in "), "{}", done.stdout);
    let counted =
        lines.iter().find(|line| line.starts_with("Counted ")).expect("a count");
    let said = " in 4 pages, 20 times over (the quickest of 3 tries):";
    assert!(counted.ends_with(said), "{counted}");
    assert!(lines.iter().any(|line| line.contains("with rayon, 2 threads:")));
}

#[test]
fn nothing_a_user_types_or_a_server_sends_makes_it_panic_hang_or_lose_a_line() {
    let program = std::path::Path::new(env!("CARGO_BIN_EXE_ch03-processes"));
    sites::hostile::check(program).unwrap_or_else(|err| panic!("{err}"));
}

/// Worker processes killed, stopped and orphaned, found through Linux's
/// `/proc`: the signals and the process tree these tests reach for are
/// Linux's. The lesson's own code for them is the same on every system.
#[cfg(target_os = "linux")]
mod workers_the_hard_way {
    use std::{
        fs,
        process::{Child, Command, Stdio},
        thread,
        time::{Duration, Instant},
    };

    use rustix::process::{Pid, Signal, kill_process};
    use sites::{Fault, PageSpec, Pages, SimulatedWeb, harness::url_file};

    use super::{LESSON, LIMIT};

    /// Starts the lesson on `urls` with one worker process, and waits until the
    /// web has the silent page's request in flight; returns the lesson and the
    /// worker's process id.
    fn one_worker_on_a_silent_page(
        web: &SimulatedWeb,
        urls: &[String],
        timeout: &str,
    ) -> (Child, Pid, tempfile::TempPath) {
        let list = url_file(urls).expect("a list");
        let child = Command::new(LESSON)
            .args([
                "--urls",
                list.to_str().expect("UTF-8"),
                "--workers",
                "1",
                "--timeout",
                timeout,
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the lesson starts");
        let in_flight = |web: &SimulatedWeb| {
            web.downloads()
                .iter()
                .any(|s| s.path == "/fault/silent" && s.finished_ms.is_none())
        };
        let started = Instant::now();
        while !in_flight(web) {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the silent page was never asked for"
            );
            thread::sleep(Duration::from_millis(10));
        }
        let workers = children(child.id());
        assert_eq!(workers.len(), 1, "one worker process: {workers:?}");
        let worker = Pid::from_raw(workers[0]).expect("a process id");
        (child, worker, list)
    }

    /// The processes that `pid` started, from Linux's `/proc`.
    fn children(pid: u32) -> Vec<i32> {
        let tasks =
            fs::read_dir(format!("/proc/{pid}/task")).expect("the process is alive");
        let lists = tasks.filter_map(|task| {
            fs::read_to_string(task.ok()?.path().join("children")).ok()
        });
        lists
            .flat_map(|list| {
                list.split_whitespace()
                    .filter_map(|pid| pid.parse().ok())
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Whether a process has ended (it may linger as a zombie until reaped).
    fn ended(pid: Pid) -> bool {
        match fs::read_to_string(format!("/proc/{}/stat", pid.as_raw_nonzero())) {
            Ok(stat) => {
                stat.rsplit_once(") ").is_some_and(|(_, rest)| rest.starts_with('Z'))
            }
            Err(_) => true,
        }
    }

    /// The lesson's output once it ends by itself, within a minute.
    fn output_of(child: Child) -> (String, Option<i32>) {
        let (sender, receiver) = std::sync::mpsc::channel();
        thread::spawn(move || sender.send(child.wait_with_output()));
        let output =
            receiver.recv_timeout(LIMIT).expect("the lesson ends within a minute");
        let output = output.expect("its output");
        (String::from_utf8_lossy(&output.stdout).into_owned(), output.status.code())
    }

    fn two_pages_and_a_silent_one() -> sites::Result<(SimulatedWeb, Vec<String>)> {
        let pages = ["/a", "/b"]
            .map(|path| PageSpec::new(path, 100, Duration::from_millis(20)));
        let web = SimulatedWeb::start(Pages::custom(pages.to_vec()))?;
        let urls = vec![web.fault(Fault::Silent), web.url("/a"), web.url("/b")];
        Ok((web, urls))
    }

    #[test]
    fn a_killed_worker_process_costs_one_site_and_is_replaced() -> sites::Result<()>
    {
        let (web, urls) = two_pages_and_a_silent_one()?;
        let (lesson, worker, _list) = one_worker_on_a_silent_page(&web, &urls, "30");
        kill_process(worker, Signal::KILL).expect("the worker is killed");
        let (stdout, code) = output_of(lesson);
        assert_eq!(code, Some(1), "{stdout}");
        let died = format!(
            "Failed {}: the worker process died: it ended without answering",
            urls[0]
        );
        assert!(stdout.contains(&died), "{stdout}");
        assert!(stdout.contains(&format!("Read 100 from {}", urls[1])), "{stdout}");
        assert!(stdout.contains(&format!("Read 100 from {}", urls[2])), "{stdout}");
        Ok(())
    }

    #[test]
    fn a_stopped_worker_process_is_killed_past_its_timeout_and_replaced()
    -> sites::Result<()> {
        let (web, urls) = two_pages_and_a_silent_one()?;
        let (lesson, worker, _list) = one_worker_on_a_silent_page(&web, &urls, "1");
        kill_process(worker, Signal::STOP).expect("the worker is stopped");
        let (stdout, code) = output_of(lesson);
        assert_eq!(code, Some(1), "{stdout}");
        let late = format!(
            "Failed {}: the worker process did not answer within 2 s, and was stopped",
            urls[0]
        );
        assert!(stdout.contains(&late), "{stdout}");
        assert!(stdout.contains(&format!("Read 100 from {}", urls[2])), "{stdout}");
        assert!(ended(worker), "the stopped worker was killed");
        Ok(())
    }

    #[test]
    fn worker_processes_end_with_their_parent() -> sites::Result<()> {
        let (web, urls) = two_pages_and_a_silent_one()?;
        let (mut lesson, worker, _list) =
            one_worker_on_a_silent_page(&web, &urls, "600");
        lesson.kill().expect("the lesson is killed");
        let _ = lesson.wait();
        let killed = Instant::now();
        while !ended(worker) {
            assert!(
                killed.elapsed() < Duration::from_secs(10),
                "the worker outlived its parent"
            );
            thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }
}

#[test]
fn its_help_and_mapreduce_s_are_said_in_chinese_where_the_system_reads_chinese() {
    for program in [LESSON, env!("CARGO_BIN_EXE_mapreduce")] {
        harness::help_in_chinese(program).unwrap_or_else(|why| panic!("{why}"));
    }
}
