//! Lesson 2's exercises: threads (`docs/src/exercises-threads.md`).

use std::path::Path;

use super::{
    Checked, as_a_lesson_ends, at_once, each_once, expect, kept, path, run, waves,
    with_two_settings,
};
use crate::probe::{Dice, Web, pages};

/// A web of three sites or so per worker, some of them failing.
fn web_for(dice: &mut Dice, n: usize, per_worker: usize) -> Result<Web, String> {
    let pages = pages(dice, per_worker * n + 1, (1_000, 30_000), (100, 400));
    let failures = dice.pick(2, 3) as usize;
    Web::varied(dice, pages, failures)
}

pub(super) fn threads_1(program: &Path, dice: &mut Dice) -> Checked {
    with_two_settings(dice, &[3, 4, 6], 5, |n, dice| {
        let web = web_for(dice, n, 3)?;
        let urls = web.listed();
        let run = run(program, &web, &["--workers", &n.to_string()])?;
        each_once(&run, urls)?;
        as_a_lesson_ends(&run, urls, web.failing().len())?;
        at_once(&run, n, &format!("the pool should have --workers ({n}) threads"))?;
        let change = "give the pool a job per site and let it run them; a thread that \
                      finishes should take the next site at once, not wait for the others";
        waves(&run, n, change)?;
        kept(&run, n, change)
    })
}

pub(super) fn threads_2(program: &Path, dice: &mut Dice) -> Checked {
    let count = dice.pick(7, 10) as usize;
    let pages = pages(dice, count, (1_000, 30_000), (300, 400));
    let failures = dice.pick(2, 3) as usize;
    let web = Web::varied(dice, pages, failures)?;
    let urls = web.listed();
    let run = run(program, &web, &[])?;
    each_once(&run, urls)?;
    as_a_lesson_ends(&run, urls, failures)?;
    // Every page downloading at once; the failing sites may have failed
    // before the last page started, or not.
    let peak = run.peak();
    expect(peak >= count, || {
        format!(
            "{count} pages should download at once, but at most {peak} did: start every \
             site's thread before waiting for any"
        )
    })
}

pub(super) fn threads_3(program: &Path, dice: &mut Dice) -> Checked {
    with_two_settings(dice, &[3, 4, 6], 5, |n, dice| {
        threads_3_with(program, n, dice)
    })?;
    taken_once_in_a_rush(program, dice)
}

/// One setting of threads-3's check: `n` threads on a web of its own.
fn threads_3_with(program: &Path, n: usize, dice: &mut Dice) -> Checked {
    let web = web_for(dice, n, 4)?;
    let urls = web.listed();
    let run = run(program, &web, &["--workers", &n.to_string()])?;
    each_once(&run, urls)?;
    as_a_lesson_ends(&run, urls, web.failing().len())?;
    let change = if run.peak() == 1 {
        "is the queue's lock held while downloading? Take the next URL, let go, then \
         download"
            .to_string()
    } else {
        format!("start --workers ({n}) threads")
    };
    at_once(&run, n, &change)?;
    let change = "a thread that finishes should take the next site from the queue at \
                  once, not wait for the others";
    waves(&run, n, change)?;
    kept(&run, n, change)?;
    // Each free thread takes the next site of the list: no site is asked
    // for before one that comes earlier in the list by more than the n at
    // work, and one for each site that fails at once (its thread is back for
    // another while a thread that took a site before it may not have asked
    // for it yet, on a busy machine).
    let slack = n + web.failing().len();
    for (position, served) in run.served.iter().enumerate() {
        let index =
            urls.iter().position(|url| path(url) == served.path).unwrap_or(0);
        expect(index.abs_diff(position) < slack, || {
            format!(
                "{} was number {} of the sites asked for, but number {} of the list: \
                 {change}",
                served.path,
                position + 1,
                index + 1
            )
        })?;
    }
    Ok(())
}

/// Thousands of pages sent at once, and many threads, so that the threads
/// reach for the queue at the same moment, again and again: a queue whose
/// place is read and then written back in two steps gives two threads the
/// same site now and then. How often is chance, so the rush is long: on a
/// machine of 2 CPUs, 3 to 9 times in a run of these 9,600 pages.
fn taken_once_in_a_rush(program: &Path, dice: &mut Dice) -> Checked {
    let threads = 48;
    let web = Web::start(pages(dice, 200 * threads, (100, 500), (0, 0)))?;
    let run = run(program, &web, &["--workers", &threads.to_string()])?;
    each_once(&run, web.listed()).map_err(|why| {
        format!(
            "with {threads} threads and {} quick pages, {why}. Taking the next site \
             must be one step under the lock (or one atomic fetch_add), never a read \
             and a write back",
            web.listed().len()
        )
    })
}
