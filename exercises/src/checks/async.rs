//! Lesson 5's exercises: async tasks (`docs/src/exercises-async.md`).

use std::time::Duration;

use sites::Fault;

use super::{
    Checked, Fixed, as_a_lesson_ends, at_once, each_once, ends_promptly, expect,
    kept, like_the_reference, path, run, waves, with_two_settings,
};
use crate::probe::{self, Dice, Program, Web, pages};

/// A bounded async run: --workers n, n downloads at once, the next starting
/// as one ends, on a web with sites that fail.
fn bounded(
    program: &Program,
    dice: &mut Dice,
    what_to_change: &str,
    next_at_once: &str,
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
        at_once(&run, n, &format!("--workers is {n}: {what_to_change}"))?;
        waves(&run, n, next_at_once)?;
        kept(&run, n, next_at_once)?;
        as_a_lesson_ends(&run, urls, failures)?;
        like_the_reference(&run, Fixed::Sites)
    })
}

pub(super) fn async_1(program: &Program, dice: &mut Dice) -> Checked {
    bounded(
        program,
        dice,
        "each task should hold a permit until its download ends",
        "a task that finishes should hand its permit on at once, not wait for the others",
    )
}

pub(super) fn async_2(program: &Program, dice: &mut Dice) -> Checked {
    bounded(
        program,
        dice,
        "keep --workers futures going with buffer_unordered",
        "buffer_unordered starts the next site as soon as one ends, not once all of them have",
    )
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
        return Err(
            "it was still running at 5 s, with a deadline of 0.8 s: stop every \
                    download still running then"
                .into(),
        );
    }
    // A thread held (by std::thread::sleep in an async block, say) holds
    // every task on it: not even the quickest site gets its line.
    let stdout = &run.done.stdout;
    let lined = done_in_time.iter().filter(|url| stdout.contains(url.as_str()));
    let took = run.done.took.as_secs_f64();
    expect(lined.count() > 0 || !stdout.contains("Download "), || {
        format!(
            "none of the {} sites done within 0.5 s got a line, and the run ended after \
             {took:.1} s: something held the runtime's only thread (std::thread::sleep, \
             say), so that no task could go on. Wait with tokio::time's sleep or timeout, \
             which let the downloads run meanwhile",
            done_in_time.len()
        )
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
                format!(
                    "{} should be cut at the deadline, 0.8 s after the start, but {}: stop every \
                 download still running then",
                    path(cut),
                    match ended {
                        _ if whole => "it was let finish".to_string(),
                        Some(ms) if ms >= 1_050.0 => format!(
                            "it was cut at {:.1} s: one deadline of 0.8 s for the whole run, \
                             counted from its start",
                            ms / 1e3
                        ),
                        Some(ms) => format!("it was cut at {:.1} s", ms / 1e3),
                        None => "it was never cut".into(),
                    }
                )
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
        format!(
            "in the 800 ms after the first page came, while it should have been parsed, the \
             busiest thread of the program used {busiest} ms of CPU, where a busy thread gets \
             {could:.0} ms on this machine now: the parse did no work. Call parse(size) \
             itself, inside tokio::task::spawn_blocking"
        )
    })?;
    expect(started_meanwhile >= 2, || {
        "while the first page was being parsed, no other download started: the parse blocked the \
         runtime's only thread. Run it with tokio::task::spawn_blocking, and .await its handle \
         (a blocking wait, block_on say, holds the thread as the parse would)"
            .into()
    })?;
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
    expect(!overlapping, || {
        "while the first page was being parsed, two other downloads ran at once: its task \
         should keep its permit until the parse is done: await the spawn_blocking handle"
            .into()
    })?;
    let ended = run.cpu.ended().unwrap_or(run.web_started);
    let ended_ms =
        ended.saturating_duration_since(run.web_started).as_secs_f64() * 1e3;
    expect(ended_ms >= parsed_from + 950.0, || {
        format!(
            "the run ended {:.0} ms after the first page came, before its parse (1 s) was done: \
             await the spawn_blocking handle",
            ended_ms - parsed_from
        )
    })?;
    like_the_reference(&run, Fixed::Sites)
}
