//! Lesson 2's exercises: threads (`docs/src/exercises-threads.md`).

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use sites::Fault;

use super::{
    Checked, Fixed, as_a_lesson_ends, at_once, each_once, expect, kept,
    like_the_reference, none_left_idle, path, run, waves, with_two_settings,
};
use crate::{
    language::tr,
    probe::{self, Dice, Program, Run, Web, pages},
};

/// A run with `--workers n` on a web of three sites a worker, some of them
/// failing, each asked for once and each given its line, as a lesson's run
/// ends. The first page is slow, 1.2 s: a thread that took the next sites
/// with it (a job of several sites, a thread of its own share) holds them
/// back all the while, as the other threads run out of work. With
/// `slow_first`, it is listed first, before any failing site (which would
/// end a share at once); else where the web put it.
fn run_with_workers(
    program: &Program,
    dice: &mut Dice,
    n: usize,
    slow_first: bool,
) -> Result<(Web, Run), String> {
    let mut pages = pages(dice, 3 * n + 1, (1_000, 30_000), (100, 400));
    pages[0].first_byte = std::time::Duration::from_millis(1_200);
    let slow = pages[0].path.clone();
    // Fewer failures than threads: where each thread stops at its first
    // failure, one goes on, and the schedule shows what it does alone.
    let failures = (dice.pick(2, 3) as usize).min(n - 1);
    let web = Web::varied(dice, pages, failures)?;
    let mut urls = web.listed().to_vec();
    if slow_first {
        urls.sort_by_key(|url| path(url) != slow);
    }
    let web = web.listing(&urls)?;
    let run = run(program, &web, &["--workers", &n.to_string()])?;
    each_once(&run, web.listed())?;
    as_a_lesson_ends(&run, web.listed(), web.failing().len())?;
    Ok((web, run))
}

pub(super) fn threads_1(program: &Program, dice: &mut Dice) -> Checked {
    with_two_settings(dice, &[3, 4, 6], 5, |n, dice| {
        let (web, run) = run_with_workers(program, dice, n, true)?;
        at_once(&run, n, &tr!("threads-1-pool", n = n))?;
        let change = tr!("threads-1-job-per-site");
        waves(&run, n, &change)?;
        kept(&run, n, &change)?;
        none_left_idle(&run, &change)?;
        in_list_order(&run, &web, n, &change)?;
        like_the_reference(&run, Fixed::Sites)
    })
}

pub(super) fn threads_2(program: &Program, dice: &mut Dice) -> Checked {
    let count = dice.pick(7, 10) as usize;
    let pages = pages(dice, count, (1_000, 30_000), (300, 400));
    let failures = dice.pick(2, 3) as usize;
    let web = Web::varied(dice, pages, failures)?;
    // And after them a site that fails at once, listed 400 times: 400 threads
    // fail at the same moment, so that a line printed in pieces meets another.
    // Fewer where the machine gives a busy thread less than all of a CPU (a
    // CPU quota, say), which a crowd of 400 threads would keep from the pages.
    let crowd_size = (400.0 * probe::cpu_share()).max(50.0) as usize;
    let crowd = web.url(&Fault::Status(500).path());
    let mut urls = web.listed().to_vec();
    urls.extend(std::iter::repeat_n(crowd, crowd_size));
    let failures = failures + crowd_size;
    let web = web.listing(&urls)?;
    let urls = web.listed();
    let run = run(program, &web, &[])?;
    each_once(&run, urls)?;
    as_a_lesson_ends(&run, urls, failures)?;
    // Every page downloading at once; the failing sites may have failed
    // before the last page started, or not.
    let peak = run.peak();
    expect(peak >= count, || {
        tr!("threads-2-all-at-once", count = count, peak = peak)
    })?;
    like_the_reference(&run, Fixed::Sites)
}

pub(super) fn threads_3(program: &Program, dice: &mut Dice) -> Checked {
    // The rush at the same time as the two settings, so that the check takes
    // no longer than the slower; each setting's reference, beside it, is
    // slowed by the rush as much. (The settings alone, then the rush, let a
    // thread that takes two sites at a time pass now and then.)
    let mut rush = Dice::seeded(dice.pick(0, 1 << 40));
    // A program the settings caught needs no rush: it is stopped (one that
    // takes every site in every thread would rush for half a minute).
    let stop = Arc::new(AtomicBool::new(false));
    let rushing = program.alone().stopped_by(&stop);
    let (settings, rush) = std::thread::scope(|scope| {
        let rush = scope.spawn(|| taken_once_in_a_rush(&rushing, &mut rush));
        let settings = with_two_settings(dice, &[3, 4, 6], 5, |n, dice| {
            threads_3_with(program, n, dice)
        });
        stop.store(settings.is_err(), Ordering::Relaxed);
        (settings, rush.join())
    });
    settings?;
    rush.map_err(|_| tr!("check-failed"))?
}

/// One setting of threads-3's check: `n` threads on a web of its own.
fn threads_3_with(program: &Program, n: usize, dice: &mut Dice) -> Checked {
    // Where the web put it: a thread that stops at its first failure may
    // then leave sites unasked, which would say less than the schedule.
    let (web, run) = run_with_workers(program, dice, n, false)?;
    // One at a time: a lock held over each download, or the other threads
    // gone (stopped at a failure, say), which the web cannot tell apart.
    let change = if run.peak() == 1 {
        tr!("threads-3-lock-held")
    } else {
        tr!("threads-3-start-workers", n = n)
    };
    at_once(&run, n, &change)?;
    let change = tr!("threads-3-next-at-once");
    waves(&run, n, &change)?;
    kept(&run, n, &change)?;
    in_list_order(&run, &web, n, &change)?;
    like_the_reference(&run, Fixed::Sites)
}

/// Each free thread took the next site of the list: no site was asked for
/// before one that comes earlier in the list by more than the `n` at work,
/// and one for each site that fails at once (its thread is back for another
/// while a thread that took a site before it may not have asked for it yet,
/// on a busy machine). Sites held back behind the slow first one, in a job
/// or a share of their own, come far later than that.
fn in_list_order(run: &Run, web: &Web, n: usize, change: &str) -> Checked {
    let urls = web.listed();
    let slack = n + web.failing().len();
    let index_of = |served: &sites::Served| {
        urls.iter().position(|url| path(url) == served.path)
    };
    // Taken from the end of the list (Vec::pop): said so, rather than the
    // advice of a thread that waits.
    let from_the_back = tr!("threads-3-from-the-back");
    let first = run.served.first().and_then(index_of);
    let change = match first {
        Some(first) if first + slack >= urls.len() && urls.len() > 2 * slack => {
            &from_the_back
        }
        _ => change,
    };
    for (position, served) in run.served.iter().enumerate() {
        let index = index_of(served).unwrap_or(0);
        expect(index.abs_diff(position) < slack, || {
            let (path, asked, listed) =
                (served.path.as_str(), position + 1, index + 1);
            tr!(
                "threads-3-out-of-order",
                path = path,
                asked = asked,
                listed = listed,
                change = change
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
fn taken_once_in_a_rush(program: &Program, dice: &mut Dice) -> Checked {
    let threads = 48;
    let web = Web::start(pages(dice, 200 * threads, (100, 500), (0, 0)))?;
    // Run alone: the reference would only double the load.
    let run = run(program, &web, &["--workers", &threads.to_string()])?;
    each_once(&run, web.listed()).map_err(|why| {
        let pages = web.listed().len();
        tr!("threads-3-rush", threads = threads, pages = pages, why = why)
    })
}
