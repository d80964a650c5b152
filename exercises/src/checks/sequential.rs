//! Lesson 1's exercises: one by one (`docs/src/exercises-sequential.md`).

use std::time::Duration;

use sites::Fault;

use super::{
    Checked, EXIT_MS, Fixed, as_a_lesson_ends, at_once, each_once, ends_promptly,
    expect, like_the_reference, path, paths, run,
};
use crate::{
    language::tr,
    probe::{self, Dice, Program, Run, Web, pages},
};

pub(super) fn sequential_1(program: &Program, dice: &mut Dice) -> Checked {
    let pages = pages(dice, 6, (1_000, 40_000), (60, 140));
    let failures = dice.pick(1, 2) as usize;
    let web = Web::varied(dice, pages, failures)?;
    // A page listed twice: each time the list names it is a download. Never
    // the last listed, nor listed last, so that a program that leaves out the
    // last site is told that it did.
    let mut urls = web.listed().to_vec();
    let last = urls.last().cloned().unwrap_or_default();
    let pages: Vec<String> =
        web.web.urls().into_iter().filter(|url| *url != last).collect();
    let twice = pages[dice.pick(0, pages.len() as u64 - 1) as usize].clone();
    urls.insert(dice.pick(0, urls.len() as u64 - 1) as usize, twice);
    let web = web.listing(&urls)?;
    let urls = web.listed();
    let panicked = tr!("panicked", panic = "");
    let run = run(program, &web, &[]).map_err(|why| {
        if why.starts_with(&panicked) {
            tr!("sequential-1-panicked", why = why)
        } else {
            why
        }
    })?;
    each_once(&run, urls)?;
    as_a_lesson_ends(&run, urls, failures)?;
    one_at_a_time(&run)?;
    let asked: Vec<&str> =
        run.served.iter().map(|served| served.path.as_str()).collect();
    let listed: Vec<&str> = urls.iter().map(|url| path(url)).collect();
    expect(asked == listed, || {
        tr!("list-order", listed = paths(urls), asked = paths(&asked))
    })?;
    like_the_reference(&run, Fixed::Sites)
}

/// A lesson 1 program downloads one site at a time.
fn one_at_a_time(run: &Run) -> Checked {
    at_once(run, 1, &tr!("one-after-the-other"))
}

pub(super) fn sequential_2(program: &Program, dice: &mut Dice) -> Checked {
    // Each page 60 ms or more, so that two at once overlap longer than a
    // check counts (50 ms).
    let pages = pages(dice, 5, (1_000, 90_000), (60, 120));
    let failures = dice.pick(1, 2) as usize;
    let web = Web::varied(dice, pages, failures)?;
    let urls = web.listed();
    let total: usize = web.web.pages().iter().map(|page| page.bytes).sum();
    let run = run(program, &web, &[])?;
    each_once(&run, urls)?;
    as_a_lesson_ends(&run, urls, failures)?;
    one_at_a_time(&run)?;
    let line = format!("Total: {total} bytes");
    let last = run.last_line("Total: ");
    expect(last == line, || {
        let printed = match last {
            "" => tr!("no-total-line"),
            last => tr!("total-was", last = last),
        };
        tr!("total-line", line = line.as_str(), printed = printed)
    })?;
    like_the_reference(&run, Fixed::Sites)
}

pub(super) fn sequential_3(program: &Program, dice: &mut Dice) -> Checked {
    let web = Web::start(pages(dice, 2, (1_000, 20_000), (20, 40)))?;
    let [first, second] = [0, 1].map(|i| web.web.urls()[i].clone());
    let (flaky, broken) =
        (web.url(&Fault::Flaky.path()), web.url(&Fault::Status(503).path()));
    let missing = web.url(&Fault::Status(404).path());
    let urls = [&first, &flaky, &missing, &second, &broken].map(String::clone);
    let web = web.listing(&dice.shuffle(urls.to_vec()))?;
    let run = probe::run_for(program, &web, &[], Duration::from_secs(12))?;
    let asked = run.requests(path(&broken)).len();
    expect(asked <= 4, || {
        tr!("too-many-attempts", path = path(&broken), asked = asked)
    })?;
    if let Some(why) = run.stopped {
        return Err(why);
    }
    let asked = run.requests(path(&missing)).len();
    expect(asked == 1, || tr!("retried-404", path = path(&missing), asked = asked))?;
    // The waits between an answer and the next attempt, in ms.
    let waits = |url: &str| -> Vec<f64> {
        let asked = run.requests(path(url));
        asked
            .windows(2)
            .map(|pair| pair[1].arrived_ms - pair[0].finished_ms.unwrap_or(0.0))
            .collect()
    };
    let tries = run.requests(path(&flaky)).len();
    expect(tries == 3, || tr!("flaky-tries", path = path(&flaky), tries = tries))?;
    let asked = run.requests(path(&broken)).len();
    expect(asked == 4, || tr!("broken-tries", path = path(&broken), asked = asked))?;
    for url in [&flaky, &broken] {
        let waits = waits(url);
        let shown: Vec<String> =
            waits.iter().map(|ms| format!("{ms:.0} ms")).collect();
        // Both sides are bounded: a wait too short hammers a failing site, one
        // too long keeps the learner waiting for nothing.
        let first = || shown.first().cloned().unwrap_or_default();
        expect(waits.first().is_some_and(|&first| first >= 70.0), || {
            tr!("first-retry-early", path = path(url), wait = first())
        })?;
        expect(waits.first().is_some_and(|&first| first <= 300.0), || {
            tr!("first-retry-late", path = path(url), wait = first())
        })?;
        let doubling = |pair: &[f64]| {
            pair[1] >= pair[0] * 1.5 && pair[1] <= pair[0] * 3.0 + 100.0
        };
        expect(waits.windows(2).all(doubling), || {
            tr!("waits-grow", waits = shown.join(", "))
        })?;
    }
    each_once(&run, &[first, second])?;
    one_at_a_time(&run)?;
    // After the last attempt at the broken site, the program goes on at once:
    // to the next site, or to its end.
    let gave_up =
        run.requests(path(&broken)).last().and_then(|last| last.finished_ms);
    let next = run.served.iter().map(|served| served.arrived_ms);
    let next = next.filter(|&at| gave_up.is_some_and(|gave_up| at > gave_up));
    let went_on = next.fold(run.ended_ms(), f64::min);
    let waited = went_on - gave_up.unwrap_or(went_on);
    expect(waited <= EXIT_MS, || {
        let seconds = format!("{:.1}", waited / 1e3);
        tr!("waited-after-giving-up", path = path(&broken), seconds = seconds)
    })?;
    ends_promptly(&run)?;
    like_the_reference(&run, Fixed::Sites)
}
