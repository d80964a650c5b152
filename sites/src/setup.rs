//! [`Setup`]: what a lesson needs before it can download: the URLs (and the
//! simulated web that serves them), its HTTP clients, and enough open files.

use web::language::Language;

use crate::{
    Args, Error, NOTES_SITES, Result, SimulatedWeb, Who,
    body::{self, Limits},
    client::{self, Settings},
    url_list,
};

/// Files a program needs open besides its connections: its output, its
/// libraries, the pipes to worker processes.
const SPARE_FILES: u64 = 64;

/// The address space a run takes before its downloads, in one heap (see
/// [`platform::limits::one_heap`]): the program, its runtimes, the simulated
/// web. Measured: every lesson runs to its end in 30 MiB with one worker.
const RUN_SPACE: u64 = 32 << 20;

/// The address space a run needs at least (`ulimit -v`): its own, and as much
/// again for its downloads and the pages they hold.
const ADDRESS_SPACE: u64 = 2 * RUN_SPACE;

/// The address space each download at once takes beyond that: a thread's
/// stack (2 MiB), its connection and the page it reads.
const SPACE_PER_DOWNLOAD: u64 = 4 << 20;

/// The open files a run needs at least (`ulimit -n`): its libraries, the
/// simulated web, the certificates it reads, one download. Measured: every
/// lesson runs with 17.
const OPEN_FILES: u64 = 32;

/// The sites to download and how to download them. It keeps the simulated web
/// running for as long as it lives.
///
/// ```no_run
/// # fn main() -> sites::Result<()> {
/// # let args: sites::Args = unimplemented!();
/// let setup = sites::Setup::new(&args)?; // starts the simulated web
/// let client = setup.blocking_client()?;
/// for url in setup.urls() {
///     let response = client.get(url).send()?;
/// }
/// # Ok(()) }
/// ```
pub struct Setup {
    args: Args,
    urls: Vec<String>,
    settings: Settings,
    /// How many files this process may open, if the system says.
    open_files: Option<u64>,
    web: Option<SimulatedWeb>,
    /// The class's simulated web the URLs came from, if they did.
    serve: Option<String>,
    /// The most connections the server of the list lets one address hold,
    /// if it said.
    per_address: Option<u64>,
}

impl Setup {
    /// Gets the URLs ready: the simulated web's (which it starts), the notes'
    /// real sites with `--online`, or those of `--urls`, which it reads from a
    /// file or fetches from a server (asking that server whether it is a
    /// class's simulated web). Raises the limit on open files as far as the
    /// system allows, since every download at once needs a connection.
    ///
    /// A system that allows less than `ADDRESS_SPACE` or `OPEN_FILES` is
    /// refused at once, in one line, rather than failing halfway through.
    pub fn new(args: &Args) -> Result<Setup> {
        let space = platform::limits::address_space();
        if let Some(allowed) = space {
            too_little(allowed, ADDRESS_SPACE, Limit::AddressSpace)?;
            platform::limits::one_heap();
        }
        let open_files = platform::limits::raise_open_files();
        if let Some(allowed) = open_files {
            too_little(allowed, OPEN_FILES, Limit::OpenFiles)?;
        }
        body::set_limits(Limits {
            timeout: args.timeout,
            max_bytes: args.max_bytes,
            budget: pages_budget(space),
        });
        // The list of `--urls`, read or fetched.
        let list = args.urls.as_deref().map(url_list::read).transpose()?;
        // To a class's simulated web, and to no other server, the run says who
        // it is: for the class page.
        let serve = list.as_ref().and_then(|list| list.serve.clone());
        let per_address = list.as_ref().and_then(|list| list.per_address);
        let who = serve.as_ref().map(|_| {
            let (lesson, variant) = crate::cli::lesson();
            Who { name: args.name.clone(), run: run_id(), lesson, variant }
        });
        let settings = Settings {
            timeout_s: args.timeout.as_secs_f64(),
            max_bytes: args.max_bytes,
            proxy: args.online,
            who,
        };
        let (urls, web) = if args.online {
            (NOTES_SITES.iter().map(|site| site.url.to_string()).collect(), None)
        } else if let Some(list) = list {
            (list.urls, None)
        } else {
            let web = SimulatedWeb::start(args.web.pages())?;
            (web.urls(), Some(web))
        };
        Ok(Setup {
            args: args.clone(),
            urls,
            settings,
            open_files,
            web,
            serve,
            per_address,
        })
    }

    /// The URLs to download, in order.
    pub fn urls(&self) -> &[String] {
        &self.urls
    }

    /// The command line's common options.
    pub fn args(&self) -> &Args {
        &self.args
    }

    /// What the clients are built with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The root of the class's simulated web that the URLs came from, if
    /// they came from one: the run reports to its class page.
    pub fn serve(&self) -> Option<&str> {
        self.serve.as_deref()
    }

    /// The simulated web this run started, if it started one.
    pub fn web(&self) -> Option<&SimulatedWeb> {
        self.web.as_ref()
    }

    /// How many workers to start when `asked` for: no more than there are
    /// sites, and no more downloads at once than the system's limits allow:
    /// open files (each download needs a connection, and a second one when
    /// the simulated web runs in this process) and areas of memory (each
    /// thread maps its stack and more), nor than the server of the URL list
    /// lets one address hold, when it says. Says so on stderr when it lowers
    /// the number for a limit.
    pub fn workers(&self, asked: usize) -> usize {
        self.workers_costing(asked, 0)
    }

    /// [`workers`](Setup::workers) for workers that each keep `files` more
    /// files open in this process, as a worker process's pipes do.
    pub fn workers_costing(&self, asked: usize, files: u64) -> usize {
        let workers = asked.clamp(1, self.urls.len().max(1));
        let per_download = if self.web.is_some() { 2 } else { 1 } + files;
        let by_files = self
            .open_files
            .map(|limit| limit.saturating_sub(SPARE_FILES) / per_download);
        // Each download may be a thread.
        let most = [by_files, thread_room()]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(u64::MAX)
            .max(1);
        let language = Language::of_the_system();
        // A server that says 0 still serves one at a time.
        let server = self.per_address.map(|server| server.max(1));
        if let Some(server) = server.filter(|&server| server < most)
            && workers as u64 > server
        {
            eprintln!("{}", fewer_for_the_server(server, workers, language));
            return server as usize;
        }
        if workers as u64 <= most {
            return workers;
        }
        eprintln!("{}", fewer_for_the_system(most, workers, language));
        most as usize
    }

    /// The blocking client: it waits for each answer on the calling thread.
    pub fn blocking_client(&self) -> Result<reqwest::blocking::Client> {
        client::blocking(&self.settings)
    }

    /// The async client, for tasks that `.await` their answers.
    pub fn client(&self) -> Result<reqwest::Client> {
        client::asynchronous(&self.settings)
    }
}

/// The note that a run uses `server` workers, not `workers`, as the server
/// of its URL list lets one address hold no more connections.
fn fewer_for_the_server(server: u64, workers: usize, language: Language) -> String {
    language.either(
        format!(
            "note: the server of the URL list lets one address hold {server} \
             connection{s} at once: using {server} worker{s}, not {workers}",
            s = plural(server)
        ),
        format!(
            "注意：URL 列表所在的服务器只让一个地址同时保持 {server} 个连接：\
             使用 {server} 个工作单元，而不是 {workers} 个"
        ),
    )
}

/// The note that a run uses `most` workers, not `workers`, as the system's
/// limits allow no more.
fn fewer_for_the_system(most: u64, workers: usize, language: Language) -> String {
    language.either(
        format!(
            "note: this system allows {most} download{s} at once here (its limits on open \
             files, memory areas, address space and threads): using {most} worker{s}, not \
             {workers}",
            s = plural(most)
        ),
        format!(
            "注意：这个系统在这里只允许同时进行 {most} 个下载（受限于打开的文件、内存区域、\
             地址空间和线程的数量）：使用 {most} 个工作单元，而不是 {workers} 个"
        ),
    )
}

/// `asked` threads at once, or as many as the system allows, if fewer: said
/// on stderr. For a program that starts threads with no sites to download
/// (lesson 2's `thread-cost`); [`Setup::workers`] says it for downloads.
pub fn threads_allowed(asked: usize) -> usize {
    // Under a limit of address space, the room counted is in one heap.
    if platform::limits::address_space().is_some() {
        platform::limits::one_heap();
    }
    let most = thread_room().unwrap_or(u64::MAX).max(1);
    if asked as u64 <= most {
        return asked;
    }
    eprintln!("{}", fewer_threads(most, asked, Language::of_the_system()));
    most as usize
}

/// The note that the system allows only `most` threads of the `asked`, in
/// `language`.
fn fewer_threads(most: u64, asked: usize, language: Language) -> String {
    language.either(
        format!(
            "note: this system allows {most} thread{s} at once here (its limits on memory \
             areas, address space and threads): using {most}, not {asked}",
            s = plural(most)
        ),
        format!(
            "注意：这个系统在这里只允许同时有 {most} 个线程（受限于内存区域、地址空间和线程的\
             数量）：使用 {most} 个，而不是 {asked} 个"
        ),
    )
}

/// How many threads the system lets a program keep at once, by its limits on
/// memory areas, address space and threads, half of each kept for the rest;
/// `None` where it sets none of them.
fn thread_room() -> Option<u64> {
    // A thread maps about four areas.
    let by_maps = platform::limits::memory_maps().map(|maps| maps / 8);
    // Half of the address space left is for the downloads, half for the
    // pages they hold (see `pages_budget`).
    let by_space = platform::limits::address_space()
        .map(|allowed| spare(allowed) / 2 / SPACE_PER_DOWNLOAD);
    let by_threads = platform::limits::threads().map(|threads| threads / 2);
    [by_maps, by_space, by_threads].into_iter().flatten().min()
}

/// The English plural's ending for `count` things.
fn plural(count: u64) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// `Err` in one line if the system allows less than a run needs, with the
/// command that raises the limit enough.
fn too_little(allowed: u64, needs: u64, limit: Limit) -> Result<()> {
    if allowed >= needs {
        return Ok(());
    }
    Err(Error::Setup(too_little_said(
        allowed,
        needs,
        limit,
        Language::of_the_system(),
    )))
}

/// What [`too_little`] says, in `language`.
fn too_little_said(
    allowed: u64,
    needs: u64,
    limit: Limit,
    language: Language,
) -> String {
    let (needs, allowed, command) = match limit {
        Limit::AddressSpace => (
            language.either(
                format!("{} MiB of address space", needs >> 20),
                format!("{} MiB 的地址空间", needs >> 20),
            ),
            format!("{} MiB", allowed >> 20),
            format!("ulimit -v {}", needs >> 10), // in KiB
        ),
        Limit::OpenFiles => (
            language.either(
                format!("{needs} open files"),
                format!("{needs} 个打开的文件"),
            ),
            allowed.to_string(),
            format!("ulimit -n {needs}"),
        ),
    };
    language.either(
        format!(
            "a run needs {needs}, but this system allows it only {allowed}: \
             raise the limit with `{command}` or more"
        ),
        format!(
            "一次运行需要 {needs}，但这个系统只允许 {allowed}：\
             用 `{command}` 或更大的值提高限制"
        ),
    )
}

/// A limit of the system that [`too_little`] names.
enum Limit {
    AddressSpace,
    OpenFiles,
}

/// The address space a limit of `allowed` bytes leaves beyond a run's own:
/// for its downloads and the pages they hold.
fn spare(allowed: u64) -> u64 {
    allowed.saturating_sub(RUN_SPACE)
}

/// The most page bytes a run's downloads may hold at once: [`BUDGET`], or
/// under a limit of address space, half of what the limit leaves (the other
/// half is for the downloads' threads), so that no allocation fails.
pub(crate) fn pages_budget(space: Option<u64>) -> usize {
    let spare = space.map_or(u64::MAX, |allowed| spare(allowed) / 2);
    usize::try_from(spare).unwrap_or(usize::MAX).min(crate::BUDGET)
}

/// An id for this run, unlike any other's: the time and the process.
fn run_id() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    let nanos = now.map_or(0, |now| now.as_nanos() as u64);
    format!("{:x}{:x}", nanos, std::process::id())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Whether `text` has Chinese in it: Han.
    pub(crate) fn chinese(text: &str) -> bool {
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn the_system_s_limits_are_said_in_english_and_in_chinese() {
        let said = |language| {
            [
                fewer_for_the_server(50, 1000, language),
                fewer_for_the_system(40, 1000, language),
                fewer_threads(32, 5000, language),
                too_little_said(20, 32, Limit::OpenFiles, language),
                too_little_said(50 << 20, 64 << 20, Limit::AddressSpace, language),
            ]
        };
        for (english, in_chinese) in
            said(Language::English).iter().zip(said(Language::Chinese))
        {
            assert!(!chinese(english), "{english}");
            assert!(chinese(&in_chinese), "{in_chinese}");
            // The numbers and the command, in both.
            let numbers = |text: &str| -> Vec<String> {
                text.split(|c: char| !c.is_ascii_digit())
                    .filter(|part| !part.is_empty())
                    .map(str::to_string)
                    .collect()
            };
            assert_eq!(numbers(english), numbers(&in_chinese), "{in_chinese}");
        }
        let english = too_little_said(20, 32, Limit::OpenFiles, Language::English);
        assert_eq!(
            english,
            "a run needs 32 open files, but this system allows it only 20: raise the \
             limit with `ulimit -n 32` or more"
        );
    }
}
