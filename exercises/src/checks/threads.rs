//! Lesson 2's exercises: threads (`docs/src/exercises-threads.md`).

use std::path::Path;

use super::{
    Checked, as_a_lesson_ends, at_once, each_once, expect, kept, path, run, waves,
    workers,
};
use crate::probe::{Dice, Web, pages};

pub(super) fn threads_1(program: &Path, dice: &mut Dice) -> Checked {
    let n = workers(dice, 5);
    let web = Web::start(pages(dice, 3 * n + 1, (1_000, 30_000), (100, 400)))?;
    let urls = web.web.urls();
    let run = run(program, &web, &["--workers", &n.to_string()])?;
    each_once(&run, &urls)?;
    as_a_lesson_ends(&run, &urls, 0)?;
    at_once(&run, n, &format!("the pool should have --workers ({n}) threads"))?;
    let change = "give the pool a job per site and let it run them; a thread that finishes \
                  should take the next site at once, not wait for the others";
    waves(&run, n, change)?;
    kept(&run, n, change)
}

pub(super) fn threads_2(program: &Path, dice: &mut Dice) -> Checked {
    let count = dice.pick(7, 10) as usize;
    let web = Web::start(pages(dice, count, (1_000, 30_000), (300, 400)))?;
    let urls = web.web.urls();
    let run = run(program, &web, &[])?;
    each_once(&run, &urls)?;
    as_a_lesson_ends(&run, &urls, 0)?;
    at_once(&run, count, "start every site's thread before waiting for any")
}

pub(super) fn threads_3(program: &Path, dice: &mut Dice) -> Checked {
    let n = workers(dice, 5);
    let web = Web::start(pages(dice, 4 * n, (1_000, 30_000), (100, 400)))?;
    let urls = web.web.urls();
    let run = run(program, &web, &["--workers", &n.to_string()])?;
    each_once(&run, &urls)?;
    as_a_lesson_ends(&run, &urls, 0)?;
    let change = match run.peak() {
        1 => "is the queue's lock held while downloading? Take the next URL, let go, then download".to_string(),
        _ => format!("start --workers ({n}) threads"),
    };
    at_once(&run, n, &change)?;
    let change = "a thread that finishes should take the next site from the queue at \
                  once, not wait for the others";
    waves(&run, n, change)?;
    kept(&run, n, change)?;
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
