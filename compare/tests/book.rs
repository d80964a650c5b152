//! The book in `docs/` stays whole: every page is in `SUMMARY.md`, every
//! `{{#include}}` names a file and an anchor that exist, and every lesson's code
//! is included from its source rather than pasted.

use std::{
    fs,
    path::{Path, PathBuf},
};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// The book's own pages: the Markdown files in docs/src, less SUMMARY.md and
/// the measured fragments that `compare --write-docs` writes.
fn pages() -> Vec<PathBuf> {
    let source = root().join("docs/src");
    let mut pages: Vec<PathBuf> = fs::read_dir(&source)
        .expect("docs/src is there")
        .map(|entry| entry.expect("a readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .filter(|path| !path.ends_with("SUMMARY.md"))
        .collect();
    pages.sort();
    pages
}

/// Every `{{#include PATH}}` or `{{#include PATH:ANCHOR}}` in a page.
fn includes(page: &str) -> Vec<(String, Option<String>)> {
    page.split("{{#include ")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}"))
        .map(|(target, _)| match target.trim().split_once(':') {
            Some((path, anchor)) => (path.to_string(), Some(anchor.to_string())),
            None => (target.trim().to_string(), None),
        })
        .collect()
}

#[test]
fn every_page_is_in_the_summary_and_every_summary_entry_exists() {
    let summary = read(&root().join("docs/src/SUMMARY.md"));
    let pages = pages();
    assert!(pages.len() >= 10, "{pages:?}");
    for page in &pages {
        let name = page.file_name().and_then(|name| name.to_str()).expect("a name");
        assert!(
            summary.contains(&format!("({name})")),
            "{name} is not in SUMMARY.md"
        );
    }
    for entry in summary.split("](").skip(1).filter_map(|rest| rest.split_once(')'))
    {
        assert!(
            root().join("docs/src").join(entry.0).is_file(),
            "{} is missing",
            entry.0
        );
    }
}

#[test]
fn every_include_names_a_file_and_an_anchor_that_exist() {
    let mut count = 0;
    for page in pages() {
        for (path, anchor) in includes(&read(&page)) {
            count += 1;
            let target = root().join("docs/src").join(&path);
            assert!(target.is_file(), "{}: {path} does not exist", page.display());
            // A line range (`:10:20`) needs no anchor; a name does.
            let Some(anchor) =
                anchor.filter(|a| !a.starts_with(|c: char| c.is_ascii_digit()))
            else {
                continue;
            };
            let source = read(&target);
            for marker in
                [format!("ANCHOR: {anchor}\n"), format!("ANCHOR_END: {anchor}\n")]
            {
                assert!(
                    source.contains(&marker),
                    "{}: {path} has no {marker}",
                    page.display()
                );
            }
        }
    }
    assert!(count > 20, "only {count} includes");
}

#[test]
fn every_lesson_page_includes_its_code_from_the_source() {
    let included: Vec<String> = pages()
        .iter()
        .flat_map(|page| includes(&read(page)))
        .map(|(path, _)| path)
        .collect();
    for lesson in
        ["01-sequential", "02-threads", "03-processes", "04-futures", "05-async"]
    {
        let main = format!("../../{lesson}/src/main.rs");
        assert!(included.contains(&main), "no page includes {main}");
        let page = read(&root().join(format!("docs/src/{lesson}.md")));
        assert!(
            page.contains("{{#include generated/"),
            "{lesson}.md shows no measured output"
        );
    }
}

#[test]
fn every_lesson_page_sets_our_python_beside_the_rust() {
    for (lesson, python) in [
        ("01-sequential", "sequential.py"),
        ("02-threads", "threads.py"),
        ("03-processes", "processes.py"),
        ("04-futures", "futures.py"),
        ("05-async", "asyncio_aiohttp.py"),
    ] {
        let page = read(&root().join(format!("docs/src/{lesson}.md")));
        let both = page.contains(&format!("{{{{#include ../../python/{python}:"))
            && page.contains("<div class=\"twins\">");
        assert!(both, "{lesson}.md does not show python/{python} beside the Rust");
    }
}

/// The messages of a gettext catalog: each `msgid` with its `msgstr`, and
/// whether it is marked fuzzy.
fn catalog(text: &str) -> Vec<(String, String, bool)> {
    let mut entries = Vec::new();
    for entry in text.split("\n\n") {
        let (mut id, mut translation, mut field) = (String::new(), String::new(), 0);
        let fuzzy = entry
            .lines()
            .any(|line| line.starts_with("#,") && line.contains("fuzzy"));
        for line in entry.lines() {
            let quoted =
                |rest: &str| rest.trim().trim_matches('"').replace("\\\"", "\"");
            if let Some(rest) = line.strip_prefix("msgid ") {
                field = 1;
                id += &quoted(rest);
            } else if let Some(rest) = line.strip_prefix("msgstr ") {
                field = 2;
                translation += &quoted(rest);
            } else if line.starts_with('"') {
                match field {
                    1 => id += &quoted(line),
                    2 => translation += &quoted(line),
                    _ => {}
                }
            }
        }
        if !id.is_empty() {
            entries.push((id, translation, fuzzy));
        }
    }
    entries
}

/// Run by `.ci/run` once it has extracted the book's messages into
/// `docs/po/messages.pot` with mdbook-xgettext.
#[test]
#[ignore = "needs docs/po/messages.pot, which .ci/run extracts with mdbook-xgettext"]
fn every_message_of_the_book_is_translated_into_chinese() {
    let messages = catalog(&read(&root().join("docs/po/messages.pot")));
    let chinese = catalog(&read(&root().join("docs/po/zh-CN.po")));
    assert!(messages.len() > 100, "only {} messages", messages.len());
    let mut missing = Vec::new();
    for (id, _, _) in &messages {
        match chinese.iter().find(|(other, _, _)| other == id) {
            Some((_, translation, false)) if !translation.is_empty() => {}
            Some((_, _, true)) => missing.push(format!("fuzzy: {id}")),
            _ => missing.push(format!("untranslated: {id}")),
        }
    }
    let shown: Vec<String> =
        missing.iter().take(10).map(|m| m.chars().take(120).collect()).collect();
    assert!(
        missing.is_empty(),
        "{} of {} messages:\n{}",
        missing.len(),
        messages.len(),
        shown.join("\n")
    );
}

#[test]
fn the_chinese_edition_uses_one_term_for_each_word_of_its_glossary() {
    let glossary = read(&root().join("docs/po/glossary.md"));
    // Each row after the table's head: English | chosen | avoided, avoided.
    let rows = glossary.lines().filter(|line| line.starts_with('|')).skip(2);
    let avoided: Vec<(String, String)> = rows
        .flat_map(|row| {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            let (chosen, avoided) = (cells[2], cells[3]);
            let terms = avoided.split(", ").filter(|term| !term.is_empty());
            terms
                .map(|term| (term.to_string(), chosen.to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(avoided.len() >= 8, "the glossary's terms: {avoided:?}");
    let translations: String = (catalog(&read(&root().join("docs/po/zh-CN.po")))
        .into_iter())
    .map(|(_, chinese, _)| chinese + "\n")
    .collect();
    let generated = root().join("docs/src/generated/zh-CN");
    let mut texts = vec![("docs/po/zh-CN.po".to_string(), translations)];
    for entry in std::fs::read_dir(&generated).expect("the Chinese pages") {
        let path = entry.expect("a page").path();
        texts.push((path.display().to_string(), read(&path)));
    }
    for (file, text) in &texts {
        for (term, chosen) in &avoided {
            let line = text.lines().find(|line| line.contains(term.as_str()));
            assert!(
                line.is_none(),
                "{file} says {term} where the glossary says {chosen}: {line:?}"
            );
        }
    }
}

/// A page's text with its lines run together, as a reader reads a sentence.
fn prose(page: &str) -> String {
    read(&root().join("docs/src").join(page))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn what_the_book_says_of_the_pool_s_schedule_is_the_schedule() {
    let pages = web::Pages::notes();
    let latencies: Vec<f64> =
        pages.iter().map(|page| page.latency().as_secs_f64() * 1e3).collect();
    let name = |index: usize| {
        pages.get(index).map(|page| page.path.trim_matches('/').to_string())
    };
    // (index, start, end) of the site that ends last with `workers`, in s.
    let last = |workers| {
        let spans = web::limit::pool(&latencies, workers);
        let (index, (start, end)) = (spans.into_iter().enumerate())
            .max_by(|a, b| a.1.1.total_cmp(&b.1.1))
            .expect("sites");
        (index, start / 1e3, end / 1e3)
    };
    let (slowest, _, alone) = last(12);
    let (five, freed, five_end) = last(5);
    let [slowest, five] = [slowest, five].map(|index| name(index).expect("a site"));
    let lesson = prose("02-threads.md");
    for said in [
        format!("Here that is `{five}`, the last of the list, at {five_end:.3} s"),
        format!("spends {alone:.3} s on the slowest site, `{slowest}`"),
        format!("starts on a thread freed at {freed:.3} s"),
    ] {
        assert!(lesson.contains(&said), "02-threads.md should say: {said}");
    }
    let notes = prose("teachers-notes.md");
    let [one, two, three, four] = [1, 2, 3, 4].map(|workers| last(workers).2);
    for said in [
        format!("1 is lesson 1, {one:.2} s. 2: about half, {two:.2} s"),
        format!(
            "12: {alone:.2} s, the slowest site, `{slowest}`, alone. 5: {five_end:.2} s"
        ),
        format!(
            "`{five}`, the last of the list, goes to the first thread free, at {freed:.2} s"
        ),
        format!("3 gives {three:.2} s, 4 gives {four:.2} s"),
        format!("the last of those, `{five}`, ends"),
        format!("A thread per site, twelve at once: {alone:.2} s"),
        format!("with tasks instead of threads: {three:.2} s"),
        format!("its slowest site, `{slowest}`, {alone:.2} s"),
    ] {
        assert!(notes.contains(&said), "teachers-notes.md should say: {said}");
    }
    // The class page's slowest rooms start a little over the sites' average.
    let average = latencies.iter().sum::<f64>() / latencies.len() as f64;
    let class = prose("class.md");
    assert!(class.contains("from 250 ms, a little over what the notes' sites took"));
    assert!((200.0..250.0).contains(&average), "the average is {average:.0} ms");
    // Every other time the speaker notes give is a schedule's too: a pool's
    // of 1 to 12 workers, or lesson 5 blocking its first task for the second
    // of work in 05-async/src/main.rs; or one the notes measured.
    let blocking = latencies[0] / 1e3 + 1.0;
    let schedules = (1..=12).map(|workers| last(workers).2).chain([freed, blocking]);
    let mut known: Vec<String> = schedules.map(|s| format!("{s:.2}")).collect();
    known.extend(["1.04", "1.65", "1.37", "1.67", "0.3"].map(String::from));
    let words: Vec<&str> = notes.split_whitespace().collect();
    for pair in words.windows(2) {
        let figure = pair[0].trim_start_matches('(');
        let is_time = pair[1].trim_end_matches([',', '.', ':', ';', ')']) == "s"
            && figure.contains('.')
            && figure.parse::<f64>().is_ok();
        assert!(
            !is_time || known.iter().any(|known| known == figure),
            "teachers-notes.md says {figure} s, which no schedule gives"
        );
    }
}

/// Whether a line says something in Chinese.
fn is_chinese(line: &str) -> bool {
    line.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn the_chinese_book_includes_each_measured_page_in_chinese() {
    let chinese = catalog(&read(&root().join("docs/po/zh-CN.po")));
    let measured: Vec<String> = (pages().iter())
        .flat_map(|page| includes(&read(page)))
        .map(|(path, _)| path)
        .filter(|path| path.starts_with("generated/"))
        .collect();
    assert!(measured.len() >= 15, "only {measured:?}");
    for path in measured {
        let include = format!("{{{{#include {path}}}}}");
        let twin = path.replacen("generated/", "generated/zh-CN/", 1);
        let translated = chinese.iter().find(|(id, _, _)| *id == include);
        assert_eq!(
            translated.map(|(_, to, _)| to.as_str()),
            Some(format!("{{{{#include {twin}}}}}").as_str()),
            "docs/po/zh-CN.po should translate {include} into the Chinese page"
        );
        // Its words, not its data: the table's header, its bold rows, and
        // every line of prose outside the program output.
        let text = read(&root().join("docs/src").join(&twin));
        let mut in_output = false;
        for line in text.lines() {
            if line.starts_with("```") {
                in_output = !in_output;
                continue;
            }
            let header = text.contains(&format!("{line}\n|-"));
            let data = line.starts_with('|') && !header && !line.contains("**");
            let says = line.chars().any(char::is_alphabetic);
            if !in_output && !data && says {
                assert!(is_chinese(line), "{twin} has English words: {line}");
            }
        }
    }
}

/// A link to a section of another page reaches it in both editions: the
/// Chinese heading, whose words differ, keeps the English one's id.
#[test]
fn every_link_to_a_section_reaches_it_in_the_chinese_edition_too() {
    let chinese = read(&root().join("docs/po/zh-CN.po"));
    let mut lost = Vec::new();
    for page in pages() {
        let text = read(&page);
        for link in text.split(".md#").skip(1) {
            let id: String = link
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            if !chinese.contains(&format!("{{#{id}}}")) {
                lost.push(format!("{}: #{id}", page.display()));
            }
        }
    }
    assert!(
        lost.is_empty(),
        "no {{#id}} on the Chinese heading:\n{}",
        lost.join("\n")
    );
}
