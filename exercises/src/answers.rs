//! The answers kept to prove the checks, each a patch on its exercise's
//! solution in `exercises/wrong/` or `exercises/right/`: reading them, writing
//! them out as programs, and matching a verdict to what a wrong one's check
//! must say.

use std::{collections::HashSet, fs, path::PathBuf};

use crate::{
    checks::{EXERCISES, Exercise},
    commands::find,
    files::{folder, write_program},
};

/// An answer kept to prove the checks: a wrong one, whose check must fail
/// and say what it must, or a right one, written otherwise than the
/// solution, whose check must pass.
pub(crate) struct Answer {
    pub(crate) exercise: &'static Exercise,
    pub(crate) program: String,
    /// `waves` for `exercises/wrong/threads-1.waves.patch`.
    pub(crate) slug: String,
    /// Its patch, whose first lines say what the learner did.
    pub(crate) patch: String,
    /// What the check must say; `None` for a right answer.
    pub(crate) expected: Option<String>,
    /// How many checks a wrong answer is given to be caught: five for a race,
    /// which a check catches by chance (its file says so), else one.
    pub(crate) tries: usize,
}

/// Every answer in `exercises/FOLDER/` (`wrong` or `right`): a patch on the
/// solution named `ID.what.patch`, whose first lines say what the learner
/// did, in English and after `zh-CN: ` in Chinese, and, for a wrong one,
/// `The check must say: ...`, with the facts of its run where it has some
/// (see [`says`]).
pub(crate) fn answers(folder_name: &str) -> Result<Vec<Answer>, String> {
    let mut answers = Vec::new();
    let entries =
        fs::read_dir(folder().join(folder_name)).map_err(|err| err.to_string())?;
    let mut files: Vec<PathBuf> = (entries
        .filter_map(|entry| Some(entry.ok()?.path())))
    .filter(|file| file.extension().is_some_and(|extension| extension == "patch"))
    .collect();
    files.sort();
    for file in files {
        let name =
            file.file_stem().and_then(|name| name.to_str()).unwrap_or_default();
        let (id, slug) =
            name.split_once('.').ok_or(format!("{name}: not ID.what"))?;
        let text = fs::read_to_string(&file).map_err(|err| err.to_string())?;
        let expected = text
            .lines()
            .find_map(|line| line.strip_prefix("The check must say: "))
            .map(String::from);
        if folder_name == "wrong" && expected.is_none() {
            return Err(format!("{name} does not say what its check must say"));
        }
        if !text.contains("\nzh-CN: ") {
            return Err(format!(
                "{name} does not say in Chinese what the learner did"
            ));
        }
        let by_chance = text.contains("\nThe check catches it by chance");
        answers.push(Answer {
            exercise: find(id)?,
            program: format!("{id}-{folder_name}-{slug}"),
            slug: slug.to_string(),
            patch: text,
            expected,
            tries: if by_chance { 5 } else { 1 },
        });
    }
    // In the exercises' order, as the book has them.
    answers.sort_by_key(|answer| {
        EXERCISES.iter().position(|exercise| exercise.id == answer.exercise.id)
    });
    Ok(answers)
}

/// Writes every starter, and every answer from its patch, into
/// `exercises/answers/`, for clippy, rustfmt or an editor: `answers`. Each
/// patch that no longer applies says so; the others are written all the same.
pub(crate) fn write_answers() -> Result<(), String> {
    let answers = answers("wrong")?.into_iter().chain(answers("right")?);
    let starters = EXERCISES.iter().map(|e| (e, format!("{}-starter", e.id)));
    let programs = starters.chain(answers.map(|a| (a.exercise, a.program)));
    let failures: Vec<String> = programs
        .filter_map(|(exercise, program)| write_program(exercise, &program).err())
        .collect();
    match failures.is_empty() {
        true => Ok(()),
        false => Err(failures.join("\n")),
    }
}
/// Whether a check's `message` says `expected`: its words as they stand,
/// where `{}` stands for any text and `{name}` for a number, the same each
/// time the name comes back. So a wrong answer's file states the facts of
/// its run (`{n} downloads should run at once, but at the busiest, 5 did`), and a
/// message that tells them wrong fails `prove`.
pub(crate) fn says(message: &str, expected: &str) -> bool {
    let (mut pattern, mut named, mut rest) =
        (String::new(), HashSet::new(), expected);
    while let Some((before, after)) = rest.split_once('{') {
        let Some((name, after)) = after.split_once('}') else { break };
        pattern += &fancy_regex::escape(before);
        pattern += &match name {
            "" => ".*?".to_string(),
            _ if named.insert(name) => format!("(?P<{name}>[0-9]+(?:[.][0-9]+)?)"),
            _ => format!("\\k<{name}>"),
        };
        rest = after;
    }
    pattern += &fancy_regex::escape(rest);
    let pattern = fancy_regex::Regex::new(&pattern);
    pattern.is_ok_and(|pattern| pattern.is_match(message).unwrap_or(false))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::files::source_file;
    #[test]
    fn a_wrong_answers_sentence_holds_the_facts_of_its_run() {
        let message = "with --workers 6, 6 downloads should run at once, but at the busiest, 5 did";
        assert!(says(message, "at the busiest, 5 did"));
        assert!(says(
            message,
            "{n} downloads should run at once, but at the busiest, 5 did"
        ));
        assert!(says(message, "--workers {n}, {n} downloads{}at the busiest, 5"));
        assert!(!says(message, "at the busiest, 4 did"));
        assert!(!says(
            message,
            "--workers {n}, {n} downloads{}at the busiest, {n} did"
        ));
        assert!(!says(
            "with --workers 6, 5 downloads",
            "--workers {n}, {n} downloads"
        ));
    }

    #[test]
    fn the_manifest_builds_every_answer_and_nothing_else() {
        let yours = folder().join("yours");
        let manifest = fs::read_to_string(yours.join("Cargo.toml")).expect("it");
        let value = |bin: &str, key: &str| {
            let line = bin.lines().find_map(|line| line.strip_prefix(key))?;
            Some(line.trim_start_matches([' ', '=']).trim_matches('"').to_string())
        };
        let listed: BTreeSet<(String, String)> = (manifest.split("[[bin]]").skip(1))
            .filter_map(|bin| Some((value(bin, "name")?, value(bin, "path")?)))
            .collect();
        let mut programs: Vec<(&Exercise, String)> = Vec::new();
        for exercise in EXERCISES {
            for program in ["", "-solution", "-starter"] {
                programs.push((exercise, format!("{}{program}", exercise.id)));
            }
        }
        for kind in ["wrong", "right"] {
            let kept = answers(kind).expect("the answers");
            programs.extend(kept.into_iter().map(|a| (a.exercise, a.program)));
        }
        let files = programs.into_iter().map(|(exercise, program)| {
            let file = source_file(exercise, &program);
            let path = match file.strip_prefix(&yours) {
                Ok(mine) => mine.display().to_string(),
                Err(_) => format!(
                    "../{}",
                    file.strip_prefix(folder()).unwrap_or(&file).display()
                ),
            };
            (program, path.replace('\\', "/"))
        });
        let expected: BTreeSet<(String, String)> = files.collect();
        let entry = |(name, path): &(String, String)| {
            format!("[[bin]]\nname = \"{name}\"\npath = \"{path}\"\n")
        };
        let missing: Vec<String> = expected.difference(&listed).map(entry).collect();
        let extra: Vec<String> = listed.difference(&expected).map(entry).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "exercises/yours/Cargo.toml should add:\n{}\nand drop:\n{}",
            missing.join("\n"),
            extra.join("\n")
        );
    }
}
