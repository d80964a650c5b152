//! The language a class reads, English or Chinese, as the system says it.
//! With the feature `speak` (a default), what `serve` prints is a message of
//! `i18n/en/web.ftl`, translated in `i18n/zh-CN/web.ftl`. The files are
//! Fluent's, Mozilla's format for translations, read through `i18n-embed`:
//! `tr!` names a message and its values, and the compiler checks that English
//! has that message with those values; `untranslated` finds what Chinese
//! lacks. (Plain names, not links: without `speak` neither exists.) The
//! exercises speak the same way, with files of their own.

#[cfg(feature = "speak")]
mod speak;
#[cfg(feature = "speak")]
pub use speak::{Messages, SPOKEN, load, untranslated};

/// A language the course speaks: one of the book's two editions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Language {
    /// English, `en`.
    #[value(name = "en")]
    English,
    /// Simplified Chinese, `zh-CN`.
    #[value(name = "zh-CN")]
    Chinese,
}

impl Language {
    /// `english` or `chinese`, whichever this language is: for the little a
    /// crate says that builds no translations (a lesson's notes, in `sites`),
    /// each sentence written once in each language side by side. Its tests
    /// hold each pair to both.
    pub fn either<T>(self, english: T, chinese: T) -> T {
        match self {
            Language::English => english,
            Language::Chinese => chinese,
        }
    }

    /// Chinese when the system's language is Chinese, English otherwise.
    pub fn of_the_system() -> Language {
        match platform::locale::language() {
            Some(tag) if tag.starts_with("zh") => Language::Chinese,
            _ => Language::English,
        }
    }
}
