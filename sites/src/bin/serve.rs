//! Serves the simulated web to other programs: a class's shared server, Python
//! versions of the lessons, a benchmark. It prints the URL of every page on its
//! own line, so its output is a ready `--urls` file, then serves until stopped
//! with Ctrl-C.
//!
//! ```text
//! cargo run -p sites --bin serve -- --port 8000 > urls.txt
//! cargo run -p ch01-sequential -- --urls urls.txt
//! ```

use std::{io::Write, net::IpAddr, process::ExitCode};

use clap::Parser;
use sites::{Fault, SimulatedWeb, cli::WebArgs};

/// Serve the simulated web until interrupted, printing each page's URL.
#[derive(Parser)]
#[command(name = "serve")]
struct Args {
    /// The port to listen on; 0 lets the system pick a free one
    #[arg(long, default_value_t = 8000)]
    port: u16,

    /// The address to listen on; to serve a class, give this machine's address
    /// on the class network
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,

    #[command(flatten)]
    web: WebArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let web =
        match SimulatedWeb::bind(args.web.pages(), (args.host, args.port).into()) {
            Ok(web) => web,
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::FAILURE;
            }
        };
    // The list goes to stdout, ready for --urls; a closed pipe is no error.
    let _ = writeln!(std::io::stdout().lock(), "{}", web.urls().join("\n"));
    eprintln!(
        "Serving {} pages at {} until Ctrl-C.",
        web.urls().len(),
        web.url("/")
    );
    eprintln!("Pages that fail on purpose, for experiments:");
    for fault in Fault::ALL {
        eprintln!("  {}", web.fault(fault));
    }
    web.wait();
    ExitCode::FAILURE
}
