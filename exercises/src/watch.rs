//! `watch`: checks the exercise you are on each time you save its file, on a
//! cleared screen, and moves on to the next when it passes. Keys: `h` shows
//! a hint, and the next one each time again, `l` the list, `q` quits.

use std::{
    io::{IsTerminal, Read, Write},
    path::PathBuf,
    sync::mpsc,
    thread,
    time::Duration,
};

use crossterm::{
    event::{self, KeyCode, KeyEventKind, KeyModifiers},
    terminal,
};
use notify::{EventKind, RecursiveMode, Watcher};

use crate::{
    checks::Exercise,
    commands::{first_not_done, list, task, verdict},
    files::{folder, mark_done, shown, student_file},
    hints::hint,
    language::{Language, tr},
};

/// What `watch` waits for.
enum Event {
    Saved(PathBuf),
    Key(u8),
}

pub fn watch(language: Language) -> Result<(), String> {
    let (sender, events) = mpsc::channel();
    let saves = sender.clone();
    let mut watcher =
        notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if let Ok(event) = event
                && matches!(event.kind, EventKind::Modify(_) | EventKind::Create(_))
            {
                for path in event.paths {
                    let _ = saves.send(Event::Saved(path));
                }
            }
        })
        .map_err(|err| tr!("watch-failed", error = err.to_string()))?;
    let yours = folder().join("yours");
    watcher.watch(&yours, RecursiveMode::NonRecursive).map_err(|err| {
        tr!("watch-failed", error = format!("{}: {err}", yours.display()))
    })?;
    let raw = RawMode::enter();
    thread::spawn(move || keys(&sender));

    let mut current = first_not_done();
    // The exercise whose hints were asked for, and how many times.
    let mut hints_asked = ("", 0);
    while let Some(exercise) = current {
        show(exercise);
        let class = crate::class::Sending::start();
        // Cargo's messages, a compiler error above all, print as in a plain
        // terminal: each line from the left.
        let passed = raw.paused(|| verdict(exercise, exercise.id, None));
        match &passed {
            Ok(line) => {
                mark_done(exercise);
                say(&format!("{line}\n"));
            }
            Err(what) => say(&format!("{what}\n\n{}", tr!("watch-save-again"))),
        }
        if let Some(Err(note)) = class.map(|class| class.finish(exercise, &passed)) {
            say(&format!("\n{note}\n"));
        }
        if passed.is_ok() {
            current = first_not_done();
            match current {
                Some(next) => {
                    say(&format!("\n{}\n\n{}", tr!("watch-next"), task(next)))
                }
                None => break,
            }
        }
        say(&format!("\n{}\n", tr!("watch-keys")));
        // Wait for the file to be saved; a save comes as several events.
        let file = student_file(current.unwrap_or(exercise));
        loop {
            match events.recv() {
                Ok(Event::Saved(path)) if path == file => {
                    while events.recv_timeout(Duration::from_millis(150)).is_ok() {}
                    break;
                }
                Ok(Event::Key(b'q')) | Err(_) => return Ok(()),
                Ok(Event::Key(b'h')) => {
                    let on = current.unwrap_or(exercise);
                    if hints_asked.0 != on.id {
                        hints_asked = (on.id, 0);
                    }
                    hints_asked.1 += 1;
                    let (text, more) = hint(on, language, hints_asked.1)?;
                    let next = if more {
                        tr!("watch-next-hint") + "\n"
                    } else {
                        String::new()
                    };
                    say(&format!("\n{text}{next}"))
                }
                Ok(Event::Key(b'l')) => raw.paused(list)?,
                Ok(_) => {}
            }
        }
    }
    say(&format!("\n{}\n", tr!("watch-all-done")));
    Ok(())
}

/// Clears the screen and says which exercise is being checked, its file, and
/// the keys.
fn show(exercise: &Exercise) {
    let (id, title) = (exercise.id, exercise.title());
    let (file, keys) = (shown(&student_file(exercise)), tr!("watch-keys"));
    say(&format!(
        "\x1b[2J\x1b[H{}\n{}\n\n{}\n",
        tr!("watch-title", id = id, title = title),
        tr!("watch-edit", file = file, keys = keys),
        tr!("watch-checking")
    ));
}

/// Sends each key pressed, one by one, without waiting for Enter: from the
/// terminal in raw mode, or from whatever stdin is when it is none (a line of
/// keys then counts once Enter sends it).
fn keys(sender: &mpsc::Sender<Event>) {
    if !std::io::stdin().is_terminal() {
        for byte in std::io::stdin().lock().bytes().map_while(Result::ok) {
            if sender.send(Event::Key(byte)).is_err() {
                return;
            }
        }
        return;
    }
    while let Ok(event) = event::read() {
        let event::Event::Key(key) = event else { continue };
        // Windows reports a key's release as well as its press.
        if key.kind != KeyEventKind::Press {
            continue;
        }
        let byte = match key.code {
            // In raw mode, Ctrl-C is a key like any other: it quits.
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                b'q'
            }
            KeyCode::Char(letter) if letter.is_ascii() => letter as u8,
            _ => continue,
        };
        if sender.send(Event::Key(byte)).is_err() {
            return;
        }
    }
}

/// Writes `text` at once. In raw mode a line feed only moves down, so each
/// comes with a carriage return, as a terminal otherwise adds.
fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.replace('\n', "\r\n").as_bytes());
    let _ = out.flush();
}

/// The terminal in raw mode (keys count at once, without echo), put back as
/// it was when dropped. Nothing changes when stdin is no terminal.
struct RawMode(bool);

impl RawMode {
    fn enter() -> RawMode {
        RawMode(
            std::io::stdin().is_terminal() && terminal::enable_raw_mode().is_ok(),
        )
    }

    /// Runs `work` with the terminal as it was, so that what it prints reads
    /// as in a plain terminal, then puts raw mode back.
    fn paused<T>(&self, work: impl FnOnce() -> T) -> T {
        if self.0 {
            let _ = terminal::disable_raw_mode();
        }
        let done = work();
        if self.0 {
            let _ = terminal::enable_raw_mode();
        }
        done
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        if self.0 {
            let _ = terminal::disable_raw_mode();
        }
    }
}
