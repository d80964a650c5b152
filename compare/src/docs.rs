//! The book's measured pages, written by `compare --write-docs`: never typed
//! by hand, and each saying when and where it was measured.

use std::{fmt::Write as _, fs, path::Path, process::Command, time::Duration};

use anyhow::Context;
use sites::{NOTES_SITES, Pages, Report, cpus, harness::beside_me};

use crate::{
    cases::{Case, Kind, LIMIT},
    class::Room,
    measure::{Row, run},
    tables::{scale_table, table},
};

/// What the rows at scale show, said from the rows themselves: each row that
/// missed its target, by how much, and whether several clients at once got
/// more out of the server than one.
fn scale_notes(scale: &[Row]) -> String {
    let seconds = |ms: f64| format!("{:.3} s", ms / 1000.0);
    let mut notes = String::new();
    for row in scale.iter().filter(|row| !row.within_target()) {
        let target = row
            .target_ms
            .map_or(String::new(), |ms| format!(" against at most {}", seconds(ms)));
        let _ = writeln!(
            notes,
            "This time `{} {}` missed its target: {}{target}.\n",
            row.lesson,
            row.variant,
            seconds(row.wall_ms),
        );
    }
    let copies =
        scale.iter().position(|row| row.variant.ends_with("clients at once"));
    if let Some(copies) = copies.filter(|&copies| copies > 0) {
        let (one, many) = (&scale[copies - 1], &scale[copies]);
        let (verdict, why) = if many.wall_ms < one.wall_ms {
            ("sooner", "one client was the bottleneck, not the server")
        } else {
            (
                "later",
                "they and the server share the machine's CPUs, which are the bottleneck",
            )
        };
        let _ = writeln!(
            notes,
            "The {} finished {verdict} than one client, {} against {}: {why}.\n",
            many.variant,
            seconds(many.wall_ms),
            seconds(one.wall_ms),
        );
    }
    notes
}

/// Writes every measured page into `folder`.
pub fn write(
    folder: &Path,
    rows: &[Row],
    scale: &[Row],
    cases: &[Case],
    list: &Path,
    (speed, repeat): (f64, u32),
) -> anyhow::Result<()> {
    fs::create_dir_all(folder)?;
    let stamp = |runs: &str| {
        format!(
            "*Measured {} (UTC) on a machine with {} CPUs ({}), {} build, against the \
             simulated web at speed {}; {runs}. Written by `cargo run --release -p compare \
             -- --write-docs`; not to be edited by hand.*\n",
            now(),
            cpus(),
            std::env::consts::OS,
            if cfg!(debug_assertions) { "debug" } else { "release" },
            speed,
        )
    };
    let measured = stamp(&format!("times are the median of {repeat} runs"));
    let page = |name: &str, text: String| {
        fs::write(folder.join(format!("{name}.md")), text)
    };

    page("sites", sites_table())?;
    page("comparison", format!("{}\n{measured}", table(rows)))?;
    if !scale.is_empty() {
        page(
            "scale",
            format!("{}\n{}{measured}", scale_table(scale), scale_notes(scale)),
        )?;
    }
    fs::write(folder.join("timelines.svg"), svg(rows))?;

    // Each lesson's output with its timeline, and its row of the table.
    let list = list.to_str().context("the temporary path is not UTF-8")?;
    for (case, row) in
        cases.iter().zip(rows).filter(|(case, _)| case.kind == Kind::Lesson)
    {
        let done = run(&case.command, &["--urls", list, "--timeline"], false)?;
        let name = match case.variant.as_str() {
            "" => case.name.clone(),
            variant => format!("{}-{variant}", case.name),
        };
        let text = format!(
            "{}\n```text\n{}```\n\n{measured}",
            table(std::slice::from_ref(row)),
            done.stdout
        );
        page(&name, text)?;
    }
    // The lessons' other programs: what a thread costs, and CPU-heavy work.
    let one_run = stamp("one run");
    for (program, args) in
        [("thread-cost", vec![]), ("mapreduce", vec!["--urls", list])]
    {
        let done = sites::harness::run(beside_me(program), &args, LIMIT)?;
        page(program, format!("```text\n{}```\n\n{one_run}", done.stdout))?;
    }
    page("plan", plan()?)?;
    Ok(())
}

/// How long each command of the teachers' plan takes, from start to end, with
/// its program built: the time budget of a class.
fn plan() -> anyhow::Result<String> {
    let commands: [(&str, &[&str]); 12] = [
        ("ch01-sequential", &["--timeline"]),
        ("ch02-threads", &["--workers", "1"]),
        ("ch02-threads", &["--workers", "5", "--timeline"]),
        ("ch02-threads", &["--workers", "12"]),
        ("thread-cost", &[]),
        ("ch03-processes", &["--timeline"]),
        ("ch03-processes", &["--variant", "rayon"]),
        ("mapreduce", &[]),
        ("ch04-futures", &[]),
        ("ch04-futures", &["--variant", "in-order"]),
        ("ch05-async", &["--variant", "blocking", "--timeline"]),
        ("compare", &["--quick"]),
    ];
    let mut out = String::from("| command | takes |\n|---|--:|\n");
    for (program, args) in commands {
        let done = sites::harness::run(beside_me(program), args, LIMIT)?;
        let cargo = if program == "compare"
            || program == "thread-cost"
            || program == "mapreduce"
        {
            "cargo run --release -p"
        } else {
            "cargo run -p"
        };
        let package = match program {
            "thread-cost" => "ch02-threads --bin thread-cost",
            "mapreduce" => "ch03-processes --bin mapreduce",
            other => other,
        };
        let dashes = if args.is_empty() {
            String::new()
        } else {
            format!(" -- {}", args.join(" "))
        };
        let _ = writeln!(
            out,
            "| `{cargo} {package}{dashes}` | {:.1} s |",
            done.took.as_secs_f64()
        );
    }
    let _ = write!(
        out,
        "\n*Measured {} (UTC) on a machine with {} CPUs, {} builds, each command's program \
         built already. Written by `cargo run --release -p compare -- --write-docs`.*\n",
        now(),
        cpus(),
        if cfg!(debug_assertions) { "debug" } else { "release" },
    );
    Ok(out)
}

/// How long a learner's first `cargo run -p ch01-sequential` takes from a
/// fresh clone, nothing built yet: three times, in a folder of its own.
pub fn build_time(root: &Path) -> anyhow::Result<String> {
    let folder = tempfile::tempdir()?;
    let clone = folder.path().join("clone");
    let cloned = Command::new("git")
        .arg("clone")
        .arg("--quiet")
        .arg(root)
        .arg(&clone)
        .status()?;
    anyhow::ensure!(cloned.success(), "cannot clone {}", root.display());
    let mut times = Vec::new();
    for _ in 0..3 {
        let _ = fs::remove_dir_all(clone.join("target"));
        let started = std::time::Instant::now();
        let run = sites::harness::cargo()
            .args(["run", "--quiet", "-p", "ch01-sequential"])
            .current_dir(&clone)
            .env_remove("CARGO_TARGET_DIR")
            .stdout(std::process::Stdio::null())
            .status()?;
        anyhow::ensure!(run.success(), "lesson 1 did not run in the clone");
        times.push(started.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    Ok(format!(
        "| first `cargo run -p ch01-sequential`, from a fresh clone | fastest | median | slowest |\n\
         |---|--:|--:|--:|\n| build, then lesson 1's run of 2.8 s | {:.0} s | {:.0} s | {:.0} s |\n\n\
         *Measured {} (UTC) on a machine with {} CPUs, with the crates already downloaded, by \
         `cargo run --release -p compare -- build-time --write-docs`, which clones the \
         workspace and runs lesson 1 three times, its `target` folder emptied each time.*\n",
        times[0],
        times[1],
        times[2],
        now(),
        cpus(),
    ))
}

/// The notes' sites as the simulated web serves them at speed 1.
fn sites_table() -> String {
    let ms = |duration: Duration| duration.as_secs_f64() * 1000.0;
    let mut out = String::from(
        "| site | bytes | first byte | transfer | latency |\n|---|--:|--:|--:|--:|\n",
    );
    for site in NOTES_SITES {
        let (first, transfer) = (ms(site.first_byte), ms(site.transfer()));
        let _ = writeln!(
            out,
            "| `{}` | {} | {first:.0} ms | {transfer:.0} ms | {:.0} ms |",
            site.url,
            site.bytes,
            first + transfer
        );
    }
    let pages = Pages::notes();
    let latencies = pages.iter().map(|page| ms(page.latency()));
    let (sum, slowest) =
        latencies.fold((0.0, 0.0_f64), |(sum, max), l| (sum + l, max.max(l)));
    let _ = writeln!(out, "| **one by one, in all** | | | | **{sum:.0} ms** |");
    let _ = writeln!(out, "| **the slowest** | | | | **{slowest:.0} ms** |");
    out
}

/// Every row's timeline in one picture, two to a line, on one time scale:
/// a bar per site from its start to its end, one colour per worker.
fn svg(rows: &[Row]) -> String {
    const PANEL: f64 = 420.0;
    const ROW: f64 = 9.0;
    const TOP: f64 = 34.0;
    let longest = rows.iter().map(|row| row.report.wall_ms).fold(1.0, f64::max);
    let height = |report: &Report| TOP + ROW * report.sites.len() as f64 + 16.0;
    let tallest = rows.iter().map(|row| height(&row.report)).fold(0.0, f64::max);
    let lines = rows.len().div_ceil(2);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" \
         font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" \
         fill=\"white\"/>\n",
        2.0 * PANEL + 30.0,
        tallest * lines as f64 + 10.0
    );
    for (index, row) in rows.iter().enumerate() {
        let (x, y) = (
            10.0 + (index % 2) as f64 * (PANEL + 10.0),
            10.0 + (index / 2) as f64 * tallest,
        );
        let title = match row.variant.as_str() {
            "" => row.lesson.clone(),
            variant => format!("{} {variant}", row.lesson),
        };
        let _ = writeln!(
            out,
            "<text x=\"{x}\" y=\"{}\" font-weight=\"bold\">{title}: {:.2} s</text>",
            y + 12.0,
            row.wall_ms / 1000.0
        );
        let workers = row.report.workers();
        let mut sites: Vec<_> = row.report.sites.iter().collect();
        sites.sort_by(|a, b| {
            let lane =
                |s: &sites::SiteReport| workers.iter().position(|w| *w == s.worker);
            lane(a).cmp(&lane(b)).then(a.start_ms.total_cmp(&b.start_ms))
        });
        for (line, site) in sites.iter().enumerate() {
            let lane = workers.iter().position(|w| *w == site.worker).unwrap_or(0);
            let hue = (lane * 67) % 360;
            let left = x + site.start_ms / longest * PANEL;
            let width = ((site.end_ms - site.start_ms) / longest * PANEL).max(1.0);
            let fill = if site.error.is_some() {
                "#999".into()
            } else {
                format!("hsl({hue},60%,50%)")
            };
            let _ = writeln!(
                out,
                "<rect x=\"{left:.1}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"{}\" fill=\"{fill}\"/>",
                y + TOP - 12.0 + line as f64 * ROW,
                ROW - 2.0
            );
        }
        let axis = y + height(&row.report) - 14.0;
        let _ = writeln!(
            out,
            "<line x1=\"{x}\" y1=\"{axis}\" x2=\"{}\" y2=\"{axis}\" stroke=\"#444\"/>\
             <text x=\"{x}\" y=\"{}\">0 s</text>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{:.2} s</text>",
            x + PANEL,
            axis + 12.0,
            x + PANEL,
            axis + 12.0,
            longest / 1000.0
        );
    }
    out + "</svg>\n"
}

/// The date and time now, to the minute.
fn now() -> String {
    let stamp =
        humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    stamp.get(..16).unwrap_or(&stamp).replace('T', " ")
}

/// The class page's rooms, measured: for the teachers' page.
pub fn rooms(rooms: &[Room]) -> String {
    let mut out = String::from(
        "| runs | served in | a page alone | in the room | slower | CPU: runs, server | \
         page updated every | took |\n\
         |--:|--:|--:|--:|--:|--:|--:|--:|\n",
    );
    for room in rooms {
        let slower = (room.together_ms / room.alone_ms.max(1e-9) - 1.0) * 100.0;
        let cpu = room.cpu.map_or(
            "not measured on this system".into(),
            |(runs, server)| {
                format!("{:.1} s, {:.1} s", runs.as_secs_f64(), server.as_secs_f64())
            },
        );
        let _ = writeln!(
            out,
            "| {} | {} ms | {:.1} ms | {:.1} ms | {slower:.0}% | {cpu} | {:.2} s | {:.1} s |",
            room.runs,
            room.latency_ms,
            room.alone_ms,
            room.together_ms,
            room.longest_gap.as_secs_f64(),
            room.took.as_secs_f64(),
        );
    }
    let pages = rooms.first().map_or(0, |room| room.pages);
    let in_flight = rooms.first().map_or(0, |room| room.in_flight);
    let _ = write!(
        out,
        "\nEach run is lesson 5 over {pages} pages with at most {in_flight} in flight; \
         *served in* is how long the server takes over each page, *a page alone* and *in \
         the room* how long a page took as a run measured it, one run alone and with the \
         others, and *page updated every* the longest wait for an update of the open page.\n"
    );
    let _ = write!(
        out,
        "\n*Measured {} (UTC) on a machine with {} CPUs, {} build, by `cargo run --release -p \
         compare -- class --write-docs`, with the class page open in headless Chromium. The \
         server, the browser and every run share this machine's CPUs.*\n",
        now(),
        cpus(),
        if cfg!(debug_assertions) { "debug" } else { "release" },
    );
    out
}
