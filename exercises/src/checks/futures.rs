//! Lesson 4's exercises: futures and their results (`docs/src/exercises-futures.md`).

use std::{path::Path, time::Duration};

use sites::Fault;

use super::{
    Checked, as_a_lesson_ends, at_once, each_once, ends_well, expect, path,
    printed_as_they_came, run,
};
use crate::probe::{Dice, Web, pages};

pub(super) fn futures_1(program: &Path, dice: &mut Dice) -> Checked {
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
    let web = Web::start(specs.clone())?;
    let run = run(program, &web, &["--workers", "6"])?;
    let mut by_speed = specs.clone();
    by_speed.sort_by_key(|page| page.first_byte);
    let first: Vec<String> =
        by_speed[..3].iter().map(|page| web.url(&page.path)).collect();
    let printed: Vec<String> = run.reads().into_iter().map(|(url, _)| url).collect();
    expect(printed.len() <= 3, || {
        format!(
            "it printed {} results: print the first 3 to arrive, and no more",
            printed.len()
        )
    })?;
    expect(printed == first, || {
        format!(
            "the first 3 to arrive were {first:?}, but it printed {printed:?}: take results from the channel as they come"
        )
    })?;
    each_once(&run, &first)?;
    let slow = &by_speed[3];
    let sent_whole = run.requests(&slow.path).iter().any(|served| served.complete);
    expect(!sent_whole, || {
        format!(
            "it waited for {} ({} ms) before it was done: return once the first 3 results are in",
            slow.path,
            slow.first_byte.as_millis()
        )
    })
}

pub(super) fn futures_2(program: &Path, dice: &mut Dice) -> Checked {
    let n = [4, 5].into_iter().find(|&n| n != sites::cpus()).unwrap_or(4);
    let mut specs = pages(dice, 6, (1_000, 20_000), (100, 100));
    // The first site is quick and the second slow: in the order of submission,
    // the first line comes at once and the others once the second is done;
    // taken as they complete, the lines come in another order.
    for (page, ms) in specs.iter_mut().zip([150, 700, 100, 600, 250, 400]) {
        page.first_byte = Duration::from_millis(ms);
    }
    let web = Web::start(specs)?;
    let urls = web.web.urls();
    let run = run(program, &web, &["--workers", &n.to_string()])?;
    each_once(&run, &urls)?;
    ends_well(&run, &urls, 0)?;
    at_once(&run, n, "submit every site before waiting for the first result")?;
    let printed: Vec<String> = run.reads().into_iter().map(|(url, _)| url).collect();
    expect(printed == urls, || {
        format!(
            "the lines should come in the order the sites were submitted, {urls:?}, not {printed:?}"
        )
    })?;
    printed_as_they_came(&run, &urls, true)
}

pub(super) fn futures_3(program: &Path, dice: &mut Dice) -> Checked {
    let good = dice.pick(4, 7) as usize;
    let web = Web::start(pages(dice, good, (1_000, 20_000), (30, 120)))?;
    // A page cut short is among the failures every time: an error, though no
    // HTTP status says so.
    let faults = [Fault::Status(503), Fault::Status(404), Fault::Truncated];
    let mut broken = vec![web.url(&Fault::Truncated.path())];
    broken.extend(
        (0..dice.pick(1, 3))
            .map(|_| web.url(&faults[dice.pick(0, 2) as usize].path())),
    );
    let urls = dice.shuffle([web.web.urls(), broken.clone()].concat());
    let web = web.listing(&urls)?;
    let run = run(program, &web, &["--workers", "4"])?;
    each_once(&run, &urls)?;
    as_a_lesson_ends(&run, &urls, broken.len())?;
    let line = format!("Failed: {} of {}", broken.len(), urls.len());
    let printed = run.last_line("Failed: ");
    expect(printed == line, || {
        let kinds: Vec<&str> = broken.iter().map(|url| path(url)).collect();
        format!(
            "this web failed {} of the sites ({}), so the last line should be `{line}`, not \
             `{printed}`: every Err counts, whatever the error",
            broken.len(),
            kinds.join(", ")
        )
    })
}
