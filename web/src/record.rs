//! The web's own record of what it served: [`Served`], one entry per request,
//! with [`Who`] asked for it. Tests and exercise checks trust it more than
//! anything a client says about itself.

use std::{
    collections::VecDeque,
    sync::{Mutex, MutexGuard, PoisonError},
};

use percent_encoding::percent_decode;
use serde::{Deserialize, Serialize};

use crate::language::Language;

/// The response header by which a simulated web says it is one: a lesson
/// sends a run's name and identity only to a server that says so.
pub const SIMULATED_HEADER: &str = "x-simulated-web";

/// The response header by which a simulated web says how many connections
/// one client address may hold at once, when it limits them: a lesson opens
/// no more.
pub const CONNECTIONS_HEADER: &str = "x-simulated-web-connections";

/// The request headers by which a run says who it is: [`Who`].
pub const WHO_HEADERS: [&str; 4] =
    ["x-sites-name", "x-sites-run", "x-sites-lesson", "x-sites-variant"];

/// The most bytes the record keeps; the oldest requests go first. A request
/// of a lesson takes about 350 bytes of it, one with the longest path and
/// names about 1.5 KiB. The class's own routes are not recorded.
pub const RECORD_BYTES: usize = 64 << 20;

/// The longest path kept for a request, in bytes; a longer one is cut, and
/// ends in `…`.
pub const MOST_PATH_BYTES: usize = 200;

/// Text from a client, cleared of control characters and cut to `most`
/// characters: a name, a message.
pub(crate) fn clean(text: &str, most: usize) -> String {
    text.chars().filter(|c| !c.is_control()).take(most).collect()
}

/// A student's name as the class's pages show it: without control characters, at most 64
/// characters. `Err` says why when nothing of it would show: only spaces, or
/// characters that take no room (a zero-width space, a word joiner, a
/// direction mark, a byte-order mark, a Hangul filler, a blank Braille cell),
/// which would leave the teacher a blank row.
pub(crate) fn shown_name(text: &str) -> Result<String, String> {
    let name = clean(text, 64);
    // Blank, yet given a width: Hangul fillers, the blank Braille cell.
    const BLANK: [char; 4] = ['\u{115f}', '\u{3164}', '\u{ffa0}', '\u{2800}'];
    let shows = |c: char| {
        !c.is_whitespace()
            && !BLANK.contains(&c)
            && unicode_width::UnicodeWidthChar::width(c).is_some_and(|w| w > 0)
    };
    match name.chars().any(shows) {
        true => Ok(name.trim().to_string()),
        false => Err(shows_nothing(text, Language::of_the_system())),
    }
}

/// What the class's pages and `serve` write where a student's name goes, in
/// the command they give to copy: `--name NAME`, and `--name 名字` in Chinese.
pub const NAME_PLACEHOLDERS: [&str; 2] = ["NAME", "名字"];

/// A name given with `--name`: as the class's pages will show it, or why
/// not. A placeholder of [`NAME_PLACEHOLDERS`], pasted unchanged, is refused:
/// every student who did that would be one student, in one row of progress.
pub fn given_name(text: &str) -> Result<String, String> {
    let name = shown_name(text)?;
    match NAME_PLACEHOLDERS.contains(&name.as_str()) {
        false => Ok(name),
        true => Err(placeholder(&name, Language::of_the_system())),
    }
}

/// Why the name `text` is refused when it shows nothing, in `language`.
fn shows_nothing(text: &str, language: Language) -> String {
    language.either(
        format!(
            "the name {text:?} shows nothing on the class's pages: give one with a \
             letter, a digit or a sign in it"
        ),
        format!("名字 {text:?} 在课堂页面上什么也显示不出来：请给一个含有字母、数字或符号的名字"),
    )
}

/// Why the placeholder `name` is refused, in `language`.
fn placeholder(name: &str, language: Language) -> String {
    language.either(
        format!("{name} stands for your name: write yours in its place"),
        format!("{name} 代表你的名字：请换成你自己的名字"),
    )
}

/// `text`, cut to `most` bytes at a character's end, ending in `…` if cut.
pub(crate) fn cut(text: &str, most: usize) -> String {
    if text.len() <= most {
        return text.into();
    }
    let end = (0..=most).rev().find(|&end| text.is_char_boundary(end)).unwrap_or(0);
    format!("{}…", &text[..end])
}

/// tests and exercise checks read, rather than what a program prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Served {
    /// The connection it came on, numbered from 1 in the order accepted.
    pub connection: u64,
    /// The path asked for, such as `/www.baidu.com/`.
    pub path: String,
    /// The status answered; 0 if no answer was sent.
    pub status: u16,
    /// When it arrived, in milliseconds since the web started.
    pub arrived_ms: f64,
    /// When its answer ended, whole or cut; `None` while it is being served.
    pub finished_ms: Option<f64>,
    /// How many bytes of body were sent.
    pub bytes: u64,
    /// Whether the whole answer was sent.
    pub complete: bool,
    /// The run that asked, if it said who it is.
    #[serde(default)]
    pub who: Option<Who>,
}

/// Who a request comes from, as its run's headers say: the student's name,
/// an id for the run, its lesson and variant, each percent-encoded UTF-8 (or
/// plain UTF-8), so that a name in any script arrives as typed. Client text,
/// so cut to 64 characters and cleared of control characters; a page that
/// shows it must still escape it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Who {
    /// The student's name: `--name`.
    pub name: String,
    /// An id made up for the run.
    pub run: String,
    /// The lesson's package, such as `ch02-threads`.
    pub lesson: String,
    /// The variant, or empty for a lesson without variants.
    pub variant: String,
}

impl Who {
    /// About how many bytes its text takes, as the allocator gives it out.
    pub(crate) fn bytes(&self) -> usize {
        [&self.name, &self.run, &self.lesson, &self.variant]
            .map(|text| allocated(text.capacity()))
            .iter()
            .sum()
    }

    /// Reads the headers of a request; `None` unless the run id is there.
    pub fn from_headers(headers: &hyper::HeaderMap) -> Option<Who> {
        let text = |name: &str| {
            let value = headers.get(name).map_or(&[][..], |value| value.as_bytes());
            clean(&percent_decode(value).decode_utf8_lossy(), 64)
        };
        let [name, run, lesson, variant] = WHO_HEADERS.map(text);
        // A run whose name would show nothing is nobody's on the class page.
        let name = shown_name(&name).ok()?;
        (!run.is_empty()).then_some(Who { name, run, lesson, variant })
    }
}

impl Served {
    /// About how many bytes it takes in memory: itself twice, for the room
    /// the record's queue keeps to grow into, and its texts as the allocator
    /// gives them out.
    pub(crate) fn bytes_held(&self) -> usize {
        let who = self.who.as_ref().map_or(0, Who::bytes);
        2 * size_of::<Served>() + allocated(self.path.capacity()) + who
    }
}

/// What an allocation of `bytes` takes: glibc's allocator, for one, adds 8
/// bytes, rounds up to 16, and gives out no less than 32.
pub(crate) fn allocated(bytes: usize) -> usize {
    match bytes {
        0 => 0,
        bytes => (bytes + 8).next_multiple_of(16).max(32),
    }
}

/// The record of requests, shared by every connection.
#[derive(Default)]
pub(crate) struct Record {
    list: Mutex<List>,
}

/// The requests kept, the oldest first.
#[derive(Default)]
struct List {
    kept: VecDeque<Served>,
    /// How many were let go: the first kept one's number.
    dropped: usize,
    /// The bytes the kept ones take.
    bytes: usize,
}

impl Record {
    fn lock(&self) -> MutexGuard<'_, List> {
        self.list.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Notes a request's arrival; returns its number.
    pub(crate) fn arrived(&self, served: Served) -> usize {
        let mut list = self.lock();
        list.bytes += served.bytes_held();
        list.kept.push_back(served);
        while list.bytes > RECORD_BYTES {
            let Some(oldest) = list.kept.pop_front() else { break };
            list.bytes -= oldest.bytes_held();
            list.dropped += 1;
        }
        list.dropped + list.kept.len() - 1
    }

    /// Updates request `number`, if it was recorded and is still in the record.
    pub(crate) fn update(
        &self,
        number: Option<usize>,
        change: impl FnOnce(&mut Served),
    ) {
        self.finish(number, change, false);
    }

    /// Updates request `number`, if it was recorded and is still in the
    /// record; gives back the request as it is now when `copy` asks for it.
    pub(crate) fn finish(
        &self,
        number: Option<usize>,
        change: impl FnOnce(&mut Served),
        copy: bool,
    ) -> Option<Served> {
        let mut list = self.lock();
        let index = number?.checked_sub(list.dropped)?;
        let served = list.kept.get_mut(index)?;
        change(served);
        copy.then(|| served.clone())
    }

    /// Every request still in the record, in order of arrival.
    pub(crate) fn all(&self) -> Vec<Served> {
        self.lock().kept.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_that_shows_nothing_is_refused_and_one_in_any_script_is_kept() {
        for blank in [
            "",
            "  ",
            "\u{200b}",
            "\u{2060}",
            "\u{202e}",
            "\u{feff}",
            "\u{3164}",
            "\u{2800}",
            "\u{200b}\u{3164} \u{feff}",
            "\u{115f}\u{1160}",
            "\u{ffa0}",
            "\u{180e}",
            "\u{034f}",
            "\u{00ad}",
        ] {
            let said = shows_nothing(blank, Language::of_the_system());
            assert_eq!(given_name(blank), Err(said), "{blank:?}");
        }
        for name in
            ["ana", "学生", "Ελένη", "محمد", "a\u{200b}", " 李 ", "Name", "名"]
        {
            assert_eq!(given_name(name).as_deref(), Ok(name.trim()), "{name:?}");
        }
    }

    #[test]
    fn the_name_in_the_command_to_copy_is_refused_as_it_was_pasted() {
        for pasted in ["NAME", " NAME ", "名字"] {
            let name = shown_name(pasted).expect("shows");
            let said = placeholder(&name, Language::of_the_system());
            assert_eq!(given_name(pasted), Err(said), "{pasted:?}");
        }
        // The pages and `serve` put these where the name goes, and nothing else.
        let english = include_str!("../i18n/en/web.ftl");
        let chinese = include_str!("../i18n/zh-CN/web.ftl");
        let class = include_str!("class/class.html");
        let progress = include_str!("class/progress.html");
        for (text, placeholder) in [
            (english, "NAME"),
            (chinese, "名字"),
            (class, "NAME"),
            (progress, "NAME"),
        ] {
            let names = text.split("--name ").skip(1);
            let names: Vec<_> =
                names.map(|rest| rest.split(['<', '"', '\n']).next()).collect();
            assert!(!names.is_empty());
            assert!(
                names.iter().all(|name| *name == Some(placeholder)),
                "{names:?}"
            );
        }
    }

    #[test]
    fn a_refused_name_is_said_in_english_and_in_chinese() {
        for say in [
            |language| shows_nothing(" ", language),
            |language| placeholder("NAME", language),
        ] {
            let (english, chinese) =
                (say(Language::English), say(Language::Chinese));
            assert!(english.is_ascii(), "{english}");
            assert!(
                chinese.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{chinese}"
            );
        }
    }

    #[test]
    fn a_long_path_is_cut_at_a_character_and_marked() {
        assert_eq!(cut("/www.baidu.com/", 200), "/www.baidu.com/");
        assert_eq!(cut("/学生学生", 8), "/学生…");
        assert_eq!(cut(&"/x".repeat(30_000), MOST_PATH_BYTES).len(), 203);
    }
}
