//! The exercises and their checks. A check serves a simulated web of its own,
//! different on every run, runs the exercise's program on it with settings
//! unlike the lesson's defaults, and judges what happened from the web's own
//! record of the requests and from the program's threads' CPU time, never
//! from what the program says about itself. An `Err` says, in a sentence,
//! what to change.

use std::{collections::HashMap, path::Path, time::Duration};

use sites::Fault;

use crate::probe::{self, Dice, Run, Web, pages};

/// One exercise.
pub struct Exercise {
    /// Its name, which is also its file's: `exercises/yours/ID.rs`.
    pub id: &'static str,
    /// What to do, in a line.
    pub title: &'static str,
    /// The check, given the program to run.
    pub check: fn(&Path) -> Checked,
}

/// `Err` says what is wrong, and what to change.
pub type Checked = Result<(), String>;

const fn exercise(
    id: &'static str,
    title: &'static str,
    check: fn(&Path) -> Checked,
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
    exercise(
        "futures-1",
        "take the first results to arrive, through a channel",
        futures_1,
    ),
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

/// `Ok` if `holds`, else the explanation.
fn expect(holds: bool, explain: impl FnOnce() -> String) -> Checked {
    if holds { Ok(()) } else { Err(explain()) }
}

/// A number of workers unlike the lesson's default and this machine's CPU
/// count, so that a program that ignores `--workers` shows it.
fn workers(dice: &mut Dice, default: usize) -> usize {
    workers_of(dice, &[3, 4, 6], default)
}

/// One of `choices`, neither the lesson's default nor the CPU count.
fn workers_of(dice: &mut Dice, choices: &[usize], default: usize) -> usize {
    let choices: Vec<usize> = (choices.iter().copied())
        .filter(|&n| n != default && n != sites::cpus())
        .collect();
    choices[dice.pick(0, choices.len() as u64 - 1) as usize]
}

/// The path of a URL on the simulated web.
fn path(url: &str) -> &str {
    url.splitn(4, '/').nth(3).map_or(url, |rest| &url[url.len() - rest.len() - 1..])
}

/// Every URL of `urls` downloaded exactly once and whole, and given exactly
/// one line, whose size (for a `Read` line) is the one the web served.
fn each_once(run: &Run, urls: &[String]) -> Checked {
    let stdout = &run.done.stdout;
    let summary = stdout.lines().any(|line| line.starts_with("Download "));
    let lined = |url: &String| {
        stdout.lines().any(|line| {
            line.ends_with(url.as_str())
                || line.starts_with(&format!("Failed {url}: "))
        })
    };
    let unlined = urls.iter().filter(|url| !lined(url)).count();
    expect(!summary || unlined * 2 < urls.len(), || {
        format!(
            "{unlined} of the {} sites got no line, yet the summary was printed: did the \
             downloads outlive download_all? Wait for every one before returning",
            urls.len()
        )
    })?;
    for url in urls {
        let lines = stdout
            .lines()
            .filter(|line| {
                let read = line
                    .strip_prefix("Read ")
                    .and_then(|rest| rest.split_once(" from "));
                read.map(|(_, u)| u) == Some(url.as_str())
                    || line.starts_with(&format!("Failed {url}: "))
            })
            .count();
        let asked = run.requests(path(url)).len();
        let listed = urls.iter().filter(|other| *other == url).count();
        expect(asked != 0, || {
            format!("{} was never asked for: download every site", path(url))
        })?;
        expect(asked == listed, || {
            format!(
                "{} was asked for {asked} times: each site should be downloaded once",
                path(url)
            )
        })?;
        expect(lines != 0, || {
            format!(
                "{url} got no line: print `Read N from URL`, or `Failed URL: reason` for a \
                 site that failed"
            )
        })?;
        expect(lines == listed, || {
            format!("{url} got {lines} lines: one line for each site")
        })?;
    }
    for (url, size) in run.reads() {
        let served = run.requests(path(&url));
        let whole =
            served.iter().find(|served| served.complete && served.status == 200);
        let Some(whole) = whole else {
            return Err(format!(
                "it printed `Read {size} from {url}`, but the web never sent that page whole: \
                 print the size of the body you read"
            ));
        };
        expect(whole.bytes == size, || {
            format!(
                "it printed `Read {size} from {url}`, but the web sent {} bytes: print the \
                 body's length",
                whole.bytes
            )
        })?;
    }
    Ok(())
}

/// Exactly `n` downloads at once, at the busiest moment, by the web's record.
fn at_once(run: &Run, n: usize, what_to_change: &str) -> Checked {
    let peak = run.peak();
    let downloads = if n == 1 { "1 download" } else { &format!("{n} downloads") };
    expect(peak == n, || {
        format!(
            "{downloads} should run at once, but at most {peak} did: {what_to_change}"
        )
    })
}

/// Downloads started in waves: after the first `n`, the requests that
/// arrived when every earlier one had ended (give or take 10 ms). In a pool
/// or a queue, a worker that is free takes the next site while the others
/// still download, so this hardly ever happens, even on a busy machine; in
/// waves of `n`, it happens once a wave, so the web has latencies that differ
/// and enough sites for three waves or more.
fn waves(run: &Run, n: usize, what_to_change: &str) -> Checked {
    let mut arrivals: Vec<(f64, f64)> = (run.served.iter())
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
    expect(idle < 2, || {
        format!(
            "{idle} downloads started when none was running, so the sites were started in \
             waves: {what_to_change}"
        )
    })
}

/// Runs the program on `web` with `args`.
fn run(program: &Path, web: &Web, args: &[&str]) -> Result<Run, String> {
    probe::run(program, web, args)
}

fn sequential_1(program: &Path) -> Checked {
    let mut dice = Dice::new();
    let web = Web::start(pages(&mut dice, 6, (1_000, 40_000), (60, 140)))?;
    // One site fails, somewhere in the list: it gets a `Failed` line.
    let mut urls = web.web.urls();
    let broken = web.url(&Fault::Status(503).path());
    urls.insert(dice.pick(0, urls.len() as u64) as usize, broken);
    let web = web.listing(&urls)?;
    let run = run(program, &web, &[]).map_err(|why| {
        if why.starts_with("it panicked") {
            format!(
                "{why}. One of the sites fails: print `Failed URL: reason` for it, and go \
                 on with the next"
            )
        } else {
            why
        }
    })?;
    each_once(&run, &urls)?;
    at_once(&run, 1, "download the sites one after the other, in a plain loop")?;
    let asked: Vec<&str> =
        run.served.iter().map(|served| served.path.as_str()).collect();
    let listed: Vec<&str> = urls.iter().map(|url| path(url)).collect();
    expect(asked == listed, || {
        format!(
            "the sites should be downloaded in the list's order, {listed:?}, not {asked:?}"
        )
    })
}

fn sequential_2(program: &Path) -> Checked {
    let mut dice = Dice::new();
    let web = Web::start(pages(&mut dice, 5, (1_000, 90_000), (20, 60)))?;
    let mut urls = web.web.urls();
    let broken = web.url(&Fault::Status(503).path());
    urls.insert(dice.pick(0, urls.len() as u64) as usize, broken);
    let web = web.listing(&urls)?;
    let total: usize = web.web.pages().iter().map(|page| page.bytes).sum();
    let run = run(program, &web, &[])?;
    each_once(&run, &urls)?;
    let line = format!("Total: {total} bytes");
    let last = run
        .done
        .stdout
        .lines()
        .rfind(|line| line.starts_with("Total: "))
        .unwrap_or("");
    expect(last == line, || {
        format!(
            "the last line should be `{line}`: the sizes this web sent, the failed page not \
             counted. It was `{last}`"
        )
    })
}

fn sequential_3(program: &Path) -> Checked {
    let mut dice = Dice::new();
    let web = Web::start(pages(&mut dice, 2, (1_000, 20_000), (20, 40)))?;
    let [first, second] = [0, 1].map(|i| web.web.urls()[i].clone());
    let (flaky, broken) =
        (web.url(&Fault::Flaky.path()), web.url(&Fault::Status(503).path()));
    let missing = web.url(&Fault::Status(404).path());
    let web = web.listing(&[
        first.clone(),
        flaky.clone(),
        missing.clone(),
        second.clone(),
        broken.clone(),
    ])?;
    let run = probe::run_for(program, &web, &[], Duration::from_secs(12))?;
    let asked = run.requests(path(&broken)).len();
    expect(asked <= 4, || {
        format!(
            "it asked for {} {asked} times: stop after 4 attempts in all",
            path(&broken)
        )
    })?;
    if let Some(why) = run.stopped {
        return Err(why);
    }
    let asked = run.requests(path(&missing)).len();
    expect(asked == 1, || {
        format!(
            "{} answered 404 and was asked for {asked} times: a 404 will not be different next \
             time. Retry only after a 5xx status (is_server_error)",
            path(&missing)
        )
    })?;
    // The waits between an answer and the next attempt, in ms.
    let waits = |url: &str| -> Vec<f64> {
        let asked = run.requests(path(url));
        asked
            .windows(2)
            .map(|pair| pair[1].arrived_ms - pair[0].finished_ms.unwrap_or(0.0))
            .collect()
    };
    let tries = run.requests(path(&flaky)).len();
    expect(tries == 3, || {
        format!(
            "{} fails twice, then answers: it should be asked for 3 times, not {tries}",
            path(&flaky)
        )
    })?;
    let asked = run.requests(path(&broken)).len();
    expect(asked == 4, || {
        format!(
            "{} always fails: it should be asked for 4 times in all, not {asked}",
            path(&broken)
        )
    })?;
    for url in [&flaky, &broken] {
        let waits = waits(url);
        let shown: Vec<String> =
            waits.iter().map(|ms| format!("{ms:.0} ms")).collect();
        expect(waits.first().is_some_and(|&first| first >= 70.0), || {
            format!(
                "the first retry of {} came {} after the failed answer: wait 100 ms before it",
                path(url),
                shown.first().cloned().unwrap_or_default()
            )
        })?;
        expect(waits.windows(2).all(|pair| pair[1] >= pair[0] * 1.5), || {
            format!(
                "the waits should grow, twice as long each time, but they were {}",
                shown.join(", ")
            )
        })?;
    }
    each_once(&run, &[first, second])
}

fn threads_1(program: &Path) -> Checked {
    let mut dice = Dice::new();
    let n = workers(&mut dice, 5);
    let web = Web::start(pages(&mut dice, 3 * n + 1, (1_000, 30_000), (100, 400)))?;
    let run = run(program, &web, &["--workers", &n.to_string()])?;
    each_once(&run, &web.web.urls())?;
    at_once(&run, n, &format!("the pool should have --workers ({n}) threads"))?;
    waves(
        &run,
        n,
        "give the pool a job per site and let it run them; a thread that finishes should \
         take the next site at once, not wait for the others",
    )
}

fn threads_2(program: &Path) -> Checked {
    let mut dice = Dice::new();
    let count = dice.pick(7, 10) as usize;
    let web = Web::start(pages(&mut dice, count, (1_000, 30_000), (300, 400)))?;
    let run = run(program, &web, &[])?;
    each_once(&run, &web.web.urls())?;
    at_once(&run, count, "start every site's thread before waiting for any")
}

fn threads_3(program: &Path) -> Checked {
    let mut dice = Dice::new();
    let n = workers(&mut dice, 5);
    let web = Web::start(pages(&mut dice, 4 * n, (1_000, 30_000), (100, 400)))?;
    let urls = web.web.urls();
    let run = run(program, &web, &["--workers", &n.to_string()])?;
    each_once(&run, &urls)?;
    let change = match run.peak() {
        1 => "is the queue's lock held while downloading? Take the next URL, let go, then download".to_string(),
        _ => format!("start --workers ({n}) threads"),
    };
    at_once(&run, n, &change)?;
    waves(
        &run,
        n,
        "a thread that finishes should take the next site from the queue at once, not wait \
         for the others",
    )?;
    // Each free thread takes the next site of the list: no site is asked for
    // before one that comes earlier in the list by more than the n at work.
    for (position, served) in run.served.iter().enumerate() {
        let index =
            urls.iter().position(|url| path(url) == served.path).unwrap_or(0);
        expect(index.abs_diff(position) < n, || {
            format!(
                "{} was number {} of the sites asked for, but number {} of the list: each free \
                 thread should take the next site of the shared queue",
                served.path,
                position + 1,
                index + 1
            )
        })?;
    }
    Ok(())
}

fn processes_1(program: &Path) -> Checked {
    let mut dice = Dice::new();
    // Fewer chunks of --workers sites than --workers, and not as many as the
    // CPUs: sites handed out in chunks rather than one by one show it.
    let n = workers_of(&mut dice, &[4, 5, 6], sites::cpus());
    let chunks = if sites::cpus() == 3 { 2 } else { 3 };
    let count = (chunks - 1) * n + 2;
    let web = Web::start(pages(&mut dice, count, (1_000, 30_000), (200, 300)))?;
    let run = run(program, &web, &["--workers", &n.to_string()])?;
    each_once(&run, &web.web.urls())?;
    let change = match run.peak() {
        1 => "download with par_iter, on rayon's threads".to_string(),
        peak if peak == sites::cpus() => format!(
            "{peak} is rayon's global pool, a thread per CPU: build a pool of --workers ({n}) \
             threads and install it"
        ),
        _ => format!(
            "build a pool of --workers ({n}) threads, install it, and make each site its own \
             task: par_iter over the sites, not chunks of them"
        ),
    };
    at_once(&run, n, &change)
}

/// Counts the words of `texts` as the exercise must: (words, different words).
fn words(texts: &[String]) -> (usize, usize) {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for word in texts.iter().flat_map(|text| text.split_whitespace()) {
        *counts.entry(word).or_default() += 1;
    }
    (counts.values().sum(), counts.len())
}

/// The bodies of every page `web` serves, fetched anew.
fn bodies(web: &Web) -> Result<Vec<String>, String> {
    let quick = sites::client::Settings::quick(Duration::from_secs(30));
    let settings = sites::client::Settings { max_bytes: 64 << 20, ..quick };
    let client =
        sites::client::blocking(&settings).map_err(|err| err.to_string())?;
    let text =
        |url: &String| client.get(url).send().and_then(|response| response.text());
    web.web
        .urls()
        .iter()
        .map(|url| text(url).map_err(|err| err.to_string()))
        .collect()
}

fn processes_2(program: &Path) -> Checked {
    let mut dice = Dice::new();
    let web = Web::start(pages(&mut dice, 6, (2_000_000, 3_500_000), (10, 30)))?;
    let run = run(program, &web, &[])?;
    each_once(&run, &web.web.urls())?;
    let (total, different) = words(&bodies(&web)?);
    let line = format!("Words: {total}, {different} different");
    let printed = run
        .done
        .stdout
        .lines()
        .find(|line| line.starts_with("Words: "))
        .unwrap_or("");
    expect(printed == line, || {
        format!(
            "the pages hold `{line}`, but it printed `{printed}`: fold each thread's lines, then merge every thread's counts with reduce"
        )
    })?;
    let counting = (
        run.downloads_done(),
        run.cpu.ended().unwrap_or_else(std::time::Instant::now),
    );
    let helping = run.cpu.sharing(counting.0, counting.1);
    let used = run.cpu.used(counting.0, counting.1);
    let busiest = used.first().map_or(Duration::ZERO, |(_, time)| *time);
    expect(helping >= 2, || {
        format!(
            "the counting kept {helping} thread busy ({} ms of CPU): share the lines out among \
             rayon's threads with par_iter and par_lines",
            busiest.as_millis()
        )
    })
}

/// One run of processes-3 on `size` bytes of pages: the printed times, and the
/// time the counting took as measured.
fn speed_ups(
    program: &Path,
    dice: &mut Dice,
    n: usize,
    size: u64,
) -> Result<(Vec<f64>, Duration), String> {
    let web = Web::start(pages(dice, 4, (size / 4, size / 4), (10, 20)))?;
    let run = run(program, &web, &["--workers", &n.to_string()])?;
    each_once(&run, &web.web.urls())?;
    let mut times = Vec::new();
    for threads in 1..=n {
        let start = format!("{threads} threads: ");
        let line = run.done.stdout.lines().find(|line| line.starts_with(&start));
        let ms = line.and_then(|line| {
            line[start.len()..].trim_end_matches(" ms").parse::<f64>().ok()
        });
        let ms = ms.ok_or_else(|| {
            format!("a line should read `{start}M ms`, with the time in ms")
        })?;
        times.push(ms);
    }
    let start = run.downloads_done();
    let end = run.cpu.ended().unwrap_or(start);
    // Phase by phase, as the printed times mark them out: no more threads
    // sharing the work than the pool has, and more than one in the largest.
    let mut at = start;
    let mut largest = 0;
    for (index, ms) in times.iter().enumerate() {
        let threads = index + 1;
        let length = Duration::from_secs_f64(ms / 1e3);
        let (from, to) = (at + length / 5, at + length * 4 / 5);
        at += length;
        if length < Duration::from_millis(60) {
            continue; // too short to sample well
        }
        let busy = run.cpu.sharing(from, to);
        expect(busy <= threads, || {
            format!(
                "while timing {threads} thread(s), {busy} shared the work: build a pool of \
                 that many threads for each line, and run the work inside pool.install"
            )
        })?;
        largest = busy;
    }
    let measured = end.saturating_duration_since(start);
    let (printed, measured_ms) =
        (times.iter().sum::<f64>(), measured.as_secs_f64() * 1e3);
    expect(
        printed <= measured_ms + 100.0 && printed >= measured_ms * 0.6 - 50.0,
        || {
            format!(
                "the times printed add up to {printed:.0} ms, but the work took {measured_ms:.0} ms: \
             time checksum itself, with Instant::now() before and elapsed() after"
            )
        },
    )?;
    expect(largest >= 2.min(n), || {
        format!(
            "while timing {n} threads, {largest} did the work: time checksum in a pool of 1, \
             then 2... threads"
        )
    })?;
    Ok((times, measured))
}

fn processes_3(program: &Path) -> Checked {
    let mut dice = Dice::new();
    let n = [2, 3].into_iter().find(|&n| n != sites::cpus()).unwrap_or(3);
    let mut printed = Vec::new();
    let mut measured = Vec::new();
    // The same program on pages three times larger: the times printed must
    // grow as the work measured does (on a busy machine, not quite 3 times).
    for size in [300_000, 900_000] {
        let (times, took) = speed_ups(program, &mut dice, n, size)?;
        printed.push(times.iter().sum::<f64>());
        measured.push(took.as_secs_f64() * 1e3);
    }
    let ratio = printed[1] / printed[0].max(1e-9);
    let expected = measured[1] / measured[0].max(1e-9);
    expect((0.6..=1.6).contains(&(ratio / expected)), || {
        format!(
            "with three times as much to check, the work took {expected:.1} times as long, \
             but the times printed grew {ratio:.1} times: print what you measure"
        )
    })
}

fn futures_1(program: &Path) -> Checked {
    let mut dice = Dice::new();
    let latencies = dice.shuffle(vec![150, 350, 550, 1400, 1600, 1800]);
    let specs: Vec<_> = latencies
        .iter()
        .map(|&ms| {
            let bytes = dice.pick(1_000, 20_000) as usize;
            sites::PageSpec::new(
                &format!("/{}/in-{ms}-ms", dice.pick(1000, 9999)),
                bytes,
                Duration::from_millis(ms),
            )
        })
        .collect();
    let web = Web::start(specs.clone())?;
    let run = run(program, &web, &["--workers", "6"])?;
    let mut by_speed = specs.clone();
    by_speed.sort_by_key(|page| page.first_byte);
    let first: Vec<String> =
        by_speed[..3].iter().map(|page| web.url(&page.path)).collect();
    let printed: Vec<String> = run.reads().into_iter().map(|(url, _)| url).collect();
    expect(printed.len() <= 3, || {
        format!(
            "it printed {} results: print the first 3 to arrive, and no more",
            printed.len()
        )
    })?;
    expect(printed == first, || {
        format!(
            "the first 3 to arrive were {first:?}, but it printed {printed:?}: take results from the channel as they come"
        )
    })?;
    each_once(&run, &first)?;
    let slow = &by_speed[3];
    let sent_whole = run.requests(&slow.path).iter().any(|served| served.complete);
    expect(!sent_whole, || {
        format!(
            "it waited for {} ({} ms) before it was done: return once the first 3 results are in",
            slow.path,
            slow.first_byte.as_millis()
        )
    })
}

fn futures_2(program: &Path) -> Checked {
    let mut dice = Dice::new();
    let n = [4, 5].into_iter().find(|&n| n != sites::cpus()).unwrap_or(4);
    let mut specs = pages(&mut dice, 6, (1_000, 20_000), (100, 100));
    // The first sites are the slowest: they finish last, but come first.
    for (page, ms) in specs.iter_mut().zip([700, 600, 500, 100, 250, 400]) {
        page.first_byte = Duration::from_millis(ms);
    }
    let web = Web::start(specs)?;
    let urls = web.web.urls();
    let run = run(program, &web, &["--workers", &n.to_string()])?;
    each_once(&run, &urls)?;
    at_once(&run, n, "submit every site before waiting for the first result")?;
    let printed: Vec<String> = run.reads().into_iter().map(|(url, _)| url).collect();
    expect(printed == urls, || {
        format!(
            "the lines should come in the order the sites were submitted, {urls:?}, not {printed:?}"
        )
    })
}

fn futures_3(program: &Path) -> Checked {
    let mut dice = Dice::new();
    let good = dice.pick(4, 7) as usize;
    let web = Web::start(pages(&mut dice, good, (1_000, 20_000), (30, 120)))?;
    // A page cut short is among the failures every time: an error, though no
    // HTTP status says so.
    let faults = [Fault::Status(503), Fault::Status(404), Fault::Truncated];
    let mut broken = vec![web.url(&Fault::Truncated.path())];
    broken.extend(
        (0..dice.pick(1, 3))
            .map(|_| web.url(&faults[dice.pick(0, 2) as usize].path())),
    );
    let urls = dice.shuffle([web.web.urls(), broken.clone()].concat());
    let web = web.listing(&urls)?;
    let run = run(program, &web, &["--workers", "4"])?;
    each_once(&run, &urls)?;
    let line = format!("Failed: {} of {}", broken.len(), urls.len());
    let printed = run
        .done
        .stdout
        .lines()
        .rfind(|line| line.starts_with("Failed: "))
        .unwrap_or("");
    expect(printed == line, || {
        let kinds: Vec<&str> = broken.iter().map(|url| path(url)).collect();
        format!(
            "this web failed {} of the sites ({}), so the last line should be `{line}`, not \
             `{printed}`: every Err counts, whatever the error",
            broken.len(),
            kinds.join(", ")
        )
    })
}

/// A bounded async run: --workers n, n downloads at once, the next starting
/// as one ends; with a site that fails among them if `failing`.
fn bounded(
    program: &Path,
    what_to_change: &str,
    next_at_once: &str,
    failing: bool,
) -> Checked {
    let mut dice = Dice::new();
    let n = workers(&mut dice, 0);
    let web = Web::start(pages(&mut dice, 3 * n + 1, (1_000, 30_000), (100, 400)))?;
    let mut urls = web.web.urls();
    if failing {
        let broken = web.url(&Fault::Status(503).path());
        urls.insert(dice.pick(0, urls.len() as u64) as usize, broken);
    }
    let web = web.listing(&urls)?;
    let run = run(program, &web, &["--workers", &n.to_string()])?;
    each_once(&run, &urls)?;
    at_once(&run, n, &format!("--workers is {n}: {what_to_change}"))?;
    waves(&run, n, next_at_once)
}

fn async_1(program: &Path) -> Checked {
    bounded(
        program,
        "each task should hold a permit until its download ends",
        "a task that finishes should hand its permit on at once, not wait for the others",
        false,
    )
}

fn async_2(program: &Path) -> Checked {
    bounded(
        program,
        "keep --workers futures going with buffer_unordered",
        "buffer_unordered starts the next site as soon as one ends, not once all of them have",
        true,
    )
}

fn async_3(program: &Path) -> Checked {
    let mut dice = Dice::new();
    let mut specs = pages(&mut dice, 3, (1_000, 20_000), (100, 100));
    for (page, ms) in specs.iter_mut().zip([100, 300, 3000]) {
        page.first_byte = Duration::from_millis(ms);
    }
    let web = Web::start(specs.clone())?;
    let silent = web.url(&Fault::Silent.path());
    let urls = [web.web.urls(), vec![silent.clone()]].concat();
    let web = web.listing(&urls)?;
    let run = probe::run_for(
        program,
        &web,
        &["--timeout", "20"],
        Duration::from_secs(10),
    )?;
    if run.stopped.is_some() {
        return Err(
            "it was still running at 10 s, with a deadline of 0.8 s: stop every \
                    download still running then"
                .into(),
        );
    }
    each_once(&run, &urls[..2])?;
    // The deadline counts from the run's start, which its first request marks
    // (the program may take a moment before it, never 0.8 s): a deadline of
    // each site's own, one after the other, cuts the last ones later.
    let start =
        run.served.iter().map(|served| served.arrived_ms).fold(f64::MAX, f64::min);
    for cut in [&urls[2], &silent] {
        let served = run.requests(path(cut));
        let ended =
            served.first().and_then(|served| Some(served.finished_ms? - start));
        let whole = served.iter().any(|served| served.complete);
        expect(
            !whole && ended.is_some_and(|ms| (500.0..1_500.0).contains(&ms)),
            || {
                format!(
                    "{} should be cut at the deadline, 0.8 s after the start, but {}: stop every \
                 download still running then",
                    path(cut),
                    match ended {
                        _ if whole => "it was let finish".to_string(),
                        Some(ms) if ms >= 1_500.0 => format!(
                            "it was cut at {:.1} s: one deadline for the whole run, not one \
                             for each site",
                            ms / 1e3
                        ),
                        Some(ms) => format!("it was cut at {:.1} s", ms / 1e3),
                        None => "it was never cut".into(),
                    }
                )
            },
        )?;
    }
    Ok(())
}

fn async_4(program: &Path) -> Checked {
    let mut dice = Dice::new();
    let web = Web::start(pages(&mut dice, 8, (1_000, 20_000), (200, 200)))?;
    let run = run(program, &web, &["--workers", "2"])?;
    each_once(&run, &web.web.urls())?;
    let first = &run.served[0];
    let parsed_from = first.finished_ms.unwrap_or(0.0);
    let started_meanwhile = run
        .served
        .iter()
        .filter(|served| {
            served.arrived_ms > parsed_from + 150.0
                && served.arrived_ms < parsed_from + 850.0
        })
        .count();
    expect(started_meanwhile >= 2, || {
        "while the first page was being parsed, no other download started: the parse blocked the \
         runtime's only thread. Run it with tokio::task::spawn_blocking"
            .into()
    })?;
    // The first task keeps its place (its permit) until its parse is done: the
    // other downloads go one at a time meanwhile.
    let meanwhile: Vec<_> = run.served[1..]
        .iter()
        .filter(|served| {
            served.arrived_ms > parsed_from + 50.0
                && served.arrived_ms < parsed_from + 900.0
        })
        .collect();
    let overlapping = meanwhile
        .windows(2)
        .any(|pair| pair[1].arrived_ms < pair[0].finished_ms.unwrap_or(f64::MAX));
    expect(!overlapping, || {
        "while the first page was being parsed, two other downloads ran at once: its task \
         should keep its permit until the parse is done: await the spawn_blocking handle"
            .into()
    })?;
    let ended = run.cpu.ended().unwrap_or(run.web_started);
    let ended_ms =
        ended.saturating_duration_since(run.web_started).as_secs_f64() * 1e3;
    expect(ended_ms >= parsed_from + 950.0, || {
        format!(
            "the run ended {:.0} ms after the first page came, before its parse (1 s) was done: \
             await the spawn_blocking handle",
            ended_ms - parsed_from
        )
    })
}
