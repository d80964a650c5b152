//! What a check learns of a run, without asking the program: the simulated
//! web's own record of the requests it served, and how busy each of the
//! program's threads kept the CPU, as the system counts it
//! ([`platform::cpu::threads`]), sampled while it ran.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    thread,
    time::{Duration, Instant, SystemTime},
};

use sites::{
    Fault, PageSpec, Pages, Served, SimulatedWeb,
    harness::Finished,
    report::{in_flight_changes, most_at_once},
};

use crate::language::tr;

/// How long a run may take before it is taken for stuck.
pub const LIMIT: Duration = Duration::from_secs(30);

/// The program a check runs, and the reference solution whose runs it is
/// compared with: each run of the program has one of the reference beside it
/// on a twin of its web ([`Web::twin`]), at the same time unless `in_turn`.
#[derive(Clone)]
pub struct Program {
    pub path: PathBuf,
    /// `None` when the program is the reference itself.
    pub reference: Option<PathBuf>,
    /// The reference runs first, then the program: for a check that measures
    /// how the program used the CPUs, which the two would share.
    pub in_turn: bool,
    /// Set when the run no longer matters: the program is stopped, as at its
    /// time limit.
    pub stop: Arc<AtomicBool>,
}

impl Program {
    /// The same program, run alone: for a run whose question the reference
    /// could not answer better, and that would only double the load.
    pub fn alone(&self) -> Program {
        Program { reference: None, in_turn: false, ..self.clone() }
    }

    /// The same program, stopped when `stop` is set.
    pub fn stopped_by(&self, stop: &Arc<AtomicBool>) -> Program {
        Program { stop: stop.clone(), ..self.clone() }
    }

    /// The same program, run after the reference.
    pub fn in_turn(&self) -> Program {
        Program { reference: self.reference.clone(), in_turn: true, ..self.alone() }
    }
}

/// A small random generator (xorshift), so that each check's web differs
/// from the last: sizes, latencies, which pages fail and where. Its seed
/// names the web, so that a check that failed can be run again on the same.
pub struct Dice(u64);

impl Dice {
    /// Dice that make the web named `seed`.
    pub fn seeded(seed: u64) -> Self {
        // Spread over all 64 bits, so that near seeds make unlike webs.
        Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// A seed no run had before, most likely: from the clock.
    pub fn fresh_seed() -> u64 {
        let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH);
        // Kept short, to be typed again: a million webs are plenty.
        now.map_or(1, |now| now.as_nanos() as u64) % 1_000_000
    }

    /// A number from `low` to `high`, both included.
    pub fn pick(&mut self, low: u64, high: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        low + self.0 % (high - low + 1)
    }

    /// `items`, shuffled.
    pub fn shuffle<T>(&mut self, mut items: Vec<T>) -> Vec<T> {
        for i in (1..items.len()).rev() {
            items.swap(i, self.pick(0, i as u64) as usize);
        }
        items
    }
}

/// `count` pages of random sizes, each taking `latency` ms (a `(low, high)`
/// range), at paths no two runs share, and in no order a program could find
/// by sorting them.
pub fn pages(
    dice: &mut Dice,
    count: usize,
    bytes: (u64, u64),
    latency: (u64, u64),
) -> Vec<PageSpec> {
    let run = dice.pick(1000, 9999);
    let numbers = dice.shuffle((1..=count).collect());
    (numbers.into_iter())
        .map(|n| {
            let ms = Duration::from_millis(dice.pick(latency.0, latency.1));
            PageSpec::new(
                &format!("/{run}/page-{n}"),
                dice.pick(bytes.0, bytes.1) as usize,
                ms,
            )
        })
        .collect()
}

/// How long a program is given for each request (`--timeout`) on a web
/// with a stalled site: long enough for any of a check's pages.
const TIMEOUT: &str = "1.5";

/// A simulated web serving `pages`, and a `--urls` file listing `listed`.
pub struct Web {
    pub web: SimulatedWeb,
    list: tempfile::TempPath,
    /// The URLs of the list, in its order.
    listed: Vec<String>,
    /// The listed URLs that fail.
    failing: Vec<String>,
}

impl Web {
    /// A web serving `pages`, listed in their order, in words that tell
    /// answers apart where plain ASCII would not ([`Pages::varied`]).
    pub fn start(pages: Vec<PageSpec>) -> Result<Web, String> {
        let web = SimulatedWeb::start(Pages::custom(pages).varied())
            .map_err(|err| err.to_string())?;
        let listed = web.urls();
        let list =
            sites::harness::url_file(&listed).map_err(|err| err.to_string())?;
        Ok(Web { web, list, listed, failing: Vec::new() })
    }

    /// A web that differs from run to run as the real one does: `pages`
    /// (listed in their order), about half of them sent over a while rather
    /// than at once, and `failures` sites among them that fail each its own
    /// way (a 5xx status, a connection reset, headers and then nothing). The
    /// first is listed first or last; the second fails at once, in the first
    /// half of the list, so that its line is due long before the end; the
    /// others go anywhere. A stalled site is the slowest of all, so the
    /// slowest site is sometimes a failing one.
    pub fn varied(
        dice: &mut Dice,
        mut pages: Vec<PageSpec>,
        failures: usize,
    ) -> Result<Web, String> {
        for page in &mut pages {
            if dice.pick(0, 1) == 1 {
                page.transfer = Duration::from_millis(dice.pick(30, 150));
            }
        }
        let web = Web::start(pages)?;
        let at_once = [
            Fault::Status(500),
            Fault::Status(502),
            Fault::Status(503),
            Fault::Reset,
        ];
        let mut faults = dice.shuffle(at_once.to_vec());
        faults.insert(dice.pick(0, 1) as usize * 2, Fault::Stall);
        let failing: Vec<String> =
            faults[..failures].iter().map(|fault| web.url(&fault.path())).collect();
        let mut urls = web.web.urls();
        for (index, url) in failing.iter().enumerate() {
            let end = urls.len() as u64;
            let at = match index {
                0 => dice.pick(0, 1) * end,
                1 => dice.pick(0, end / 2),
                _ => dice.pick(0, end),
            };
            urls.insert(at as usize, url.clone());
        }
        let mut web = web.listing(&urls)?;
        web.failing = failing;
        Ok(web)
    }

    /// A web of its own serving the same pages and faults, its list and its
    /// failing sites the same paths: what the reference solution runs on.
    pub fn twin(&self) -> Result<Web, String> {
        let web = SimulatedWeb::start(self.web.pages().clone())
            .map_err(|err| err.to_string())?;
        let moved = |urls: &[String]| -> Vec<String> {
            urls.iter().map(|url| web.url(path(url))).collect()
        };
        let (listed, failing) = (moved(&self.listed), moved(&self.failing));
        let list =
            sites::harness::url_file(&listed).map_err(|err| err.to_string())?;
        Ok(Web { web, list, listed, failing })
    }

    /// The same web with a list of URLs of the check's choosing.
    pub fn listing(mut self, urls: &[String]) -> Result<Web, String> {
        self.list = sites::harness::url_file(urls).map_err(|err| err.to_string())?;
        self.listed = urls.to_vec();
        Ok(self)
    }

    pub fn list(&self) -> &str {
        self.list.to_str().unwrap_or_default()
    }

    /// The URLs of the list, in its order.
    pub fn listed(&self) -> &[String] {
        &self.listed
    }

    /// The listed URLs that fail.
    pub fn failing(&self) -> &[String] {
        &self.failing
    }

    pub fn url(&self, path: &str) -> String {
        self.web.url(path)
    }
}

/// The path of a URL on the simulated web; a path is its own.
pub fn path(url: &str) -> &str {
    match url.split_once("://") {
        Some((_, host_and_path)) => {
            host_and_path.find('/').map_or("/", |at| &host_and_path[at..])
        }
        None => url,
    }
}

/// How long two downloads must overlap to count as running at once. The web
/// sees some answers end a moment late: a connection that the program
/// dropped (at its timeout, say) is noticed at the server's next look, and on
/// a busy machine the program may have sent its next request by then.
const OVERLAP_MS: f64 = 50.0;

/// What happened in one run of an exercise's program.
pub struct Run {
    pub done: Finished,
    /// What the web served, in order of arrival.
    pub served: Vec<Served>,
    /// The program's threads' CPU time, sampled as it ran.
    pub cpu: Cpu,
    /// When the web started, for lining its record up with the samples.
    pub web_started: Instant,
    /// Why the program was stopped, if it did not finish within its limit.
    pub stopped: Option<String>,
    /// The reference solution's run beside it, on a twin of its web.
    pub reference: Option<Box<Run>>,
}

impl Run {
    /// The program's `Read N from URL` lines, as (URL, N).
    pub fn reads(&self) -> Vec<(String, u64)> {
        let reads =
            self.done.stdout.lines().filter_map(|line| line.strip_prefix("Read "));
        reads
            .filter_map(|rest| {
                let (size, url) = rest.split_once(" from ")?;
                Some((url.trim().to_string(), size.parse().ok()?))
            })
            .collect()
    }

    /// The last line of output that starts with `start`, or "" if none does.
    pub fn last_line(&self, start: &str) -> &str {
        let mut lines = self.done.stdout.lines();
        lines.rfind(|line| line.starts_with(start)).unwrap_or("")
    }

    /// Each line of output that came whole, and when it came, in ms on the
    /// web's clock.
    pub fn lines_at(&self) -> Vec<(&str, f64)> {
        let on_the_web = |after: &Duration| self.web_ms(self.done.started + *after);
        let lines = self.done.stdout.lines();
        lines.zip(self.done.printed.iter().map(on_the_web)).collect()
    }

    /// When the program ended, in ms on the web's clock.
    pub fn ended_ms(&self) -> f64 {
        self.web_ms(self.done.started + self.done.took)
    }

    /// The moment `web_ms` ms after the web started.
    pub fn at(&self, web_ms: f64) -> Instant {
        self.web_started + Duration::from_secs_f64(web_ms.max(0.0) / 1e3)
    }

    /// `at`, in ms since the web started.
    pub fn web_ms(&self, at: Instant) -> f64 {
        at.saturating_duration_since(self.web_started).as_secs_f64() * 1e3
    }

    /// The requests for `path`.
    pub fn requests(&self, path: &str) -> Vec<&Served> {
        self.served.iter().filter(|served| served.path == path).collect()
    }

    /// The most requests the web was answering at the same moment, for more
    /// than [`OVERLAP_MS`]; 1 if they never overlapped that long.
    pub fn peak(&self) -> usize {
        let peak = most_at_once(&self.changes(OVERLAP_MS));
        peak.max(self.served.len().min(1))
    }

    /// Each moment a request arrived (+1) or its answer ended (-1), in order;
    /// an end comes before an arrival at the same moment.
    pub fn in_flight_changes(&self) -> Vec<(f64, i32)> {
        self.changes(0.0)
    }

    /// [`Run::in_flight_changes`], with each answer taken to end `early` ms
    /// before the web saw it end (but not before it began).
    fn changes(&self, early: f64) -> Vec<(f64, i32)> {
        let end = |served: &Served| {
            let end = served.finished_ms.map_or(f64::MAX, |end| end - early);
            end.max(served.arrived_ms)
        };
        in_flight_changes(self.served.iter().map(|s| (s.arrived_ms, end(s))))
    }

    /// When the web's last answer ended, as an instant.
    pub fn downloads_done(&self) -> Instant {
        let last =
            self.served.iter().filter_map(|s| s.finished_ms).fold(0.0, f64::max);
        self.web_started + Duration::from_secs_f64(last / 1e3)
    }
}

/// The web's downloads once none is open. A download the program cut short
/// ends when the server sees its connection close, which on a busy machine
/// can come a moment after the program has exited.
fn settled(web: &SimulatedWeb) -> Vec<Served> {
    let give_up = Instant::now() + Duration::from_secs(5);
    loop {
        let served = web.downloads();
        let open = served.iter().any(|served| served.finished_ms.is_none());
        if !open || Instant::now() > give_up {
            return served;
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// Runs `program` with `args` on `web`'s list, sampling its threads' CPU,
/// and the reference beside it.
pub fn run(program: &Program, web: &Web, args: &[&str]) -> Result<Run, String> {
    finished(run_for(program, web, args, LIMIT)?)
}

/// `run`, or why it was stopped.
fn finished(run: Run) -> Result<Run, String> {
    match run.stopped {
        Some(why) => Err(why),
        None => Ok(run),
    }
}

/// [`run`] with a time limit of its own. A program still running at `limit`
/// is stopped, and what the web saw of it comes back, with `stopped` saying
/// so.
pub fn run_for(
    program: &Program,
    web: &Web,
    args: &[&str],
    limit: Duration,
) -> Result<Run, String> {
    run_beside(program, |path| Command::new(path), web, args, limit)
}

/// [`run`] with rayon's global pool given at least two threads, as
/// `RAYON_NUM_THREADS` asks: on a machine of one CPU (or under a quota of
/// less than one) it would have one, and no sharing of the work could show.
pub fn run_on_two_threads_or_more(
    program: &Program,
    web: &Web,
    args: &[&str],
) -> Result<Run, String> {
    let command = |path: &Path| {
        let mut command = Command::new(path);
        if sites::cpus() < 2 {
            command.env("RAYON_NUM_THREADS", "2");
        }
        command
    };
    finished(run_beside(program, command, web, args, LIMIT)?)
}

/// Runs the program on `web` and the reference on a twin of it, each as
/// `command` makes it: at the same time, so that a slow machine slows both, or
/// `in_turn`. The reference's run comes back inside the program's.
fn run_beside(
    program: &Program,
    command: impl Fn(&Path) -> Command + Sync,
    web: &Web,
    args: &[&str],
    limit: Duration,
) -> Result<Run, String> {
    let Some(reference) = &program.reference else {
        return run_command(command(&program.path), web, args, limit, &program.stop);
    };
    let twin = web.twin()?;
    let stop = &program.stop;
    let theirs = || run_command(command(reference), &twin, args, limit, stop);
    let yours = || run_command(command(&program.path), web, args, limit, stop);
    let (yours, theirs) = if program.in_turn {
        let theirs = theirs();
        (yours(), theirs)
    } else {
        thread::scope(|scope| {
            let theirs = scope.spawn(theirs);
            let yours = yours();
            (yours, theirs.join().unwrap_or_else(|_| Err(tr!("check-failed"))))
        })
    };
    let mut yours = yours?;
    let theirs = (theirs.and_then(finished))
        .map_err(|why| tr!("reference-failed", why = why))?;
    yours.reference = Some(Box::new(theirs));
    Ok(yours)
}

/// [`run_for`] with `command`, which names the program and its environment.
fn run_command(
    mut command: Command,
    web: &Web,
    args: &[&str],
    limit: Duration,
    stop: &AtomicBool,
) -> Result<Run, String> {
    // A stalled site fails when the program's own timeout ends it.
    let stalled = web.failing.iter().any(|url| url.ends_with(&Fault::Stall.path()));
    let timeout: &[&str] = if stalled { &["--timeout", TIMEOUT] } else { &[] };
    command.args([&["--urls", web.list()], timeout, args].concat());
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let outcome = sites::harness::run_command_until(command, limit, stop, sample);
    let served = settled(&web.web);
    let web_started = web.web.started();
    let (done, cpu) = match outcome {
        Ok(done) => done,
        Err(err) if err.kind() == std::io::ErrorKind::TimedOut => {
            let message = tr!("never-finished", seconds = limit.as_secs());
            let done = Finished {
                code: None,
                stdout: String::new(),
                stderr: String::new(),
                started: Instant::now(),
                took: limit,
                printed: Vec::new(),
                report: None,
            };
            let cpu = Cpu::default();
            return Ok(Run {
                done,
                served,
                cpu,
                web_started,
                stopped: Some(message),
                reference: None,
            });
        }
        Err(err) => return Err(tr!("could-not-run", error = err.to_string())),
    };
    let panic = done.stderr.lines().find(|line| line.contains("panicked"));
    if let Some(panic) = panic {
        return Err(tr!("panicked", panic = panic.trim()));
    }
    if !matches!(done.code, Some(0 | 1)) {
        let status = ended(done.code);
        return Err(
            match done.stderr.lines().rfind(|line| !line.trim().is_empty()) {
                Some(why) => tr!("ended-with", status = status, why = why),
                None => tr!("ended-silently", status = status),
            },
        );
    }
    Ok(Run { done, served, cpu, web_started, stopped: None, reference: None })
}

/// How a program with exit `code` ended, as a learner would say it.
pub fn ended(code: Option<i32>) -> String {
    match code {
        Some(code) => tr!("exit-status", code = code),
        None => tr!("no-exit-status"),
    }
}

/// The share of one CPU that a thread busy all the time gets here now: near
/// 1.0 on a quiet machine, less under load or a CPU quota, which the check
/// and the program it runs share. A check that needs a thread of the program
/// to have worked asks for a part of this, never for an amount of CPU time,
/// so that a throttled laptop is judged as a quiet one. Measured over 300 ms,
/// three periods of a CPU quota (100 ms each, by default), by keeping a
/// thread of the check busy.
pub fn cpu_share() -> f64 {
    let me = std::process::id();
    let busy: HashMap<u64, Duration> =
        platform::cpu::threads(me).unwrap_or_default().into_iter().collect();
    let stop = AtomicBool::new(false);
    let (from, to, used) = thread::scope(|scope| {
        scope.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                std::hint::spin_loop();
            }
        });
        let from = Instant::now();
        thread::sleep(Duration::from_millis(300));
        // Read while the busy thread is still there.
        let used = platform::cpu::threads(me).unwrap_or_default();
        stop.store(true, Ordering::Relaxed);
        (from, Instant::now(), used)
    });
    let spun = (used.into_iter())
        .map(|(tid, time)| {
            time.saturating_sub(busy.get(&tid).copied().unwrap_or_default())
        })
        .max()
        .unwrap_or_default();
    (spun.as_secs_f64() / to.duration_since(from).as_secs_f64()).clamp(0.0, 1.0)
}

/// Whether a busy thread gets half a CPU or more here now, so that threads
/// working side by side can be seen to share the work. Where it gets less (a
/// CPU quota), a check leaves that unjudged, and this says so on stderr. Three
/// tries: a moment's load (another program's burst) passes, a quota stays.
pub fn sharing_shows() -> bool {
    let mut share = 0.0;
    for _ in 0..3 {
        share = cpu_share();
        if share >= 0.5 {
            return true;
        }
    }
    let share = format!("{:.0}", share * 100.0);
    eprintln!("{}", tr!("sharing-unjudged", share = share));
    false
}

/// Samples of every thread's CPU time, taken every 10 ms while a program runs.
///
/// A check decides from how the program's threads shared the CPU time, never
/// from how much of a CPU they got: on a machine that is busy with something
/// else, two threads that each run half the time ran side by side all the
/// same. So the same answer passes, or fails, on every system and load.
#[derive(Default)]
pub struct Cpu {
    /// When each sample was taken, and each thread's CPU time then.
    samples: Vec<(Instant, HashMap<u64, Duration>)>,
}

/// Samples the threads of process `pid` until it is gone.
fn sample(pid: u32) -> Cpu {
    let mut cpu = Cpu::default();
    // A process that has ended (a zombie too) has no threads left to sample.
    while let Some(threads) = platform::cpu::threads(pid) {
        cpu.samples.push((Instant::now(), threads.into_iter().collect()));
        thread::sleep(Duration::from_millis(10));
    }
    cpu
}

impl Cpu {
    /// Each thread of the program and the CPU time it used between `from` and
    /// `to`, busiest first. A thread counts up to its own latest sample: as
    /// the program exits, its threads go one by one, and the last sample may
    /// have none but the main thread left.
    pub fn used(&self, from: Instant, to: Instant) -> Vec<(u64, Duration)> {
        let mut within =
            self.samples.iter().filter(|(at, _)| *at >= from && *at <= to);
        let Some((_, first)) = within.next() else {
            return Vec::new();
        };
        let mut latest = first.clone();
        for (_, times) in within {
            latest.extend(times);
        }
        let mut used: Vec<(u64, Duration)> = (latest.into_iter())
            .map(|(tid, time)| {
                let before = first.get(&tid).copied().unwrap_or_default();
                (tid, time.saturating_sub(before))
            })
            .collect();
        used.sort_by_key(|(_, time)| std::cmp::Reverse(*time));
        used
    }

    /// How many of the program's threads shared the work between `from` and
    /// `to`: each used at least a third of the CPU time of the busiest. A
    /// ratio between threads, so that neither a busy machine nor how finely
    /// a system counts CPU time changes it.
    pub fn sharing(&self, from: Instant, to: Instant) -> usize {
        let used = self.used(from, to);
        let busiest = used.first().map_or(Duration::ZERO, |(_, time)| *time);
        if busiest.is_zero() {
            return 0;
        }
        used.iter().filter(|(_, time)| *time * 3 >= busiest).count()
    }

    /// The last sample's time: about when the program ended.
    pub fn ended(&self) -> Option<Instant> {
        self.samples.last().map(|(at, _)| *at)
    }
}

#[cfg(test)]
mod tests {
    use super::path;

    #[test]
    fn the_path_of_a_url_or_of_a_path_is_the_path() {
        assert_eq!(
            path("http://127.0.0.1:4000/fault/status/500"),
            "/fault/status/500"
        );
        assert_eq!(path("/fault/status/500"), "/fault/status/500");
        assert_eq!(path("http://127.0.0.1:4000"), "/");
    }
}
