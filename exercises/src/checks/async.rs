//! Lesson 5's exercises: async tasks (`docs/src/exercises-async.md`).

use std::time::Duration;

use sites::Fault;

use super::{
    Checked, Fixed, as_a_lesson_ends, at_once, each_once, ends_promptly, expect,
    kept, like_the_reference, path, run, waves, with_two_settings,
};
use crate::{
    language::tr,
    probe::{self, Dice, Program, Web, pages},
};

/// A bounded async run: --workers n, n downloads at once, the next starting
/// as one ends, on a web with sites that fail. What to change, where it does
/// not, is said by `what_to_change` and `next_at_once`.
fn bounded(
    program: &Program,
    dice: &mut Dice,
    what_to_change: String,
    next_at_once: String,
) -> Checked {
    with_two_settings(dice, &[3, 4, 6], 0, |n, dice| {
        let mut pages = pages(dice, 3 * n + 1, (1_000, 30_000), (100, 400));
        // The first page is the slowest: the others must not wait behind it.
        pages[0].first_byte = Duration::from_millis(800);
        let failures = dice.pick(2, 3) as usize;
        let web = Web::varied(dice, pages, failures)?;
        let urls = web.listed();
        let run = run(program, &web, &["--workers", &n.to_string()])?;
        each_once(&run, urls)?;
        at_once(
            &run,
            n,
            &tr!("async-workers-is", n = n, change = what_to_change.as_str()),
        )?;
        waves(&run, n, &next_at_once)?;
        kept(&run, n, &next_at_once)?;
        as_a_lesson_ends(&run, urls, failures)?;
        like_the_reference(&run, Fixed::Sites)
    })
}

pub(super) fn async_1(program: &Program, dice: &mut Dice) -> Checked {
    bounded(program, dice, tr!("async-1-hold-permit"), tr!("async-1-hand-on"))
}

pub(super) fn async_2(program: &Program, dice: &mut Dice) -> Checked {
    bounded(program, dice, tr!("tool-buffer-unordered"), tr!("async-2-next"))
}

pub(super) fn async_3(program: &Program, dice: &mut Dice) -> Checked {
    // Quick pages, some sent over a while, one just inside the deadline (at
    // 0.5 s), and one that fails at once: all done before the deadline. Then
    // one just outside it (at 1 s), a slow page and a silent site, which only
    // the deadline ends. All listed in an order of chance.
    let quick = dice.pick(2, 4) as usize;
    let mut specs = pages(dice, quick + 3, (1_000, 20_000), (50, 300));
    for page in &mut specs[..quick] {
        if dice.pick(0, 1) == 1 {
            page.transfer = Duration::from_millis(dice.pick(30, 120));
        }
    }
    specs[quick].first_byte = Duration::from_millis(500);
    specs[quick + 1].first_byte = Duration::from_millis(1_000);
    specs[quick + 2].first_byte = Duration::from_millis(3_000);
    let web = Web::start(specs)?;
    let failing = [Fault::Status(500), Fault::Status(503), Fault::Reset];
    let failing = web.url(&failing[dice.pick(0, 2) as usize].path());
    let silent = web.url(&Fault::Silent.path());
    let mut done_in_time = web.web.urls();
    let slow = done_in_time.pop().unwrap_or_default();
    let just_late = done_in_time.pop().unwrap_or_default();
    done_in_time.push(failing);
    let cut = [slow, silent, just_late];
    let urls = dice.shuffle([&done_in_time[..], &cut[..]].concat());
    let web = web.listing(&urls)?;
    let run =
        probe::run_for(program, &web, &["--timeout", "20"], Duration::from_secs(5))?;
    if run.stopped.is_some() {
        return Err(tr!("async-3-still-running"));
    }
    // A future never awaited never runs: no site is asked for, and the run
    // ends long before the deadline.
    let stdout = &run.done.stdout;
    let took = run.done.took.as_secs_f64();
    let asked = done_in_time.iter().any(|url| !run.requests(path(url)).is_empty());
    expect(asked || took >= 0.6 || !stdout.contains("Download "), || {
        let (sites, took) = (done_in_time.len(), format!("{took:.1}"));
        tr!("async-3-never-awaited", sites = sites, took = took)
    })?;
    // A thread held (by std::thread::sleep in an async block, say) holds
    // every task on it: not even the quickest site gets its line.
    let lined = done_in_time.iter().filter(|url| stdout.contains(url.as_str()));
    expect(lined.count() > 0 || !stdout.contains("Download "), || {
        let (sites, took) = (done_in_time.len(), format!("{took:.1}"));
        tr!("async-3-thread-held", sites = sites, took = took)
    })?;
    each_once(&run, &done_in_time)?;
    // The deadline counts from the run's start, which its first request marks
    // (the program may take a moment before it, never 0.8 s): a deadline of
    // each site's own, one after the other, or one that starts again with
    // each result, cuts the last ones later.
    let start =
        run.served.iter().map(|served| served.arrived_ms).fold(f64::MAX, f64::min);
    for cut in &cut {
        let served = run.requests(path(cut));
        let ended =
            served.first().and_then(|served| Some(served.finished_ms? - start));
        let whole = served.iter().any(|served| served.complete);
        expect(
            !whole && ended.is_some_and(|ms| (600.0..1_050.0).contains(&ms)),
            || {
                let at = |ms: f64| format!("{:.1}", ms / 1e3);
                let but = match ended {
                    _ if whole => tr!("async-3-let-finish"),
                    Some(ms) if ms >= 1_050.0 => {
                        tr!("async-3-cut-late", at = at(ms))
                    }
                    Some(ms) => tr!("async-3-cut-at", at = at(ms)),
                    None => tr!("async-3-never-cut"),
                };
                tr!("async-3-deadline", path = path(cut), but = but)
            },
        )?;
    }
    ends_promptly(&run)?;
    like_the_reference(&run, Fixed::Sites)
}

pub(super) fn async_4(program: &Program, dice: &mut Dice) -> Checked {
    let share = probe::cpu_share();
    let web = Web::start(pages(dice, 8, (1_000, 20_000), (200, 200)))?;
    let run = run(&program.in_turn(), &web, &["--workers", "2"])?;
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
    // The parse keeps a CPU busy for a second: some thread of the program was
    // busy for much of it, as busy as a thread of the check could be.
    let parsing = (run.at(parsed_from + 100.0), run.at(parsed_from + 900.0));
    let busiest = run.cpu.used(parsing.0, parsing.1).first().map(|(_, time)| *time);
    let (busiest, could) = (busiest.unwrap_or_default().as_millis(), 800.0 * share);
    expect(busiest as f64 >= 0.3 * could, || {
        let (busiest, could) = (busiest.to_string(), format!("{could:.0}"));
        tr!("async-4-no-parse", busiest = busiest, could = could)
    })?;
    expect(started_meanwhile >= 2, || tr!("async-4-blocked"))?;
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
    expect(!overlapping, || tr!("async-4-permit-kept"))?;
    let ended = run.cpu.ended().unwrap_or(run.web_started);
    let ended_ms =
        ended.saturating_duration_since(run.web_started).as_secs_f64() * 1e3;
    expect(ended_ms >= parsed_from + 950.0, || {
        tr!("async-4-ended-early", ms = format!("{:.0}", ended_ms - parsed_from))
    })?;
    like_the_reference(&run, Fixed::Sites)
}
