//! The class page, as a teacher's projector shows it: `serve`, lessons run
//! against it under students' names, and the page rendered by headless
//! Chromium. `compare --write-docs` keeps a screenshot for the book; the test
//! `compare/tests/class.rs` checks the page; `compare class` fills it with a
//! room of thirty runs and measures what the runs see.

use std::{
    io::{BufRead, BufReader, Read},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    thread,
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use sites::harness::beside_me;

/// Where the workspace's binaries are: beside this program.
pub fn binaries() -> PathBuf {
    beside_me("serve").parent().map(Path::to_path_buf).unwrap_or_default()
}

/// A `serve` of the workspace's, stopped when dropped.
pub struct Serve {
    child: Child,
    /// Its root, such as `http://127.0.0.1:40123`.
    pub root: String,
}

impl Serve {
    /// Starts `serve` from `binaries` with `args`, on a free port.
    pub fn start(binaries: &Path, args: &[&str]) -> anyhow::Result<Serve> {
        let mut child = Command::new(binaries.join("serve"))
            .args(["--port", "0", "--quiet"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("serve starts")?;
        let first = child.stdout.take().context("serve's output")?;
        let url = BufReader::new(first)
            .lines()
            .next()
            .context("serve printed no URL")??;
        let root = url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
        Ok(Serve { child, root })
    }

    /// Its process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// The list of its URLs, for `--urls`.
    pub fn list(&self) -> String {
        format!("{}/urls.txt", self.root)
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Headless Chromium as the machine's tests may run it: no sandbox (as
/// root), and no network beyond the page (the machine has none).
fn chromium(profile: &Path) -> Command {
    let mut command = Command::new("chromium");
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .stdin(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// The runs `show` makes: the student's name, the lesson, its arguments.
pub const RUNS: [(&str, &str, &[&str]); 5] = [
    ("ben", "ch01-sequential", &[]),
    ("ana", "ch02-threads", &[]),
    ("<script>alert(1)</script>", "ch05-async", &[]),
    // The lesson plan's segment 5, side by side: the server answers both on
    // time; only the runs' own timelines show which of them stalled.
    ("chen", "ch05-async", &["--variant", "blocking"]),
    ("dana", "ch05-async", &["--variant", "spawn-blocking"]),
];

/// The students `show` makes: each joins the class with the `exercises` CLI,
/// then checks exercises of theirs, each `(exercise, right)`: with the
/// reference solution in their file, a pass, or with the starter, a fail.
pub const STUDENTS: [(&str, &[(&str, bool)]); 3] = [
    ("ben", &[("sequential-1", true)]),
    ("ana", &[("sequential-2", false)]),
    ("Zoë 学生", &[("sequential-3", false), ("sequential-3", true)]),
];

/// A verdict as a hostile client may post it: a name and a message that are
/// HTML, which the progress view must show as text.
pub const HOSTILE: (&str, &str) =
    ("<img src=x onerror=alert(1)>", "<script>alert(2)</script> & <b>more</b>");

/// The class's three pages as Chromium rendered them: their DOMs, which the
/// test `compare/tests/class.rs` reads (`compare` keeps only screenshots).
#[allow(dead_code)]
pub struct Rendered {
    /// The class page: a lane per run.
    pub class: String,
    /// The progress view, `/class/exercises`.
    pub exercises: String,
    /// The results view, `/class/results`.
    pub results: String,
    /// The same three, in a browser whose language is Chinese.
    pub in_chinese: [String; 3],
}

/// Serves the notes' pages, runs [`RUNS`] against them, has [`STUDENTS`] join
/// and check their exercises and [`HOSTILE`] post its verdict, then renders
/// the class's pages: their DOMs, and a screenshot of each into `pngs` if
/// given (`class.png`, `class-exercises.png`, `class-results.png`).
pub fn show(binaries: &Path, pngs: Option<&Path>) -> anyhow::Result<Rendered> {
    let serve = Serve::start(binaries, &["--speed", "5"])?;
    let list = serve.list();
    for (name, lesson, args) in RUNS {
        let args = [&["--urls", &list, "--name", name], args].concat();
        let done = sites::harness::run(binaries.join(lesson), &args, crate_limit())?;
        if done.code != Some(0) {
            bail!("{lesson} failed: {}", done.stderr);
        }
    }
    students(binaries, &serve)?;
    let profile = tempfile::tempdir()?;
    let render = |page: &str, png: &str| {
        let url = format!("{}{page}", serve.root);
        let png = pngs.map(|folder| folder.join(png));
        render_page(profile.path(), &url, ("1280,960", "en-US"), png)
    };
    let in_chinese = |page: &str| {
        let url = format!("{}{page}", serve.root);
        render_page(profile.path(), &url, ("1280,960", "zh-CN"), None)
    };
    Ok(Rendered {
        class: render("/", "class.png")?,
        exercises: render("/class/exercises", "class-exercises.png")?,
        results: render("/class/results", "class-results.png")?,
        in_chinese: [
            in_chinese("/")?,
            in_chinese("/class/exercises")?,
            in_chinese("/class/results")?,
        ],
    })
}

/// The names of a class of thirty on a projector: scripts, accents, and one
/// that is HTML.
const CLASS: [&str; 30] = [
    "ana",
    "ben",
    "chen",
    "dana",
    "eli",
    "fay",
    "gus",
    "hana",
    "ivan",
    "jun",
    "kai",
    "lea",
    "mo",
    "nia",
    "omar",
    "pia",
    "qi",
    "rui",
    "sam",
    "tao",
    "uma",
    "vic",
    "wen",
    "xia",
    "yan",
    "zoe",
    "王小明",
    "李华",
    "Zoë",
    "<b>x</b>",
];

/// The class page and the progress view of a class of `students` (at most
/// thirty), on a 1920 × 1080 projector: each student runs a lesson (the
/// lessons in turn, and lesson 5 blocked and not), and each has checked some
/// of the sixteen exercises, a third of them failing with one of three
/// messages. Their DOMs, and screenshots into `pngs` if given
/// (`class-projector.png`, `class-exercises-projector.png`).
pub fn projector(
    binaries: &Path,
    pngs: Option<&Path>,
    students: usize,
) -> anyhow::Result<[String; 2]> {
    let class = &CLASS[..students.min(CLASS.len())];
    let serve = Serve::start(binaries, &["--speed", "5"])?;
    let list = serve.list();
    let lessons =
        ["ch01-sequential", "ch02-threads", "ch03-processes", "ch04-futures"];
    for names in class.chunks(6) {
        thread::scope(|scope| -> anyhow::Result<()> {
            let runs: Vec<_> = (names.iter().enumerate())
                .map(|(n, name)| {
                    let (lesson, variant) = match n {
                        4 => ("ch05-async", "blocking"),
                        5 => ("ch05-async", "spawn-blocking"),
                        n => (lessons[n], ""),
                    };
                    let mut args = vec!["--urls", &list, "--name", name];
                    if !variant.is_empty() {
                        args.extend(["--variant", variant]);
                    }
                    scope.spawn(move || {
                        sites::harness::run(
                            binaries.join(lesson),
                            &args,
                            crate_limit(),
                        )
                    })
                })
                .collect();
            for run in runs {
                let done =
                    run.join().map_err(|_| anyhow::anyhow!("a run panicked"))??;
                if done.code != Some(0) {
                    bail!("a run failed: {}", done.stderr);
                }
            }
            Ok(())
        })?;
    }
    let client = sites::client::blocking(&sites::client::Settings::quick(
        Duration::from_secs(5),
    ))?;
    let said = [
        "threads-2 is not done yet: the sites went one by one: start every site's \
         thread before waiting for any",
        "threads-3: 2 pages at once, not 4: a lock is held over each download",
        "async-1: all 12 pages at once, not 3: take the permit before spawning",
    ];
    for (student, name) in class.iter().enumerate() {
        for (column, exercise) in
            web::EXERCISES.iter().enumerate().take(student % 16 + 1)
        {
            let failing = (student + column) % 3 == 0;
            let verdict = web::Verdict {
                name: (*name).into(),
                exercise: (*exercise).into(),
                passed: !failing,
                message: if failing { said[(student / 3 + column) % 3] } else { "" }
                    .into(),
                attempt: 1,
                at: 1_796_000_000,
            };
            client
                .post(format!("{}/class/verdict", serve.root))
                .body(serde_json::to_string(&verdict)?)
                .send()?
                .error_for_status()?;
        }
    }
    let profile = tempfile::tempdir()?;
    let render = |page: &str, png: &str| {
        let url = format!("{}{page}", serve.root);
        render_page(
            profile.path(),
            &url,
            ("1920,1080", "en-US"),
            pngs.map(|folder| folder.join(png)),
        )
    };
    Ok([
        render("/", "class-projector.png")?,
        render("/class/exercises", "class-exercises-projector.png")?,
    ])
}

/// The page at `url` in a window of `size` (`"1280,960"`) of a browser whose
/// language is `lang` (`"en-US"`), as Chromium leaves it once its scripts
/// have run: its DOM, and a screenshot into `png` if given.
fn render_page(
    profile: &Path,
    url: &str,
    (size, lang): (&str, &str),
    png: Option<PathBuf>,
) -> anyhow::Result<String> {
    let window = format!("--window-size={size}");
    let lang = format!("--accept-lang={lang}");
    if let Some(png) = png {
        let shot = chromium(profile)
            .args([&window, &lang, &format!("--screenshot={}", png.display()), url])
            .stdout(Stdio::null())
            .status()
            .context("cannot run chromium: install Debian's chromium")?;
        if !shot.success() {
            bail!("chromium took no screenshot of {url}");
        }
    }
    let output = chromium(profile)
        .args([&window, &lang, "--dump-dom", url])
        .output()
        .context("cannot run chromium: install Debian's chromium")?;
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// [`STUDENTS`] join `serve` and check their exercises with the workspace's
/// `exercises`, in its own exercises folder, one after the other; then
/// [`HOSTILE`] posts its verdict. The files they change are put back after.
fn students(binaries: &Path, serve: &Serve) -> anyhow::Result<()> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../exercises");
    let mut touched = vec![folder.join(".class"), folder.join(".progress")];
    for (_, checks) in STUDENTS {
        touched.extend(
            checks.iter().map(|(id, _)| folder.join(format!("yours/{id}.rs"))),
        );
    }
    let _kept = Kept::now(touched);
    // In English, whatever this machine's language: the pages' text is
    // compared with the English verdicts.
    let exercises = |args: &[&str]| -> anyhow::Result<sites::harness::Finished> {
        let args = [args, &["--lang", "en"]].concat();
        Ok(sites::harness::run(binaries.join("exercises"), &args, crate_limit())?)
    };
    for (name, checks) in STUDENTS {
        let joined = exercises(&["join", &serve.root, "--name", name])?;
        if joined.code != Some(0) {
            bail!("{name} did not join: {}", joined.stderr);
        }
        for (id, right) in checks {
            let file = folder.join(format!("yours/{id}.rs"));
            if *right {
                std::fs::copy(folder.join(format!("solutions/{id}.rs")), &file)?;
            } else {
                exercises(&["reset", id])?;
            }
            let checked = exercises(&["check", id])?;
            if checked.code != Some(u8::from(!right).into()) {
                bail!(
                    "{name}'s check of {id}: {}{}",
                    checked.stdout,
                    checked.stderr
                );
            }
        }
    }
    let (name, message) = HOSTILE;
    let verdict = web::Verdict {
        name: name.into(),
        exercise: "async-4".into(),
        passed: false,
        message: message.into(),
        attempt: 1,
        at: 0,
    };
    let client = sites::client::blocking(&sites::client::Settings::quick(
        Duration::from_secs(5),
    ))?;
    let url = format!("{}/class/verdict", serve.root);
    client
        .post(url)
        .body(serde_json::to_string(&verdict)?)
        .send()?
        .error_for_status()?;
    Ok(())
}

/// Files as they were, put back when dropped: a file that was not there is
/// removed again.
pub struct Kept(Vec<(PathBuf, Option<Vec<u8>>)>);

impl Kept {
    /// Keeps `files` as they are now.
    pub fn now(files: Vec<PathBuf>) -> Kept {
        Kept(
            files
                .into_iter()
                .map(|file| (file.clone(), std::fs::read(file).ok()))
                .collect(),
        )
    }
}

impl Drop for Kept {
    fn drop(&mut self) {
        for (file, bytes) in &self.0 {
            let _ = match bytes {
                Some(bytes) => std::fs::write(file, bytes),
                None => std::fs::remove_file(file),
            };
        }
    }
}

fn crate_limit() -> Duration {
    Duration::from_secs(120)
}

/// What a room of runs measured.
pub struct Room {
    pub runs: usize,
    pub pages: usize,
    pub in_flight: usize,
    /// How long the server takes over each page, in ms.
    pub latency_ms: u64,
    /// The mean time a page took, as a run measured it, served alone.
    pub alone_ms: f64,
    /// The same with every run at once.
    pub together_ms: f64,
    /// The longest the open page went without an update while the runs ran.
    pub longest_gap: Duration,
    /// How long the room took.
    pub took: Duration,
    /// The CPU time the runs' programs used together, and the server's,
    /// while the room ran (Linux only).
    pub cpu: Option<(Duration, Duration)>,
}

/// `runs` runs of lesson 5 at once, each over `pages` pages of `latency_ms`
/// with at most `in_flight` in flight, against one `serve` while the class
/// page is open in Chromium: how much slower the pages came, and how often
/// the page was updated.
pub fn room(
    binaries: &Path,
    runs: usize,
    (pages, in_flight, latency_ms): (usize, usize, u64),
) -> anyhow::Result<Room> {
    let (pages_text, latency) = (pages.to_string(), latency_ms.to_string());
    let serve =
        Serve::start(binaries, &["--sites", &pages_text, "--latency", &latency])?;
    let lesson = |name: &str| -> anyhow::Result<sites::Report> {
        let args = [
            "--urls",
            &serve.list(),
            "--name",
            name,
            "--workers",
            &in_flight.to_string(),
        ];
        let done = sites::harness::run_reporting(
            binaries.join("ch05-async"),
            &args,
            crate_limit(),
        )?;
        Ok(done.report().map_err(anyhow::Error::msg)?.clone())
    };
    let mean = |reports: &[sites::Report]| {
        let times: Vec<f64> = reports
            .iter()
            .flat_map(|r| r.sites.iter().map(|s| s.end_ms - s.start_ms))
            .collect();
        times.iter().sum::<f64>() / times.len().max(1) as f64
    };
    let alone = mean(&[lesson("alone")?]);

    // The page open in a browser, and a listener of our own on its feed.
    let profile = tempfile::tempdir()?;
    let mut browser = chromium(profile.path())
        .args(["--remote-debugging-port=0", &format!("{}/", serve.root)])
        .stdout(Stdio::null())
        .spawn()
        .context("cannot run chromium")?;
    let updates = Arc::new(Mutex::new(Vec::new()));
    listen(&serve.root, updates.clone())?;
    thread::sleep(Duration::from_millis(500));

    let cpu_before = cpu_times(serve.id());
    let started = Instant::now();
    let reports: Vec<anyhow::Result<sites::Report>> = thread::scope(|scope| {
        let runs: Vec<_> = (1..=runs)
            .map(|n| scope.spawn(move || lesson(&format!("student {n}"))))
            .collect();
        runs.into_iter()
            .map(|run| run.join().unwrap_or_else(|_| bail!("a run panicked")))
            .collect()
    });
    let took = started.elapsed();
    // Read before the browser is waited for, whose time would count too.
    let cpu = cpu_before.zip(cpu_times(serve.id())).map(|(before, after)| {
        (after.0.saturating_sub(before.0), after.1.saturating_sub(before.1))
    });
    let _ = browser.kill();
    let _ = browser.wait();
    let reports = reports.into_iter().collect::<anyhow::Result<Vec<_>>>()?;
    let updates =
        updates.lock().map_err(|_| anyhow::anyhow!("the listener failed"))?.clone();
    let during: Vec<Instant> = updates
        .into_iter()
        .filter(|at| *at >= started && *at <= started + took)
        .collect();
    let mut marks = vec![started];
    marks.extend(during);
    marks.push(started + took);
    let longest_gap =
        marks.windows(2).map(|pair| pair[1] - pair[0]).max().unwrap_or_default();
    Ok(Room {
        runs,
        pages,
        in_flight,
        latency_ms,
        alone_ms: alone,
        together_ms: mean(&reports),
        longest_gap,
        took,
        cpu,
    })
}

/// The CPU time used so far by the children this process has waited for (the
/// runs), and by the process `server`; `None` where the system does not say.
fn cpu_times(server: u32) -> Option<(Duration, Duration)> {
    platform::cpu::children().zip(platform::cpu::process(server))
}

/// Notes the time of every update the class page's feed sends.
fn listen(root: &str, updates: Arc<Mutex<Vec<Instant>>>) -> anyhow::Result<()> {
    let settings = sites::client::Settings::quick(Duration::from_secs(3600));
    let client = sites::client::blocking(&settings)?;
    let mut feed = client.get(format!("{root}/class/events")).send()?;
    thread::spawn(move || {
        let mut buffer = [0; 64 * 1024];
        while let Ok(read) = feed.read(&mut buffer) {
            if read == 0 {
                break;
            }
            if buffer[..read].windows(6).any(|w| w == b"data: ")
                && let Ok(mut updates) = updates.lock()
            {
                updates.push(Instant::now());
            }
        }
    });
    Ok(())
}
