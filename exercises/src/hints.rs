//! An exercise's hints, taken from the book so that the book and the terminal
//! say the same: in English from the exercises' page, in Chinese from the
//! Chinese edition's translation of it, `docs/po/zh-CN.po`.

use std::fs;

use crate::{
    checks::Exercise,
    commands::say,
    files::folder,
    language::{Language, lang_option, tr},
};

/// The labels the book folds each hint under, and what `language` calls
/// them.
fn labels(language: Language) -> [(&'static str, &'static str); 2] {
    match language {
        Language::English => [("Hint", "Hint:"), ("Another hint", "Another hint:")],
        Language::Chinese => [("Hint", "提示："), ("Another hint", "另一个提示：")],
    }
}

/// The `hint` command: prints the exercise's task and its first `count`
/// hints, and, if there are more, the command that shows one more, with
/// `--lang` if the learner gave it.
pub fn show(
    exercise: &Exercise,
    language: Language,
    count: usize,
) -> Result<(), String> {
    let count = count.max(1); // hint 0 is the first, as hint 1
    let (text, more) = hint(exercise, language, count)?;
    say!("{}", text.trim_end());
    if more {
        let lang = lang_option();
        let id = &exercise.id;
        let next =
            format!("cargo run -p exercises -- hint {id} {}{lang}", count + 1);
        say!("\n{}", tr!("hint-next", command = next));
    }
    Ok(())
}

/// The exercise's task and its first `count` hints (one at least), from its
/// section of the book's page for its lesson, as the book folds them: one at
/// a time. `true` if there are more.
pub fn hint(
    exercise: &Exercise,
    language: Language,
    count: usize,
) -> Result<(String, bool), String> {
    let lesson = exercise.id.split('-').next().unwrap_or_default();
    let file = folder().join(format!("../docs/src/exercises-{lesson}.md"));
    let page = fs::read_to_string(&file)
        .map_err(|err| format!("{}: {err}", file.display()))?;
    let section = section(&page, exercise).ok_or_else(|| {
        format!("{} has no section for {}", file.display(), exercise.id)
    })?;
    let text = match language {
        Language::English => section,
        Language::Chinese => in_chinese(&section)?,
    };
    // The task, then each hint folded in <details>, which a terminal shows as
    // text under its label.
    let mut parts = text.split("<details><summary>");
    let mut shown = parts.next().unwrap_or_default().trim().to_string();
    let hints: Vec<&str> = parts.collect();
    for part in hints.iter().take(count.max(1)) {
        let part = part.replace("</details>", "");
        let (label, hint) = part.split_once("</summary>").unwrap_or(("Hint", &part));
        let said = labels(language).into_iter().find(|(name, _)| *name == label);
        shown += &format!(
            "\n\n{}\n\n{}",
            said.map_or(label, |(_, said)| said),
            hint.trim()
        );
    }
    Ok((shown + "\n", count.max(1) < hints.len()))
}

/// The exercise's section of `page`, its heading without the `## ` that
/// marks it, and its lines ending in LF, whatever the checkout made of them
/// (Git on Windows writes CRLF unless told otherwise).
fn section(page: &str, exercise: &Exercise) -> Option<String> {
    let page = page.replace("\r\n", "\n");
    let heading = format!("{}:", exercise.id);
    let mut sections = page.split("\n## ");
    sections.find(|part| part.starts_with(&heading)).map(str::to_string)
}

/// Each heading and paragraph of `section` as the Chinese book has it. A
/// message is a paragraph's lines run together, as mdbook-xgettext makes it.
fn in_chinese(section: &str) -> Result<String, String> {
    let file = folder().join("../docs/po/zh-CN.po");
    let catalog = polib::po_file::parse(&file)
        .map_err(|err| format!("{}: {err}", file.display()))?;
    let translate = |block: &str| {
        let id = block.split_whitespace().collect::<Vec<_>>().join(" ");
        let translated = catalog.find_message(None, &id, None);
        match translated.and_then(|message| message.msgstr().ok()) {
            Some(chinese) if !chinese.is_empty() => chinese.to_string(),
            _ => block.to_string(), // the folds' HTML, which is not translated
        }
    };
    Ok(section.split("\n\n").map(translate).collect::<Vec<_>>().join("\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::EXERCISES;

    #[test]
    fn every_exercise_has_hints_in_english_and_in_chinese() {
        for exercise in EXERCISES {
            let (english, _) =
                hint(exercise, Language::English, usize::MAX).expect("hints");
            assert!(
                english.contains("Hint:") && !english.contains("<details>"),
                "{}",
                exercise.id
            );
            let (chinese, _) =
                hint(exercise, Language::Chinese, usize::MAX).expect("hints");
            let blocks = |text: &str| text.split("\n\n").count();
            assert_eq!(blocks(&english), blocks(&chinese), "{}", exercise.id);
            // Every line of words is the translation's, not the English one.
            let words = |line: &&str| line.chars().any(char::is_alphabetic);
            for line in chinese.lines().filter(words) {
                assert!(
                    line.chars().any(|c| {
                        // Han, or the full-width punctuation Chinese is set in.
                        ('\u{4e00}'..='\u{9fff}').contains(&c)
                            || ('\u{ff00}'..='\u{ffef}').contains(&c)
                    }),
                    "{}: not translated: {line}",
                    exercise.id
                );
            }
        }
    }

    #[test]
    fn hints_come_one_at_a_time_then_the_next_on_asking() {
        let exercise = &EXERCISES[4]; // threads-2, which has two hints
        let (first, more) = hint(exercise, Language::English, 1).expect("hints");
        assert!(first.starts_with("threads-2: "), "{first}");
        assert!(
            first.contains("Hint:") && !first.contains("Another hint:"),
            "{first}"
        );
        assert!(more);
        let (both, more) = hint(exercise, Language::English, 2).expect("hints");
        assert!(both.contains("Another hint:") && !more);
    }

    #[test]
    fn a_book_checked_out_with_crlf_gives_the_same_hints() {
        let lesson = folder().join("../docs/src/exercises-threads.md");
        let page = fs::read_to_string(lesson).expect("the page");
        let crlf = page.replace('\n', "\r\n");
        let exercise = &EXERCISES[4];
        assert_eq!(section(&crlf, exercise), section(&page, exercise));
        let chinese =
            |page: &str| in_chinese(&section(page, exercise).expect("a section"));
        let (from_crlf, from_lf) =
            (chinese(&crlf).expect("it"), chinese(&page).expect("it"));
        assert_eq!(from_crlf, from_lf);
        assert!(from_crlf.contains("线程"), "{from_crlf}");
    }
}
