//! Serves the simulated web to other programs: a class's shared server, Python
//! versions of the lessons, a benchmark. It prints the URL of every page on its
//! own line, so its output is a ready `--urls` file, logs every request on
//! stderr, and serves until stopped with Ctrl-C. In a browser, its root is
//! the class page: every run against it, live.
//!
//! ```text
//! cargo run -p web --bin serve -- --port 8000 > urls.txt
//! cargo run -p ch01-sequential -- --urls http://127.0.0.1:8000/urls.txt
//! ```

use std::{
    io::Write,
    net::{IpAddr, Ipv4Addr},
    process::ExitCode,
    time::{SystemTime, UNIX_EPOCH},
};

use clap::Parser;
use tokio::sync::broadcast::error::RecvError;
use web::{
    CLASS_BYTES, CONNECTION_BYTES, CONNECTIONS_BYTES, EXERCISES, Fault, Guard,
    MEMORY_BYTES, MOST_MESSAGE_CHARS, MOST_PATH_BYTES, MOST_STUDENTS,
    MOST_SUMMARY_BYTES, MOST_VERDICT_BYTES, RECORD_BYTES, Served, SimulatedWeb,
    cli::WebArgs,
    language::{Language, SPOKEN},
    tr,
};

/// The command line. What `--help` says of serve and each of its own options
/// is a message of `i18n/*/web.ftl` (`help-arg-port`): see [`cli`].
#[derive(Parser)]
#[command(name = "serve")]
struct Args {
    #[arg(long, default_value_t = 8000, value_parser = port)]
    port: u16,

    #[arg(long, default_value = "127.0.0.1", value_parser = host)]
    host: IpAddr,

    #[arg(long)]
    quiet: bool,

    #[arg(long, value_name = "N", value_parser = connections)]
    connections: Option<usize>,

    #[arg(long, value_name = "N", value_parser = connections)]
    per_address: Option<usize>,

    #[command(flatten)]
    web: WebArgs,
}

/// [`Args`]' command, its help in the language spoken: serve's own words
/// are the messages `help-` and what [`web::cli::with_help`] asks for; the
/// options it shares with the lessons keep their doc comments' English, or
/// say [`web::cli::web_args_in_chinese`].
fn cli() -> clap::Command {
    let chinese = Language::of_the_system() == Language::Chinese;
    let said = move |id: &str| {
        let message = format!("help-{id}");
        match SPOKEN.has(&message) {
            true => Some(SPOKEN.get(&message)),
            false => web::cli::web_args_in_chinese(id)
                .filter(|_| chinese)
                .map(String::from),
        }
    };
    let command =
        web::cli::command::<Args>().about(tr!("help-about")).after_help(budgets());
    web::cli::with_help(command, said)
}

fn main() -> ExitCode {
    let args: Args = web::cli::parse_with(cli());
    // Under a limit of address space, all that serve may hold must fit, in
    // one heap (glibc's reserves 64 MiB a thread otherwise).
    if let Some(allowed) = platform::limits::address_space() {
        let needs = (MEMORY_BYTES + SERVE_SPACE) as u64;
        if allowed < needs {
            let (holds, mib) = (MEMORY_BYTES >> 20, |bytes: u64| bytes >> 20);
            let command = format!("ulimit -v {}", needs >> 10);
            eprintln!(
                "{}",
                tr!(
                    "too-little-space",
                    holds = holds,
                    needs = mib(needs),
                    allowed = mib(allowed),
                    command = command
                )
            );
            return ExitCode::FAILURE;
        }
        platform::limits::one_heap();
    }
    let files = platform::limits::raise_open_files().unwrap_or(1024);
    let mut guard = Guard::for_files(files);
    guard.connections = args.connections.unwrap_or(guard.connections);
    guard.per_address =
        args.per_address.unwrap_or(Guard::share_of(guard.connections));
    // A budget the system's file limit made too small for a class is said
    // now, with the fix, rather than met as students' pages that wait.
    if args.connections.is_none() && guard.per_address < A_CLASS {
        let (connections, per_address) = (guard.connections, guard.per_address);
        eprintln!(
            "{}",
            tr!(
                "too-few-files",
                files = files,
                connections = connections,
                per_address = per_address,
                class = A_CLASS
            )
        );
    }
    let addr = (args.host, args.port).into();
    let web = match SimulatedWeb::guarded(args.web.pages(), addr, guard) {
        Ok(web) => web,
        Err(web::Error::Serve { addr, err }) => {
            let (addr, error) = (addr.to_string(), err.to_string());
            eprintln!("{}", tr!("cannot-serve", addr = addr, error = error));
            return ExitCode::FAILURE;
        }
        Err(err) => {
            eprintln!("{}", tr!("error", error = err.to_string()));
            return ExitCode::FAILURE;
        }
    };
    // Listening on every address, the URLs name one that other machines can
    // reach, and the class's pages name them all.
    let port = web.addr().port();
    let reachable: Vec<(String, IpAddr)> = match args.host {
        // Those of the family it listens on: 0.0.0.0 takes no IPv6.
        host if host.is_unspecified() => (platform::network::addresses()
            .into_iter())
        .filter(|(_, ip)| ip.is_ipv4() == host.is_ipv4())
        .collect(),
        host => vec![(String::new(), host)],
    };
    let origin =
        |ip: IpAddr| format!("http://{}", std::net::SocketAddr::new(ip, port));
    web.reachable_at(
        &reachable.iter().map(|(_, ip)| origin(*ip)).collect::<Vec<_>>(),
    );
    let host =
        reachable.first().map_or(IpAddr::from(Ipv4Addr::LOCALHOST), |(_, ip)| *ip);
    let urls = web.urls_at(host);
    // The list goes to stdout, ready for --urls; a closed pipe is no error.
    let _ = writeln!(std::io::stdout().lock(), "{}", urls.join("\n"));
    let root = format!("{}/", origin(host));
    eprintln!("{}", tr!("serving", pages = urls.len(), root = root.as_str()));
    if args.host.is_unspecified() {
        match &reachable[..] {
            [] => eprintln!("{}", tr!("no-network", port = port)),
            [_] => {}
            several => {
                eprintln!("{}", tr!("other-machines"));
                for (interface, ip) in several {
                    eprintln!("  {}/  ({interface})", origin(*ip));
                }
            }
        }
    }
    eprintln!("{}", tr!("class-page", root = root.as_str()));
    eprintln!("{}", tr!("students-run", root = root.as_str()));
    eprintln!("{}", tr!("faults"));
    for fault in Fault::ALL {
        eprintln!("  {root}{}", fault.path().trim_start_matches('/'));
    }
    if !args.quiet {
        let mut events = web.events();
        std::thread::spawn(move || {
            loop {
                match events.blocking_recv() {
                    Ok(served) if served.finished_ms.is_some() => log(&served),
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => break,
                }
            }
        });
    }
    match stopped() {
        Ok(signal) => {
            let served = web.served().len();
            drop(web);
            eprintln!("{}", tr!("stopped", signal = signal, served = served));
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("{}", tr!("no-ctrl-c", error = err.to_string()));
            ExitCode::FAILURE
        }
    }
}

/// The connections a class may hold at once: 30 students, each with lesson
/// 5's twelve downloads going, and their class pages. A room behind one
/// address needs them in that address's share.
const A_CLASS: usize = 400;

/// The address space serve needs beyond what it may hold: the program, its
/// threads' stacks, what the allocator keeps. Measured in one heap, with
/// 5,000 connections open: 47 MiB more than its resident memory.
const SERVE_SPACE: usize = 64 << 20;

/// `--port`: from 0 to 65535.
fn port(text: &str) -> Result<u16, String> {
    web::cli::within(text, 0..=u16::MAX, "")
}

/// `--host`: an IP address, v4 or v6.
fn host(text: &str) -> Result<IpAddr, String> {
    text.trim().parse().map_err(|_| tr!("not-an-address"))
}

/// `--connections` and `--per-address`: from 1 to a million.
fn connections(text: &str) -> Result<usize, String> {
    web::cli::within(text, 1..=1_000_000, "")
}

/// What `serve` keeps of what clients send, at most, for `--help`.
fn budgets() -> String {
    let guard = Guard::default();
    let (mib, kib) = (|bytes: usize| bytes >> 20, |bytes: usize| bytes >> 10);
    tr!(
        "help-budgets",
        memory = mib(MEMORY_BYTES),
        path = MOST_PATH_BYTES,
        record = mib(RECORD_BYTES),
        class = mib(CLASS_BYTES),
        summary = kib(MOST_SUMMARY_BYTES),
        verdict = kib(MOST_VERDICT_BYTES),
        students = MOST_STUDENTS,
        exercises = EXERCISES.len(),
        message = MOST_MESSAGE_CHARS,
        headers = guard.header_timeout.as_secs(),
        unread = guard.write_timeout.as_secs(),
        connection = kib(CONNECTION_BYTES),
        connections = mib(CONNECTIONS_BYTES)
    )
}

/// One line for a request whose answer has ended: the time of day (UTC),
/// who asked, the path, the status, the bytes sent and how long it took.
fn log(served: &Served) {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    let (seconds, millis) = (now.as_secs() % 86_400, now.subsec_millis());
    let time = format!(
        "{:02}:{:02}:{:02}.{millis:03}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    );
    let name = served.who.as_ref().map_or("-", |who| who.name.as_str());
    let took = served.finished_ms.unwrap_or(served.arrived_ms) - served.arrived_ms;
    eprintln!(
        "{time} {name:<12} {} {} {} B {took:.0} ms",
        served.path, served.status, served.bytes
    );
}

/// Waits for Ctrl-C, or on Unix for SIGTERM too; says which came.
fn stopped() -> std::io::Result<&'static str> {
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let mut terminate = signal(SignalKind::terminate())?;
            tokio::select! {
                interrupted = tokio::signal::ctrl_c() => interrupted.map(|()| "Ctrl-C"),
                _ = terminate.recv() => Ok("SIGTERM"),
            }
        }
        // Windows has no SIGTERM; a console's Ctrl-C comes as an event.
        #[cfg(not(unix))]
        tokio::signal::ctrl_c().await.map(|()| "Ctrl-C")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_of_serve_says_what_it_does() {
        let command = cli();
        for arg in command.get_arguments() {
            assert!(arg.get_help().is_some(), "--{} says nothing", arg.get_id());
        }
        command.debug_assert();
    }
}
