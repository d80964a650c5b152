//! The book's measured pages, written by `compare --write-docs`: never typed
//! by hand, and each saying when and where it was measured.

use std::{fmt::Write as _, fs, path::Path, process::Command, time::Duration};

use anyhow::Context;
use sites::{NOTES_SITES, Pages, Report, SiteReport, cpus, harness::beside_me};

use crate::{
    cases::{Case, Kind, LIMIT},
    class::Room,
    language::{Language, write_both},
    measure::{Row, run},
    tables::{scale_table, table, variant},
};

fn seconds(ms: f64) -> String {
    format!("{:.3} s", ms / 1000.0)
}

/// What the rows at scale show, said from the rows themselves: each row that
/// missed its target, by how much, and whether several clients at once got
/// more out of the server than one.
fn scale_notes(scale: &[Row], language: Language) -> String {
    let mut notes = String::new();
    for row in scale.iter().filter(|row| !row.within_target()) {
        let (took, name) = (seconds(row.wall_ms), variant(row, language));
        let target = row.target_ms.map(seconds).unwrap_or_default();
        let _ = match language {
            Language::English => writeln!(
                notes,
                "This time `{} {name}` missed its target: {took} against at most \
                 {target}.\n",
                row.lesson,
            ),
            Language::Chinese => writeln!(
                notes,
                "这一次 `{} {name}` 没有达到目标：用了 {took}，目标是至多 {target}。\n",
                row.lesson,
            ),
        };
    }
    // Where the tasks' run spent its time above the limit, from its report.
    let tasks = scale.iter().find(|row| row.limit_ms > 0.0 && row.copies == 1);
    if let Some(Rounds {
        at_once,
        first,
        later,
        started,
        first_end,
        after,
        spread,
    }) = tasks.and_then(|row| rounds(&row.report))
    {
        // Why the first round was slow, where its requests went out only
        // once all its tasks had started: then its downloads took longer
        // than the later ones, and the first to end did so after the last
        // had started.
        let late = first > later * 1.1 && after > 0.0;
        let why = match (language, late) {
            (_, false) => String::new(),
            (Language::English, true) => format!(
                "; the first of them to finish did so at {first_end:.0} ms, {after:.0} ms \
                 after the last had started: the one thread ran each new task up to its \
                 first `.await` before it came back to those whose connections had \
                 opened, so their requests went out only once all {at_once} had started"
            ),
            (Language::Chinese, true) => format!(
                "；其中最早结束的一个在 {first_end:.0} 毫秒结束，即最后一个任务开始之后 \
                 {after:.0} 毫秒：唯一的线程先把每个新任务运行到它的第一个 `.await`，\
                 然后才回到那些连接已经打开的任务，所以要等全部 {at_once} 个任务都开始\
                 之后，它们的请求才发出"
            ),
        };
        let _ = match language {
            Language::English => writeln!(
                notes,
                "In the first row's run, each of the first {at_once} downloads took \
                 {first:.0} ms (the median), and each after them {later:.0} ms. The \
                 first {at_once} tasks started over {started:.0} ms{why}. The last \
                 {at_once} started over {spread:.0} ms, one after another, as the one \
                 thread handled the answers before them.\n"
            ),
            Language::Chinese => writeln!(
                notes,
                "第一行的那次运行中，最先的 {at_once} 个下载每个用了 {first:.0} 毫秒\
                 （中位数），之后的每个下载用了 {later:.0} 毫秒。最先的 {at_once} 个\
                 任务在 {started:.0} 毫秒里先后开始{why}。最后 {at_once} 个下载是在 \
                 {spread:.0} 毫秒里一个接一个开始的，因为唯一的线程要先处理它们之前的\
                 应答。\n"
            ),
        };
    }
    for row in scale {
        let Some(wrk) = row.wrk_per_s else { continue };
        let (ours, at_once) = (row.requests_per_s, row.report.peak_in_flight());
        let _ = match (language, wrk) {
            (Language::English, Some(wrk)) => writeln!(
                notes,
                "With {at_once} in flight, lesson 5 read {ours:.0} pages a second; \
                 `wrk -t1 -c100`, in the same sitting and against the same web, got \
                 {wrk:.0} requests a second: the lesson's client went at {:.0} % of \
                 wrk's pace.\n",
                100.0 * ours / wrk
            ),
            (Language::Chinese, Some(wrk)) => writeln!(
                notes,
                "同时进行 {at_once} 个时，第 5 课每秒读取 {ours:.0} 个页面；同一次测量中，\
                 `wrk -t1 -c100` 对同一个模拟 Web 每秒得到 {wrk:.0} 个应答：第 5 课的\
                 客户端达到了 wrk 速度的 {:.0}%。\n",
                100.0 * ours / wrk
            ),
            (Language::English, None) => writeln!(
                notes,
                "`wrk` is not installed here (Debian's package `wrk`), so the row of \
                 {at_once} in flight is not measured against it.\n"
            ),
            (Language::Chinese, None) => writeln!(
                notes,
                "本机没有安装 `wrk`（Debian 的 `wrk` 包），所以同时进行 {at_once} 个的\
                 那一行没有与它比较。\n"
            ),
        };
    }
    // What a page cost each side, in CPU time, at that pace.
    let against = scale.iter().find(|row| row.wrk_per_s.is_some());
    if let Some((client, server)) = against.and_then(|row| row.cpu_per_page_us) {
        let cpus = cpus();
        let _ = match language {
            Language::English => writeln!(
                notes,
                "Each of those pages cost the lesson's process {client:.0} µs of CPU \
                 time, its start and its report included, and the simulated web's \
                 server {server:.0} µs (the process that holds it, which also read the \
                 runs' reports): at this pace, downloading is work for the CPU on both \
                 sides of the loopback, which share this machine's {cpus} CPUs.\n"
            ),
            Language::Chinese => writeln!(
                notes,
                "这些页面每个花费这一课的进程 {client:.0} 微秒的 CPU 时间（包括它的启动和\
                 报告），模拟 Web 的服务器 {server:.0} 微秒（持有服务器的进程，它也读取\
                 各次运行的报告）：在这个速度下，下载是环回两端的 CPU 工作，两端共用\
                 本机的 {cpus} 个 CPU。\n"
            ),
        };
    }
    // Lesson 5's client beside our aiohttp program's, as many in flight.
    let aiohttp =
        scale.iter().find(|row| row.lesson.ends_with("asyncio_aiohttp.py"));
    if let (Some(ours), Some(theirs)) = (against, aiohttp) {
        let (pace, times) =
            (theirs.requests_per_s, ours.requests_per_s / theirs.requests_per_s);
        let _ = match language {
            Language::English => writeln!(
                notes,
                "Our asyncio program, with aiohttp's client and as many in flight, read \
                 {pace:.0} pages a second from the same web: lesson 5 read {times:.1} \
                 times as many.\n"
            ),
            Language::Chinese => writeln!(
                notes,
                "我们的 asyncio 程序用 aiohttp 的客户端、同时进行同样多个，从同一个模拟 Web \
                 每秒读取 {pace:.0} 个页面：第 5 课是它的 {times:.1} 倍。\n"
            ),
        };
    }
    let copies = scale.iter().position(|row| row.copies > 1);
    if let Some(copies) = copies.filter(|&copies| copies > 0) {
        let (one, many) = (&scale[copies - 1], &scale[copies]);
        // Sooner by more than the noise of a run, or not sooner at all.
        let sooner = many.wall_ms < 0.95 * one.wall_ms;
        let name = variant(many, language);
        let (many, one) = (seconds(many.wall_ms), seconds(one.wall_ms));
        let _ = match (language, sooner) {
            (Language::English, true) => writeln!(
                notes,
                "The {name} finished sooner than one client, {many} against {one}: \
                 one client was the bottleneck, not the server.\n"
            ),
            (Language::English, false) => writeln!(
                notes,
                "The {name} finished no sooner than one client, {many} against {one}: \
                 they and the server share the machine's CPUs, which are the \
                 bottleneck.\n"
            ),
            (Language::Chinese, true) => writeln!(
                notes,
                "{name}时比一个客户端结束得早，{many} 对 {one}：瓶颈在单个客户端，\
                 而不在服务器。\n"
            ),
            (Language::Chinese, false) => writeln!(
                notes,
                "{name}时并不比一个客户端结束得早，{many} 对 {one}：它们与服务器共用\
                 本机的 CPU，瓶颈在 CPU。\n"
            ),
        };
    }
    notes
}

/// A run's rounds, from its report, times in ms.
#[derive(Debug, PartialEq)]
struct Rounds {
    /// How many downloads were in flight.
    at_once: usize,
    /// The median time of a download of the first round, and of one after.
    first: f64,
    later: f64,
    /// How far apart the first round's downloads started.
    started: f64,
    /// When the first of that round finished, since the run began, and how
    /// long after the round's last start.
    first_end: f64,
    after: f64,
    /// How far apart the last round's downloads started.
    spread: f64,
}

/// The [`Rounds`] of a run, or `None` for one of fewer than two rounds.
fn rounds(report: &Report) -> Option<Rounds> {
    let at_once = report.peak_in_flight();
    let mut sites: Vec<&SiteReport> = report.sites.iter().collect();
    if at_once == 0 || sites.len() < 2 * at_once {
        return None;
    }
    sites.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
    let median = |sites: &[&SiteReport]| {
        let mut took: Vec<f64> =
            sites.iter().map(|s| s.end_ms - s.start_ms).collect();
        took.sort_by(f64::total_cmp);
        took[took.len() / 2]
    };
    let over =
        |sites: &[&SiteReport]| sites[at_once - 1].start_ms - sites[0].start_ms;
    let (first, later) = sites.split_at(at_once);
    let first_end =
        first.iter().map(|site| site.end_ms).fold(f64::INFINITY, f64::min);
    Some(Rounds {
        at_once,
        first: median(first),
        later: median(later),
        started: over(first),
        first_end,
        after: first_end - first[at_once - 1].start_ms,
        spread: over(&sites[sites.len() - at_once..]),
    })
}

/// The line under a measured page: when, where and how it was measured.
fn stamp(
    language: Language,
    speed: f64,
    repeat: Option<u32>,
    command: &str,
) -> String {
    let build = build();
    let (now, cpus, os) = (now(), cpus(), std::env::consts::OS);
    let command = format!("`{command}`");
    match (language, repeat) {
        (Language::English, repeat) => format!(
            "*Measured {now} (UTC) on a machine with {cpus} CPUs ({os}), {build} build, \
             against the simulated web at speed {speed}; {}. Written by {command}; \
             not to be edited by hand.*\n",
            repeat.map_or("one run".into(), |n| format!(
                "times are the median of {n} runs"
            )),
        ),
        (Language::Chinese, repeat) => format!(
            "*测量于 {now}（UTC），一台有 {cpus} 个 CPU 的机器（{os}），{build} 构建，\
             模拟 Web 的速度为 {speed}；{}。由 {command} 写出，请勿手工编辑。*\n",
            repeat.map_or("运行一次".into(), |n| format!(
                "时间取 {n} 次运行的中位数"
            )),
        ),
    }
}

/// Writes every measured page into `folder`, in English, and in Chinese into
/// its `zh-CN` folder.
pub fn write(
    folder: &Path,
    rows: &[Row],
    scale: &[Row],
    cases: &[Case],
    list: &Path,
    (speed, repeat, command): (f64, u32, &str),
) -> anyhow::Result<()> {
    let measured = |language| stamp(language, speed, Some(repeat), command);
    write_both(folder, "sites", sites_table)?;
    write_both(folder, "comparison", |language| {
        format!("{}\n{}", table(rows, language), measured(language))
    })?;
    if !scale.is_empty() {
        write_both(folder, "scale", |language| {
            let (table, notes) =
                (scale_table(scale, language), scale_notes(scale, language));
            format!("{table}\n{notes}{}", measured(language))
        })?;
    }
    fs::write(folder.join("timelines.svg"), svg(rows))?;

    // Each lesson's output with its timeline, and its row of the table.
    let list = list.to_str().context("the temporary path is not UTF-8")?;
    for (case, row) in
        cases.iter().zip(rows).filter(|(case, _)| case.kind == Kind::Lesson)
    {
        let name = match case.variant.as_str() {
            "" => case.name.clone(),
            variant => format!("{}-{variant}", case.name),
        };
        let done = run(&case.command, &["--urls", list, "--timeline"])?;
        let report = done.report().map_err(anyhow::Error::msg)?;
        // The timeline as the lesson draws it on a system of each language.
        let english = report.timeline(Language::English);
        anyhow::ensure!(
            done.stdout.contains(&english),
            "{name}'s timeline is not the one its report draws"
        );
        write_both(folder, &name, |language| {
            let row = table(std::slice::from_ref(row), language);
            let output = done.stdout.replace(&english, &report.timeline(language));
            format!("{row}\n```text\n{output}```\n\n{}", measured(language))
        })?;
    }
    // The lessons' other programs: what a thread costs, and CPU-heavy work.
    for (program, args) in
        [("thread-cost", vec![]), ("mapreduce", vec!["--urls", list])]
    {
        let done = sites::harness::run(beside_me(program), &args, LIMIT)?;
        write_both(folder, program, |language| {
            format!(
                "```text\n{}```\n\n{}",
                done.stdout,
                stamp(language, speed, None, command)
            )
        })?;
    }
    let plan = plan()?;
    write_both(folder, "plan", |language| plan_page(&plan, language, command))?;
    Ok(())
}

/// The commands of the teachers' plan, each with how long it took from start
/// to end, its program built: the time budget of a class.
fn plan() -> anyhow::Result<Vec<(String, Duration)>> {
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
    let mut plan = Vec::new();
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
        plan.push((format!("{cargo} {package}{dashes}"), done.took));
    }
    Ok(plan)
}

/// The plan as a table.
fn plan_page(
    plan: &[(String, Duration)],
    language: Language,
    command: &str,
) -> String {
    let mut out = format!(
        "| {} |\n|---|--:|\n",
        language.either("command | takes", "命令 | 耗时")
    );
    for (command, took) in plan {
        let _ = writeln!(out, "| `{command}` | {:.1} s |", took.as_secs_f64());
    }
    let build = build();
    let (now, cpus) = (now(), cpus());
    let command = format!("`{command}`");
    let _ = match language {
        Language::English => write!(
            out,
            "\n*Measured {now} (UTC) on a machine with {cpus} CPUs, {build} builds, each \
             command's program built already. Written by {command}.*\n"
        ),
        Language::Chinese => write!(
            out,
            "\n*测量于 {now}（UTC），一台有 {cpus} 个 CPU 的机器，{build} 构建，每条命令\
             的程序都已事先构建好。由 {command} 写出。*\n"
        ),
    };
    out
}

/// How long a learner's first `cargo run -p ch01-sequential` takes from a
/// fresh clone, nothing built yet: three times, in a folder of its own.
pub fn build_time(root: &Path) -> anyhow::Result<Vec<f64>> {
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
    Ok(times)
}

/// The three times of [`build_time`] as a table.
pub fn build_time_page(times: &[f64], language: Language) -> String {
    let (now, cpus) = (now(), cpus());
    let command = "`cargo run --release -p compare -- build-time --write-docs`";
    let [fastest, median, slowest] =
        [0, 1, 2].map(|i| times.get(i).copied().unwrap_or(0.0));
    match language {
        Language::English => format!(
            "| first `cargo run -p ch01-sequential`, from a fresh clone | fastest | median | \
             slowest |\n|---|--:|--:|--:|\n| build, then lesson 1's run of 2.8 s | \
             {fastest:.0} s | {median:.0} s | {slowest:.0} s |\n\n*Measured {now} (UTC) on a \
             machine with {cpus} CPUs, with the crates already downloaded, by {command}, \
             which clones the workspace and runs lesson 1 three times, its `target` folder \
             emptied each time.*\n"
        ),
        Language::Chinese => format!(
            "| 新克隆后第一次 `cargo run -p ch01-sequential` | 最快 | 中位数 | 最慢 |\n\
             |---|--:|--:|--:|\n| 构建，再加第 1 课 2.8 s 的运行 | {fastest:.0} s | \
             {median:.0} s | {slowest:.0} s |\n\n*测量于 {now}（UTC），一台有 {cpus} 个 CPU 的\
             机器，所需的 crate 已经下载好。由 {command} 测量：它克隆工作区，运行第 1 课三次，\
             每次都先清空 `target` 文件夹。*\n"
        ),
    }
}

/// The notes' sites as the simulated web serves them at speed 1.
fn sites_table(language: Language) -> String {
    let ms = |duration: Duration| duration.as_secs_f64() * 1000.0;
    let mut out = format!(
        "| {} |\n|---|--:|--:|--:|--:|\n",
        language.either(
            "site | bytes | first byte | transfer | latency",
            "网站 | 字节数 | 首字节 | 传输 | 延迟"
        )
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
    let (all, slowest_site) = match language {
        Language::English => ("one by one, in all", "the slowest"),
        Language::Chinese => ("逐个下载，合计", "最慢的网站"),
    };
    let _ = writeln!(out, "| **{all}** | | | | **{sum:.0} ms** |");
    let _ = writeln!(out, "| **{slowest_site}** | | | | **{slowest:.0} ms** |");
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

/// How this program, and so what it measured, was built.
fn build() -> &'static str {
    if cfg!(debug_assertions) { "debug" } else { "release" }
}

/// The date and time now, to the minute.
fn now() -> String {
    let stamp =
        humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    stamp.get(..16).unwrap_or(&stamp).replace('T', " ")
}

/// The class page's rooms, measured: for the teachers' page.
pub fn rooms(rooms: &[Room], language: Language) -> String {
    let mut out = format!(
        "| {} |\n|--:|--:|--:|--:|--:|--:|--:|--:|\n",
        language.either(
            "runs | served in | a page alone | in the room | slower | CPU: runs, server | \
             page updated every | took",
            "运行数 | 服务耗时 | 单独一页 | 在教室中 | 变慢 | CPU：运行，服务器 | \
             页面更新间隔 | 总耗时"
        )
    );
    for room in rooms {
        let slower = (room.together_ms / room.alone_ms.max(1e-9) - 1.0) * 100.0;
        let cpu = room.cpu.map_or_else(
            || {
                language
                    .either("not measured on this system", "本系统上未测量")
                    .into()
            },
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
    let build = build();
    let (now, cpus) = (now(), cpus());
    let command = "`cargo run --release -p compare -- class --write-docs`";
    let _ = match language {
        Language::English => write!(
            out,
            "\nEach run is lesson 5 over {pages} pages with at most {in_flight} in flight; \
             *served in* is how long the server takes over each page, *a page alone* and \
             *in the room* how long a page took as a run measured it, one run alone and \
             with the others, and *page updated every* the longest wait for an update of \
             the open page.\n\n*Measured {now} (UTC) on a machine with {cpus} CPUs, {build} \
             build, by {command}, with the class page open in headless Chromium. The \
             server, the browser and every run share this machine's CPUs.*\n"
        ),
        Language::Chinese => write!(
            out,
            "\n每次运行都是第 5 课，下载 {pages} 个页面，最多同时进行 {in_flight} 个。*服务耗时* \
             是服务器在每个页面上花的时间；*单独一页* 和 *在教室中* 是一次运行测得的每页耗时，\
             前者单独运行，后者与其他运行同时进行；*页面更新间隔* 是打开的课堂页面两次更新之间\
             最长的等待。\n\n*测量于 {now}（UTC），一台有 {cpus} 个 CPU 的机器，{build} 构建，\
             由 {command} 测量，课堂页面在无头 Chromium 中打开。服务器、浏览器和每次运行共用\
             这台机器的 CPU。*\n"
        ),
    };
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_s_rounds_are_told_apart_by_its_downloads_in_flight() {
        // Two at a time: the first round started 1 ms apart and slow (its
        // requests sent late), then two rounds of 100 ms, the last started
        // 10 ms apart.
        let site = |start_ms: f64, end_ms: f64| SiteReport {
            url: String::new(),
            bytes: Some(1),
            error: None,
            start_ms,
            end_ms,
            worker: String::new(),
        };
        let sites = vec![
            site(0.0, 169.0),
            site(1.0, 179.0),
            site(170.0, 270.0),
            site(180.0, 280.0),
            site(270.5, 370.5),
            site(280.5, 380.5),
        ];
        let report =
            Report { wall_ms: 380.5, peak_rss_kb: None, sites, work: Vec::new() };
        let rounds_of_two = Rounds {
            at_once: 2,
            first: 178.0,
            later: 100.0,
            started: 1.0,
            first_end: 169.0,
            after: 168.0,
            spread: 10.0,
        };
        assert_eq!(rounds(&report), Some(rounds_of_two));
        let one_round = Report { sites: report.sites[..2].to_vec(), ..report };
        assert_eq!(rounds(&one_round), None);
    }
}
