//! The rows as Markdown tables, readable as plain text too, in either of the
//! book's languages.

use std::fmt::Write as _;

use crate::{language::Language, measure::Row};

/// The main rows as a Markdown table.
pub fn table(rows: &[Row], language: Language) -> String {
    let mut out = language
        .either(
            "| lesson | variant | workers | the notes | measured | spread | limit | \
             measured / limit | start-up | target |\n",
            "| 课 | 变体 | 工作单元 | 笔记中 | 实测 | 波动 | 下限 | 实测 / 下限 | \
             启动耗时 | 目标 |\n",
        )
        .to_string();
    out.push_str("|---|---|--:|--:|--:|--:|--:|--:|--:|---|\n");
    for row in rows {
        let notes =
            row.notes_ms.map_or(String::new(), |ms| format!("{:.2} s", ms / 1000.0));
        let startup = if row.startup_ms > 0.0 {
            format!("{:.0} ms", row.startup_ms)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {notes} | {:.3} s | {:.0} ms | {:.3} s | {:.3} | {startup} | {} |",
            row.lesson,
            variant(row, language),
            workers(row, language),
            row.wall_ms / 1000.0,
            row.spread_ms,
            row.limit_ms / 1000.0,
            row.wall_ms / row.limit_ms.max(1e-9),
            verdict(row, language),
        );
    }
    out
}

/// The rows at scale, with memory and requests per second.
pub fn scale_table(rows: &[Row], language: Language) -> String {
    let mut out = language
        .either(
            "| lesson | variant | pages | in flight | measured | limit | measured / limit | \
             peak memory | requests/s | target |\n",
            "| 课 | 变体 | 页面数 | 同时进行 | 实测 | 下限 | 实测 / 下限 | 内存峰值 | \
             每秒请求数 | 目标 |\n",
        )
        .to_string();
    out.push_str("|---|---|--:|--:|--:|--:|--:|--:|--:|---|\n");
    for row in rows {
        let memory = row.peak_rss_kb.map_or_else(
            || {
                language
                    .either("not measured on this system", "本系统上未测量")
                    .into()
            },
            |kb| format!("{:.1} MiB", kb as f64 / 1024.0),
        );
        let in_flight = row.report.peak_in_flight();
        // Pages served at once have no limit worth dividing by.
        let ratio = match row.limit_ms {
            0.0 => "-".into(),
            limit => format!("{:.3}", row.wall_ms / limit),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {in_flight} | {:.3} s | {:.3} s | {ratio} | {memory} | {:.0} | {} |",
            row.lesson,
            variant(row, language),
            row.pages,
            row.wall_ms / 1000.0,
            row.limit_ms / 1000.0,
            row.requests_per_s,
            verdict(row, language),
        );
    }
    out
}

/// How many workers took sites, and how many downloaded at once where that
/// was fewer: 12 tasks of which 3 at a time is `12 (3 at once)`.
fn workers(row: &Row, language: Language) -> String {
    match row.at_once < row.workers {
        true => match language {
            Language::English => {
                format!("{} ({} at once)", row.workers, row.at_once)
            }
            Language::Chinese => {
                format!("{}（同时 {} 个）", row.workers, row.at_once)
            }
        },
        false => row.workers.to_string(),
    }
}

/// The row's variant, or how many copies of the client ran at once.
pub fn variant(row: &Row, language: Language) -> String {
    match (row.copies, row.variant.as_str()) {
        (1, "") => "-".into(),
        (1, variant) => variant.into(),
        (copies, _) => match language {
            Language::English => format!("{copies} clients at once"),
            Language::Chinese => format!("{copies} 个客户端同时运行"),
        },
    }
}

fn verdict(row: &Row, language: Language) -> String {
    let target = match (row.target_ms, row.target_rss_kb) {
        (None, None) => return "-".into(),
        (Some(ms), None) => format!("≤ {:.3} s", ms / 1000.0),
        (Some(ms), Some(kb)) => {
            format!("≤ {:.3} s, ≤ {} MiB", ms / 1000.0, kb / 1024)
        }
        (None, Some(kb)) => format!("≤ {} MiB", kb / 1024),
    };
    let met = match row.within_target() {
        true => language.either("yes", "是"),
        false => language.either("NO", "否"),
    };
    format!("{met} {target}")
}
