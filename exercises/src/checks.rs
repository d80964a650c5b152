//! The exercises and their checks. A check runs the exercise's program on the
//! simulated web and reads what it did from its output or its JSON report; an
//! `Err` says, in a sentence, what is still wrong.

use std::{
    io::{self, Write},
    path::PathBuf,
    time::Duration,
};

use sites::{Fault, NOTES_SITES, Pages, Report, SimulatedWeb, harness::Finished};

/// One exercise.
pub struct Exercise {
    /// Its name, which is also its file's: `exercises/src/bin/ID.rs`.
    pub id: &'static str,
    /// What to do, in a line.
    pub title: &'static str,
    /// The check.
    pub check: fn(&Program) -> Checked,
}

/// `Err` says what is wrong.
pub type Checked = Result<(), String>;

const fn exercise(
    id: &'static str,
    title: &'static str,
    check: fn(&Program) -> Checked,
) -> Exercise {
    Exercise { id, title, check }
}

/// Every exercise, lesson by lesson, easier ones first.
pub const EXERCISES: &[Exercise] = &[
    exercise("sequential-1", "write download_all as a plain loop", sequential_1),
    exercise(
        "sequential-2",
        "add up the sizes of the pages downloaded",
        sequential_2,
    ),
    exercise(
        "sequential-3",
        "retry a failing site with a growing wait",
        sequential_3,
    ),
    exercise(
        "threads-1",
        "download on a ThreadPool of --workers threads",
        threads_1,
    ),
    exercise(
        "threads-2",
        "write download_all with thread::scope, a thread a site",
        threads_2,
    ),
    exercise(
        "threads-3",
        "write a pool: N scoped threads sharing a queue",
        threads_3,
    ),
    exercise(
        "processes-1",
        "download with rayon's par_iter on a pool of N",
        processes_1,
    ),
    exercise(
        "processes-2",
        "count words with rayon: fold, then reduce",
        processes_2,
    ),
    exercise(
        "processes-3",
        "measure the speed-up with 1 to N rayon threads",
        processes_3,
    ),
    exercise("futures-1", "write as_completed with an mpsc channel", futures_1),
    exercise("futures-2", "take the results in submission order", futures_2),
    exercise("futures-3", "count the errors that result() gives back", futures_3),
    exercise("async-1", "bound the async downloads with a Semaphore", async_1),
    exercise("async-2", "bound them with buffer_unordered, no tasks", async_2),
    exercise(
        "async-3",
        "cancel every download still running at a deadline",
        async_3,
    ),
    exercise(
        "async-4",
        "move blocking work off the thread with spawn_blocking",
        async_4,
    ),
];

/// The exercise's program, ready to run.
pub struct Program {
    path: PathBuf,
}

/// How long a run may take before it is taken for stuck.
const LIMIT: Duration = Duration::from_secs(60);

impl Program {
    pub fn new(path: PathBuf) -> Self {
        Program { path }
    }

    /// Runs the program; `Err` if it hung, panicked or wrote no summary line.
    fn run(&self, args: &[&str]) -> Result<Finished, String> {
        let done = sites::harness::run(&self.path, args, LIMIT).map_err(|err| {
            if err.kind() == io::ErrorKind::TimedOut {
                format!(
                    "it did not finish within {} s. Is something waiting for ever: a thread \
                     never joined, a channel never closed, a lock never released?",
                    LIMIT.as_secs()
                )
            } else {
                format!("it could not be run: {err}")
            }
        })?;
        let mut stderr = done.stderr.lines();
        if stderr.any(|line| line.contains("panicked at")) {
            let message = stderr.next().unwrap_or("");
            return Err(format!("it panicked: {message}"));
        }
        if done.code != Some(0) && done.code != Some(1) {
            return Err(format!(
                "it ended with status {:?}: {}",
                done.code,
                done.stderr.trim()
            ));
        }
        Ok(done)
    }

    /// Runs the program with `--json` and reads its report.
    fn report(&self, args: &[&str]) -> Result<Report, String> {
        let done = self.run(&[args, &["--json"]].concat())?;
        done.report()
            .map_err(|err| format!("its output is not the JSON report: {err}"))
    }

    /// Runs the program on a list of URLs, served by `web`.
    fn run_on(&self, urls: &[String], args: &[&str]) -> Result<Finished, String> {
        let mut list =
            tempfile::NamedTempFile::new().map_err(|err| err.to_string())?;
        writeln!(list, "{}", urls.join("\n")).map_err(|err| err.to_string())?;
        let path = list.path().to_str().ok_or("the temporary path is not UTF-8")?;
        self.run(&[&["--urls", path], args].concat())
    }

    fn report_on(&self, urls: &[String], args: &[&str]) -> Result<Report, String> {
        let done = self.run_on(urls, &[args, &["--json"]].concat())?;
        done.report()
            .map_err(|err| format!("its output is not the JSON report: {err}"))
    }
}

/// `Ok` if `holds`, else the explanation.
fn expect(holds: bool, explain: impl FnOnce() -> String) -> Checked {
    if holds { Ok(()) } else { Err(explain()) }
}

/// A simulated web for the checks that need a list of their own.
fn web(speed: f64) -> Result<SimulatedWeb, String> {
    SimulatedWeb::start(Pages::notes().faster(speed)).map_err(|err| err.to_string())
}

/// Every one of the notes' twelve sites downloaded once, with its size.
fn all_downloaded(report: &Report) -> Checked {
    expect(report.sites.len() == 12, || {
        format!("12 sites, not {}, should be in the report", report.sites.len())
    })?;
    for (site, notes) in report.sites.iter().zip(NOTES_SITES) {
        expect(site.bytes == Some(notes.bytes as u64), || {
            let how = site.error.as_deref().unwrap_or("never downloaded");
            format!("{} should have {} bytes, but: {how}", site.url, notes.bytes)
        })?;
    }
    Ok(())
}

/// At most, and at some moment exactly, `n` downloads at once.
fn in_flight(report: &Report, n: usize) -> Checked {
    let peak = report.peak_in_flight();
    expect(peak == n, || {
        format!("{n} downloads should run at once, but at most {peak} did")
    })
}

/// Exactly `n` workers downloaded.
fn workers(report: &Report, n: usize) -> Checked {
    let used = report.workers().len();
    expect(used == n, || {
        format!(
            "{n} workers should download, but {used} did: {:?}",
            report.workers()
        )
    })
}

/// The URLs of the `Read N from URL` lines, in the order printed.
fn printed(done: &Finished) -> Vec<String> {
    let reads =
        done.lines().into_iter().filter_map(|line| line.strip_prefix("Read "));
    reads.filter_map(|line| Some(line.split_once(" from ")?.1.to_string())).collect()
}

fn sequential_1(program: &Program) -> Checked {
    let report = program.report(&["--speed", "10"])?;
    all_downloaded(&report)?;
    in_flight(&report, 1)?;
    let listed: Vec<&str> =
        report.sites.iter().map(|site| site.url.as_str()).collect();
    expect(report.finish_order() == listed, || {
        "the sites should come down in the list's order".into()
    })
}

fn sequential_2(program: &Program) -> Checked {
    let done = program.run(&["--speed", "10"])?;
    let total: usize = NOTES_SITES.iter().map(|site| site.bytes).sum();
    let line = format!("Total: {total} bytes");
    expect(done.lines().contains(&line.as_str()), || {
        format!(
            "the last line should be `{line}`, not `{}`",
            done.lines().last().unwrap_or(&"")
        )
    })
}

fn sequential_3(program: &Program) -> Checked {
    let web = web(10.0)?;
    let urls =
        [web.urls()[0].clone(), web.fault(Fault::Flaky), web.urls()[1].clone()];
    let report = program.report_on(&urls, &[])?;
    let flaky = &report.sites[1];
    expect(flaky.bytes == Some(1000), || {
        let error = flaky.error.as_deref().unwrap_or("");
        format!("{} fails twice then answers, yet it ended with: {error}", urls[1])
    })?;
    expect(report.failures() == 0, || {
        "the other two sites should come down as well".into()
    })
}

fn threads_1(program: &Program) -> Checked {
    pool_of(program, &[3, 5])
}

/// With `--workers n`, exactly `n` threads download, `n` at a time.
fn pool_of(program: &Program, sizes: &[usize]) -> Checked {
    for &n in sizes {
        let report =
            program.report(&["--speed", "5", "--workers", &n.to_string()])?;
        all_downloaded(&report)?;
        in_flight(&report, n)?;
        workers(&report, n)?;
    }
    Ok(())
}

fn threads_2(program: &Program) -> Checked {
    let report = program.report(&["--speed", "5"])?;
    all_downloaded(&report)?;
    workers(&report, 12)?;
    in_flight(&report, 12)
}

fn threads_3(program: &Program) -> Checked {
    pool_of(program, &[2, 4])
}

fn processes_1(program: &Program) -> Checked {
    let report = program.report(&["--speed", "5", "--workers", "3"])?;
    all_downloaded(&report)?;
    let (peak, used) = (report.peak_in_flight(), report.workers().len());
    expect((2..=3).contains(&peak), || {
        format!("up to 3 downloads should run at once, not {peak}")
    })?;
    expect((2..=3).contains(&used), || {
        format!("rayon's 3 threads should download, not {used}")
    })?;
    let on_threads =
        report.workers().iter().all(|worker| worker.starts_with("thread "));
    expect(on_threads, || {
        "the downloads should run on rayon's threads, not on main".into()
    })
}

fn processes_2(program: &Program) -> Checked {
    let done = program.run(&["--speed", "10"])?;
    let line = done.lines().into_iter().find(|line| line.starts_with("Words: "));
    let line = line.ok_or("it should print a `Words: ...` line")?;
    expect(line.ends_with("the same as on one thread: true"), || {
        format!("the counts differ from those counted on one thread: {line}")
    })
}

fn processes_3(program: &Program) -> Checked {
    let done = program.run(&["--speed", "10", "--workers", "3"])?;
    for threads in 1..=3 {
        let start = format!("{threads} threads: ");
        let line = done.lines().into_iter().find(|line| line.starts_with(&start));
        let line =
            line.ok_or_else(|| format!("a line should start with `{start}`"))?;
        let ms = line[start.len()..].trim_end_matches(" ms").parse::<f64>();
        expect(ms.is_ok_and(|ms| ms > 0.0), || {
            format!("`{line}` should end with a time, `M ms`")
        })?;
    }
    Ok(())
}

/// A list whose order of completion on three workers is known: at half speed
/// www.163.com takes 310 ms and the others far less, so they end baidu, qq,
/// pypi (started when baidu ended), www.163.com.
fn race(web: &SimulatedWeb) -> ([String; 4], [String; 4]) {
    let [baidu, pypi, netease, qq] = [0, 1, 3, 4].map(|i| web.urls()[i].clone());
    let listed = [netease.clone(), baidu.clone(), qq.clone(), pypi.clone()];
    (listed, [baidu, qq, pypi, netease])
}

fn futures_1(program: &Program) -> Checked {
    let web = web(2.0)?;
    let (listed, finished) = race(&web);
    let done = program.run_on(&listed, &[])?;
    expect(printed(&done) == finished, || {
        format!(
            "the lines should come as the downloads end, {finished:?}, not {:?}",
            printed(&done)
        )
    })
}

fn futures_2(program: &Program) -> Checked {
    let web = web(2.0)?;
    let (listed, _) = race(&web);
    let done = program.run_on(&listed, &[])?;
    expect(printed(&done) == listed, || {
        format!(
            "the lines should come in the list's order, {listed:?}, not {:?}",
            printed(&done)
        )
    })
}

fn futures_3(program: &Program) -> Checked {
    let web = web(10.0)?;
    let good = web.urls();
    let urls = [
        good[0].clone(),
        web.fault(Fault::Status(503)),
        good[1].clone(),
        web.fault(Fault::Reset),
        good[2].clone(),
    ];
    let done = program.run_on(&urls, &[])?;
    let line = "Failed: 2 of 5";
    expect(done.lines().contains(&line), || {
        format!(
            "with two failing sites among five, the last line should be `{line}`"
        )
    })
}

fn bounded(program: &Program, n: usize) -> Checked {
    let report = program.report(&["--speed", "5", "--workers", &n.to_string()])?;
    all_downloaded(&report)?;
    in_flight(&report, n)?;
    let report = program.report(&["--speed", "5"])?;
    in_flight(&report, 12)
}

fn async_1(program: &Program) -> Checked {
    bounded(program, 3)
}

fn async_2(program: &Program) -> Checked {
    bounded(program, 4)
}

fn async_3(program: &Program) -> Checked {
    let web = web(10.0)?;
    let urls =
        [web.urls()[0].clone(), web.fault(Fault::Silent), web.urls()[1].clone()];
    let report = program.report_on(&urls, &["--timeout", "20"])?;
    let silent = report.sites[1].error.as_deref();
    expect(silent == Some("cancelled before it finished"), || {
        format!(
            "{} never answers, so it should be cancelled at the deadline, not: {silent:?}",
            urls[1]
        )
    })?;
    expect(report.wall_ms < 5000.0, || {
        format!("the run took {:.1} s, past the deadline", report.wall_ms / 1e3)
    })?;
    expect(report.failures() == 1, || {
        "the two other sites should come down before the deadline".into()
    })
}

fn async_4(program: &Program) -> Checked {
    let report = program.report(&["--speed", "5"])?;
    all_downloaded(&report)?;
    let first = report.sites[0].end_ms;
    let last = report.sites.iter().map(|site| site.end_ms).fold(0.0, f64::max);
    expect(last < first + 900.0, || {
        format!(
            "the other sites ended up to {:.0} ms after the first: they waited for the parsing",
            last - first
        )
    })?;
    expect(report.wall_ms >= 1000.0, || {
        "the parsing should still be done, and awaited".into()
    })
}
