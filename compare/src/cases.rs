//! What `compare` runs, and the limit each one's schedule allows.

use std::{env, path::Path};

use sites::{LESSONS, Lesson, Report, SiteReport, Workers, cpus};

/// How a program hands out the sites, which sets its limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Schedule {
    /// One after the other: the sum of the latencies.
    OneByOne,
    /// A pool of N, each next site to the first free worker.
    Pool(usize),
    /// All at once: the slowest site.
    AllAtOnce,
    /// All at once, but the first site's task then works this long (ms), which
    /// the run waits for: lesson 5's blocking variants.
    AllAtOnceThenWork(f64),
    /// As the sites were divided among the workers up front: the busiest
    /// worker's total. rayon splits the list in halves instead of queueing it.
    AsDivided,
}

/// One program to measure: a lesson's variant, or one of our Python programs.
#[derive(Debug, Clone)]
pub struct Case {
    /// The lesson's package, or the Python program's file.
    pub name: String,
    /// The variant, or `""`.
    pub variant: String,
    /// The program and the arguments that come before the common ones.
    pub command: Vec<String>,
    /// More arguments, such as `--workers 1000`.
    pub extra: Vec<String>,
    pub schedule: Schedule,
    /// Whether starting its worker processes may be added to its target.
    pub starts_processes: bool,
    /// What the notes measured for this program, if they did.
    pub notes_ms: Option<f64>,
}

impl Case {
    fn lesson(lesson: &Lesson, variant: &str, binary: &Path) -> Case {
        let mut command = vec![binary.display().to_string()];
        if !variant.is_empty() {
            command.extend(["--variant".into(), variant.into()]);
        }
        Case {
            name: lesson.package.into(),
            variant: variant.into(),
            command,
            extra: Vec::new(),
            schedule: schedule(lesson, variant),
            starts_processes: lesson.package == "ch03-processes"
                && variant == "pool",
            notes_ms: notes_ms(lesson.package, variant),
        }
    }

    /// The same case with `--workers N`, on a pool of that size.
    pub fn with_workers(mut self, workers: usize) -> Case {
        self.extra = vec!["--workers".into(), workers.to_string()];
        self.schedule = Schedule::Pool(workers);
        self
    }
}

/// Every lesson with each of its variants, in order. `binary` finds a
/// lesson's executable.
pub fn lessons(binary: impl Fn(&Lesson) -> std::path::PathBuf) -> Vec<Case> {
    let mut cases = Vec::new();
    for lesson in LESSONS {
        let variants: Vec<&str> = match lesson.variants {
            [] => vec![""],
            variants => variants.iter().map(|(name, _)| *name).collect(),
        };
        for variant in variants {
            cases.push(Case::lesson(lesson, variant, &binary(lesson)));
        }
    }
    cases
}

/// A lesson's variant by package and name.
pub fn lesson(cases: &[Case], package: &str, variant: &str) -> Option<Case> {
    cases
        .iter()
        .find(|case| case.name == package && case.variant == variant)
        .cloned()
}

/// Our Python programs, in `python/`, which do what the notes' programs do.
pub fn python(folder: &Path) -> Vec<Case> {
    let cpus = cpus();
    let programs = [
        ("sequential.py", Schedule::OneByOne, Some(2802.1)),
        ("threads.py", Schedule::Pool(5), Some(1038.7)),
        ("processes.py", Schedule::Pool(cpus), Some(1649.0)),
        ("futures.py", Schedule::Pool(3), Some(1367.5)),
        ("asyncio_aiohttp.py", Schedule::AllAtOnce, None),
    ];
    let python = env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    programs
        .into_iter()
        .map(|(file, schedule, notes_ms)| Case {
            name: format!("python/{file}"),
            variant: String::new(),
            command: vec![python.clone(), folder.join(file).display().to_string()],
            extra: Vec::new(),
            schedule,
            starts_processes: file == "processes.py",
            notes_ms,
        })
        .collect()
}

/// How a lesson's variant hands out the sites, with its default pool.
fn schedule(lesson: &Lesson, variant: &str) -> Schedule {
    match (lesson.package, variant) {
        (_, "scoped") => Schedule::AllAtOnce,
        (_, "rayon") => Schedule::AsDivided,
        // Lesson 5's `WORK`: a second of work after the first site's download.
        (_, "blocking" | "spawn-blocking") => Schedule::AllAtOnceThenWork(1000.0),
        _ => match lesson.workers {
            Workers::NoPool => Schedule::OneByOne,
            Workers::PerSite => Schedule::AllAtOnce,
            Workers::Fixed(n) => Schedule::Pool(n),
            Workers::PerCpu => Schedule::Pool(cpus()),
        },
    }
}

/// The notes' measured times, for the programs they ran.
fn notes_ms(package: &str, variant: &str) -> Option<f64> {
    match (package, variant) {
        ("ch01-sequential", _) => Some(2802.1),
        ("ch02-threads", "pool") => Some(1038.7),
        ("ch03-processes", "pool") => Some(1649.0),
        ("ch04-futures", "as-completed") => Some(1367.5),
        ("ch04-futures", "in-order") => Some(1668.2),
        _ => None,
    }
}

/// The shortest time a schedule allows for the latencies the web served.
pub fn limit(schedule: Schedule, report: &Report) -> f64 {
    let latency = |site: &SiteReport| site.latency_ms.unwrap_or(0.0);
    let latencies: Vec<f64> = report.sites.iter().map(latency).collect();
    let slowest = latencies.iter().copied().fold(0.0, f64::max);
    let busiest = |worker| {
        report.sites.iter().filter(|s| s.worker == worker).map(latency).sum()
    };
    match schedule {
        Schedule::OneByOne => latencies.iter().sum(),
        Schedule::AllAtOnce => slowest,
        Schedule::AllAtOnceThenWork(work) => {
            slowest.max(latencies.first().unwrap_or(&0.0) + work)
        }
        Schedule::AsDivided => {
            report.workers().into_iter().map(busiest).fold(0.0, f64::max)
        }
        Schedule::Pool(workers) => {
            // Each worker's next free moment; the next site goes to the first.
            let mut free_at = std::collections::BinaryHeap::new();
            free_at.extend((0..workers.max(1)).map(|_| std::cmp::Reverse(0_u64)));
            let mut last = 0_u64;
            for latency in latencies {
                let std::cmp::Reverse(free) =
                    free_at.pop().unwrap_or(std::cmp::Reverse(0));
                // In microseconds, so that the heap can order them.
                let end = free + (latency * 1000.0) as u64;
                last = last.max(end);
                free_at.push(std::cmp::Reverse(end));
            }
            last as f64 / 1000.0
        }
    }
}

/// How long the slowest worker took to start: the latest of the workers'
/// first downloads. For a process pool, the cost of starting processes.
pub fn startup_ms(report: &Report) -> f64 {
    let first = |worker| {
        let mine = report.sites.iter().filter(|site| site.worker == worker);
        mine.map(|site| site.start_ms).fold(f64::INFINITY, f64::min)
    };
    report.workers().into_iter().map(first).fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report of sites with these latencies and workers.
    fn report(sites: &[(f64, &str)]) -> Report {
        let site = |&(latency, worker): &(f64, &str)| SiteReport {
            url: "http://127.0.0.1/".into(),
            bytes: Some(1),
            error: None,
            start_ms: latency,
            end_ms: latency,
            worker: worker.into(),
            latency_ms: Some(latency),
        };
        Report {
            wall_ms: 0.0,
            peak_rss_kb: None,
            sites: sites.iter().map(site).collect(),
        }
    }

    #[test]
    fn one_by_one_takes_the_sum_and_all_at_once_the_slowest() {
        let report = report(&[(100.0, "a"), (300.0, "b"), (200.0, "a")]);
        assert_eq!(limit(Schedule::OneByOne, &report), 600.0);
        assert_eq!(limit(Schedule::AllAtOnce, &report), 300.0);
        assert_eq!(limit(Schedule::AllAtOnceThenWork(1000.0), &report), 1100.0);
        assert_eq!(limit(Schedule::AsDivided, &report), 300.0);
    }

    #[test]
    fn a_pool_gives_each_next_site_to_the_first_free_worker() {
        // Two workers: A takes 100, B takes 300; A is free first and takes 200
        // (ends at 300), then A again takes 50 (ends at 350). B ends at 300.
        let report = report(&[(100.0, ""), (300.0, ""), (200.0, ""), (50.0, "")]);
        assert_eq!(limit(Schedule::Pool(2), &report), 350.0);
        assert_eq!(limit(Schedule::Pool(1), &report), 650.0);
        assert_eq!(limit(Schedule::Pool(5), &report), 300.0);
    }

    #[test]
    fn startup_is_the_latest_first_start_of_a_worker() {
        // Worker a first starts at 100, b at 50.
        let report = report(&[(100.0, "a"), (50.0, "b"), (10.0, "b")]);
        assert_eq!(startup_ms(&report), 100.0);
    }

    #[test]
    fn every_lesson_and_variant_is_compared() {
        let cases = lessons(|lesson| lesson.package.into());
        let names: Vec<(&str, &str)> = cases
            .iter()
            .map(|case| (case.name.as_str(), case.variant.as_str()))
            .collect();
        assert_eq!(names.len(), 10);
        assert!(names.contains(&("ch01-sequential", "")));
        assert!(names.contains(&("ch05-async", "spawn-blocking")));
        assert!(
            lesson(&cases, "ch03-processes", "pool")
                .is_some_and(|c| c.starts_processes)
        );
    }
}
