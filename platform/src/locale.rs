//! The language the user reads, as their system tells it: what `exercises
//! hint` uses when not told a language.

/// The user's language as a tag such as `zh-CN` or `en-US`: from `LC_ALL`,
/// `LC_MESSAGES` or `LANG` where one is set (`zh_CN.UTF-8` gives `zh-CN`),
/// else from the system's own setting on Windows.
///
/// ```
/// if let Some(language) = platform::locale::language() {
///     assert!(!language.contains('_') && !language.contains('.'));
/// }
/// ```
pub fn language() -> Option<String> {
    let set = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty());
    match set {
        Some(value) => tag(&value),
        None => system(),
    }
}

/// `zh_CN.UTF-8@variant` as `zh-CN`; nothing for the `C` and `POSIX` locales,
/// which name no language.
fn tag(locale: &str) -> Option<String> {
    let name = locale.split(['.', '@']).next()?.replace('_', "-");
    let no_language = name.is_empty() || name == "C" || name == "POSIX";
    (!no_language).then_some(name)
}

/// Linux and macOS say it only in the variables above.
#[cfg(not(windows))]
fn system() -> Option<String> {
    None
}

#[cfg(windows)]
#[allow(unsafe_code)] // The Windows API is C functions.
fn system() -> Option<String> {
    use windows_sys::Win32::{
        Globalization::GetUserDefaultLocaleName,
        System::SystemServices::LOCALE_NAME_MAX_LENGTH,
    };
    let mut name = [0u16; LOCALE_NAME_MAX_LENGTH as usize];
    // SAFETY: the buffer is as long as the length we pass; the call writes at
    // most that many UTF-16 units, ending in a 0, and returns how many.
    let written =
        unsafe { GetUserDefaultLocaleName(name.as_mut_ptr(), name.len() as i32) };
    let length = usize::try_from(written).ok()?.checked_sub(1)?;
    tag(&String::from_utf16_lossy(name.get(..length)?))
}

#[cfg(test)]
mod tests {
    use super::tag;

    #[test]
    fn a_locale_names_its_language_as_a_tag() {
        assert_eq!(tag("zh_CN.UTF-8").as_deref(), Some("zh-CN"));
        assert_eq!(tag("en_US@euro").as_deref(), Some("en-US"));
        assert_eq!(tag("zh-CN").as_deref(), Some("zh-CN"));
        assert_eq!(tag("C.UTF-8"), None);
        assert_eq!(tag("POSIX"), None);
    }
}
