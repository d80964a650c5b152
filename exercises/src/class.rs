//! The class this machine joined, if any. `join` checks that the address
//! answers as a class's `serve`, and remembers it with the student's name in
//! `exercises/.class`, beside the progress file (both git-ignored); `leave`
//! forgets them. After each check of your own file the class gets its
//! verdict, a [`web::Verdict`]: the exercise, pass or fail, the first line of
//! the check's message, the attempt and the time. Never your code.
//!
//! Reaching the class never holds a check up: [`Sending::start`] opens the
//! way on a thread of its own while the check runs, and [`Sending::finish`]
//! sends the verdict only if the class answered by then, and waits for it at
//! most [`WAIT`]. When the class cannot be reached, a line says so.

use std::{
    fs,
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
        mpsc,
    },
    thread,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use reqwest::{blocking::Client, header::CONTENT_TYPE};
use sites::client::{Settings, builder};
use web::{SIMULATED_HEADER, Verdict};

use crate::{checks::Exercise, commands::say, files::folder, language::tr};

/// The longest a check's end waits for the class to take its verdict.
const WAIT: Duration = Duration::from_millis(300);

/// The class and the name `join` remembered, and how many times each exercise
/// was checked since.
struct Joined {
    origin: String,
    name: String,
    attempts: Vec<(String, u32)>,
}

fn file() -> PathBuf {
    folder().join(".class")
}

/// A client for the class: a short timeout, and no redirect, so that the name
/// goes to the server joined and to no other.
fn client() -> reqwest::Result<Client> {
    let quick = builder(&Settings::quick(Duration::from_secs(2)))
        .connect_timeout(Duration::from_secs(1))
        .redirect(reqwest::redirect::Policy::none());
    reqwest::blocking::ClientBuilder::from(quick).build()
}

/// Whether `origin` answers as a class's `serve`.
fn is_a_serve(client: &Client, origin: &str) -> bool {
    let answer = client.head(format!("{origin}/")).send();
    answer.is_ok_and(|answer| answer.headers().contains_key(SIMULATED_HEADER))
}

impl Joined {
    /// What `exercises/.class` remembers: `class ORIGIN`, `name NAME`, and an
    /// `attempt ID N` line per exercise checked.
    fn read() -> Option<Joined> {
        let text = fs::read_to_string(file()).ok()?;
        let mut joined = Joined {
            origin: String::new(),
            name: String::new(),
            attempts: Vec::new(),
        };
        for (key, value) in text.lines().filter_map(|line| line.split_once(' ')) {
            match (key, value.split_once(' ')) {
                ("class", _) => joined.origin = value.into(),
                ("name", _) => joined.name = value.into(),
                ("attempt", Some((id, n))) => {
                    joined.attempts.push((id.into(), n.parse().unwrap_or(0)))
                }
                _ => {}
            }
        }
        (!joined.origin.is_empty()).then_some(joined)
    }

    fn write(&self) -> Result<(), String> {
        let mut text = format!("class {}\nname {}\n", self.origin, self.name);
        for (id, n) in &self.attempts {
            text += &format!("attempt {id} {n}\n");
        }
        fs::write(file(), text).map_err(|err| format!("{}: {err}", file().display()))
    }

    /// Counts one more check of `id`, and says which it is.
    fn attempt(&mut self, id: &str) -> u32 {
        match self.attempts.iter_mut().find(|(other, _)| other == id) {
            Some((_, n)) => {
                *n = n.saturating_add(1);
                *n
            }
            None => {
                self.attempts.push((id.into(), 1));
                1
            }
        }
    }
}

/// `exercises join URL --name NAME`.
pub fn join(url: &str, name: &str) -> Result<(), String> {
    // `192.0.2.2:8000`, as the address is often said aloud: one step short.
    if !url.contains("://") {
        return Err(tr!("join-no-scheme", url = url));
    }
    let parsed = reqwest::Url::parse(url)
        .map_err(|err| tr!("join-not-a-url", url = url, error = err.to_string()))?;
    let origin = parsed.origin().ascii_serialization();
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(tr!("join-not-http", url = url));
    }
    let name = web::given_name(name).map_err(|why| format!("--name: {why}"))?;
    let client = client().map_err(|err| err.to_string())?;
    if !is_a_serve(&client, &origin) {
        return Err(tr!("join-no-serve", origin = origin));
    }
    Joined { origin: origin.clone(), name: name.clone(), attempts: Vec::new() }
        .write()?;
    say!("{}", tr!("joined", origin = origin, name = name));
    Ok(())
}

/// `exercises leave`.
pub fn leave() -> Result<(), String> {
    match Joined::read() {
        Some(joined) => {
            fs::remove_file(file())
                .map_err(|err| format!("{}: {err}", file().display()))?;
            say!("{}", tr!("left", origin = joined.origin));
        }
        None => say!("{}", tr!("in-no-class")),
    }
    Ok(())
}

/// A verdict on its way to the class, if this machine joined one.
pub struct Sending {
    joined: Joined,
    /// Set once the class answered, while the check ran.
    answered: Arc<AtomicBool>,
    verdicts: mpsc::Sender<Verdict>,
    sent: mpsc::Receiver<Result<(), String>>,
}

impl Sending {
    /// Starts reaching the class, if this machine joined one: on a thread of
    /// its own, which then waits for the verdict to send.
    pub fn start() -> Option<Sending> {
        let joined = Joined::read()?;
        let answered = Arc::new(AtomicBool::new(false));
        let (verdicts, next) = mpsc::channel::<Verdict>();
        let (done, sent) = mpsc::channel();
        let (origin, reached) = (joined.origin.clone(), answered.clone());
        thread::spawn(move || {
            let Ok(client) = client() else { return };
            // The connection opened now carries the verdict later.
            reached.store(is_a_serve(&client, &origin), Ordering::SeqCst);
            let Ok(verdict) = next.recv() else { return };
            let posted = (client.post(format!("{origin}/class/verdict")))
                .header(CONTENT_TYPE, "application/json")
                .body(serde_json::to_string(&verdict).unwrap_or_default())
                .send()
                .and_then(|answer| answer.error_for_status())
                .map_err(|err| err.to_string())
                // Not followed: a verdict goes to the class that was joined.
                .and_then(|answer| match answer.status().is_success() {
                    true => Ok(()),
                    false => Err(format!("it answered {}", answer.status())),
                });
            let _ = done.send(posted);
        });
        Some(Sending { joined, answered, verdicts, sent })
    }

    /// Sends the class the verdict of a check of `exercise`: what it said
    /// when it passed, or why not. `Err` says in a line why it could not.
    pub fn finish(
        mut self,
        exercise: &Exercise,
        outcome: &Result<String, String>,
    ) -> Result<(), String> {
        let attempt = self.joined.attempt(exercise.id);
        let _ = self.joined.write();
        let (passed, message) = match outcome {
            Ok(said) => (true, said),
            Err(why) => (false, why),
        };
        let verdict = Verdict {
            name: self.joined.name.clone(),
            exercise: exercise.id.into(),
            passed,
            message: message.lines().next().unwrap_or_default().into(),
            attempt,
            at: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        };
        let origin = &self.joined.origin;
        if !self.answered.load(Ordering::SeqCst) {
            return Err(tr!("class-no-answer", origin = origin));
        }
        let _ = self.verdicts.send(verdict);
        match self.sent.recv_timeout(WAIT) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(err)) => Err(tr!("class-refused", origin = origin, error = err)),
            Err(_) => Err(tr!("class-too-slow", origin = origin)),
        }
    }
}
