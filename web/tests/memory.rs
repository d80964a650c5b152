//! What a client can make the simulated web keep is bounded in bytes: a test
//! of its own, so that its process's memory is the web's and this client's
//! alone. The client sends raw requests, which cost it next to nothing.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    thread,
    time::Duration,
};

use web::{Pages, SimulatedWeb};

/// This process's resident memory, in MiB.
fn resident_mib() -> f64 {
    platform::memory::resident_kb().unwrap_or(0) as f64 / 1024.0
}

/// Sends `request` on `stream` and reads the answer's body.
fn ask(stream: &mut BufReader<TcpStream>, request: &str) -> Vec<u8> {
    stream.get_mut().write_all(request.as_bytes()).expect("sent");
    let mut length = 0;
    loop {
        let mut line = String::new();
        stream.read_line(&mut line).expect("a header");
        let lower = line.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse().expect("a length");
        }
        if line == "\r\n" || line.is_empty() {
            break;
        }
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).expect("the body");
    body
}

fn connect(web: &SimulatedWeb) -> BufReader<TcpStream> {
    let stream = TcpStream::connect(web.addr()).expect("connected");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("a timeout");
    BufReader::new(stream)
}

#[test]
fn long_paths_unread_answers_and_passing_pages_leave_the_web_s_memory_bounded() {
    let web = SimulatedWeb::start(Pages::notes()).expect("a web");
    let state = "GET /class/state HTTP/1.1\r\nHost: a\r\n\r\n";
    ask(&mut connect(&web), state);
    let before = resident_mib();

    // 4,000 requests of 50 runs, each with a path of 60 KB.
    let path = format!("/{}", "x".repeat(60_000));
    let senders: Vec<_> = (0..20)
        .map(|sender| {
            let mut stream = connect(&web);
            let path = path.clone();
            thread::spawn(move || {
                for n in 0..200 {
                    let run = (sender * 200 + n) % 50;
                    let request = format!(
                        "GET {path} HTTP/1.1\r\nHost: a\r\nx-sites-run: {run}\r\n\
                         x-sites-name: ana\r\n\r\n"
                    );
                    ask(&mut stream, &request);
                }
            })
        })
        .collect();
    for sender in senders {
        sender.join().expect("sent them all");
    }
    assert_eq!(web.served().len(), 4001);
    let after_paths = resident_mib();

    // Ten clients ask for the class's state and never read it.
    let unread: Vec<TcpStream> = (0..10)
        .map(|_| {
            let mut stream = TcpStream::connect(web.addr()).expect("connected");
            stream.write_all(state.as_bytes()).expect("sent");
            stream
        })
        .collect();
    thread::sleep(Duration::from_secs(2));
    let after_unread = resident_mib();
    drop(unread);

    // A thousand pages come and go, each reading the first news of the feed.
    for _ in 0..1000 {
        let mut feed = connect(&web);
        feed.get_mut()
            .write_all(b"GET /class/events HTTP/1.1\r\nHost: a\r\n\r\n")
            .expect("sent");
        let mut line = String::new();
        while !line.starts_with("data: ") {
            line.clear();
            feed.read_line(&mut line).expect("the feed");
        }
    }
    let after_feeds = resident_mib();

    // Unbounded, the paths alone would take 480 MB: twice, in the record
    // and on the class page.
    let grown = [after_paths, after_unread, after_feeds].map(|mib| mib - before);
    assert!(grown.iter().all(|&mib| mib < 64.0), "grew by {grown:?} MiB");
}
