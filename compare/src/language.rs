//! The book's two editions. Each measured page is written twice, in English
//! into `docs/src/generated/` and in Chinese into `docs/src/generated/zh-CN/`,
//! which the Chinese translation's includes name instead.

use std::path::Path;

pub use web::language::Language;

/// Writes the page `name` (a Markdown file) in both editions under
/// `generated`, each in the words `page` gives in its language.
pub fn write_both(
    generated: &Path,
    name: &str,
    page: impl Fn(Language) -> String,
) -> std::io::Result<()> {
    for language in [Language::English, Language::Chinese] {
        let folder =
            language.either(generated.to_path_buf(), generated.join("zh-CN"));
        std::fs::create_dir_all(&folder)?;
        std::fs::write(folder.join(format!("{name}.md")), page(language))?;
    }
    Ok(())
}
