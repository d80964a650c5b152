//! What the exercises say, in English or in Chinese: every sentence a learner
//! or a teacher reads (a check's verdict, `watch`, `ready`, `join`) is a
//! message of `i18n/en/exercises.ftl`, translated in
//! `i18n/zh-CN/exercises.ftl`. The files are Fluent's, Mozilla's format for
//! translations, read through `i18n-embed`: [`tr!`] names a message and its
//! values, and the compiler checks that English has that message with those
//! values; a test checks that Chinese has every one.

use std::sync::LazyLock;

use i18n_embed::{
    LanguageLoader,
    fluent::{FluentLanguageLoader, fluent_language_loader},
    unic_langid::LanguageIdentifier,
};
use rust_embed::RustEmbed;

/// A language the exercises speak: one of the book's two editions.
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

    /// The language's tag, as the folders of `i18n/` are named.
    fn tag(self) -> LanguageIdentifier {
        let tag = match self {
            Language::English => "en",
            Language::Chinese => "zh-CN",
        };
        tag.parse().unwrap_or_default()
    }
}

/// The messages of both languages, built into the program, so that it says
/// them wherever it is run from.
#[derive(RustEmbed)]
#[folder = "i18n/"]
struct Messages;

/// The language spoken now, with English for anything not translated (which
/// a test keeps from happening).
pub static SPOKEN: LazyLock<FluentLanguageLoader> = LazyLock::new(|| {
    let loader: FluentLanguageLoader = fluent_language_loader!();
    load(&loader, Language::English);
    loader
});

/// Speak `language` from now on.
pub fn speak(language: Language) {
    load(&SPOKEN, language);
}

/// Loads `language`'s messages into `loader`, and English's behind them.
fn load(loader: &FluentLanguageLoader, language: Language) {
    let tags = [language.tag(), Language::English.tag()];
    let _ = loader.load_languages(&Messages, &tags);
    // Fluent marks each value it puts in a sentence with invisible Unicode
    // isolation marks, for right-to-left scripts; a terminal would show them.
    loader.set_use_isolating(false);
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
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast::{
        Entry, Expression, InlineExpression, Pattern, PatternElement,
    };

    use super::*;
    use crate::checks::EXERCISES;

    /// Each message of `language`'s file, and the values it puts in.
    fn messages(language: Language) -> BTreeMap<String, BTreeSet<String>> {
        let file = format!("{}/exercises.ftl", language.tag());
        let text = Messages::get(&file).expect("the file is built in").data;
        let text = String::from_utf8(text.into_owned()).expect("UTF-8");
        let resource = fluent_syntax::parser::parse(text.as_str())
            .unwrap_or_else(|(_, errors)| panic!("{file}: {errors:?}"));
        let mut messages = BTreeMap::new();
        for entry in resource.body {
            if let Entry::Message(message) = entry {
                let mut values = BTreeSet::new();
                if let Some(pattern) = &message.value {
                    values_in(pattern, &mut values);
                }
                messages.insert(message.id.name.to_string(), values);
            }
        }
        messages
    }

    fn values_in(pattern: &Pattern<&str>, values: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let PatternElement::Placeable { expression } = element {
                in_expression(expression, values);
            }
        }
    }

    fn in_expression(expression: &Expression<&str>, values: &mut BTreeSet<String>) {
        let inline = |inline: &InlineExpression<&str>,
                      values: &mut BTreeSet<String>| {
            match inline {
                InlineExpression::VariableReference { id } => {
                    values.insert(id.name.to_string());
                }
                InlineExpression::Placeable { expression } => {
                    in_expression(expression, values)
                }
                _ => {}
            }
        };
        match expression {
            Expression::Inline(expression) => inline(expression, values),
            Expression::Select { selector, variants } => {
                inline(selector, values);
                for variant in variants {
                    values_in(&variant.value, values);
                }
            }
        }
    }

    #[test]
    fn every_message_is_in_chinese_with_the_same_values() {
        let english = messages(Language::English);
        let chinese = messages(Language::Chinese);
        let ids = |messages: &BTreeMap<String, _>| -> Vec<String> {
            messages.keys().cloned().collect()
        };
        assert_eq!(ids(&chinese), ids(&english), "the same messages in both");
        for (id, values) in &english {
            assert_eq!(&chinese[id], values, "{id}: the same values in both");
        }
        // And each is Chinese: Han, or the full-width punctuation of Chinese.
        let loader: FluentLanguageLoader = fluent_language_loader!();
        load(&loader, Language::Chinese);
        let chinese = |c: char| {
            ('\u{4e00}'..='\u{9fff}').contains(&c)
                || ('\u{3000}'..='\u{303f}').contains(&c)
                || ('\u{ff00}'..='\u{ffef}').contains(&c)
        };
        for id in english.keys() {
            let said = loader.get(id);
            assert!(said.chars().any(chinese), "{id} is not translated: {said}");
        }
    }

    #[test]
    fn every_title_and_tool_rule_is_a_message_and_every_message_is_used() {
        let english = messages(Language::English);
        let mut named: BTreeSet<String> = BTreeSet::new();
        for exercise in EXERCISES {
            named.insert(format!("title-{}", exercise.id));
            let rules = exercise.tools.uses.iter().chain(exercise.tools.avoids);
            named.extend(rules.map(|(_, why)| why.to_string()));
        }
        for id in &named {
            assert!(english.contains_key(id), "{id} is no message");
        }
        // Every other message is named in the sources by tr!.
        let folder = crate::files::folder().join("src");
        let files = ["", "checks"].into_iter().flat_map(|part| {
            std::fs::read_dir(folder.join(part)).into_iter().flatten().flatten()
        });
        let sources: String = files
            .filter_map(|file| std::fs::read_to_string(file.path()).ok())
            .collect();
        for id in english.keys().filter(|id| !named.contains(*id)) {
            assert!(sources.contains(&format!("\"{id}\"")), "{id} is never said");
        }
    }
}
