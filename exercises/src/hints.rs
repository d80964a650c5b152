//! An exercise's hints, taken from the book so that the book and the terminal
//! say the same: in English from the exercises' page, in Chinese from the
//! Chinese edition's translation of it, `docs/po/zh-CN.po`.

use std::fs;

use crate::{checks::Exercise, files::folder};

/// The language of the hints: one of the book's two editions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Language {
    #[value(name = "en")]
    English,
    #[value(name = "zh-CN")]
    Chinese,
}

impl Language {
    /// Chinese when the system's language is Chinese, English otherwise.
    pub fn of_the_system() -> Language {
        match platform::locale::language() {
            Some(tag) if tag.starts_with("zh") => Language::Chinese,
            _ => Language::English,
        }
    }

    /// The labels the book folds each hint under, and what this language
    /// calls them.
    fn labels(self) -> [(&'static str, &'static str); 2] {
        match self {
            Language::English => {
                [("Hint", "Hint:"), ("Another hint", "Another hint:")]
            }
            Language::Chinese => {
                [("Hint", "提示："), ("Another hint", "另一个提示：")]
            }
        }
    }
}

/// The exercise's hints: its section of the book's page for its lesson.
pub fn hint(exercise: &Exercise, language: Language) -> Result<String, String> {
    let lesson = exercise.id.split('-').next().unwrap_or_default();
    let file = folder().join(format!("../docs/src/exercises-{lesson}.md"));
    let page = fs::read_to_string(&file)
        .map_err(|err| format!("{}: {err}", file.display()))?;
    let heading = format!("## {}:", exercise.id);
    let section = page.split("\n## ").map(|part| format!("## {part}"));
    let mut text = section
        .into_iter()
        .find(|part| part.starts_with(&heading))
        .ok_or_else(|| format!("{} has no section {heading}", file.display()))?;
    if language == Language::Chinese {
        text = in_chinese(&text)?;
    }
    // The book folds each hint in <details>; a terminal shows them as text.
    for (label, said) in language.labels() {
        text = text.replace(&format!("<details><summary>{label}</summary>"), said);
    }
    text = text.replace("</details>", "");
    while text.contains("\n\n\n") {
        text = text.replace("\n\n\n", "\n\n");
    }
    Ok(text.trim().to_string() + "\n")
}

/// Each heading and paragraph of `section` as the Chinese book has it. A
/// message is a paragraph's lines run together, as mdbook-xgettext makes it.
fn in_chinese(section: &str) -> Result<String, String> {
    let file = folder().join("../docs/po/zh-CN.po");
    let catalog = polib::po_file::parse(&file)
        .map_err(|err| format!("{}: {err}", file.display()))?;
    let translate = |block: &str| {
        let (mark, text) =
            block.strip_prefix("## ").map_or(("", block), |text| ("## ", text));
        let id = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let translated = catalog.find_message(None, &id, None);
        match translated.and_then(|message| message.msgstr().ok()) {
            Some(chinese) if !chinese.is_empty() => format!("{mark}{chinese}"),
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
            let english = hint(exercise, Language::English).expect("hints");
            assert!(
                english.contains("Hint:") && !english.contains("<details>"),
                "{}",
                exercise.id
            );
            let chinese = hint(exercise, Language::Chinese).expect("hints");
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
}
