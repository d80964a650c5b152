//! The notes' twelve sites and the latency each one is given on the simulated web.

use std::time::Duration;

/// One of the notes' sites: its real address and how the simulated web serves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotesSite {
    /// The real address, as the notes list it.
    pub url: &'static str,
    /// The body size the notes' first, one-by-one run printed for this site.
    pub bytes: usize,
    /// Simulated time to first byte: the connection, the request and the
    /// server's thinking time.
    pub first_byte: Duration,
}

/// How fast the simulated web sends a body once it has started: 1.25 MB/s,
/// a 10 Mbit/s line.
pub const BYTES_PER_SECOND: u64 = 1_250_000;

const fn site(url: &'static str, bytes: usize, first_byte_ms: u64) -> NotesSite {
    NotesSite { url, bytes, first_byte: Duration::from_millis(first_byte_ms) }
}

/// The notes' twelve sites in the notes' order, `http://www.ce.cn/` twice as
/// there.
///
/// The times to first byte are made up but plausible (the far-away pypi.org
/// answers last); with the transfer at [`BYTES_PER_SECOND`] the twelve add up to
/// 2.80 s, the time the notes measured for their one-by-one run.
pub const NOTES_SITES: [NotesSite; 12] = [
    site("https://www.baidu.com/", 2443, 40),
    site("https://pypi.org/", 18818, 190),
    site("https://www.sina.com.cn/", 572160, 70),
    site("https://www.163.com/", 695359, 65),
    site("https://news.qq.com/", 6216, 55),
    site("http://www.ifeng.com/", 251170, 80),
    site("http://www.ce.cn/", 107852, 85),
    site("https://news.baidu.com/", 73977, 45),
    site("http://www.people.com.cn/", 152458, 80),
    site("http://www.ce.cn/", 107852, 85),
    site("https://news.163.com/", 208375, 55),
    site("http://news.sohu.com/", 175232, 52),
];

impl NotesSite {
    /// The time to send the whole body at [`BYTES_PER_SECOND`].
    pub fn transfer(&self) -> Duration {
        Duration::from_secs_f64(self.bytes as f64 / BYTES_PER_SECOND as f64)
    }

    /// Where the simulated web serves this site: its host and path, so
    /// `https://www.baidu.com/` is served at `/www.baidu.com/`.
    pub fn path(&self) -> &'static str {
        let without_scheme =
            self.url.split_once("://").map_or(self.url, |(_, rest)| rest);
        &self.url[self.url.len() - without_scheme.len() - 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sites_add_up_to_the_notes_sequential_time() {
        let total: Duration =
            NOTES_SITES.iter().map(|s| s.first_byte + s.transfer()).sum();
        assert!((total.as_secs_f64() - 2.80).abs() < 0.01, "{total:?}");
    }

    #[test]
    fn a_site_is_served_at_its_host_and_path() {
        assert_eq!(NOTES_SITES[0].path(), "/www.baidu.com/");
        assert_eq!(NOTES_SITES[5].path(), "/www.ifeng.com/");
    }

    #[test]
    fn the_list_repeats_one_site_as_the_notes_do() {
        assert_eq!(NOTES_SITES[6], NOTES_SITES[9]);
    }
}
