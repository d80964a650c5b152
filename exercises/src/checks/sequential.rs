//! Lesson 1's exercises: one by one (`docs/src/exercises-sequential.md`).

use std::time::Duration;

use sites::Fault;

use super::{
    Checked, EXIT_MS, Fixed, as_a_lesson_ends, at_once, each_once, ends_promptly,
    expect, like_the_reference, path, paths, run,
};
use crate::probe::{self, Dice, Program, Run, Web, pages};

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
    let run = run(program, &web, &[]).map_err(|why| {
        if why.starts_with("it panicked") {
            format!(
                "{why}. Some of the sites fail: print `Failed URL: reason` for each, and go \
                 on with the next"
            )
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
        format!(
            "the sites should be downloaded in the list's order, {}, not {}",
            paths(urls),
            paths(&asked)
        )
    })?;
    like_the_reference(&run, Fixed::Sites)
}

/// A lesson 1 program downloads one site at a time.
fn one_at_a_time(run: &Run) -> Checked {
    at_once(run, 1, "download the sites one after the other, in a plain loop")
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
            "" => "No line starts with `Total: `".to_string(),
            last => format!("It was `{last}`"),
        };
        format!(
            "the last line should be `{line}`: the sizes this web sent, the failed pages \
             not counted. {printed}"
        )
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
        // Both sides are bounded: a wait too short hammers a failing site, one
        // too long keeps the learner waiting for nothing.
        expect(waits.first().is_some_and(|&first| first >= 70.0), || {
            format!(
                "the first retry of {} came {} after the failed answer: wait 100 ms before it",
                path(url),
                shown.first().cloned().unwrap_or_default()
            )
        })?;
        expect(waits.first().is_some_and(|&first| first <= 300.0), || {
            format!(
                "the first retry of {} came {} after the failed answer: wait 100 ms before it, \
                 not more",
                path(url),
                shown.first().cloned().unwrap_or_default()
            )
        })?;
        let doubling = |pair: &[f64]| {
            pair[1] >= pair[0] * 1.5 && pair[1] <= pair[0] * 3.0 + 100.0
        };
        expect(waits.windows(2).all(doubling), || {
            format!(
                "the waits should grow, twice as long each time, but they were {}",
                shown.join(", ")
            )
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
        format!(
            "after the last attempt at {}, it waited {:.1} s: once the 4th attempt has \
             failed, give up at once, with no wait after it",
            path(&broken),
            waited / 1e3
        )
    })?;
    ends_promptly(&run)?;
    like_the_reference(&run, Fixed::Sites)
}
