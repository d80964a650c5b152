//! The class page of `serve`, tested as a teacher's projector shows it: in
//! headless Chromium, after three students' runs. It needs Debian's
//! `chromium`, which `.ci/run` installs, hence `#[ignore]`:
//!
//! ```text
//! cargo test -p compare --test class -- --ignored
//! ```

use std::path::Path;

#[path = "../src/class.rs"]
#[allow(dead_code)]
mod class;

#[test]
#[ignore = "needs chromium, which .ci/run installs"]
fn the_class_page_shows_a_lane_and_a_score_for_each_run_and_names_as_text() {
    let lessons = [
        "-p",
        "web",
        "-p",
        "ch01-sequential",
        "-p",
        "ch02-threads",
        "-p",
        "ch05-async",
    ];
    let built =
        sites::harness::cargo().args(["build", "--quiet"]).args(lessons).status();
    assert!(built.is_ok_and(|status| status.success()), "the lessons build");
    let binaries =
        Path::new(env!("CARGO_BIN_EXE_compare")).parent().expect("a folder");

    let dom = class::show(binaries, None).expect("the page is rendered");

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
        let shown = name.replace('<', "&lt;").replace('>', "&gt;");
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
