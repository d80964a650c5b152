//! Every check's last step: the program's run set beside the reference
//! solution's, which ran at the same time (or just before, where the check
//! measures the CPUs) on a twin of its web ([`probe::Web::twin`]). What the exercise's text fixes must agree: the
//! lines printed (times and failures' reasons aside), the requests the web
//! saw, the exit status, and about how long it all took. So a mistake that
//! no rule of the check foresaw still shows; the rules before this step stay
//! for the better message they give the mistakes they know.

use std::collections::{BTreeMap, HashSet};

use sites::{Fault, harness::expect};

use super::{Checked, site_of};
use crate::{
    language::tr,
    probe::{self, Run, path},
};

/// What the exercise's text fixes of a run, beyond its own rules.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Fixed {
    /// Which site gets which line, and how many times each is asked for.
    Sites,
    /// How many lines of each kind, whichever sites they name: timing picks
    /// the sites (the first results to arrive), and how many are asked for
    /// before the program stops.
    Kinds,
}

/// How much longer than the reference a run may take: twice as long and a
/// second more. Both ran on the same machine, most at the same time, so a
/// busy or throttled machine slows both; a program that waits where nothing needs it
/// (sites one after the other, a sleep) takes several times as long.
const SLOWER: f64 = 2.0;
const SLOWER_MS: f64 = 1_000.0;

/// The run agrees with the reference's beside it in what `fixed` says the
/// exercise's text fixes. A run without a reference (the reference's own)
/// agrees.
pub(super) fn like_the_reference(run: &Run, fixed: Fixed) -> Checked {
    let Some(theirs) = &run.reference else { return Ok(()) };
    same_lines(run, theirs, fixed)?;
    if fixed == Fixed::Sites {
        same_requests(run, theirs)?;
    }
    expect(run.done.code == theirs.done.code, || {
        let [ended, theirs] = [run, theirs].map(|run| probe::ended(run.done.code));
        tr!("reference-status", ended = ended, theirs = theirs)
    })?;
    let (took, took_theirs) =
        [run, theirs].map(|run| run.done.took.as_secs_f64() * 1e3).into();
    expect(took <= SLOWER * took_theirs + SLOWER_MS, || {
        let [took, theirs] =
            [took, took_theirs].map(|ms| format!("{:.1}", ms / 1e3));
        tr!("reference-slower", took = took, theirs = theirs)
    })
}

/// Each line of the program's output as the exercise fixes it: URLs as their
/// paths, times and a failure's reason left out (`…`), and with
/// [`Fixed::Kinds`], every number and path too.
fn shape(line: &str, fixed: Fixed) -> String {
    let mut line = line.trim_end().to_string();
    // http://host:port/path → /path: the twin web has a port of its own.
    while let Some(at) = line.find("http://") {
        let host = &line[at + "http://".len()..];
        let end = host.find(['/', ' ']).unwrap_or(host.len());
        line.replace_range(at..at + "http://".len() + end, "");
    }
    if let Some(failed) = line.strip_prefix("Failed ")
        && let Some((site, _reason)) = failed.split_once(": ")
    {
        line = format!("Failed {site}: …");
    }
    let number = |word: &str| {
        let digits = word.trim_end_matches(['s', 'm', ',', ')']);
        !digits.is_empty() && digits.parse::<f64>().is_ok()
    };
    let words: Vec<&str> = line.split(' ').collect();
    let masked = words.iter().enumerate().map(|(index, &word)| {
        let next = words.get(index + 1).copied().unwrap_or("");
        let a_time = number(word)
            && (word.ends_with('s') || ["ms", "s", "seconds"].contains(&next));
        let a_path = word.starts_with('/');
        if a_time || (fixed == Fixed::Kinds && (number(word) || a_path)) {
            "…"
        } else {
            word
        }
    });
    masked.collect::<Vec<_>>().join(" ")
}

/// The pages (not faults) that a run did not get whole: cut at a timeout,
/// on a machine too busy to send them in time.
fn cut_short(run: &Run) -> HashSet<&str> {
    let cut = run.served.iter().filter(|served| !served.complete);
    let pages = cut.filter(|served| Fault::from_path(&served.path).is_none());
    pages.map(|served| served.path.as_str()).collect()
}

/// Each shape of line, how many lines have it, and the first of them; but
/// for the lines of the pages in `left_out`.
fn lines<'a>(
    run: &'a Run,
    fixed: Fixed,
    left_out: &HashSet<&str>,
) -> BTreeMap<String, (usize, &'a str)> {
    let mut lines = BTreeMap::new();
    let named =
        |line: &str| site_of(line).is_some_and(|url| left_out.contains(path(url)));
    for line in run.done.stdout.lines().filter(|line| !named(line)) {
        lines.entry(shape(line, fixed)).or_insert((0, line)).0 += 1;
    }
    lines
}

/// `n` times (`n` > 0), as a sentence says it.
fn times(n: usize) -> String {
    tr!("times", n = n)
}

fn same_lines(run: &Run, theirs: &Run, fixed: Fixed) -> Checked {
    // A page that one of the runs timed out on may have a line of either
    // kind: the machine's doing, which the rules before judge.
    let left_out: HashSet<&str> =
        cut_short(run).union(&cut_short(theirs)).copied().collect();
    let (yours, theirs) =
        (lines(run, fixed, &left_out), lines(theirs, fixed, &left_out));
    for (shape, &(count, line)) in &yours {
        let expected = theirs.get(shape).map_or(0, |(count, _)| *count);
        expect(count <= expected, || {
            let reference = match expected {
                0 => tr!("reference-never-prints"),
                _ => tr!("reference-printed", times = times(expected)),
            };
            let times = times(count);
            tr!(
                "line-too-often",
                line = line,
                count = count,
                times = times,
                reference = reference
            )
        })?;
    }
    for (shape, &(expected, _)) in &theirs {
        let count = yours.get(shape).map_or(0, |(count, _)| *count);
        expect(count >= expected, || {
            let yours = match count {
                0 => tr!("never-did"),
                n => tr!("printed-it", times = times(n)),
            };
            let line = shape.as_str();
            tr!(
                "line-too-rarely",
                line = line,
                times = times(expected),
                yours = yours
            )
        })?;
    }
    Ok(())
}

fn same_requests(run: &Run, theirs: &Run) -> Checked {
    let asked = |run: &Run| {
        let mut asked = BTreeMap::new();
        for served in &run.served {
            *asked.entry(served.path.clone()).or_insert(0) += 1;
        }
        asked
    };
    let (yours, theirs) = (asked(run), asked(theirs));
    let paths = yours.keys().chain(theirs.keys());
    for path in paths {
        let [count, expected] =
            [&yours, &theirs].map(|asked| asked.get(path).copied().unwrap_or(0));
        expect(count == expected, || {
            let [yours, theirs] = [count, expected].map(|n| match n {
                0 => tr!("never"),
                n => times(n),
            });
            let path = path.as_str();
            tr!(
                "asked-unlike-reference",
                path = path,
                count = count,
                yours = yours,
                theirs = theirs
            )
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Fixed, shape};

    #[test]
    fn a_shape_keeps_what_the_text_fixes_and_leaves_out_times_and_reasons() {
        let cases = [
            (
                "Read 1234 from http://127.0.0.1:4000/77/page-1",
                "Read 1234 from /77/page-1",
            ),
            (
                "Failed http://127.0.0.1:4000/fault/reset: reset",
                "Failed /fault/reset: …",
            ),
            ("Download 12 sites in 1.05 seconds", "Download 12 sites in … seconds"),
            ("2 threads: 541 ms", "2 threads: … ms"),
            ("took 0.8s", "took …"),
            ("Total: 9000 bytes", "Total: 9000 bytes"),
        ];
        for (line, expected) in cases {
            assert_eq!(shape(line, Fixed::Sites), expected, "{line}");
        }
        assert_eq!(
            shape("Read 1234 from http://127.0.0.1:4000/77/page-1", Fixed::Kinds),
            "Read … from …"
        );
    }
}
