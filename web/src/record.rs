//! The web's own record of what it served: [`Served`], one entry per request,
//! with [`Who`] asked for it. Tests and exercise checks trust it more than
//! anything a client says about itself.

use std::{
    collections::VecDeque,
    sync::{Mutex, MutexGuard, PoisonError},
};

use serde::{Deserialize, Serialize};

/// The response header by which a simulated web says it is one: a lesson
/// sends a run's name and identity only to a server that says so.
pub const SIMULATED_HEADER: &str = "x-simulated-web";

/// The request headers by which a run says who it is: [`Who`].
pub const WHO_HEADERS: [&str; 4] =
    ["x-sites-name", "x-sites-run", "x-sites-lesson", "x-sites-variant"];

/// The most requests kept in the record; the oldest go first.
const RECORD_LIMIT: usize = 200_000;

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
/// an id for the run, its lesson and variant. Client text, so cut to 64
/// characters and cleared of control characters; a page that shows it must
/// still escape it.
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
    /// Reads the headers of a request; `None` unless the run id is there.
    pub fn from_headers(headers: &hyper::HeaderMap) -> Option<Who> {
        let text = |name: &str| {
            let value = headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("");
            value.chars().filter(|c| !c.is_control()).take(64).collect::<String>()
        };
        let [name, run, lesson, variant] = WHO_HEADERS.map(text);
        (!run.is_empty()).then_some(Who { name, run, lesson, variant })
    }
}

/// The record of requests, shared by every connection.
#[derive(Default)]
pub(crate) struct Record {
    list: Mutex<(VecDeque<Served>, usize)>,
}

impl Record {
    fn lock(&self) -> MutexGuard<'_, (VecDeque<Served>, usize)> {
        self.list.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Notes a request's arrival; returns its number.
    pub(crate) fn arrived(&self, served: Served) -> usize {
        let mut guard = self.lock();
        let (list, dropped) = &mut *guard;
        if list.len() == RECORD_LIMIT {
            list.pop_front();
            *dropped += 1;
        }
        list.push_back(served);
        *dropped + list.len() - 1
    }

    /// Updates request `number`, if it is still in the record.
    pub(crate) fn update(&self, number: usize, change: impl FnOnce(&mut Served)) {
        self.finish(number, change, false);
    }

    /// Updates request `number`, if it is still in the record; gives back the
    /// request as it is now when `copy` asks for it.
    pub(crate) fn finish(
        &self,
        number: usize,
        change: impl FnOnce(&mut Served),
        copy: bool,
    ) -> Option<Served> {
        let mut guard = self.lock();
        let (list, dropped) = &mut *guard;
        let served = number.checked_sub(*dropped).and_then(|i| list.get_mut(i))?;
        change(served);
        copy.then(|| served.clone())
    }

    /// Every request still in the record, in order of arrival.
    pub(crate) fn all(&self) -> Vec<Served> {
        self.lock().0.iter().cloned().collect()
    }
}
