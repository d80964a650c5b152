//! The book's two editions. Each measured page is written twice, in English
//! into `docs/src/generated/` and in Chinese into `docs/src/generated/zh-CN/`,
//! which the Chinese translation's includes name instead.

use std::path::{Path, PathBuf};

/// The language of a measured page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    English,
    Chinese,
}

impl Language {
    /// Both editions, English first.
    pub const BOTH: [Language; 2] = [Language::English, Language::Chinese];

    /// The words of this language, out of the two given.
    pub fn says<'a>(self, english: &'a str, chinese: &'a str) -> &'a str {
        match self {
            Language::English => english,
            Language::Chinese => chinese,
        }
    }

    /// Where this edition's measured pages go, given the English ones' folder.
    pub fn folder(self, generated: &Path) -> PathBuf {
        match self {
            Language::English => generated.to_path_buf(),
            Language::Chinese => generated.join("zh-CN"),
        }
    }
}

/// Writes the page `name` (a Markdown file) in both editions under
/// `generated`, each in the words `page` gives in its language.
pub fn write_both(
    generated: &Path,
    name: &str,
    page: impl Fn(Language) -> String,
) -> std::io::Result<()> {
    for language in Language::BOTH {
        let folder = language.folder(generated);
        std::fs::create_dir_all(&folder)?;
        std::fs::write(folder.join(format!("{name}.md")), page(language))?;
    }
    Ok(())
}
