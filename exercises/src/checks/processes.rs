//! Lesson 3's exercises: rayon's pools and parallel work (`docs/src/exercises-processes.md`).

use std::{collections::HashMap, panic, thread, time::Duration};

use super::{
    Checked, Fixed, as_a_lesson_ends, at_once, each_once, expect,
    like_the_reference, run, with_two_settings,
};
use crate::{
    language::tr,
    probe::{self, Dice, Program, Web, pages},
};

pub(super) fn processes_1(program: &Program, dice: &mut Dice) -> Checked {
    // Fewer chunks of --workers sites than --workers, and not as many as the
    // CPUs: sites handed out in chunks rather than one by one show it.
    let chunks = if sites::cpus() == 3 { 2 } else { 3 };
    with_two_settings(dice, &[4, 5, 6], sites::cpus(), |n, dice| {
        let pages = pages(dice, (chunks - 1) * n, (1_000, 30_000), (200, 300));
        let web = Web::varied(dice, pages, 2)?;
        let urls = web.listed();
        let run = run(program, &web, &["--workers", &n.to_string()])?;
        each_once(&run, urls)?;
        as_a_lesson_ends(&run, urls, 2)?;
        let change = match run.peak() {
            1 => tr!("processes-1-par-iter"),
            peak if peak == sites::cpus() => {
                tr!("processes-1-global-pool", peak = peak, n = n)
            }
            _ => tr!("processes-1-not-chunks", n = n),
        };
        at_once(&run, n, &change)?;
        like_the_reference(&run, Fixed::Sites)
    })
}

/// Counts the words of `texts` as the exercise must: (words, different words).
/// A page on each thread: the checker is a debug build, which takes a second
/// to count a check's 11 MB on one.
fn words(texts: &[String]) -> (usize, usize) {
    let pages = on_threads(texts, |text| {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for word in text.split_whitespace() {
            *counts.entry(word).or_default() += 1;
        }
        counts
    });
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (word, n) in pages.into_iter().flatten() {
        *counts.entry(word).or_default() += n;
    }
    (counts.values().sum(), counts.len())
}

/// `work` done on each of `items`, each on a thread of its own.
fn on_threads<'a, T: Sync, R: Send>(
    items: &'a [T],
    work: impl Fn(&'a T) -> R + Sync,
) -> Vec<R> {
    thread::scope(|scope| {
        let work = &work;
        let threads: Vec<_> =
            items.iter().map(|item| scope.spawn(move || work(item))).collect();
        (threads.into_iter())
            .map(|thread| {
                thread.join().unwrap_or_else(|panic| panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// The bodies of every page `web` serves, fetched anew, all at once: half of
/// them take up to 150 ms to send.
fn bodies(web: &Web) -> Result<Vec<String>, String> {
    let quick = sites::client::Settings::quick(Duration::from_secs(30));
    let settings = sites::client::Settings { max_bytes: 64 << 20, ..quick };
    let client =
        sites::client::blocking(&settings).map_err(|err| err.to_string())?;
    let text =
        |url: &String| client.get(url).send().and_then(|response| response.text());
    on_threads(&web.web.urls(), |url| text(url).map_err(|err| err.to_string()))
        .into_iter()
        .collect()
}

pub(super) fn processes_2(program: &Program, dice: &mut Dice) -> Checked {
    let pages = pages(dice, 6, (1_400_000, 2_500_000), (10, 30));
    let web = Web::varied(dice, pages, 0)?;
    let sharing_shows = probe::sharing_shows();
    let run = probe::run_on_two_threads_or_more(&program.in_turn(), &web, &[])?;
    each_once(&run, web.listed())?;
    let bodies = bodies(&web)?;
    let (total, different) = words(&bodies);
    let line = format!("Words: {total}, {different} different");
    let printed = run.last_line("Words: ");
    // `Words: N, M different`, as (N, M).
    let numbers = (printed.strip_prefix("Words: "))
        .and_then(|rest| rest.strip_suffix(" different")?.split_once(", "))
        .and_then(|(words, kinds)| {
            Some((words.parse::<usize>().ok()?, kinds.parse::<usize>().ok()?))
        });
    // Words changed rather than lost: as many, or fewer kinds and a few
    // words fewer. A page's end may cut a word to its punctuation alone, which
    // an answer that trims punctuation drops: at most one a page.
    let changed = |words: usize, kinds: usize| {
        words == total
            || (kinds < different
                && (total.saturating_sub(bodies.len())..total).contains(&words))
    };
    expect(printed == line, || {
        let change = match numbers {
            Some((words, kinds)) if changed(words, kinds) => {
                tr!("processes-2-as-split")
            }
            Some((_, kinds)) if kinds > different => tr!("processes-2-own-split"),
            _ => tr!("processes-2-fold-reduce"),
        };
        tr!(
            "processes-2-words",
            line = line.as_str(),
            printed = printed,
            change = change
        )
    })?;
    let counting = (
        run.downloads_done(),
        run.cpu.ended().unwrap_or_else(std::time::Instant::now),
    );
    let helping = run.cpu.sharing(counting.0, counting.1);
    let used = run.cpu.used(counting.0, counting.1);
    let busiest = used.first().map_or(Duration::ZERO, |(_, time)| *time);
    expect(helping >= 2 || !sharing_shows, || {
        let ms = busiest.as_millis().to_string();
        tr!("processes-2-one-thread", helping = helping, ms = ms)
    })?;
    like_the_reference(&run, Fixed::Sites)
}

/// One run of processes-3 on `size` bytes of pages: the printed times, the
/// time the counting took as measured, and the first phase's. Whether two
/// threads or more shared the work is judged only where `sharing_shows`; the
/// first time's [`share`] of its phase, against `before`, an earlier run's.
fn speed_ups(
    program: &Program,
    dice: &mut Dice,
    n: usize,
    size: u64,
    sharing_shows: bool,
    before: Option<f64>,
) -> Result<(Vec<f64>, Duration, f64), String> {
    let web = Web::start(pages(dice, 4, (size / 4, size / 4), (10, 20)))?;
    let run = run(program, &web, &["--workers", &n.to_string()])?;
    each_once(&run, &web.web.urls())?;
    // Each line `T threads: M ms`, and when it came: its phase is the M ms
    // before it.
    let lines = run.lines_at();
    let timed: Vec<(&str, usize, f64, f64)> = (lines.iter())
        .filter_map(|&(line, at)| {
            let (threads, ms) = line.split_once(" threads: ")?;
            let ms = ms.strip_suffix(" ms")?.parse::<f64>().ok()?;
            Some((line, threads.parse().ok()?, ms, at))
        })
        .collect();
    let counts: Vec<usize> = timed.iter().map(|&(_, threads, ..)| threads).collect();
    expect(counts == (1..=n).collect::<Vec<_>>(), || {
        let counts: Vec<String> = counts.iter().map(usize::to_string).collect();
        let others: Vec<String> = (lines.iter())
            .filter(|(line, _)| {
                !line.starts_with("Read ") && !line.starts_with("Download ")
            })
            .map(|(line, _)| format!("`{line}`"))
            .collect();
        let printed = match (counts.len(), others.len()) {
            (_, 0) => tr!("processes-3-no-lines"),
            (0, _) => tr!("processes-3-other-lines", others = others.join(", ")),
            _ => tr!(
                "processes-3-lines-for",
                counts = counts.join(", "),
                others = others.join(", ")
            ),
        };
        tr!("processes-3-printed", n = n, printed = printed)
    })?;
    like_the_reference(&run, Fixed::Sites)?;
    let phases: Vec<(f64, f64)> =
        timed.iter().map(|&(.., ms, at)| (ms, at)).collect();
    // Each time printed is that of the work just before its line: no longer
    // than the time since the line before (or since the last download, for
    // the first), and no less than 40% of it, which leaves room for a run
    // that warms the pool up before it is timed. The first, no smaller a share
    // of its phase than in the run before, give or take: a time printed
    // without its whole seconds is a smaller one, once the phase lasts a
    // second. (The first run's share is the smaller one where a quick machine
    // makes the work short beside what comes before it.)
    let mut since = run.web_ms(run.downloads_done());
    for (index, &(line, threads, ms, at)) in timed.iter().enumerate() {
        let gap = at - since;
        let as_before =
            index > 0 || before.is_none_or(|before| share(ms, gap) >= 0.6 * before);
        expect(ms <= gap + 100.0 && ms >= 0.4 * gap - 50.0 && as_before, || {
            let gap = format!("{gap:.0}");
            tr!("processes-3-timed", line = line, gap = gap, threads = threads)
        })?;
        since = at;
    }
    let start = run.downloads_done();
    let end = run.cpu.ended().unwrap_or(start);
    let times: Vec<f64> = phases.iter().map(|(ms, _)| *ms).collect();
    let measured = end.saturating_duration_since(start);
    // Phase by phase: in the middle half of each (so that the pools before
    // and after it are out of sight), no more threads sharing the work than
    // the pool has; over the whole of it, more than one in some pool of two or
    // more (on a busy machine, a short stretch may see one thread of a pool
    // run alone).
    let mut largest = None;
    for (index, &(ms, printed_at)) in phases.iter().enumerate() {
        let threads = index + 1;
        if ms < 100.0 {
            continue; // too short to sample well
        }
        let at = |part: f64| run.at(printed_at - ms * part);
        let busy = run.cpu.sharing(at(0.75), at(0.25));
        expect(busy <= threads, || {
            tr!("processes-3-too-many", threads = threads, busy = busy)
        })?;
        if threads >= 2 {
            largest = largest.max(Some(run.cpu.sharing(at(1.0), at(0.0))));
        }
    }
    // (A machine so quick that no phase of two threads or more is long enough
    // to sample is given the benefit of the doubt.)
    if let Some(largest) = largest.filter(|_| sharing_shows) {
        expect(largest >= 2.min(n), || {
            tr!("processes-3-one-did", largest = largest)
        })?;
    }
    // How long the first phase, on one thread, took: from the last download
    // to its line.
    let first =
        timed.first().map_or(0.0, |&(.., at)| at - run.web_ms(run.downloads_done()));
    Ok((times, measured, first))
}

/// How much of its phase a time printed says it took: about all of it for
/// the solution, half or more where the pool is warmed up first.
fn share(printed: f64, phase: f64) -> f64 {
    printed / phase.max(1.0)
}

pub(super) fn processes_3(program: &Program, dice: &mut Dice) -> Checked {
    let n = [2, 3].into_iter().find(|&n| n != sites::cpus()).unwrap_or(3);
    // A first run, then one with more to check: at least three times as
    // much, so that the times printed must grow as the work measured does,
    // and enough for the first phase, on one thread, to take about 1.5 s
    // however quick the machine: each phase is long enough to sample, and a
    // time printed without its whole seconds shows. (The larger run goes
    // quicker a byte: its first phase has taken 0.73 to 1.2 times the aim.)
    let small = 300_000;
    let sharing_shows = probe::sharing_shows();
    let (times, took, first) =
        speed_ups(&program.in_turn(), dice, n, small, sharing_shows, None)?;
    let more = (1500.0 / first.max(1.0)).clamp(3.0, 100.0);
    let before = times.first().map(|&ms| share(ms, first));
    // The larger run alone: a reference beside it would share the CPUs whose
    // work it measures, and the first run has compared the two already.
    let (more_times, more_took, _) = speed_ups(
        &program.alone(),
        dice,
        n,
        (small as f64 * more) as u64,
        sharing_shows,
        before,
    )?;
    let printed = [times, more_times].map(|times| times.iter().sum::<f64>());
    let measured = [took, more_took].map(|took| took.as_secs_f64() * 1e3);
    let ratio = printed[1] / printed[0].max(1e-9);
    let expected = measured[1] / measured[0].max(1e-9);
    expect((0.6..=1.6).contains(&(ratio / expected)), || {
        let [more, expected, ratio] =
            [format!("{more:.0}"), format!("{expected:.1}"), format!("{ratio:.1}")];
        tr!("processes-3-measure", more = more, expected = expected, ratio = ratio)
    })
}
