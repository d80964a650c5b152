//! `prove`: every solution and right answer passes its check, every starter
//! and wrong answer fails, a wrong one saying what its file says it must.

use std::{
    collections::BTreeMap,
    sync::{
        Mutex, PoisonError,
        atomic::{AtomicUsize, Ordering},
    },
    thread,
};

use crate::{
    answers::{Answer, answers, says, write_answers},
    checks::{EXERCISES, Exercise, checks_at_once},
    commands::{find, judged, verdict},
    files::build,
    language::{self, Language},
    mistakes,
};

/// A program that `prove` checks, and what its check must come to.
struct Job<'a> {
    exercise: &'static Exercise,
    program: String,
    must: Must<'a>,
}

enum Must<'a> {
    /// The solution and the right answers.
    Pass,
    /// The starter.
    Fail,
    /// A wrong answer: fail, saying what its patch says.
    FailSaying(&'a Answer),
}

/// Proves every check; with `write_docs`, a proof that passes writes the
/// teachers' page of mistakes from its verdicts ([`mistakes`]). Several
/// checks run at once, as many as their kind allows ([`checks_at_once`]), as
/// on a busy machine, which every check must judge fairly.
pub(crate) fn prove(only: &[String], write_docs: bool) -> Result<(), String> {
    // A patch that no longer applies is named before anything is checked.
    write_answers()?;
    for id in only {
        find(id)?;
    }
    let chosen = |e: &Exercise| only.is_empty() || only.iter().any(|id| id == e.id);
    let kept = |folder| -> Result<Vec<Answer>, String> {
        Ok(answers(folder)?.into_iter().filter(|a| chosen(a.exercise)).collect())
    };
    let (wrong, right) = (kept("wrong")?, kept("right")?);
    let exercises: Vec<&Exercise> = EXERCISES.iter().filter(|e| chosen(e)).collect();
    let mut failures = Vec::new();
    let mut jobs = Vec::new();
    for &exercise in &exercises {
        for (kind, kept) in [("wrong", &wrong), ("right", &right)] {
            let count = kept.iter().filter(|a| a.exercise.id == exercise.id).count();
            if count < 2 {
                failures.push(format!(
                    "{} has {count} {kind} answers; it should have two or more",
                    exercise.id
                ));
            }
        }
        let job = |program: String, must| Job { exercise, program, must };
        jobs.push(job(format!("{}-solution", exercise.id), Must::Pass));
        jobs.push(job(format!("{}-starter", exercise.id), Must::Fail));
        let mine = |answer: &&Answer| answer.exercise.id == exercise.id;
        for answer in right.iter().filter(mine) {
            jobs.push(job(answer.program.clone(), Must::Pass));
        }
        for answer in wrong.iter().filter(mine) {
            jobs.push(job(answer.program.clone(), Must::FailSaying(answer)));
        }
    }
    // Every program built at once, in parallel; each check then builds
    // nothing. Where one does not compile, each check builds its own, and the
    // one that does not says so in its own check.
    let names: Vec<&str> = jobs.iter().map(|job| job.program.as_str()).collect();
    let built = build(&names).is_ok();
    // Each kind of check with as many at once as it allows, beside the other
    // kinds; then those that run alone, with nothing beside them. A race that
    // a check catches by chance runs alone too: a busy machine runs the racing
    // threads in turn more often than at once, and lets more get by.
    let mut kinds: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (index, job) in jobs.iter().enumerate() {
        let at_once = match job.must {
            Must::FailSaying(answer) if answer.tries > 1 => 1,
            _ => checks_at_once(job.exercise.id),
        };
        kinds.entry(at_once).or_default().push(index);
    }
    let alone = kinds.remove(&1).unwrap_or_default();
    let jobs = &jobs;
    let mut outcomes: Vec<_> = thread::scope(|scope| {
        let kinds: Vec<_> = (kinds.iter())
            .map(|(&at_once, kind)| {
                scope.spawn(move || run_at_once(jobs, kind, at_once, built))
            })
            .collect();
        let outcome = |kind: thread::ScopedJoinHandle<'_, _>| {
            kind.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        };
        kinds.into_iter().flat_map(outcome).collect()
    });
    outcomes.extend(run_at_once(jobs, &alone, 1, built));
    outcomes.sort_by_key(|(index, _)| *index);
    let mut caught = Vec::new();
    for (index, outcome) in outcomes {
        match (outcome, &jobs[index].must) {
            (Ok(verdict), Must::FailSaying(answer)) => {
                caught.push((*answer, verdict))
            }
            (Ok(_), _) => {}
            (Err(failure), _) => failures.push(failure),
        }
    }
    if !failures.is_empty() {
        return Err(failures.join("\n"));
    }
    println!(
        "{} exercises: solutions and {} right answers pass, starters and {} wrong \
         answers fail",
        exercises.len(),
        right.len(),
        wrong.len()
    );
    if write_docs {
        mistakes::write(&in_chinese_too(caught))?;
    }
    Ok(())
}

/// Each caught mistake with its verdict in Chinese too, for the Chinese
/// edition of the teachers' page: its check run again in Chinese, one at a
/// time, on the web its English verdict names. A race that gets by this once
/// keeps its English verdict.
fn in_chinese_too(caught: Vec<(&Answer, String)>) -> Vec<mistakes::Caught<'_>> {
    println!("Each mistake checked again in Chinese, for the Chinese page");
    language::speak(Language::Chinese);
    let mistakes = caught.into_iter().map(|(answer, english)| {
        let seed = english.split("(On web ").nth(1);
        let seed = seed.and_then(|rest| rest.split(':').next()?.parse().ok());
        let chinese = judged(answer.exercise, &answer.program, seed).err();
        let chinese = chinese.unwrap_or_else(|| english.clone());
        (answer, english, chinese)
    });
    let mistakes = mistakes.collect();
    language::speak(Language::English);
    mistakes
}

/// Checks the jobs of `indices` in turn, `at_once` at a time, each job's
/// outcome beside its index: the check's verdict, or why the job failed. Each
/// builds its programs first unless all were `built`.
fn run_at_once(
    jobs: &[Job],
    indices: &[usize],
    at_once: usize,
    built: bool,
) -> Vec<(usize, Result<String, String>)> {
    let next = AtomicUsize::new(0);
    let outcomes = Mutex::new(Vec::new());
    thread::scope(|scope| {
        for _ in 0..at_once {
            scope.spawn(|| {
                while let Some(&index) =
                    indices.get(next.fetch_add(1, Ordering::Relaxed))
                {
                    let outcome = judge(&jobs[index], built);
                    let mut outcomes =
                        outcomes.lock().unwrap_or_else(PoisonError::into_inner);
                    outcomes.push((index, outcome));
                }
            });
        }
    });
    outcomes.into_inner().unwrap_or_else(PoisonError::into_inner)
}

/// Checks one job, and prints what came of it: `Ok` with the check's verdict,
/// or `Err` with why the job failed.
fn judge(job: &Job, built: bool) -> Result<String, String> {
    let (id, program) = (job.exercise.id, &job.program);
    let tries = match job.must {
        Must::FailSaying(answer) => answer.tries,
        _ => 1,
    };
    let started = std::time::Instant::now();
    let check = || match built {
        true => judged(job.exercise, program, None),
        false => verdict(job.exercise, program, None),
    };
    let mut outcome = check();
    // A right answer that failed may have met a moment when the checks
    // beside it took every CPU (six at once, each with its reference): it
    // gets a second try, and the first verdict is shown, not hidden.
    if let (Err(first), Must::Pass) = (&outcome, &job.must) {
        println!("{id:<14} {program} failed once, so it is tried again: {first}");
        outcome = check();
    }
    // A race, which a check catches by chance, gets more than one.
    for _ in 1..tries {
        if outcome.is_err() {
            break;
        }
        outcome = check();
    }
    let said = match (outcome, &job.must) {
        (Ok(passed), Must::Pass) => Ok(passed),
        (Ok(_), _) => Err(format!("{program}: passes its check")),
        (Err(why), Must::Pass) => Err(format!("{program} fails: {why}")),
        (Err(why), Must::Fail) => Ok(why),
        (Err(why), Must::FailSaying(answer)) => {
            let expected = answer.expected.as_deref().unwrap_or_default();
            match says(&why, expected) {
                true => Ok(why),
                false => Err(format!(
                    "{program} fails, but does not say `{expected}`: {why}"
                )),
            }
        }
    };
    // How long each took, so that a slow check shows.
    let took = format!("{:>5.1} s", started.elapsed().as_secs_f64());
    match (&said, &job.must) {
        (Ok(_), Must::Pass) => println!("{id:<14} {took} {program} passes"),
        (Ok(why), _) => println!("{id:<14} {took} {program} fails: {why}"),
        (Err(_), _) => println!("{id:<14} {took} {program}: NOT AS IT MUST BE"),
    }
    said
}
