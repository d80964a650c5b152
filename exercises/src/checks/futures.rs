//! Lesson 4's exercises: futures and their results (`docs/src/exercises-futures.md`).

use std::time::Duration;

use sites::Fault;

use super::{
    Checked, Fixed, as_a_lesson_ends, at_once, each_once, ends_well, expect,
    in_printed_order, like_the_reference, path, paths, printed_as_they_came, run,
    with_two_settings,
};
use crate::{
    language::tr,
    probe::{Dice, Program, Web, pages},
};

pub(super) fn futures_1(program: &Program, dice: &mut Dice) -> Checked {
    let latencies = dice.shuffle(vec![150, 350, 550, 1400, 1600, 1800]);
    let specs: Vec<_> = latencies
        .iter()
        .map(|&ms| {
            let bytes = dice.pick(1_000, 20_000) as usize;
            sites::PageSpec::new(
                &format!("/{}/in-{ms}-ms", dice.pick(1000, 9999)),
                bytes,
                Duration::from_millis(ms),
            )
        })
        .collect();
    // One site fails at once: its result is among the first.
    let web = Web::varied(dice, specs, 0)?;
    let faults = [Fault::Status(500), Fault::Status(503), Fault::Reset];
    let broken = web.url(&faults[dice.pick(0, 2) as usize].path());
    let mut urls = web.listed().to_vec();
    urls.insert(dice.pick(0, urls.len() as u64) as usize, broken);
    let web = web.listing(&urls)?;
    let run = run(program, &web, &["--workers", "6"])?;
    // Six workers take six sites at once, however soon the program returns.
    let asked: std::collections::HashSet<&str> =
        run.served.iter().map(|served| served.path.as_str()).collect();
    expect(asked.len() >= 6, || {
        tr!("futures-1-submit-all", asked = asked.len(), all = urls.len())
    })?;
    // The 3 quickest results, in the order the web sent them.
    let quickness = |url: &String| match web.web.pages().find(path(url)) {
        Some(page) => page.latency(),
        None if url.ends_with(&Fault::Stall.path()) => Duration::MAX,
        None => Duration::ZERO,
    };
    let mut quickest = urls.to_vec();
    quickest.sort_by_key(quickness);
    quickest.truncate(3);
    let ended = |url: &String| {
        let served = run.requests(path(url));
        served.first().and_then(|served| served.finished_ms).unwrap_or(f64::MAX)
    };
    quickest.sort_by(|a, b| ended(a).total_cmp(&ended(b)));
    // The lesson prints a line for each site left unfinished, after its own.
    let stdout = &run.done.stdout;
    let before_the_summary = stdout.split("\nTook ").next().unwrap_or_default();
    let printed = in_printed_order(before_the_summary, &urls);
    expect(printed.len() <= 3, || {
        tr!("futures-1-too-many", printed = printed.len())
    })?;
    expect(printed == quickest, || {
        tr!(
            "futures-1-first-three",
            first = paths(&quickest),
            printed = paths(&printed)
        )
    })?;
    each_once(&run, &quickest)?;
    for slow in
        web.web.pages().iter().filter(|page| page.first_byte.as_millis() > 1000)
    {
        let sent_whole =
            run.requests(&slow.path).iter().any(|served| served.complete);
        expect(!sent_whole, || {
            let ms = slow.first_byte.as_millis().to_string();
            tr!("futures-1-waited", path = slow.path.as_str(), ms = ms)
        })?;
    }
    like_the_reference(&run, Fixed::Kinds)
}

pub(super) fn futures_2(program: &Program, dice: &mut Dice) -> Checked {
    with_two_settings(dice, &[4, 5, 6], 3, |n, dice| {
        let mut specs = pages(dice, 6, (1_000, 20_000), (100, 100));
        // The first site is quick and the second slow: in the order of
        // submission, the first line comes at once and the others once the
        // second is done; taken as they complete, the lines come in another
        // order.
        for (page, ms) in specs.iter_mut().zip([300, 900, 250, 800, 400, 600]) {
            page.first_byte = Duration::from_millis(ms);
        }
        // Two failures, so that one is early in the list: a program that stops
        // at a failure leaves sites after it.
        let failures = 2;
        let mut web = Web::varied(dice, specs, failures)?;
        // A stall listed first would make every line due at its end, as if
        // the program waited for all: list it last instead.
        if web.listed()[0] == web.url(&Fault::Stall.path()) {
            let mut urls = web.listed().to_vec();
            urls.rotate_left(1);
            web = web.listing(&urls)?;
        }
        let urls = web.listed();
        let run = run(program, &web, &["--workers", &n.to_string()])?;
        each_once(&run, urls)?;
        ends_well(&run, urls, failures)?;
        at_once(&run, n, &tr!("futures-2-submit-all"))?;
        let printed = in_printed_order(&run.done.stdout, urls);
        expect(printed == urls, || {
            tr!(
                "futures-2-order",
                submitted = paths(urls),
                printed = paths(&printed)
            )
        })?;
        printed_as_they_came(&run, urls, true)?;
        like_the_reference(&run, Fixed::Sites)
    })
}

pub(super) fn futures_3(program: &Program, dice: &mut Dice) -> Checked {
    // More pages than failures: a count of the wrong kind never comes out right.
    let good = dice.pick(5, 8) as usize;
    let pages = pages(dice, good, (1_000, 20_000), (30, 120));
    let failures = dice.pick(1, 3) as usize;
    let web = Web::varied(dice, pages, failures)?;
    // A page cut short is among the failures every time: an error, though no
    // HTTP status says so.
    let cut = web.url(&Fault::Truncated.path());
    let mut urls = web.listed().to_vec();
    urls.insert(dice.pick(0, urls.len() as u64) as usize, cut.clone());
    let broken = [web.failing(), &[cut]].concat();
    let web = web.listing(&urls)?;
    let run = run(program, &web, &["--workers", "4"])?;
    each_once(&run, &urls)?;
    as_a_lesson_ends(&run, &urls, broken.len())?;
    let line = format!("Failed: {} of {}", broken.len(), urls.len());
    let printed = run.last_line("Failed: ");
    expect(printed == line, || {
        let kinds: Vec<&str> = broken.iter().map(|url| path(url)).collect();
        let (failed, kinds) = (broken.len(), kinds.join(", "));
        tr!(
            "futures-3-count",
            failed = failed,
            kinds = kinds,
            line = line.as_str(),
            printed = printed
        )
    })?;
    like_the_reference(&run, Fixed::Sites)
}
