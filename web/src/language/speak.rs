//! Speaking: the messages of a crate's Fluent files, loaded in the language
//! asked for, and what the Chinese file lacks.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::LazyLock,
};

use fluent_syntax::ast::{
    Entry, Expression, InlineExpression, Pattern, PatternElement,
};
use i18n_embed::{
    I18nAssets, LanguageLoader,
    fluent::{FluentLanguageLoader, fluent_language_loader},
    unic_langid::LanguageIdentifier,
};
use rust_embed::RustEmbed;

use super::Language;

/// The language's tag, as the folders of `i18n/` are named.
fn tag(language: Language) -> LanguageIdentifier {
    let tag = match language {
        Language::English => "en",
        Language::Chinese => "zh-CN",
    };
    tag.parse().unwrap_or_default()
}

/// Loads `language`'s messages from `assets` into `loader`, and English's
/// behind them.
pub fn load(
    loader: &FluentLanguageLoader,
    assets: &dyn I18nAssets,
    language: Language,
) {
    let tags = [tag(language), tag(Language::English)];
    let _ = loader.load_languages(assets, &tags);
    // Fluent marks each value it puts in a sentence with invisible Unicode
    // isolation marks, for right-to-left scripts; a terminal would show them.
    loader.set_use_isolating(false);
}

/// What the Chinese file of `domain` in `assets` lacks, a line each: a
/// message of the English one, or one of its values, or Chinese words (Han,
/// or the full-width punctuation Chinese is set in). Empty when it lacks
/// nothing; a test of each crate that speaks holds it to that.
pub fn untranslated(assets: &dyn I18nAssets, domain: &str) -> Vec<String> {
    let [english, chinese] =
        [Language::English, Language::Chinese].map(|language| {
            messages(assets, &format!("{}/{domain}.ftl", tag(language)))
        });
    let (english, chinese) = match (english, chinese) {
        (Ok(english), Ok(chinese)) => (english, chinese),
        (english, chinese) => {
            return [english.err(), chinese.err()].into_iter().flatten().collect();
        }
    };
    let mut lacking = Vec::new();
    for (id, (values, _)) in &english {
        match chinese.get(id) {
            None => lacking.push(format!("{id}: no Chinese")),
            Some((theirs, _)) if theirs != values => {
                lacking.push(format!("{id}: values {theirs:?}, not {values:?}"))
            }
            Some((_, text)) if !text.chars().any(is_chinese) => {
                lacking.push(format!("{id}: not Chinese: {text}"))
            }
            Some(_) => {}
        }
    }
    let extra = chinese.keys().filter(|id| !english.contains_key(*id));
    lacking.extend(extra.map(|id| format!("{id}: not in English")));
    lacking
}

fn is_chinese(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
        || ('\u{3000}'..='\u{303f}').contains(&c)
        || ('\u{ff00}'..='\u{ffef}').contains(&c)
}

/// Each message of `file` in `assets`: the values it puts in, and its text.
/// `Err` says where the file does not parse.
fn messages(
    assets: &dyn I18nAssets,
    file: &str,
) -> Result<BTreeMap<String, (BTreeSet<String>, String)>, String> {
    let files = assets.get_files(file);
    let text = files.first().map(|text| String::from_utf8_lossy(text).into_owned());
    let text = text.unwrap_or_default();
    let resource = fluent_syntax::parser::parse(text.as_str())
        .map_err(|(_, errors)| format!("{file}: {errors:?}"))?;
    let mut messages = BTreeMap::new();
    for entry in resource.body {
        if let Entry::Message(message) = entry
            && let Some(pattern) = &message.value
        {
            let (mut values, mut text) = (BTreeSet::new(), String::new());
            in_pattern(pattern, &mut values, &mut text);
            messages.insert(message.id.name.to_string(), (values, text));
        }
    }
    Ok(messages)
}

/// The values `pattern` puts in, and its text, into `values` and `text`.
fn in_pattern(
    pattern: &Pattern<&str>,
    values: &mut BTreeSet<String>,
    text: &mut String,
) {
    for element in &pattern.elements {
        match element {
            PatternElement::TextElement { value } => text.push_str(value),
            PatternElement::Placeable { expression } => {
                in_expression(expression, values, text)
            }
        }
    }
}

fn in_expression(
    expression: &Expression<&str>,
    values: &mut BTreeSet<String>,
    text: &mut String,
) {
    let inline = |inline: &InlineExpression<&str>,
                  values: &mut BTreeSet<String>,
                  text: &mut String| {
        match inline {
            InlineExpression::VariableReference { id } => {
                values.insert(id.name.to_string());
            }
            InlineExpression::Placeable { expression } => {
                in_expression(expression, values, text)
            }
            _ => {}
        }
    };
    match expression {
        Expression::Inline(expression) => inline(expression, values, text),
        Expression::Select { selector, variants } => {
            inline(selector, values, text);
            for variant in variants {
                in_pattern(&variant.value, values, text);
            }
        }
    }
}

/// What `serve` says, both languages built into the program.
#[derive(RustEmbed)]
#[folder = "i18n/"]
pub struct Messages;

/// The system's language, with English for anything not translated (which
/// a test keeps from happening).
pub static SPOKEN: LazyLock<FluentLanguageLoader> = LazyLock::new(|| {
    let loader: FluentLanguageLoader = fluent_language_loader!();
    load(&loader, &Messages, Language::of_the_system());
    loader
});

/// The message of `serve` named by its first argument, in the system's
/// language, with the values that follow: `tr!("serving", pages = 12)`.
#[macro_export]
macro_rules! tr {
    ($($message:tt)*) => {
        i18n_embed_fl::fl!($crate::language::SPOKEN, $($message)*)
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_serve_says_is_in_chinese_with_the_same_values() {
        assert_eq!(untranslated(&Messages, "web"), Vec::<String>::new());
    }
}
