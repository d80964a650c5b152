//! What a simulated web serves: [`Pages`], each a [`PageSpec`] with its size
//! and latency: the notes' twelve sites, many made-up pages, or pages of
//! your own.

use std::{sync::Arc, time::Duration};

use crate::NOTES_SITES;

/// The largest `--sites`: made-up pages are numbered, not stored, but each
/// still gets a URL and a line in the lesson.
pub const MAX_SYNTHETIC: usize = 100_000;

/// One page of the simulated web and how long it takes to serve.
#[derive(Debug, Clone, PartialEq)]
pub struct PageSpec {
    /// Where it is served, such as `/www.baidu.com/`.
    pub path: String,
    /// Its body size.
    pub bytes: usize,
    /// The wait before the response starts.
    pub first_byte: Duration,
    /// The time over which the body is then sent.
    pub transfer: Duration,
}

impl PageSpec {
    /// A page at `path` of `bytes`, sent whole after `latency`.
    pub fn new(path: &str, bytes: usize, latency: Duration) -> Self {
        PageSpec {
            path: path.into(),
            bytes,
            first_byte: latency,
            transfer: Duration::ZERO,
        }
    }

    /// The time from the request's arrival to the body's last byte.
    pub fn latency(&self) -> Duration {
        self.first_byte + self.transfer
    }
}

/// The pages a simulated web serves, in order, repeats included. Made-up pages
/// are worked out from their number when asked for, so a hundred thousand of
/// them cost nothing until they are served.
#[derive(Debug, Clone, PartialEq)]
pub struct Pages {
    kind: Kind,
    speed: f64,
    /// Whether the bodies' words are of several scripts (see [`Pages::varied`]).
    varied: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Notes,
    Synthetic { count: usize, latency: Duration },
    Custom(Arc<Vec<PageSpec>>),
}

impl Pages {
    /// The notes' twelve sites with the sizes the notes recorded; served one by
    /// one they take 2.80 s, as in the notes.
    ///
    /// ```
    /// let pages = web::Pages::notes();
    /// assert_eq!(pages.len(), 12);
    /// assert_eq!(pages.get(0).map(|page| page.bytes), Some(2443));
    /// ```
    pub fn notes() -> Self {
        Pages { kind: Kind::Notes, speed: 1.0, varied: false }
    }

    /// `count` made-up pages at `/page/1`, `/page/2`..., each of 1 to 16 KiB and
    /// each taking `latency` before it is sent whole: for runs at scale. At most
    /// [`MAX_SYNTHETIC`] pages.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let pages = web::Pages::synthetic(1000, Duration::from_millis(100));
    /// assert_eq!(pages.get(999).map(|page| page.path), Some("/page/1000".into()));
    /// ```
    pub fn synthetic(count: usize, latency: Duration) -> Self {
        let count = count.min(MAX_SYNTHETIC);
        Pages { kind: Kind::Synthetic { count, latency }, speed: 1.0, varied: false }
    }

    /// Pages of your own: for tests and exercise checks that need sizes and
    /// latencies of their choosing.
    ///
    /// ```
    /// # use std::time::Duration;
    /// use web::{PageSpec, Pages};
    ///
    /// let slow = PageSpec::new("/slow", 1000, Duration::from_millis(500));
    /// assert_eq!(Pages::custom(vec![slow]).len(), 1);
    /// ```
    pub fn custom(pages: Vec<PageSpec>) -> Self {
        Pages { kind: Kind::Custom(Arc::new(pages)), speed: 1.0, varied: false }
    }

    /// Bodies whose text tells apart what agrees on plain ASCII: words of
    /// characters of two and three bytes (`café`, `下载`), words with
    /// punctuation and the same without (`web,` and `web`), and lines that end
    /// in CRLF as well as LF. Each page still ends on a whole character. For
    /// exercise checks: counting characters rather than bytes, or trimming
    /// words, gives other numbers.
    pub fn varied(mut self) -> Self {
        self.varied = true;
        self
    }

    /// Whether the bodies are [`Pages::varied`].
    pub(crate) fn is_varied(&self) -> bool {
        self.varied
    }

    /// Makes every page `speed` times faster to serve; tests use 50 or more. A
    /// speed that is not a positive number leaves the pages as they are.
    ///
    /// ```
    /// let pages = web::Pages::notes().faster(100.0);
    /// assert_eq!(pages.get(0).map(|page| page.first_byte.as_millis()), Some(0));
    /// ```
    pub fn faster(mut self, speed: f64) -> Self {
        if speed.is_finite() && speed > 0.0 {
            self.speed *= speed;
        }
        self
    }

    /// How many times faster than the notes' sites its pages are served.
    pub(crate) fn speed(&self) -> f64 {
        self.speed
    }

    /// How many pages there are.
    pub fn len(&self) -> usize {
        match &self.kind {
            Kind::Notes => NOTES_SITES.len(),
            Kind::Synthetic { count, .. } => *count,
            Kind::Custom(pages) => pages.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The page at `index`, from 0.
    pub fn get(&self, index: usize) -> Option<PageSpec> {
        let page = match &self.kind {
            Kind::Notes => {
                let site = NOTES_SITES.get(index)?;
                PageSpec {
                    path: site.path().into(),
                    bytes: site.bytes,
                    first_byte: site.first_byte,
                    transfer: site.transfer(),
                }
            }
            Kind::Synthetic { count, latency } if index < *count => {
                let n = index + 1;
                PageSpec {
                    path: format!("/page/{n}"),
                    bytes: 1024 * (1 + n * 7919 % 16),
                    first_byte: *latency,
                    transfer: Duration::ZERO,
                }
            }
            Kind::Synthetic { .. } => return None,
            Kind::Custom(pages) => pages.get(index)?.clone(),
        };
        Some(PageSpec {
            first_byte: page.first_byte.div_f64(self.speed),
            transfer: page.transfer.div_f64(self.speed),
            ..page
        })
    }

    /// Every page, in order.
    pub fn iter(&self) -> impl Iterator<Item = PageSpec> + '_ {
        (0..self.len()).filter_map(|index| self.get(index))
    }

    /// The page served at `path`, if any.
    pub fn find(&self, path: &str) -> Option<PageSpec> {
        match &self.kind {
            Kind::Notes => {
                let index =
                    NOTES_SITES.iter().position(|site| site.path() == path)?;
                self.get(index)
            }
            Kind::Custom(pages) => {
                let index = pages.iter().position(|page| page.path == path)?;
                self.get(index)
            }
            Kind::Synthetic { .. } => {
                let n: usize = path.strip_prefix("/page/")?.parse().ok()?;
                // `/page/01` is not `/page/1`: one path per page.
                self.get(n.checked_sub(1)?).filter(|page| page.path == path)
            }
        }
    }

    /// The largest page's size.
    pub(crate) fn largest(&self) -> usize {
        match &self.kind {
            Kind::Notes => {
                NOTES_SITES.iter().map(|site| site.bytes).max().unwrap_or(0)
            }
            Kind::Synthetic { .. } => 16 * 1024,
            Kind::Custom(pages) => {
                pages.iter().map(|page| page.bytes).max().unwrap_or(0)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faster_divides_every_latency() {
        let pages = Pages::notes().faster(10.0);
        for (fast, slow) in pages.iter().zip(Pages::notes().iter()) {
            assert_eq!(fast.latency(), slow.latency() / 10);
        }
    }

    #[test]
    fn a_made_up_page_is_found_by_its_path_only() {
        let pages = Pages::synthetic(10, Duration::from_millis(5));
        assert_eq!(
            pages.find("/page/10").map(|page| page.path),
            Some("/page/10".into())
        );
        for missing in
            ["/page/0", "/page/11", "/page/01", "/page/x", "/www.baidu.com/"]
        {
            assert_eq!(pages.find(missing), None, "{missing}");
        }
        assert_eq!(
            Pages::synthetic(usize::MAX, Duration::ZERO).len(),
            MAX_SYNTHETIC
        );
    }
}
