//! What the exercises say, in English or in Chinese: every sentence a learner
//! or a teacher reads (a check's verdict, `watch`, `ready`, `join`) is a
//! message of `i18n/en/exercises.ftl`, translated in
//! `i18n/zh-CN/exercises.ftl`. The files are Fluent's, Mozilla's format for
//! translations, read through `i18n-embed`: [`tr!`] names a message and its
//! values, and the compiler checks that English has that message with those
//! values; a test checks that Chinese has every one.

use std::sync::{LazyLock, OnceLock};

use i18n_embed::fluent::{FluentLanguageLoader, fluent_language_loader};
use rust_embed::RustEmbed;
pub use web::language::Language;

/// The messages of both languages, built into the program, so that it says
/// them wherever it is run from.
#[derive(RustEmbed)]
#[folder = "i18n/"]
struct Messages;

/// The language spoken now, with English for anything not translated (which
/// a test keeps from happening).
pub static SPOKEN: LazyLock<FluentLanguageLoader> = LazyLock::new(|| {
    let loader: FluentLanguageLoader = fluent_language_loader!();
    web::language::load(&loader, &Messages, Language::English);
    loader
});

/// Speak `language` from now on.
pub fn speak(language: Language) {
    web::language::load(&SPOKEN, &Messages, language);
}

/// `--lang`, as the learner gave it, for the commands we suggest.
static ASKED: OnceLock<&'static str> = OnceLock::new();

/// The language to speak: `--lang`'s if the learner gave it (then the
/// commands we suggest repeat it), else the system's.
pub fn chosen(lang: Option<Language>) -> Language {
    let Some(language) = lang else { return Language::of_the_system() };
    let _ = ASKED.set(match language {
        Language::Chinese => " --lang zh-CN",
        Language::English => " --lang en",
    });
    language
}

/// The language `--lang` asks for among `args`, before clap reads them (for
/// `--help`); `None` if it asks for none, or for none of ours. An argument
/// that is not UTF-8 is clap's to refuse, in one line.
pub fn asked(
    args: impl IntoIterator<Item = std::ffi::OsString>,
) -> Option<Language> {
    let args: Vec<std::ffi::OsString> = args.into_iter().collect();
    let text = |at: usize| args.get(at).and_then(|arg| arg.to_str());
    let value = (0..args.len()).find_map(|at| {
        match text(at)?.strip_prefix("--lang")? {
            "" => text(at + 1),
            rest => rest.strip_prefix('='),
        }
    })?;
    clap::ValueEnum::from_str(value, false).ok()
}

/// ` --lang …` for a command we suggest, if the learner gave it; else "".
pub fn lang_option() -> &'static str {
    ASKED.get().copied().unwrap_or_default()
}

/// The message `id`, where its name is known only as the program runs (an
/// exercise's title, a tool's rule), and has no value to put in. A test finds
/// each in both languages.
pub fn message(id: &str) -> String {
    SPOKEN.get(id)
}

/// The message named by its first argument, in the language spoken now, with
/// the values that follow: `tr!("checking", file = name)`.
macro_rules! tr {
    ($($message:tt)*) => {
        i18n_embed_fl::fl!($crate::language::SPOKEN, $($message)*)
    };
}
pub(crate) use tr;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::checks::EXERCISES;

    #[test]
    fn the_language_asked_for_is_found_before_clap_reads_the_command_line() {
        let asked = |args: &[&str]| asked(args.iter().map(Into::into));
        assert_eq!(
            asked(&["exercises", "list", "--lang", "zh-CN"]),
            Some(Language::Chinese)
        );
        assert_eq!(
            asked(&["exercises", "--lang=en", "list"]),
            Some(Language::English)
        );
        assert_eq!(asked(&["exercises", "--lang", "fr"]), None);
        assert_eq!(asked(&["exercises", "--lang"]), None);
        assert_eq!(asked(&["exercises", "list"]), None);
    }

    #[cfg(unix)]
    #[test]
    fn an_argument_that_is_not_utf_8_leaves_the_language_to_the_system() {
        use std::os::unix::ffi::OsStringExt;
        let bad = std::ffi::OsString::from_vec(vec![0xff]);
        let args = ["exercises".into(), bad.clone(), "--lang".into(), bad];
        assert_eq!(asked(args), None);
    }

    #[test]
    fn every_message_is_in_chinese_with_the_same_values() {
        let lacking = web::language::untranslated(&Messages, "exercises");
        assert_eq!(lacking, Vec::<String>::new());
    }

    #[test]
    fn every_title_tool_rule_and_help_is_a_message_and_every_message_is_used() {
        let file = Messages::get("en/exercises.ftl").expect("the file is built in");
        let english = String::from_utf8_lossy(&file.data).into_owned();
        let ids: Vec<&str> = (english.lines())
            .filter_map(|line| line.split_once(" = ").map(|(id, _)| id))
            .filter(|id| !id.starts_with([' ', '#']))
            .collect();
        let mut named: BTreeSet<String> = BTreeSet::new();
        for exercise in EXERCISES {
            named.insert(format!("title-{}", exercise.id));
            let rules = exercise.tools.uses.iter().chain(exercise.tools.avoids);
            named.extend(rules.map(|(_, why)| why.to_string()));
        }
        // What --help says of each command and option (`cli`).
        let command = <crate::Cli as clap::CommandFactory>::command();
        let fixed = [
            "about",
            "after",
            "usage",
            "commands",
            "arguments",
            "options",
            "default",
        ];
        named.extend(fixed.map(|id| format!("help-{id}")));
        named.insert("help-arg-help".into());
        for (at, command) in
            std::iter::once(&command).chain(command.get_subcommands()).enumerate()
        {
            if at > 0 {
                named.insert(format!("help-{}", command.get_name()));
            }
            named.extend(
                command
                    .get_arguments()
                    .map(|arg| format!("help-arg-{}", arg.get_id())),
            );
        }
        for id in &named {
            assert!(ids.contains(&id.as_str()), "{id} is no message");
        }
        // Every other message is named in the sources by tr!.
        let folder = crate::files::folder().join("src");
        let files = ["", "checks"].into_iter().flat_map(|part| {
            std::fs::read_dir(folder.join(part)).into_iter().flatten().flatten()
        });
        let sources: String = files
            .filter_map(|file| std::fs::read_to_string(file.path()).ok())
            .collect();
        for id in ids.iter().filter(|id| !named.contains(**id)) {
            assert!(sources.contains(&format!("\"{id}\"")), "{id} is never said");
        }
    }
}
