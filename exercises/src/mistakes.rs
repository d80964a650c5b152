//! The teachers' page of the class's common mistakes, in English and Chinese:
//! each wrong answer of `exercises/wrong/` as its diff on the solution, what
//! the learner who wrote it was thinking (its patch's first lines), and what
//! its check answered in `prove`, word for word (in Chinese, checked again
//! in Chinese on the same web). `prove --write-docs` writes it into the book;
//! a test keeps it in step with the patches.

use std::{fs, path::PathBuf};

use crate::{
    answers::Answer,
    files::{folder, shown},
    language::{Language, speak},
};

/// A wrong answer its check caught, and what the check said: in English, and
/// in Chinese.
pub(crate) type Caught<'a> = (&'a Answer, String, String);

impl Answer {
    /// The paragraphs of its patch before the diff: in `language`, and not
    /// `The check must say: ...`, which the verdict shows in place.
    fn thinking(&self, language: Language) -> String {
        let head = self.patch.split("\n--- ").next().unwrap_or_default();
        let paragraphs = head.split("\n\n").map(str::trim).filter(|p| !p.is_empty());
        let chosen = paragraphs.filter_map(|paragraph| {
            match (language, paragraph.strip_prefix("zh-CN: ")) {
                (Language::English, None) => Some(paragraph.to_string()),
                // Chinese runs on across a line's end without a space.
                (Language::Chinese, Some(chinese)) => {
                    Some(chinese.replace('\n', ""))
                }
                _ => None,
            }
        });
        let chosen = chosen.filter(|p| !p.starts_with("The check must say: "));
        chosen.collect::<Vec<_>>().join("\n\n")
    }

    /// Its diff's hunks, without the lines that name its files.
    fn diff(&self) -> &str {
        self.patch.find("\n@@").map_or("", |at| self.patch[at + 1..].trim_end())
    }

    /// The part of its section that the patch alone makes: all but the verdict.
    fn section_head(&self, language: Language) -> String {
        let (id, slug) = (self.exercise.id, &self.slug);
        let (heading, answered) = match language {
            Language::English => {
                (slug.clone(), "Its check answered, in a run of `prove`:")
            }
            Language::Chinese => (
                format!("错误答案 {slug}"),
                "它的检查在 `prove` 的一次运行中这样回答（在同一个模拟 Web 上用中文再检查了一次）：",
            ),
        };
        format!(
            "### {heading}\n\n{}\n\n```sh\ncargo run -p exercises -- check {id} --wrong \
             {slug}\n```\n\n```diff\n{}\n```\n\n{answered}\n\n",
            self.thinking(language),
            self.diff(),
        )
    }
}

/// Writes both editions' pages from the mistakes and their verdicts, in the
/// order of the exercises, each speaking its language (the exercises' titles).
pub(crate) fn write(mistakes: &[Caught]) -> Result<(), String> {
    for (language, file) in [
        (Language::English, "mistakes.md"),
        (Language::Chinese, "zh-CN/mistakes.md"),
    ] {
        speak(language);
        let path = generated().join(file);
        fs::write(&path, page(mistakes, language))
            .map_err(|err| format!("{}: {err}", path.display()))?;
        println!("wrote {}", shown(&path));
    }
    Ok(())
}

fn generated() -> PathBuf {
    folder().parent().unwrap_or(folder()).join("docs/src/generated")
}

fn page(mistakes: &[Caught], language: Language) -> String {
    let mut page = String::from(match language {
        Language::English => {
            "<!-- Written by `cargo run -p exercises -- prove --write-docs`. -->\n"
        }
        Language::Chinese => {
            "<!-- 由 `cargo run -p exercises -- prove --write-docs` 写出。 -->\n"
        }
    });
    let mut exercise = "";
    for (mistake, english, chinese) in mistakes {
        if mistake.exercise.id != exercise {
            exercise = mistake.exercise.id;
            page += &match language {
                Language::English => {
                    format!("\n## {exercise}: {}\n\n", mistake.exercise.title())
                }
                Language::Chinese => {
                    format!("\n## 练习 {exercise}：{}\n\n", mistake.exercise.title())
                }
            };
        }
        page += &mistake.section_head(language);
        let verdict = language.either(english, chinese);
        page += &format!("```text\n{}\n```\n\n", verdict.trim_end());
    }
    page.truncate(page.trim_end().len());
    page + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{answers, says};

    /// Each section of a page: the mistake it shows (`id --wrong slug`), and
    /// its text.
    fn sections(page: &str) -> Vec<(String, String)> {
        let sections = page.split("\n### ").skip(1);
        let named = sections.map(|section| {
            let command = section.lines().find_map(|line| {
                line.strip_prefix("cargo run -p exercises -- check ")
            });
            let name = command.unwrap_or_default().replace(" --wrong ", ".");
            (name, format!("### {}", section.trim_end()))
        });
        named.collect()
    }

    #[test]
    fn the_pages_of_mistakes_show_every_wrong_answer_as_its_patch_is_now() {
        let wrong = answers("wrong").expect("the wrong answers");
        for (language, file) in [
            (Language::English, "mistakes.md"),
            (Language::Chinese, "zh-CN/mistakes.md"),
        ] {
            let text = fs::read_to_string(generated().join(file)).expect(file);
            let shown = sections(&text);
            let names: Vec<String> = wrong
                .iter()
                .map(|answer| format!("{}.{}", answer.exercise.id, answer.slug))
                .collect();
            let listed: Vec<&String> = shown.iter().map(|(name, _)| name).collect();
            assert_eq!(
                listed,
                names.iter().collect::<Vec<_>>(),
                "{file} should show each wrong answer, in order: `cargo run -p \
                 exercises -- prove --write-docs` writes it again"
            );
            for ((_, section), answer) in shown.iter().zip(&wrong) {
                let head = answer.section_head(language);
                assert!(
                    section.starts_with(&head),
                    "{file} shows {} as it was: `prove --write-docs` writes it \
                     again\n{section}",
                    answer.program
                );
                let verdict = section[head.len()..].trim_start_matches("```text\n");
                // The sentence its patch names, or in Chinese, a verdict of
                // its check in Chinese (or, where the check let a race go by
                // once, in English).
                let expected = answer.expected.as_deref().unwrap_or_default();
                let id = answer.exercise.id;
                let chinese = language == Language::Chinese
                    && verdict.starts_with(&format!("{id} 还没有完成："));
                assert!(
                    chinese || says(verdict, expected),
                    "{section}\nshould say {expected}"
                );
            }
        }
    }

    #[test]
    fn a_mistake_is_told_in_each_language_without_what_its_check_must_say() {
        let patch = "A wrong answer: the sites in\nturn.\n\nzh-CN: 错误答案：\n逐个下载。\n\n\
                     The check must say: one by one\n\n--- a\n+++ b\n@@ -1 +1 @@\n-a\n+b\n";
        let mistake = Answer {
            exercise: &crate::checks::EXERCISES[0],
            program: "sequential-1-wrong-turn".into(),
            slug: "turn".into(),
            patch: patch.into(),
            expected: Some("one by one".into()),
            tries: 1,
        };
        assert_eq!(
            mistake.thinking(Language::English),
            "A wrong answer: the sites in\nturn."
        );
        assert_eq!(mistake.thinking(Language::Chinese), "错误答案：逐个下载。");
        assert_eq!(mistake.diff(), "@@ -1 +1 @@\n-a\n+b");
    }
}
