//! `--urls`: the URLs to download, read from a file or fetched from a
//! server, and whether that server is a class's simulated web. [`Setup`]
//! reads the list, so that parsing the command line only parses.
//!
//! [`Setup`]: crate::Setup

use std::{fs, time::Duration};

use web::SIMULATED_HEADER;

use crate::{Error, Result, client};

/// The URLs of a list, and the class's simulated web they came from, if any.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UrlList {
    /// Its URLs, in order.
    pub urls: Vec<String>,
    /// The simulated web that served the list, or that serves every URL of
    /// it, if it said it is one: its root, such as `http://10.0.0.5:8000`. Only
    /// to such a server does a lesson say who runs it.
    pub serve: Option<String>,
}

/// Reads `--urls`: a file, or the URL of a list, with one URL a line, blank
/// lines and `#` comments skipped, a byte-order mark allowed.
pub(crate) fn read(source: &str) -> Result<UrlList> {
    let (list, mut serve) =
        if source.starts_with("http://") || source.starts_with("https://") {
            fetch(source)?
        } else {
            let list = fs::read_to_string(source).map_err(|err| {
                Error::Setup(format!(
                    "cannot read {source}: {}",
                    crate::error::plain(&err)
                ))
            })?;
            (list, None)
        };
    let urls = urls_in(&list).map_err(|(line, bad)| {
        Error::Setup(format!("{source}:{line}: not an http(s) URL: {bad}"))
    })?;
    if urls.is_empty() {
        return Err(Error::Setup(format!("{source} lists no URLs")));
    }
    // A file of URLs from one server: is it a class's simulated web?
    let origins: Vec<String> = urls.iter().filter_map(|url| origin(url)).collect();
    if serve.is_none()
        && origins.len() == urls.len()
        && origins.iter().all(|o| *o == origins[0])
    {
        serve = probe(&origins[0]).then(|| origins[0].clone());
    }
    Ok(UrlList { urls, serve })
}

/// `http://host:port` of a URL.
fn origin(url: &str) -> Option<String> {
    let url = reqwest::Url::parse(url).ok()?;
    Some(url.origin().ascii_serialization())
}

/// A blocking request on a thread of its own, so that it may be made from
/// anywhere, an async `main` included.
fn on_a_thread<T: Send + 'static>(
    request: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    std::thread::spawn(request).join().ok()
}

/// Fetches the list at `url`; says whether a simulated web served it.
fn fetch(url: &str) -> Result<(String, Option<String>)> {
    let owned = url.to_string();
    let fetched = on_a_thread(move || -> Result<(String, bool)> {
        let settings = client::Settings::quick(Duration::from_secs(10));
        let response =
            client::blocking(&settings)?.get(&owned).send()?.error_for_status()?;
        let simulated = response.headers().contains_key(SIMULATED_HEADER);
        // Within --max-bytes, like a page: a list that never ends is cut off.
        let list = crate::read_body(response)?;
        Ok((String::from_utf8_lossy(&list).into_owned(), simulated))
    });
    match fetched {
        Some(Ok((list, simulated))) => {
            Ok((list, simulated.then(|| origin(url)).flatten()))
        }
        Some(Err(err)) => Err(Error::Setup(format!("cannot fetch {url}: {err}"))),
        None => Err(Error::Setup(format!("cannot fetch {url}"))),
    }
}

/// Whether the server at `origin` says, within a second, that it is a
/// simulated web.
fn probe(origin: &str) -> bool {
    let root = format!("{origin}/");
    let answered = on_a_thread(move || -> Result<bool> {
        let settings = client::Settings::quick(Duration::from_secs(1));
        let response = client::blocking(&settings)?.head(&root).send()?;
        Ok(response.headers().contains_key(SIMULATED_HEADER))
    });
    matches!(answered, Some(Ok(true)))
}

/// The URLs in a list's text, or the number and text of its first bad line.
fn urls_in(list: &str) -> Result<Vec<String>, (usize, String)> {
    let mut urls = Vec::new();
    for (index, line) in list.trim_start_matches('\u{feff}').lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match reqwest::Url::parse(line) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => {
                urls.push(line.into())
            }
            _ => return Err((index + 1, line.chars().take(100).collect())),
        }
    }
    Ok(urls)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_list_skips_blank_lines_comments_and_a_byte_order_mark() {
        let list =
            "\u{feff}# a class list\n\nhttp://a.test/\n  https://b.test/x  \n";
        assert_eq!(
            urls_in(list),
            Ok(vec!["http://a.test/".to_string(), "https://b.test/x".into()])
        );
    }

    #[test]
    fn a_url_list_names_the_line_of_a_bad_url() {
        let file = tempfile::NamedTempFile::new().expect("a temporary file");
        fs::write(file.path(), "http://a.test/\nftp://b.test/\n").expect("written");
        let err = read(file.path().to_str().expect("UTF-8")).expect_err("ftp");
        let err = err.to_string();
        assert!(err.ends_with(":2: not an http(s) URL: ftp://b.test/"), "{err}");
    }

    #[test]
    fn a_missing_or_empty_url_list_is_named() {
        let err = read("no/such/list.txt").expect_err("missing").to_string();
        assert!(err.starts_with("cannot read no/such/list.txt: "), "{err}");
        let file = tempfile::NamedTempFile::new().expect("a temporary file");
        fs::write(file.path(), "# nothing\n\n").expect("written");
        let err = read(file.path().to_str().expect("UTF-8")).expect_err("empty");
        assert!(err.to_string().ends_with(" lists no URLs"), "{err}");
    }
}
