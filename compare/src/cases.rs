//! What `compare` runs, and the limit each run is measured against.
//!
//! Nothing here names a lesson's variants: each lesson describes itself when
//! asked with `--describe` (its variants, their help, and what the notes
//! measured), and a run's limit is worked out from what the run did.

use std::{
    env, fs,
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::Context;
use sites::cli::Description;

/// The longest a program may take before it is taken for hung.
pub const LIMIT: Duration = Duration::from_secs(300);

/// Whether a case is one of the lessons or one of our Python programs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// A lesson's variant, as it runs by default: a page of the book each.
    Lesson,
    /// A lesson with other settings, for a row of the table.
    Setting,
    Python,
}

/// One program to measure: a lesson's variant, or one of our Python programs.
#[derive(Debug, Clone)]
pub struct Case {
    /// The lesson's package, or the Python program's file.
    pub name: String,
    /// The variant, or `""` for a lesson without variants.
    pub variant: String,
    pub kind: Kind,
    /// The program and the arguments that come before the common ones.
    pub command: Vec<String>,
    /// More arguments, such as `--workers 1000`.
    pub extra: Vec<String>,
    /// What the notes measured for this program, if they did.
    pub notes_ms: Option<f64>,
}

impl Case {
    /// The same case with `--workers N`.
    pub fn with_workers(mut self, workers: usize) -> Case {
        self.extra = vec!["--workers".into(), workers.to_string()];
        self
    }
}

/// The lessons' packages, in order: the workspace's folders named like
/// `01-sequential`, each holding one lesson package.
pub fn packages(root: &Path) -> anyhow::Result<Vec<String>> {
    let mut folders: Vec<PathBuf> = fs::read_dir(root)?
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|path| {
            let name = path.file_name().and_then(|name| name.to_str()).unwrap_or("");
            name.len() > 3
                && name[..2].chars().all(|c| c.is_ascii_digit())
                && &name[2..3] == "-"
        })
        .collect();
    folders.sort();
    folders
        .iter()
        .map(|folder| {
            let manifest = fs::read_to_string(folder.join("Cargo.toml"))?;
            let name = manifest
                .lines()
                .find_map(|line| line.strip_prefix("name = \""))
                .and_then(|rest| rest.strip_suffix('"'))
                .with_context(|| format!("{} names no package", folder.display()))?;
            Ok(name.to_string())
        })
        .collect()
}

/// Every variant of every lesson, in order, as each lesson's `--describe`
/// lists them. `binary` finds a package's executable.
pub fn lessons(
    packages: &[String],
    binary: impl Fn(&str) -> PathBuf,
) -> anyhow::Result<Vec<Case>> {
    let mut cases = Vec::new();
    for package in packages {
        let program = binary(package);
        let done = sites::harness::run(&program, &["--describe"], LIMIT)?;
        let description: Description = serde_json::from_str(&done.stdout)
            .with_context(|| format!("{package} --describe: {}", done.stderr))?;
        let command = vec![program.display().to_string()];
        let case = |variant: &str, notes: &str| Case {
            name: package.clone(),
            variant: variant.into(),
            kind: Kind::Lesson,
            command: match variant {
                "" => command.clone(),
                _ => [command.clone(), vec!["--variant".into(), variant.into()]]
                    .concat(),
            },
            extra: Vec::new(),
            notes_ms: Description::notes_seconds(notes).map(|s| s * 1e3),
        };
        if description.variants.is_empty() {
            cases.push(case("", &description.about));
        }
        for (variant, help) in &description.variants {
            cases.push(case(variant, help));
        }
    }
    Ok(cases)
}

/// A lesson's default way of running, by package.
pub fn default_of(cases: &[Case], package: &str) -> Option<Case> {
    cases.iter().find(|case| case.name == package).cloned()
}

/// Our Python programs, in `python/`, which do what the notes' programs do.
pub fn python(folder: &Path) -> Vec<Case> {
    let programs = [
        ("sequential.py", "", Some(2802.1)),
        ("threads.py", "", Some(1038.7)),
        ("processes.py", "", Some(1649.0)),
        ("processes.py", "6", None),
        ("futures.py", "", Some(1367.5)),
        ("asyncio_aiohttp.py", "", None),
    ];
    let python = interpreter();
    programs
        .into_iter()
        .map(|(file, workers, notes_ms)| Case {
            name: format!("python/{file}"),
            variant: if workers.is_empty() {
                String::new()
            } else {
                format!("--workers {workers}")
            },
            kind: Kind::Python,
            command: vec![python.clone(), folder.join(file).display().to_string()],
            extra: if workers.is_empty() {
                Vec::new()
            } else {
                vec!["--workers".into(), workers.into()]
            },
            notes_ms,
        })
        .collect()
}

/// The Python that runs our programs: `PYTHON`, or `python3`.
pub fn interpreter() -> String {
    env::var("PYTHON").unwrap_or_else(|_| "python3".into())
}

/// The rows beside the lessons' own, each a lesson's default variant with
/// other `--workers`: the worksheet's (lesson 2 with 1, 2 and 12 threads,
/// lesson 5 with 3 permits), and lesson 3's process pool with as many workers
/// as the six cores the notes mention, to set beside lesson 2's five threads.
const SETTINGS: [(&str, usize); 5] = [
    ("ch02-threads", 1),
    ("ch02-threads", 2),
    ("ch02-threads", 12),
    ("ch03-processes", 6),
    ("ch05-async", 3),
];

/// The cases of [`SETTINGS`].
pub fn settings(lessons: &[Case]) -> Vec<Case> {
    (SETTINGS.iter())
        .filter_map(|&(package, workers)| {
            default_of(lessons, package).map(|case| Case {
                variant: format!("{} --workers {workers}", case.variant),
                kind: Kind::Setting,
                notes_ms: None,
                ..case.with_workers(workers)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_the_worksheet_is_a_row_of_compare() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let sheet = fs::read_to_string(root.join("docs/src/worksheet.md"))
            .expect("the worksheet");
        let commands = sheet.lines().filter_map(|line| {
            let command = line.split('|').nth(2)?.trim().trim_matches('`');
            command.starts_with("ch").then_some(command)
        });
        let mut rows = 0;
        for command in commands {
            rows += 1;
            let (package, args) =
                command.split_once(" -- ").unwrap_or((command, ""));
            let measured = match args.split_once(' ') {
                // A lesson's own variant, or its default: a row of its own.
                None => args.is_empty(),
                Some(("--variant", _)) => true,
                Some(("--workers", workers)) => (SETTINGS.iter())
                    .any(|&(name, n)| name == package && n.to_string() == workers),
                Some(_) => false,
            };
            assert!(measured, "no row of `compare` for the worksheet's {command}");
        }
        assert_eq!(rows, 15, "the worksheet's rows were read");
    }

    #[test]
    fn the_lessons_are_the_numbered_folders() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let packages = packages(&root).expect("the workspace is readable");
        assert_eq!(packages.first().map(String::as_str), Some("ch01-sequential"));
        assert_eq!(packages.len(), 5, "{packages:?}");
    }
}
