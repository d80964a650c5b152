//! The exercises and their checks. A check serves a simulated web of its own,
//! different on every run, runs the exercise's program on it with settings
//! unlike the lesson's defaults, and judges what happened from the web's own
//! record of the requests and from the program's threads' CPU time, never
//! from what the program says about itself. An `Err` says, in a sentence,
//! what to change.
//!
//! # Layout
//! - this module: the list of exercises, and what every check uses;
//! - one module per lesson, as the book has a page of exercises per lesson:
//!   [`sequential`], [`threads`], [`processes`], [`futures`], `async`.

mod r#async;
mod futures;
mod processes;
mod reference;
mod sequential;
mod threads;

use std::collections::{HashMap, HashSet};

use sites::{Fault, Served, harness::expect};

use reference::{Fixed, like_the_reference};

use crate::{
    language::{message, tr},
    probe::{self, Dice, Program, Run, Web, path},
    tools::{ANY, Tools},
};

/// One exercise.
pub struct Exercise {
    /// Its name, which is also its file's: `exercises/yours/ID.rs`.
    pub id: &'static str,
    /// The tools the answer must call, where a tool is the point.
    pub tools: Tools,
    /// The check, given the program to run, and the dice that make its web.
    pub check: fn(&Program, &mut Dice) -> Checked,
}

/// `Err` says what is wrong, and what to change.
pub type Checked = Result<(), String>;

const fn exercise(
    id: &'static str,
    tools: Tools,
    check: fn(&Program, &mut Dice) -> Checked,
) -> Exercise {
    Exercise { id, tools, check }
}

impl Exercise {
    /// What to do, in a line: the message `title-ID`.
    pub fn title(&self) -> String {
        message(&format!("title-{}", self.id))
    }
}

/// How many of an exercise's checks `prove` runs at once. Each kind runs
/// beside the others, as on a busy machine, which every check must judge
/// fairly; a check that runs alone (one at once) has nothing beside it.
/// - Most checks mostly wait for the web's slow pages (one of sequential-1
///   keeps a tenth of a CPU busy): six at once on two CPUs, three on one.
/// - Those that measure how a program uses the CPUs, or load them themselves
///   (threads-3's rush): one per CPU, two at most.
/// - processes-2's and processes-3's run alone. processes-2's judge whether
///   the threads shared the work only where a busy thread gets half a CPU,
///   which the checks beside it would often deny; processes-3's size a second
///   run by how fast the first went, which a check ending beside it would
///   make too small to show a time printed without its whole seconds.
pub fn checks_at_once(id: &str) -> usize {
    let cpus = sites::cpus().min(2);
    let fewer = FEWER_AT_ONCE.iter().find(|(named, _)| *named == id);
    fewer.map_or(3 * cpus, |&(_, at_once)| at_once.min(cpus))
}

/// The exercises whose checks `prove` runs fewer at once ([`checks_at_once`]).
const FEWER_AT_ONCE: &[(&str, usize)] =
    &[("threads-3", 2), ("async-4", 2), ("processes-2", 1), ("processes-3", 1)];

/// Every exercise, lesson by lesson, easier ones first. Its title, and what
/// to tell a learner about a tool, are messages of `i18n/` (the `title-` and
/// `tool-` ones).
pub const EXERCISES: &[Exercise] = &[
    exercise("sequential-1", ANY, sequential::sequential_1),
    exercise("sequential-2", ANY, sequential::sequential_2),
    exercise("sequential-3", ANY, sequential::sequential_3),
    exercise(
        "threads-1",
        Tools { uses: &[(&["threadpool"], "tool-threadpool")], avoids: &[] },
        threads::threads_1,
    ),
    exercise(
        "threads-2",
        Tools {
            uses: &[(&["thread::scope"], "tool-scope")],
            avoids: &[(&[".clone", "Arc"], "tool-no-clones")],
        },
        threads::threads_2,
    ),
    exercise(
        "threads-3",
        Tools { uses: &[(&["thread::scope"], "tool-own-pool")], avoids: &[] },
        threads::threads_3,
    ),
    exercise(
        "processes-1",
        Tools { uses: &[(&["ThreadPoolBuilder"], "tool-rayon-pool")], avoids: &[] },
        processes::processes_1,
    ),
    exercise(
        "processes-2",
        Tools {
            uses: &[
                (&[".fold", ".fold_with"], "tool-fold"),
                (&[".reduce", ".reduce_with"], "tool-reduce"),
            ],
            avoids: &[],
        },
        processes::processes_2,
    ),
    exercise("processes-3", ANY, processes::processes_3),
    exercise("futures-1", ANY, futures::futures_1),
    exercise("futures-2", ANY, futures::futures_2),
    exercise("futures-3", ANY, futures::futures_3),
    exercise(
        "async-1",
        Tools {
            uses: &[
                (&["Semaphore"], "tool-semaphore"),
                (&[".spawn", "spawn"], "tool-spawn"),
            ],
            avoids: &[(
                &[".buffer_unordered", ".buffered"],
                "tool-permits-not-buffer",
            )],
        },
        r#async::async_1,
    ),
    exercise(
        "async-2",
        Tools {
            uses: &[(&[".buffer_unordered"], "tool-buffer-unordered")],
            avoids: &[(
                &[".spawn", "spawn", "JoinSet", "Semaphore"],
                "tool-no-tasks",
            )],
        },
        r#async::async_2,
    ),
    exercise("async-3", ANY, r#async::async_3),
    exercise(
        "async-4",
        Tools { uses: &[(&["spawn_blocking"], "tool-spawn-blocking")], avoids: &[] },
        r#async::async_4,
    ),
];

/// Checks the program with two numbers of workers that no single wrong rule
/// (one per site, one or two per CPU, the lesson's default) gives both: two
/// of `choices`, neither `default` nor the CPU count. The two runs go at the
/// same time, each on a web of its own, so the check takes no longer.
fn with_two_settings(
    dice: &mut Dice,
    choices: &[usize],
    default: usize,
    check: impl Fn(usize, &mut Dice) -> Checked + Sync,
) -> Checked {
    let mut choices: Vec<usize> = (choices.iter().copied())
        .filter(|&n| n != default && n != sites::cpus())
        .collect();
    let first = choices.remove(dice.pick(0, choices.len() as u64 - 1) as usize);
    let second = match choices.len() {
        0 => first + 1,
        left => choices[dice.pick(0, left as u64 - 1) as usize],
    };
    let settings = [first, second].map(|n| (n, dice.pick(0, 1 << 40)));
    let check = &check;
    let outcomes = std::thread::scope(|scope| {
        let runs = settings.map(|(n, seed)| {
            scope.spawn(move || (n, check(n, &mut Dice::seeded(seed))))
        });
        runs.map(|run| run.join())
    });
    for outcome in outcomes {
        let (n, checked) = outcome.map_err(|_| tr!("check-failed"))?;
        checked.map_err(|why| tr!("with-workers", n = n, why = why))?;
    }
    Ok(())
}

/// The paths of `urls` (URLs or paths), as a sentence lists them.
fn paths(urls: &[impl AsRef<str>]) -> String {
    let paths: Vec<&str> = urls.iter().map(|url| path(url.as_ref())).collect();
    paths.join(", ")
}

/// Every URL of `urls` downloaded exactly once and whole, and given exactly
/// one line, whose size (for a `Read` line) is the one the web served.
/// Counted in one pass over the lines and one over the record, so that a
/// rush of thousands of sites is judged at once.
fn each_once(run: &Run, urls: &[String]) -> Checked {
    let stdout = &run.done.stdout;
    // Two lines' starts in one: a thread printed in the middle of another's
    // line, which it wrote in more than one piece.
    let starts = |line: &str| {
        line.matches("Failed http").count() + line.matches(" from http").count()
    };
    if let Some(line) = stdout.lines().find(|line| starts(line) > 1) {
        return Err(tr!("line-inside-line", line = line));
    }
    // A page that is no fault, cut short: the program ended, or dropped it,
    // while it was being sent.
    let cut = (run.served.iter())
        .any(|served| !served.complete && Fault::from_path(&served.path).is_none());
    // The URL each line names: the one after `Failed`, else its last word.
    // A site named after the summary line was left running: `sites` reports
    // it cancelled as the program ends.
    let (mut lined, mut lines) = (HashSet::new(), HashMap::new());
    let (mut summary, mut left_running) = (false, 0);
    for line in stdout.lines() {
        summary |= line.starts_with("Download ");
        let url = site_of(line);
        match url {
            Some(_) if summary => left_running += 1,
            Some(url) => *lines.entry(url).or_insert(0) += 1,
            None => {}
        }
        if !summary {
            lined.extend(url.or(line.rsplit(' ').next()));
        }
    }
    let unlined: Vec<_> =
        urls.iter().filter(|url| !lined.contains(url.as_str())).collect();
    let lost = !unlined.is_empty()
        && (cut || left_running > 0 || unlined.len() * 2 >= urls.len());
    expect(!summary || !lost, || {
        // Outlived download_all, or never started: a future never awaited.
        let started = unlined.iter().any(|url| !run.requests(path(url)).is_empty());
        let (unlined, all) = (unlined.len(), urls.len());
        if started {
            tr!("sites-got-no-line", unlined = unlined, all = all)
        } else {
            tr!("sites-never-started", unlined = unlined, all = all)
        }
    })?;
    let mut served: HashMap<&str, Vec<&Served>> = HashMap::new();
    for request in &run.served {
        served.entry(request.path.as_str()).or_default().push(request);
    }
    let mut listed = HashMap::new();
    for url in urls {
        *listed.entry(url.as_str()).or_insert(0) += 1;
    }
    // The sites listed once first: a program that asks for everything twice
    // is told so of a site the list names once, the plainer case.
    let mut in_order: Vec<&String> = urls.iter().collect();
    in_order.sort_by_key(|url| listed[url.as_str()] > 1);
    for url in in_order {
        let lines = lines.get(url.as_str()).copied().unwrap_or(0);
        let asked = served.get(path(url)).map_or(0, Vec::len);
        let listed = listed[url.as_str()];
        let path = path(url);
        expect(asked != 0, || tr!("never-asked", path = path))?;
        expect(asked == listed, || match listed {
            1 => tr!("asked-times", path = path, asked = asked),
            _ => tr!("listed-asked", path = path, listed = listed, asked = asked),
        })?;
        expect(lines != 0, || tr!("no-line", url = url.as_str()))?;
        expect(lines == listed, || match listed {
            1 => tr!("lines-for-site", url = url.as_str(), lines = lines),
            _ => tr!(
                "listed-lines",
                url = url.as_str(),
                listed = listed,
                lines = lines
            ),
        })?;
    }
    for (url, size) in run.reads() {
        let requests = served.get(path(&url)).map_or(&[][..], Vec::as_slice);
        let whole =
            requests.iter().find(|served| served.complete && served.status == 200);
        let Some(whole) = whole else {
            return Err(tr!("read-never-whole", size = size, url = url));
        };
        expect(whole.bytes == size, || {
            tr!("read-wrong-size", size = size, url = url, bytes = whole.bytes)
        })?;
    }
    Ok(())
}

/// The URLs of `urls` in the order `stdout` gives them lines.
fn in_printed_order(stdout: &str, urls: &[String]) -> Vec<String> {
    let stdout = stdout.lines();
    let named = |line: &str| {
        let url = urls.iter().find(|url| {
            line.ends_with(&format!(" from {url}"))
                || line.starts_with(&format!("Failed {url}: "))
        });
        url.cloned()
    };
    stdout.filter_map(named).collect()
}

/// Exactly `n` downloads at once, at the busiest moment, by the web's record;
/// or as many as the reference reached beside it, where a machine too busy
/// (a CPU quota) kept it from starting all `n` in time.
fn at_once(run: &Run, n: usize, what_to_change: &str) -> Checked {
    let peak = run.peak();
    let reached = run.reference.as_ref().map_or(n, |theirs| theirs.peak().min(n));
    expect(peak == n || (reached..n).contains(&peak), || {
        tr!("at-once", n = n, peak = peak, change = what_to_change)
    })
}

/// `n` downloads kept going while sites remained: from the first request to
/// the last, on average at least 90% of `n` were in flight, as a pool keeps
/// them (a moment's gap as a worker takes the next site). Reaching `n` only
/// now and then, as `buffered` does behind a slow site, or two at a time,
/// keeps far fewer.
fn kept(run: &Run, n: usize, what_to_change: &str) -> Checked {
    let average = average_in_flight(run);
    // 90% of them; or, where a machine too busy to keep them going (a CPU
    // quota) kept the reference beside it from that too, 90% of its average.
    let wanted = 0.9 * n as f64;
    let theirs =
        run.reference.as_ref().map_or(f64::MAX, |theirs| average_in_flight(theirs));
    let wanted = if theirs >= wanted { wanted } else { 0.9 * theirs };
    expect(average >= wanted, || {
        let average = format!("{average:.1}");
        tr!("kept", n = n, average = average, change = what_to_change)
    })
}

/// No worker left idle while sites wait: a download that ended while sites
/// were still to be asked for, with nothing asked for in the next 50 ms. A
/// pool that is given a job per site never leaves a thread idle so; one given
/// several sites a job does once a thread's own are done. A busy machine may
/// now and then: once, or twice as often as the reference beside it, passes.
fn none_left_idle(run: &Run, what_to_change: &str) -> Checked {
    let idle = left_idle(run);
    let allowed =
        run.reference.as_ref().map_or(1, |theirs| 1.max(2 * left_idle(theirs)));
    expect(idle <= allowed, || {
        tr!("left-idle", idle = idle, change = what_to_change)
    })
}

/// How many times [`none_left_idle`] describes happened in `run`.
fn left_idle(run: &Run) -> usize {
    let arrivals: Vec<f64> =
        run.served.iter().map(|served| served.arrived_ms).collect();
    let last = arrivals.iter().copied().fold(0.0, f64::max);
    let ends = run.served.iter().filter_map(|served| served.finished_ms);
    let waiting = ends.filter(|&end| end + 50.0 < last);
    waiting
        .filter(|&end| !arrivals.iter().any(|&at| at >= end && at <= end + 50.0))
        .count()
}

/// How many downloads were in flight, on average, from the first request to
/// the last; `f64::MAX` if they all came at once.
fn average_in_flight(run: &Run) -> f64 {
    let arrivals = run.served.iter().map(|served| served.arrived_ms);
    let (first, last) =
        arrivals.fold((f64::MAX, 0.0_f64), |(lo, hi), at| (lo.min(at), hi.max(at)));
    let (mut in_flight, mut busy, mut now) = (0, 0.0, first);
    for (at, change) in run.in_flight_changes() {
        let at = at.clamp(first, last);
        busy += f64::from(in_flight) * (at - now);
        (in_flight, now) = (in_flight + change, at);
    }
    if last - first < 1.0 { f64::MAX } else { busy / (last - first) }
}

/// Downloads started in waves: after the first `n`, the pages asked for when
/// every earlier one had ended (give or take 10 ms). In a pool
/// or a queue, a worker that is free takes the next site while the others
/// still download, so this hardly ever happens, even on a busy machine; in
/// waves of `n`, it happens once a wave, so the web has latencies that differ
/// and enough sites for three waves or more.
fn waves(run: &Run, n: usize, what_to_change: &str) -> Checked {
    let idle = started_idle(run, n);
    // The reference, on a twin of the web, starts some so too where the
    // pages in flight end together (pages of one length): the program may do
    // as it does.
    let theirs = run.reference.as_ref().map_or(0, |theirs| started_idle(theirs, n));
    expect(idle < 2 || idle <= theirs, || {
        tr!("waves", idle = idle, change = what_to_change)
    })
}

/// How many downloads of pages, after the first `n`, started when none was
/// running. The failing sites are left out: several that fail at once end
/// together, and whatever comes next starts with none running.
fn started_idle(run: &Run, n: usize) -> usize {
    let mut arrivals: Vec<(f64, f64)> = (run.served.iter())
        .filter(|served| Fault::from_path(&served.path).is_none())
        .map(|served| (served.arrived_ms, served.finished_ms.unwrap_or(f64::MAX)))
        .collect();
    arrivals.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut ended = 0.0_f64;
    let mut idle = 0;
    for (index, &(arrived, finished)) in arrivals.iter().enumerate() {
        if index >= n && ended <= arrived + 10.0 {
            idle += 1;
        }
        ended = ended.max(finished);
    }
    idle
}

/// How late a site's line may come after its download ended. A program that
/// prints as results come prints within a few ms, even on a busy machine; one
/// that collects the results first prints the early ones a round or more late.
const LATE_MS: f64 = 250.0;

/// Each site's line came as its download ended or, `in_order`, as soon as it
/// and every site before it in `urls` had ended: by the time each line
/// reached the terminal, against the web's record.
/// A machine too busy to print in time (under a CPU quota, say) delays the
/// reference beside the program as much: the line may come as late as twice
/// the reference's latest.
fn printed_as_they_came(run: &Run, urls: &[String], in_order: bool) -> Checked {
    let Some((site, late)) = latest_line(run, urls, in_order) else { return Ok(()) };
    let theirs = (run.reference.as_ref())
        .and_then(|theirs| latest_line(theirs, urls, in_order));
    let allowed = theirs.map_or(LATE_MS, |(_, theirs)| LATE_MS.max(2.0 * theirs));
    expect(late <= allowed, || {
        let (late, order) =
            (format!("{late:.0}"), if in_order { "in-order" } else { "any" });
        tr!("line-late", site = site, late = late, order = order)
    })
}

/// The path of the site whose line came latest after it could, and how late,
/// in ms; `None` if no site got a line.
fn latest_line(run: &Run, urls: &[String], in_order: bool) -> Option<(String, f64)> {
    let lines = run.lines_at();
    let (mut due, mut latest) = (0.0_f64, None);
    for url in urls {
        let served = run.requests(path(url));
        let ended = served.iter().filter_map(|served| served.finished_ms);
        let Some(ended) = ended.reduce(f64::max) else { continue };
        due = if in_order { due.max(ended) } else { ended };
        // Matched by path: the reference's lines name the twin web's URLs.
        let line = lines
            .iter()
            .find(|(line, _)| site_of(line).map(path) == Some(path(url)));
        let Some(&(_, at)) = line else { continue }; // each_once says so
        if latest.as_ref().is_none_or(|(_, late)| at - due > *late) {
            latest = Some((path(url).to_string(), at - due));
        }
    }
    latest
}

/// The URL a line names: `Read N from URL` or `Failed URL: reason`.
fn site_of(line: &str) -> Option<&str> {
    let read = line.strip_prefix("Read ").and_then(|rest| rest.split_once(" from "));
    let failed = line.strip_prefix("Failed ").and_then(|rest| rest.split_once(": "));
    read.map(|(_, url)| url).or(failed.map(|(url, _)| url))
}

/// How long a program may take to end after its last download.
const EXIT_MS: f64 = 700.0;

/// The program ended soon after its last download: nothing slept, or
/// waited, once the work was done.
fn ends_promptly(run: &Run) -> Checked {
    let after = ended_after(run);
    // Or twice as long as the reference took beside it, on a machine as busy.
    let allowed = run
        .reference
        .as_ref()
        .map_or(EXIT_MS, |theirs| EXIT_MS.max(2.0 * ended_after(theirs)));
    expect(after <= allowed, || {
        tr!("ended-late", seconds = format!("{:.1}", after / 1e3))
    })
}

/// How long after its last download the program ended, in ms.
fn ended_after(run: &Run) -> f64 {
    let last = run.served.iter().filter_map(|s| s.finished_ms).fold(0.0, f64::max);
    run.ended_ms() - last
}

/// The end of a lesson's program on `urls`, of which `failed` fail: the
/// summary line, exit status 1 if a site failed (0 if none did), and no time
/// lost after the last download.
fn ends_well(run: &Run, urls: &[String], failed: usize) -> Checked {
    let summary = format!("Download {} sites in ", urls.len());
    let printed = run.done.stdout.lines().any(|line| line.starts_with(&summary));
    expect(printed, || tr!("no-summary", summary = summary.as_str()))?;
    let code = i32::from(failed > 0);
    expect(run.done.code == Some(code), || {
        let ended = probe::ended(run.done.code);
        tr!("wrong-exit-status", ended = ended, failed = failed, code = code)
    })?;
    ends_promptly(run)
}

/// A lesson's lines and end, for `urls` of which `failed` fail: each line as
/// its download ends, then the summary, the exit status and no time lost.
fn as_a_lesson_ends(run: &Run, urls: &[String], failed: usize) -> Checked {
    printed_as_they_came(run, urls, false)?;
    ends_well(run, urls, failed)
}

/// Runs the program on `web` with `args`.
fn run(program: &Program, web: &Web, args: &[&str]) -> Result<Run, String> {
    probe::run(program, web, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_exercise_given_fewer_checks_at_once_is_one() {
        for (id, _) in FEWER_AT_ONCE {
            assert!(EXERCISES.iter().any(|exercise| exercise.id == *id), "{id}");
        }
    }
}
