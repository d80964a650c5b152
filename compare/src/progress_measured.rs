//! `compare progress`: what a class's progress view costs, measured. First,
//! how long `exercises check` takes with a class joined that is live, stopped
//! or silent, against no class at all: a check must not wait on its class.
//! Then a room of students sending a verdict on every exercise each second:
//! `serve` must keep every latest one, in little memory, and each second's
//! verdicts must reach the open page within a second.

use std::{
    collections::HashMap,
    io::{BufRead, BufReader},
    net::TcpListener,
    path::Path,
    sync::{Arc, Mutex},
    thread,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use anyhow::{Context, bail};
use sites::client::{Settings, blocking};
use web::{EXERCISES, Verdict};

use crate::class::{Kept, Serve};

/// How many times each check is timed, with its class and without, in turn.
const PAIRS: usize = 5;

/// The check timed: a solution on a web of a fixed number, so that every run
/// does the same work.
const CHECK: [&str; 4] = ["check", "sequential-1", "--seed", "7"];

/// Both measurements as tables, and whether each met its target: a check
/// with a class within 10% of one without; every latest verdict kept, `serve`
/// under 50 MiB, and each second's verdicts on the page within a second.
pub fn run(
    binaries: &Path,
    students: usize,
    seconds: u64,
) -> anyhow::Result<(String, bool)> {
    let (checks, checks_met) = check_times(binaries)?;
    let (room, room_met) = room(binaries, students, seconds)?;
    Ok((format!("{checks}\n{room}"), checks_met && room_met))
}

/// The median time of [`CHECK`] with a class that is live, stopped (its port
/// refuses) or silent (it takes connections and never answers), each paired
/// with a run without a class.
fn check_times(binaries: &Path) -> anyhow::Result<(String, bool)> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../exercises");
    let yours = folder.join("yours/sequential-1.rs");
    let class_file = folder.join(".class");
    let _kept =
        Kept::now(vec![yours.clone(), class_file.clone(), folder.join(".progress")]);
    std::fs::copy(folder.join("solutions/sequential-1.rs"), &yours)?;

    let live = Serve::start(binaries, &[])?;
    let silent = TcpListener::bind("127.0.0.1:0")?;
    let silent_root = format!("http://{}", silent.local_addr()?);
    // It takes each connection and keeps it open, answering nothing.
    thread::spawn(move || silent.incoming().flatten().collect::<Vec<_>>());
    let stopped_root = {
        let gone = TcpListener::bind("127.0.0.1:0")?;
        format!("http://{}", gone.local_addr()?)
    };

    let check = |class: Option<&str>| -> anyhow::Result<f64> {
        match class {
            Some(root) => {
                std::fs::write(&class_file, format!("class {root}\nname timer\n"))?
            }
            None => {
                let _ = std::fs::remove_file(&class_file);
            }
        }
        let started = Instant::now();
        let done = sites::harness::run(binaries.join("exercises"), &CHECK, LIMIT)?;
        if done.code != Some(0) {
            bail!("the check of the solution failed: {}", done.stderr);
        }
        Ok(started.elapsed().as_secs_f64())
    };
    check(None)?; // built and warm
    let mut out = String::from(
        "| class | check, no class | check, with the class | with ÷ without | target |\n\
         |---|--:|--:|--:|---|\n",
    );
    let mut met = true;
    for (name, root) in
        [("live", &live.root), ("stopped", &stopped_root), ("silent", &silent_root)]
    {
        let (mut without, mut with, mut ratios) =
            (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..PAIRS {
            let (a, b) = (check(Some(root))?, check(None)?);
            with.push(a);
            without.push(b);
            ratios.push(a / b);
        }
        let ratio = median(ratios);
        met &= ratio <= 1.10;
        let verdict = if ratio <= 1.10 { "yes" } else { "NO" };
        out += &format!(
            "| {name} | {:.3} s | {:.3} s | {ratio:.3} | {verdict} ≤ 1.10 |\n",
            median(without),
            median(with),
        );
    }
    Ok((out, met))
}

/// `students` students, each sending a verdict on every exercise once a
/// second for `seconds`, against one `serve` whose progress feed is read
/// throughout.
fn room(
    binaries: &Path,
    students: usize,
    seconds: u64,
) -> anyhow::Result<(String, bool)> {
    let serve = Serve::start(binaries, &[])?;
    // When the page first heard of each attempt, as a page would: from the
    // feed, each event read as it comes.
    let heard = Arc::new(Mutex::new((0_usize, HashMap::new())));
    let feed = {
        let url = format!("{}/class/exercises/events", serve.root);
        let heard = heard.clone();
        let client = blocking(&Settings::quick(Duration::from_secs(seconds + 30)))?;
        let answer = client.get(url).send()?.error_for_status()?;
        thread::spawn(move || {
            for line in BufReader::new(answer).lines().map_while(Result::ok) {
                let Some(event) = line.strip_prefix("data: ") else { continue };
                let Ok(news) = serde_json::from_str::<serde_json::Value>(event)
                else {
                    continue;
                };
                let now = Instant::now();
                let mut heard = heard.lock().unwrap_or_else(|e| e.into_inner());
                heard.0 += 1;
                let rows = news["changed"].as_array().cloned().unwrap_or_default();
                for cells in rows.iter().filter_map(|row| row["cells"].as_array()) {
                    for attempt in
                        cells.iter().filter_map(|cell| cell["attempt"].as_u64())
                    {
                        heard.1.entry(attempt).or_insert(now);
                    }
                }
            }
        })
    };
    let started = Instant::now();
    let sent: Vec<anyhow::Result<usize>> = thread::scope(|scope| {
        let senders: Vec<_> = (0..students)
            .map(|student| {
                let url = format!("{}/class/verdict", serve.root);
                scope.spawn(move || send(&url, student, seconds))
            })
            .collect();
        senders
            .into_iter()
            .map(|s| s.join().unwrap_or_else(|_| bail!("panicked")))
            .collect()
    });
    let took = started.elapsed();
    let sent = sent
        .into_iter()
        .collect::<anyhow::Result<Vec<usize>>>()?
        .iter()
        .sum::<usize>();
    thread::sleep(Duration::from_secs(1)); // for the last second's news
    let (events, longest) = {
        let heard = heard.lock().unwrap_or_else(|e| e.into_inner());
        // Second n's verdicts are sent from `started` + n - 1 seconds on.
        let waits = (1..=seconds).map(|n| {
            let sent = started + Duration::from_secs(n - 1);
            let at = heard.1.get(&n);
            at.map_or(Duration::MAX, |at| at.saturating_duration_since(sent))
        });
        (heard.0, waits.max().unwrap_or_default())
    };
    drop(feed);

    // Every cell holds the last attempt its student sent.
    let client = blocking(&Settings::quick(Duration::from_secs(10)))?;
    let state: serde_json::Value = serde_json::from_str(
        &client
            .get(format!("{}/class/exercises/state", serve.root))
            .send()?
            .text()?,
    )?;
    let rows = state["changed"].as_array().context("no rows")?;
    let latest = rows
        .iter()
        .flat_map(|row| row["cells"].as_array().cloned().unwrap_or_default())
        .filter(|cell| cell["attempt"].as_u64() == Some(seconds))
        .count();
    let cells = students * EXERCISES.len();
    let peak = platform::memory::peak_kb_of(serve.id());
    let memory = peak.map_or("not measured on this system".into(), |kb| {
        format!("{:.1} MiB", kb as f64 / 1024.0)
    });
    let met = latest == cells
        && peak.is_none_or(|kb| kb < 50 * 1024)
        && longest <= Duration::from_secs(1);
    let verdict = if met { "yes" } else { "NO" };
    let out = format!(
        "| students × exercises | verdicts sent | in | latest kept | serve's peak memory | \
         page fed | a second's verdicts shown within | target |\n\
         |---|--:|--:|--:|--:|--:|--:|---|\n\
         | {students} × {} | {sent} | {:.1} s | {latest} of {cells} | {memory} \
         | {events} times | {:.2} s | {verdict}: all kept, < 50 MiB, ≤ 1 s |\n",
        EXERCISES.len(),
        took.as_secs_f64(),
        longest.as_secs_f64(),
    );
    Ok((out, met))
}

/// One student's verdicts: every exercise once a second, the `n`th second's
/// attempt `n`, for `seconds`; how many the server took.
fn send(url: &str, student: usize, seconds: u64) -> anyhow::Result<usize> {
    let client = blocking(&Settings::quick(Duration::from_secs(10)))?;
    let started = Instant::now();
    let mut taken = 0;
    for second in 1..=seconds {
        for (index, exercise) in EXERCISES.iter().enumerate() {
            let verdict = Verdict {
                name: format!("student {student} 学生"),
                exercise: (*exercise).into(),
                passed: (second + index as u64).is_multiple_of(3),
                message: format!(
                    "{exercise}, attempt {second}: {}",
                    "x".repeat(100)
                ),
                attempt: u32::try_from(second)?,
                at: SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs(),
            };
            let answer =
                client.post(url).body(serde_json::to_string(&verdict)?).send()?;
            taken += usize::from(answer.status().is_success());
        }
        let due = started + Duration::from_secs(second);
        thread::sleep(due.saturating_duration_since(Instant::now()));
    }
    Ok(taken)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The longest a check may take before it is given up.
const LIMIT: Duration = Duration::from_secs(120);
