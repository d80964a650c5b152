//! The rows as Markdown tables, readable as plain text too.

use std::fmt::Write as _;

use crate::measure::Row;

/// The main rows as a Markdown table, readable as plain text too.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| lesson | variant | workers | the notes | measured | spread | limit | \
         measured / limit | start-up | target |\n\
         |---|---|--:|--:|--:|--:|--:|--:|--:|---|\n",
    );
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
            if row.variant.is_empty() { "-" } else { &row.variant },
            row.workers,
            row.wall_ms / 1000.0,
            row.spread_ms,
            row.limit_ms / 1000.0,
            row.wall_ms / row.limit_ms.max(1e-9),
            verdict(row),
        );
    }
    out
}

/// The rows at scale, with memory and requests per second.
pub fn scale_table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| lesson | variant | pages | in flight | measured | limit | measured / limit | \
         peak memory | requests/s | target |\n\
         |---|---|--:|--:|--:|--:|--:|--:|--:|---|\n",
    );
    for row in rows {
        let memory =
            row.peak_rss_kb.map_or("not measured on this system".into(), |kb| {
                format!("{:.1} MiB", kb as f64 / 1024.0)
            });
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
            row.variant,
            row.pages,
            row.wall_ms / 1000.0,
            row.limit_ms / 1000.0,
            row.requests_per_s,
            verdict(row),
        );
    }
    out
}

fn verdict(row: &Row) -> String {
    let target = match (row.target_ms, row.target_rss_kb) {
        (None, None) => return "-".into(),
        (Some(ms), None) => format!("≤ {:.3} s", ms / 1000.0),
        (Some(ms), Some(kb)) => {
            format!("≤ {:.3} s, ≤ {} MiB", ms / 1000.0, kb / 1024)
        }
        (None, Some(kb)) => format!("≤ {} MiB", kb / 1024),
    };
    format!("{} {target}", if row.within_target() { "yes" } else { "NO" })
}
