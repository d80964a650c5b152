//! The class's pages of `serve`, tested as a teacher's projector shows them:
//! in headless Chromium, after three students' runs and three students'
//! checks. It needs Debian's `chromium`, which `.ci/run` installs, hence
//! `#[ignore]`:
//!
//! ```text
//! cargo test -p compare --test class -- --ignored
//! ```

use std::{path::Path, sync::OnceLock};

#[path = "../src/class.rs"]
#[allow(dead_code)]
mod class;

/// The three pages, rendered once for every test here.
fn rendered() -> &'static class::Rendered {
    static RENDERED: OnceLock<class::Rendered> = OnceLock::new();
    RENDERED.get_or_init(|| {
        let packages = [
            "-p",
            "web",
            "-p",
            "exercises",
            "-p",
            "ch01-sequential",
            "-p",
            "ch02-threads",
            "-p",
            "ch05-async",
        ];
        let built = sites::harness::cargo()
            .args(["build", "--quiet"])
            .args(packages)
            .status();
        assert!(built.is_ok_and(|status| status.success()), "the lessons build");
        let binaries =
            Path::new(env!("CARGO_BIN_EXE_compare")).parent().expect("a folder");
        class::show(binaries, None).expect("the pages are rendered")
    })
}

/// The class page and the progress view of a class of `students`, on a
/// projector.
fn projector(students: usize) -> [String; 2] {
    rendered(); // the lessons built
    let binaries =
        Path::new(env!("CARGO_BIN_EXE_compare")).parent().expect("a folder");
    class::projector(binaries, None, students).expect("the pages are rendered")
}

/// `text` as a page shows it: `<`, `>` and `&` escaped.
fn as_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[test]
#[ignore = "needs chromium, which .ci/run installs"]
fn the_class_page_shows_a_lane_and_a_score_for_each_run_and_names_as_text() {
    let dom = &rendered().class;

    let lanes = dom.matches("<div class=\"lane\">").count();
    assert_eq!(lanes, class::RUNS.len(), "a lane per run:\n{dom}");
    let rows =
        dom.split("<tbody>").nth(1).and_then(|rest| rest.split("</tbody>").next());
    let rows = rows.expect("a scoreboard");
    assert_eq!(
        rows.matches("<tr>").count(),
        class::RUNS.len(),
        "a row per run:\n{rows}"
    );
    for (name, lesson, _) in class::RUNS {
        let shown = as_text(name);
        assert!(
            dom.contains(&format!(
                "<div class=\"label\">{shown} <span class=\"what\">— {lesson}"
            )),
            "{name}'s lane"
        );
        assert!(
            rows.contains(&format!("<td>{shown}</td><td>{lesson}</td>")),
            "{name}'s row"
        );
    }
    // The name that is a script shows as text, and runs nowhere.
    assert!(!dom.contains("<script>alert(1)</script>"), "{dom}");
}

/// When the downloads of `name`'s run ended, as its lane's caption says it
/// from the run's own timeline, in seconds.
fn downloads_ended(dom: &str, name: &str) -> f64 {
    let lane = dom.split(&format!("<div class=\"label\">{name} ")).nth(1);
    let caption = lane
        .and_then(|lane| lane.split("<div class=\"axis\">").nth(1))
        .and_then(|rest| rest.split("</div>").next())
        .unwrap_or_else(|| panic!("no caption for {name}:\n{dom}"));
    let seconds = caption.split("every download ended by ").nth(1);
    let seconds = seconds.and_then(|rest| rest.split(" s").next());
    seconds.and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{caption}"))
}

#[test]
#[ignore = "needs chromium, which .ci/run installs"]
fn the_class_page_shows_the_blocked_run_stalled_and_the_spawned_one_not() {
    let dom = &rendered().class;
    // The second of work blocks the thread of one, and not of the other:
    // their downloads take a tenth of a second at the speed `show` serves.
    let blocked = downloads_ended(dom, "chen");
    let spawned = downloads_ended(dom, "dana");
    assert!(blocked >= 1.0, "the blocked run's downloads ended by {blocked} s");
    assert!(spawned < 0.5, "the spawned run's downloads ended by {spawned} s");
}

/// The cells of a student's row of the progress view: its text and class,
/// and the title of each.
fn row<'a>(dom: &'a str, name: &str) -> Vec<(&'a str, &'a str)> {
    let start = format!("<td class=\"name\">{}</td>", as_text(name));
    let row = dom.split(&start).nth(1).and_then(|rest| rest.split("</tr>").next());
    let row = row.unwrap_or_else(|| panic!("no row for {name}:\n{dom}"));
    row.split("<td")
        .skip(1)
        .map(|cell| {
            let class =
                cell.split("class=\"").nth(1).and_then(|c| c.split('"').next());
            let text = cell.split('>').nth(1).and_then(|t| t.split('<').next());
            (class.unwrap_or_default(), text.unwrap_or_default())
        })
        .collect()
}

#[test]
#[ignore = "needs chromium, which .ci/run installs"]
fn the_progress_view_shows_each_student_s_latest_verdict_and_text_as_text() {
    let dom = &rendered().exercises;
    let column =
        |id: &str| web::EXERCISES.iter().position(|e| *e == id).expect("an id");
    for (name, checks) in class::STUDENTS {
        let cells = row(dom, name);
        assert_eq!(cells.len(), web::EXERCISES.len(), "{name}: {cells:?}");
        for (index, cell) in cells.iter().enumerate() {
            // The latest check of an exercise is the one shown.
            let latest = checks.iter().rev().find(|(id, _)| column(id) == index);
            let expected = match latest {
                None => ("untried", "·"),
                Some((_, true)) => ("done", "✓"),
                Some((_, false)) => ("failing", "✗"),
            };
            assert_eq!(*cell, expected, "{name}'s cell {}", web::EXERCISES[index]);
        }
    }
    // A failing cell's check message is its title, as the check said it.
    assert!(dom.contains("title=\"sequential-2 is not done yet:"), "{dom}");
    // The hostile name and message are text, and nothing of them runs.
    let (name, message) = class::HOSTILE;
    assert_eq!(row(dom, name)[column("async-4")], ("failing", "✗"));
    assert!(
        dom.contains(&as_text(message).replace('"', "&quot;"))
            || dom.contains(&as_text(message)),
        "{dom}"
    );
    assert!(
        !dom.contains("<img src=x") && !dom.contains("<script>alert(2)"),
        "{dom}"
    );
    // How many are done, and how many failing, under each exercise.
    let counts = |label: &str| -> Vec<String> {
        let start = format!("<td class=\"name\">{label}</td>");
        let row = dom
            .split(&start)
            .nth(1)
            .and_then(|r| r.split("</tr>").next())
            .expect("counts");
        row.split("<td")
            .skip(1)
            .filter_map(|c| c.split('>').nth(1)?.split('<').next())
            .map(String::from)
            .collect()
    };
    assert_eq!(counts("done")[column("sequential-3")], "1");
    assert_eq!(counts("failing")[column("sequential-2")], "1");
    assert_eq!(counts("failing")[column("sequential-3")], "0");
}

#[test]
#[ignore = "needs chromium, which .ci/run installs"]
fn the_results_view_has_a_bar_for_each_lesson_the_class_ran() {
    let dom = &rendered().results;
    for (_, lesson, _) in class::RUNS {
        assert!(
            dom.contains(&format!("<div class=\"label\">{lesson} ")),
            "{lesson}:\n{dom}"
        );
    }
    assert_eq!(
        dom.matches("<div class=\"bar\"").count(),
        class::RUNS.len(),
        "{dom}"
    );
    // Lesson 2's pool beside the notes' 1.04 s, which the run said.
    assert!(dom.contains("the notes: 1.04 s"), "{dom}");
}

#[test]
#[ignore = "needs chromium, which .ci/run installs"]
fn a_class_of_thirty_fits_a_projector_without_scrolling() {
    let [runs, grid] = projector(30);
    assert_eq!(runs.matches("<div class=\"lane\">").count(), 30, "{runs}");
    assert_eq!(grid.matches("<td class=\"name\">").count(), 30 + 2, "{grid}");
    for dom in [&runs, &grid] {
        assert!(dom.contains("data-scrolls=\"false\""), "it scrolls:\n{dom}");
    }
    // Every failing message is on the screen, not behind a mouse's hover.
    assert!(grid.contains("<h2>Failing now</h2>"), "{grid}");
    assert!(grid.contains("a lock is held over each download"), "{grid}");
}

/// A class of twelve leaves room for a line under each lane: the lanes still
/// fit, and the table keeps every run rather than giving its place to them.
#[test]
#[ignore = "needs chromium, which .ci/run installs"]
fn a_class_of_twelve_fits_a_projector_with_every_run_in_the_table() {
    let [runs, _] = projector(12);
    assert!(runs.contains("data-scrolls=\"false\""), "it scrolls:\n{runs}");
    let table = runs.split("<table id=\"scores\">").nth(1).unwrap_or_default();
    let table = table.split("</table>").next().unwrap_or_default();
    assert_eq!(table.matches("<tr>").count(), 1 + 12, "a row a run:\n{table}");
    assert!(!table.contains("older runs"), "{table}");
}

#[test]
#[ignore = "needs chromium, which .ci/run installs"]
fn the_class_s_pages_speak_chinese_to_a_browser_whose_language_is_chinese() {
    let [runs, grid, results] = &rendered().in_chinese;
    for dom in [runs, grid, results] {
        assert!(dom.contains("<html lang=\"zh-CN\""), "{dom}");
        // Every English sentence of the page hidden, every Chinese one shown.
        let english = dom.matches("data-lang=\"en\"").count();
        assert!(english > 0, "{dom}");
        assert_eq!(dom.matches("data-lang=\"en\" hidden").count(), english, "{dom}");
        assert!(!dom.contains("data-lang=\"zh-CN\" hidden"), "{dom}");
    }
    // And what the scripts write.
    assert!(runs.contains("<th>页面读完于</th>"), "{runs}");
    assert!(runs.contains("按运行自己看到的：所有下载在"), "{runs}");
    assert!(grid.contains("<h2>当前未通过</h2>"), "{grid}");
    assert!(results.contains("中位数"), "{results}");
}
