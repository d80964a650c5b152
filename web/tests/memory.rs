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

/// `count` clients that ask for `path`, round the `paths`, and never read
/// the answer; after two seconds, for the web to answer what it will.
fn unread(web: &SimulatedWeb, paths: &[&str], count: usize) -> Vec<TcpStream> {
    let clients = (paths.iter().cycle().take(count))
        .map(|path| {
            let mut stream = TcpStream::connect(web.addr()).expect("connected");
            let request = format!("GET {path} HTTP/1.1\r\nHost: a\r\n\r\n");
            stream.write_all(request.as_bytes()).expect("sent");
            stream
        })
        .collect();
    thread::sleep(Duration::from_secs(2));
    clients
}

/// Taken by each test while it measures: the process's memory is one.
static ALONE: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn long_paths_unread_answers_and_passing_pages_leave_the_web_s_memory_bounded() {
    let _alone = ALONE.lock().unwrap_or_else(|err| err.into_inner());
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
    assert_eq!(web.served().len(), 4000, "the class's own routes unrecorded");
    let after_paths = resident_mib();

    // Ten clients ask for the class's state and never read it.
    let unread = unread(&web, &["/class/state"], 10);
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

#[test]
fn unread_clients_of_every_progress_route_share_one_copy_of_the_grid() {
    let _alone = ALONE.lock().unwrap_or_else(|err| err.into_inner());
    let web = SimulatedWeb::start(Pages::notes()).expect("a web");
    // The largest grid: every student a verdict on every exercise, each
    // message 300 `<`, which JSON writes in six bytes: 6 MB a copy.
    let mut poster = connect(&web);
    for student in 0..web::MOST_STUDENTS {
        for exercise in web::EXERCISES {
            let verdict = web::Verdict {
                name: format!("student {student}"),
                exercise: exercise.into(),
                passed: false,
                message: "<".repeat(web::MOST_MESSAGE_CHARS),
                attempt: 1,
                at: 0,
            };
            let body = serde_json::to_string(&verdict).expect("JSON");
            let request = format!(
                "POST /class/verdict HTTP/1.1\r\nHost: a\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            assert_eq!(ask(&mut poster, &request), b"thank you\n");
        }
    }
    let before = resident_mib();

    // Two hundred clients on each route ask and never read.
    let routes =
        ["/class/exercises", "/class/exercises/state", "/class/exercises/events"];
    let unread = unread(&web, &routes, 3 * 200);
    let grown = resident_mib() - before;
    drop(unread);

    // A copy each: this grew by 99 MiB in its first two seconds so.
    assert!(grown < 64.0, "grew by {grown:.0} MiB");
}

#[test]
fn a_thousand_unread_feeds_cost_at_most_a_connection_s_bytes_each() {
    let _alone = ALONE.lock().unwrap_or_else(|err| err.into_inner());
    let web = SimulatedWeb::start(Pages::notes()).expect("a web");
    let before = resident_mib();
    let unread = unread(&web, &["/class/events"], 1000);
    let grown = resident_mib() - before;
    drop(unread);
    let most = 1000.0 * web::CONNECTION_BYTES as f64 / f64::from(1 << 20);
    assert!(grown < most, "grew by {grown:.1} MiB, more than {most:.1}");
}
