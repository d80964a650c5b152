//! `--urls`: the URLs to download, read from a file or fetched from a
//! server, and whether that server is a class's simulated web. [`Setup`]
//! reads the list, so that parsing the command line only parses.
//!
//! [`Setup`]: crate::Setup

use std::{fs, time::Duration};

use web::{CONNECTIONS_HEADER, SIMULATED_HEADER, language::Language};

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
    /// The most connections the server of the list lets one address hold,
    /// if it said.
    pub per_address: Option<u64>,
}

/// Reads `--urls`: a file, or the URL of a list, with one URL a line, blank
/// lines and `#` comments skipped, a byte-order mark allowed.
pub(crate) fn read(source: &str) -> Result<UrlList> {
    let language = Language::of_the_system();
    let said = |english: String, chinese: String| {
        Error::Setup(language.either(english, chinese))
    };
    let scheme = source.split_once("://").map(|(scheme, _)| scheme.to_lowercase());
    let (list, served_by, per_address) = match scheme.as_deref() {
        Some("http" | "https") => fetch(source).map_err(|why| {
            let why = why.map(|why| (format!(": {why}"), format!("：{why}")));
            let (why, why_zh) = why.unwrap_or_default();
            said(
                format!("cannot fetch {source}{why}"),
                format!("无法获取 {source}{why_zh}"),
            )
        })?,
        _ => {
            let list = fs::read_to_string(source).map_err(|err| {
                let err = crate::error::plain(&err);
                let (hint, hint_zh) = match an_address(source) {
                    true => (
                        format!(" (did you mean http://{source}?)"),
                        format!("（你是想写 http://{source} 吗？）"),
                    ),
                    false => Default::default(),
                };
                said(
                    format!("cannot read {source}: {err}{hint}"),
                    format!("无法读取 {source}：{err}{hint_zh}"),
                )
            })?;
            (list, None, None)
        }
    };
    let urls = urls_in(&list).map_err(|(line, bad)| {
        said(
            format!("{source}:{line}: not an http(s) URL: {bad}"),
            format!("{source}:{line}：不是 http(s) URL：{bad}"),
        )
    })?;
    if urls.is_empty() {
        return Err(said(
            format!("{source} lists no URLs"),
            format!("{source} 里没有列出任何 URL"),
        ));
    }
    // A class's simulated web is told who runs only when every URL is on it:
    // the one that served the list, or one that says so when asked.
    let first = origin(&urls[0]);
    let one_origin = first
        .filter(|first| urls.iter().all(|url| origin(url).as_ref() == Some(first)));
    let serve = match (served_by, one_origin) {
        (Some(served_by), Some(one)) => (served_by == one).then_some(one),
        (None, Some(one)) => probe(&one).then_some(one),
        (_, None) => None,
    };
    Ok(UrlList { urls, serve, per_address })
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

/// What a fetched list brings: its text, the root of the simulated web that
/// served it, and how many connections that web lets one address hold.
type Fetched = (String, Option<String>, Option<u64>);

/// Whether `source` starts as a server's address does, `host:port`: a list's
/// URL without its `http://`, as an address is often said aloud.
fn an_address(source: &str) -> bool {
    let first = source.split('/').next().unwrap_or_default();
    first.rsplit_once(':').is_some_and(|(host, port)| {
        !host.is_empty()
            && !port.is_empty()
            && port.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Fetches the list at `url`; gives the root of the simulated web that
/// answered, if one did: the server the last redirect led to, not the one
/// first asked. `Err` says why, where the client did.
fn fetch(url: &str) -> std::result::Result<Fetched, Option<String>> {
    let owned = url.to_string();
    let fetched = on_a_thread(move || -> Result<Fetched> {
        let settings = client::Settings::quick(Duration::from_secs(10));
        let response =
            client::blocking(&settings)?.get(&owned).send()?.error_for_status()?;
        let simulated = response.headers().contains_key(SIMULATED_HEADER);
        let per_address = (response.headers().get(CONNECTIONS_HEADER))
            .and_then(|value| value.to_str().ok()?.parse().ok());
        let answered = response.url().origin().ascii_serialization();
        // Within --max-bytes, like a page: a list that never ends is cut off.
        let list = crate::read_body(response)?;
        let list = String::from_utf8_lossy(&list).into_owned();
        Ok((list, simulated.then_some(answered), per_address))
    });
    match fetched {
        Some(Ok(fetched)) => Ok(fetched),
        Some(Err(err)) => Err(Some(err.to_string())),
        None => Err(None),
    }
}

/// Whether the server at `origin` says, within a second, that it is a
/// simulated web: itself, not by way of a redirect to one.
fn probe(origin: &str) -> bool {
    let root = format!("{origin}/");
    let answered = on_a_thread(move || -> Result<bool> {
        let settings = client::Settings::quick(Duration::from_secs(1));
        let builder =
            client::builder(&settings).redirect(reqwest::redirect::Policy::none());
        let client = reqwest::blocking::ClientBuilder::from(builder).build()?;
        let response = client.head(&root).send()?;
        Ok(response.headers().contains_key(SIMULATED_HEADER))
    });
    matches!(answered, Some(Ok(true)))
}

/// The URLs in a list's text, or the number and text of its first bad line.
fn urls_in(list: &str) -> Result<Vec<String>, (usize, String)> {
    let mut urls = Vec::new();
    let mut named_a_user = false;
    for (index, line) in list.trim_start_matches('\u{feff}').lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match reqwest::Url::parse(line) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => {
                named_a_user |=
                    !url.username().is_empty() || url.password().is_some();
                urls.push(printable(line, url))
            }
            // Shown with its control characters escaped, not sent to the terminal.
            _ => {
                let shown =
                    line.chars().take(100).flat_map(|c| match c.is_control() {
                        true => c.escape_debug().collect::<Vec<_>>(),
                        false => vec![c],
                    });
                return Err((index + 1, shown.collect()));
            }
        }
    }
    if named_a_user {
        eprintln!(
            "{}",
            Language::of_the_system().either(
                "note: the user and password in the list's URLs were left out: a lesson \
                 neither sends nor shows them",
                "注意：列表中 URL 里的用户名和密码已被去掉：课程程序既不发送也不显示它们",
            )
        );
    }
    Ok(urls)
}

/// A URL as the list gives it, unless a lesson would then print what it
/// must not: a user and password (left out), or control characters, which a
/// terminal would obey (percent-encoded, as the URL parser writes them).
fn printable(line: &str, mut url: reqwest::Url) -> String {
    let credentials = !url.username().is_empty() || url.password().is_some();
    if !credentials && !line.contains(char::is_control) {
        return line.into();
    }
    let _ = (url.set_username(""), url.set_password(None));
    url.into()
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
    fn a_user_and_password_are_left_out_of_a_url() {
        let list = "http://ana:secret@a.test/x\nhttps://ben@b.test:8443/\n";
        let urls = urls_in(list).expect("URLs");
        assert_eq!(urls, ["http://a.test/x", "https://b.test:8443/"]);
    }

    #[test]
    fn control_characters_reach_no_terminal_from_a_url_list() {
        let list = "http://a.test/\u{1b}[31mred\nhttp://b.test/\u{7}x\n";
        let urls = urls_in(list).expect("URLs");
        assert_eq!(urls, ["http://a.test/%1B[31mred", "http://b.test/%07x"]);
        let bad = urls_in("\u{1b}[2Jnot a URL\n").expect_err("not a URL");
        assert_eq!(bad, (1, "\\u{1b}[2Jnot a URL".to_string()));
    }

    #[test]
    fn a_url_list_names_the_line_of_a_bad_url() {
        let file = tempfile::NamedTempFile::new().expect("a temporary file");
        fs::write(file.path(), "http://a.test/\nftp://b.test/\n").expect("written");
        let err = read(file.path().to_str().expect("UTF-8")).expect_err("ftp");
        let err = err.to_string();
        let said = in_either(
            ":2: not an http(s) URL: ftp://b.test/",
            ":2：不是 http(s) URL：ftp://b.test/",
        );
        assert!(err.ends_with(said), "{err}");
    }

    #[test]
    fn a_list_s_url_without_http_is_told_so() {
        let err =
            read("192.0.2.2:8000/urls.txt").expect_err("no such file").to_string();
        let said = in_either(
            "(did you mean http://192.0.2.2:8000/urls.txt?)",
            "（你是想写 http://192.0.2.2:8000/urls.txt 吗？）",
        );
        assert!(err.ends_with(said), "{err}");
        let err = read("no/such/list.txt").expect_err("no such file").to_string();
        assert!(!err.contains("http://"), "{err}");
        assert!(!an_address(r"C:\lists\urls.txt"));
    }

    #[test]
    fn a_missing_or_empty_url_list_is_named() {
        let err = read("no/such/list.txt").expect_err("missing").to_string();
        let said = in_either(
            "cannot read no/such/list.txt: ",
            "无法读取 no/such/list.txt：",
        );
        assert!(err.starts_with(said), "{err}");
        let file = tempfile::NamedTempFile::new().expect("a temporary file");
        fs::write(file.path(), "# nothing\n\n").expect("written");
        let err = read(file.path().to_str().expect("UTF-8")).expect_err("empty");
        let said = in_either(" lists no URLs", " 里没有列出任何 URL");
        assert!(err.to_string().ends_with(said), "{err}");
    }

    /// The English or the Chinese, as the system that runs the tests reads.
    fn in_either<'a>(english: &'a str, chinese: &'a str) -> &'a str {
        Language::of_the_system().either(english, chinese)
    }
}
