//! The simulated web, tested as a client sees it: over real HTTP on loopback.

use std::{
    io::{BufRead, BufReader, Read},
    process::{Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use reqwest::{
    blocking::Client,
    header::{HeaderMap, HeaderValue},
};
use web::{Fault, Guard, NOTES_SITES, Pages, SimulatedWeb, WHO_HEADERS};

/// Any failure of a test, with its message.
type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// A blocking client that gives up after `timeout`, saying who it is with
/// `headers`.
fn client_with(timeout: Duration, headers: HeaderMap) -> Client {
    // reqwest is built without a TLS provider of its own: the lessons pick it.
    #[allow(deprecated)] // ring, as the lessons' client (see sites' client.rs)
    let _ = rustls::crypto::ring::default_provider().install_default();
    let builder = Client::builder().timeout(timeout).default_headers(headers);
    builder.build().expect("a client")
}

/// A blocking client that gives up after `timeout`.
fn client(timeout: Duration) -> Client {
    client_with(timeout, HeaderMap::new())
}

#[test]
fn it_serves_exactly_the_sizes_the_notes_recorded_and_records_each() -> TestResult {
    let web = SimulatedWeb::start(Pages::notes().faster(50.0))?;
    let urls = web.urls();
    assert_eq!(urls.len(), 12);
    let client = client(Duration::from_secs(5));
    for (url, site) in urls.iter().zip(NOTES_SITES) {
        let response = client.get(url).send()?;
        assert!(response.status().is_success());
        assert_eq!(response.bytes()?.len(), site.bytes, "{url}");
    }
    let served = web.served();
    assert_eq!(served.len(), 12);
    for (request, site) in served.iter().zip(NOTES_SITES) {
        assert_eq!(request.path, site.path());
        assert_eq!(
            (request.status, request.bytes, request.complete),
            (200, site.bytes as u64, true)
        );
        let took = request.finished_ms.expect("answered") - request.arrived_ms;
        let latency = (site.first_byte + site.transfer()).as_secs_f64() * 1e3 / 50.0;
        assert!(
            took >= latency - 1.0,
            "{} took {took} ms, less than {latency}",
            site.url
        );
    }
    Ok(())
}

#[test]
fn it_puts_each_site_at_its_host_and_path_with_the_repeat_kept() -> TestResult {
    let web = SimulatedWeb::start(Pages::notes())?;
    let urls = web.urls();
    assert_eq!(urls[0], format!("http://{}/www.baidu.com/", web.addr()));
    assert_eq!(urls[6], urls[9]);
    assert!(web.addr().ip().is_loopback());
    assert_eq!(web.page(&urls[3]).map(|page| page.bytes), Some(695_359));
    Ok(())
}

#[test]
fn made_up_pages_are_served_for_scale_runs() -> TestResult {
    let pages = Pages::synthetic(300, Duration::from_millis(1));
    let web = SimulatedWeb::start(pages.clone())?;
    let client = client(Duration::from_secs(5));
    for (url, page) in web.urls().iter().zip(pages.iter()).step_by(37) {
        assert_eq!(client.get(url).send()?.bytes()?.len(), page.bytes);
    }
    Ok(())
}

#[test]
fn each_fault_page_fails_the_way_it_says() -> TestResult {
    let web = SimulatedWeb::start(Pages::notes())?;
    let client = client(Duration::from_millis(400));
    let get = |fault| client.get(web.fault(fault)).send();

    assert!(get(Fault::Silent).expect_err("never answers").is_timeout());
    assert_eq!(get(Fault::Status(503))?.status().as_u16(), 503);
    // Failures of their own kind, not a server that merely kept quiet.
    assert!(!get(Fault::Reset).expect_err("a reset").is_timeout());
    let truncated = get(Fault::Truncated)?;
    assert_eq!(truncated.content_length(), Some(10_000));
    assert!(!truncated.bytes().expect_err("cut short").is_timeout());
    let stalled = get(Fault::Stall)?;
    assert_eq!(stalled.content_length(), Some(1_000));
    assert!(stalled.bytes().expect_err("no body comes").is_timeout());
    assert!(get(Fault::Drip)?.bytes().is_err());
    assert_eq!(get(Fault::Huge)?.content_length(), Some(50_000_000_000));
    let flaky: Vec<u16> = (0..6)
        .map(|_| get(Fault::Flaky).map(|r| r.status().as_u16()))
        .collect::<Result<_, _>>()?;
    assert_eq!(flaky, [503, 503, 200, 503, 503, 200]);

    // An endless body keeps coming for as long as it is read.
    let mut endless = get(Fault::Endless)?;
    let mut read = 0;
    while read <= 4 << 20 {
        let mut buffer = [0; 64 * 1024];
        read += endless.read(&mut buffer).expect("more to read");
    }
    Ok(())
}

#[test]
fn an_unknown_path_is_not_found_and_the_root_lists_the_urls() -> TestResult {
    let web = SimulatedWeb::start(Pages::notes())?;
    let client = client(Duration::from_secs(5));
    assert_eq!(client.get(web.url("/no/such/page")).send()?.status().as_u16(), 404);
    for index in ["/", "/urls.txt"] {
        let list = client.get(web.url(index)).send()?.text()?;
        assert_eq!(list.lines().collect::<Vec<_>>(), web.urls(), "{index}");
    }
    Ok(())
}

/// Waits until the web has a request for `path` in flight.
fn wait_in_flight(web: &SimulatedWeb, path: &str) {
    let started = Instant::now();
    while !web.served().iter().any(|s| s.path == path && s.finished_ms.is_none()) {
        assert!(started.elapsed() < Duration::from_secs(30), "{path} never arrived");
        thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn dropping_the_web_shuts_it_down_even_with_a_request_waiting() -> TestResult {
    let web = SimulatedWeb::start(Pages::notes())?;
    let addr = web.addr();
    let silent = web.fault(Fault::Silent);
    let waiting =
        thread::spawn(move || client(Duration::from_secs(60)).get(silent).send());
    wait_in_flight(&web, "/fault/silent");
    let dropped = Instant::now();
    drop(web);
    assert!(waiting.join().expect("no panic").is_err(), "the connection was closed");
    assert!(
        dropped.elapsed() < Duration::from_secs(30),
        "it did not wait for the request"
    );
    assert!(std::net::TcpStream::connect(addr).is_err(), "nothing listens any more");
    Ok(())
}

#[test]
fn the_serve_binary_prints_a_url_list_and_serves_it() -> TestResult {
    let mut serve = Command::new(env!("CARGO_BIN_EXE_serve"))
        .args(["--port", "0", "--speed", "50"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let stdout = serve.stdout.take().expect("piped");
    let urls: Vec<String> =
        BufReader::new(stdout).lines().take(12).map_while(Result::ok).collect();
    let client = client(Duration::from_secs(5));
    // The whole body is read before serve is stopped.
    let body =
        urls.first().map(|url| client.get(url).send().and_then(|r| r.bytes()));
    serve.kill().expect("serve stops");
    let _ = serve.wait();

    assert_eq!(urls.len(), 12, "{urls:?}");
    assert!(urls[2].ends_with("/www.sina.com.cn/"), "{urls:?}");
    assert_eq!(body.expect("a first URL")?.len(), 2443);
    Ok(())
}

#[test]
fn serve_says_in_one_line_when_its_port_is_taken() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = taken.local_addr().expect("bound").port().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_serve"))
        .args(["--port", &port])
        .env("LC_ALL", "C")
        .output()
        .expect("serve runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: cannot serve at 127.0.0.1:"), "{stderr}");
}

/// A client that says it is run `run` of `name`, with the headers a lesson
/// sends.
fn run_of(name: &str, run: &str) -> Client {
    let values = [name, run, "ch02-threads", "pool"];
    let headers = (WHO_HEADERS.iter().zip(values))
        .map(|(header, value)| {
            let value = HeaderValue::from_str(value).expect("a header's text");
            (header.parse().expect("a header's name"), value)
        })
        .collect();
    client_with(Duration::from_secs(5), headers)
}

#[test]
fn the_flaky_page_fails_twice_then_answers_for_each_run_on_its_own() -> TestResult {
    let web = SimulatedWeb::start(Pages::notes())?;
    let (ana, ben) = (run_of("ana", "1"), run_of("ben", "2"));
    let status = |client: &Client| -> TestResult<u16> {
        Ok(client.get(web.fault(Fault::Flaky)).send()?.status().as_u16())
    };
    assert_eq!([status(&ana)?, status(&ana)?], [503, 503]);
    // Ben starts afresh, whatever Ana has seen.
    assert_eq!([status(&ben)?, status(&ben)?, status(&ben)?], [503, 503, 200]);
    assert_eq!(status(&ana)?, 200);
    Ok(())
}

#[test]
fn the_class_feed_tells_the_time_while_a_run_still_downloads() -> TestResult {
    let web = SimulatedWeb::start(Pages::notes())?;
    let mut served = web.events();
    let silent = web.fault(Fault::Silent);
    // A download of Ana's that the web never answers, until she gives up.
    thread::spawn(move || run_of("ana", "1").get(silent).send().is_err());
    let arrived = served.blocking_recv().expect("the web files the request");
    assert_eq!(arrived.finished_ms, None, "in flight");

    let feed =
        client(Duration::from_secs(10)).get(web.url("/class/events")).send()?;
    let clocks: Vec<f64> = BufReader::new(feed)
        .lines()
        .map_while(Result::ok)
        .filter_map(|line| line.strip_prefix("data: ").map(str::to_owned))
        .take(4)
        .map(|news| {
            let news: serde_json::Value = serde_json::from_str(&news).expect("JSON");
            news["now_ms"].as_f64().expect("the web's clock")
        })
        .collect();
    // Nothing else changes, yet the page hears the time go on.
    assert_eq!(clocks.len(), 4, "{clocks:?}");
    assert!(clocks.windows(2).all(|pair| pair[0] < pair[1]), "{clocks:?}");
    Ok(())
}

#[test]
fn the_class_page_refuses_a_report_too_large_or_not_a_summary_and_changes_nothing()
-> TestResult {
    let web = SimulatedWeb::start(Pages::notes().faster(50.0))?;
    let ana = run_of("ana", "1");
    ana.get(&web.urls()[0]).send()?.bytes()?;
    let state = || -> TestResult<String> {
        Ok(ana.get(web.url("/class/state")).send()?.text()?)
    };
    let before = state()?;
    assert!(
        before.contains("\"name\":\"ana\"") && before.contains("\"score\":null"),
        "{before}"
    );
    let post = |body: Vec<u8>| -> TestResult<u16> {
        Ok(ana.post(web.url("/class/report")).body(body).send()?.status().as_u16())
    };
    let summary = r#"{"wall_ms":12.5,"workers":1,"sites":1,"failures":0,"work":[]}"#;
    let padded = format!("{}{}", " ".repeat(64 * 1024), summary);
    assert_eq!(post(padded.into_bytes())?, 413, "over 64 KiB");
    assert_eq!(post(br#"{"wall_ms":"soon"}"#.to_vec())?, 400, "not a summary");
    assert_eq!(
        post(
            br#"{"wall_ms":1,"workers":1,"sites":1,"failures":0,"extra":1}"#
                .to_vec()
        )?,
        400
    );
    let anonymous = client(Duration::from_secs(5))
        .post(web.url("/class/report"))
        .body(summary)
        .send()?;
    assert_eq!(anonymous.status().as_u16(), 400, "from no run");
    assert_eq!(state()?, before, "nothing changed");
    assert_eq!(post(summary.as_bytes().to_vec())?, 200);
    assert!(state()?.contains("\"wall_ms\":12.5"), "{}", state()?);
    Ok(())
}

#[test]
fn a_browser_gets_the_class_page_with_every_name_unable_to_close_its_script()
-> TestResult {
    let web = SimulatedWeb::start(Pages::notes().faster(50.0))?;
    run_of("</script><script>alert(1)</script>", "1")
        .get(&web.urls()[0])
        .send()?
        .bytes()?;
    let page = client(Duration::from_secs(5))
        .get(web.url("/"))
        .header("accept", "text/html")
        .send()?
        .text()?;
    assert!(page.starts_with("<!doctype html>"), "{page}");
    assert!(!page.contains("</script><script>alert(1)"), "{page}");
    assert!(
        page.contains(r"\u003c/script>\u003cscript>alert(1)"),
        "the name is kept, as text"
    );
    Ok(())
}

#[test]
fn the_progress_view_refuses_a_verdict_too_long_or_not_a_verdict_and_changes_nothing()
-> TestResult {
    let web = SimulatedWeb::start(Pages::notes())?;
    let client = client(Duration::from_secs(5));
    let state = || -> TestResult<String> {
        Ok(client.get(web.url("/class/exercises/state")).send()?.text()?)
    };
    let post = |body: String| -> TestResult<u16> {
        Ok(client
            .post(web.url("/class/verdict"))
            .body(body)
            .send()?
            .status()
            .as_u16())
    };
    let verdict = |name: &str, exercise: &str, message: &str| {
        let verdict = web::Verdict {
            name: name.into(),
            exercise: exercise.into(),
            passed: false,
            message: message.into(),
            attempt: 1,
            at: 1,
        };
        serde_json::to_string(&verdict).expect("JSON")
    };
    let before = state()?;
    let long = "x".repeat(web::MOST_VERDICT_BYTES);
    assert_eq!(post(verdict("ana", "threads-2", &long))?, 400, "over 4 KiB");
    assert_eq!(
        post(verdict("ana", "threads-9", "no such"))?,
        400,
        "no such exercise"
    );
    assert_eq!(post(verdict("\u{7}", "threads-2", "no name"))?, 400, "no name");
    for blank in ["\u{200b}", "\u{2060}\u{202e}", "\u{feff}", "\u{3164}", "\u{2800}"]
    {
        assert_eq!(post(verdict(blank, "threads-2", "blank"))?, 400, "{blank:?}");
    }
    assert_eq!(post(r#"{"name":"ana","exercise":"threads-2"}"#.into())?, 400);
    let code = r#"{"name":"ana","exercise":"threads-2","passed":true,"message":"",
        "attempt":1,"at":1,"code":"fn main() {}"}"#;
    assert_eq!(post(code.into())?, 400, "a verdict carries no code");
    assert_eq!(state()?, before, "nothing changed");
    assert_eq!(post(verdict("ana", "threads-2", "first\nsecond"))?, 200);
    let after = state()?;
    assert!(after.contains(r#""message":"first""#), "the first line: {after}");
    Ok(())
}

#[test]
fn a_verdict_announcing_more_than_it_may_is_refused_at_once_and_closed() {
    let web = SimulatedWeb::start(Pages::notes()).expect("a web");
    let answer = raw(
        &web,
        "POST /class/verdict HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n{",
    );
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
}

/// Sends `request` on a connection of its own and gives back the answer's
/// head and body, read until the server closes the connection, which it must
/// do within ten seconds.
fn raw(web: &SimulatedWeb, request: &str) -> String {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(web.addr()).expect("connected");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("a timeout");
    stream.write_all(request.as_bytes()).expect("sent");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("the server closes the connection");
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn a_summary_announcing_more_than_it_may_is_refused_at_once_and_closed() -> TestResult
{
    let web = SimulatedWeb::start(Pages::notes())?;
    // It is closed without the body it announced: `raw` reads to its end.
    let answer = raw(
        &web,
        "POST /class/report HTTP/1.1\r\nHost: a\r\nx-sites-run: 1\r\n\
         x-sites-name: ana\r\nContent-Length: 1000000000000\r\n\r\n{",
    );
    assert!(answer.starts_with("HTTP/1.1 413 "), "{answer}");
    Ok(())
}

#[test]
fn the_list_asked_without_a_host_names_the_address_reached() -> TestResult {
    let web = SimulatedWeb::start(Pages::notes())?;
    let answer = raw(&web, "GET /urls.txt HTTP/1.0\r\n\r\n");
    let (_, list) = answer.split_once("\r\n\r\n").expect("a head and a body");
    assert_eq!(list.lines().collect::<Vec<_>>(), web.urls(), "{answer}");
    Ok(())
}

#[test]
fn a_name_in_any_script_is_kept_as_typed_encoded_or_raw_and_cut_by_characters()
-> TestResult {
    let web = SimulatedWeb::start(Pages::notes())?;
    let page = web.urls()[0].replace(&web.url(""), "/");
    let who = |header: &str| {
        let request = format!(
            "GET {page} HTTP/1.1\r\nHost: a\r\nConnection: close\r\nx-sites-run: 1\r\n\
             x-sites-name: {header}\r\n\r\n"
        );
        raw(&web, &request);
        web.served().last().and_then(|served| served.who.clone())
    };
    let name = |header: &str| who(header).expect("who").name;
    assert_eq!(name("Zo%C3%AB%20%E5%AD%A6%E7%94%9F"), "Zoë 学生", "percent-encoded");
    assert_eq!(name("Zoë 学生"), "Zoë 学生", "raw UTF-8");
    assert_eq!(name("a%0Ab%07c"), "abc", "control characters dropped");
    let long = "学".repeat(100);
    assert_eq!(name(&long), "学".repeat(64), "64 characters, not bytes");
    // A name that would show nothing makes the run nobody's: no blank row.
    assert!(who("%E2%80%8B%E3%85%A4").is_none(), "a zero-width space, a filler");
    Ok(())
}

#[test]
fn a_long_path_is_recorded_cut_to_two_hundred_bytes() -> TestResult {
    let web = SimulatedWeb::start(Pages::notes())?;
    let path = format!("/{}", "x".repeat(60_000));
    let answer = raw(
        &web,
        &format!("GET {path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"),
    );
    assert!(
        answer.starts_with("HTTP/1.1 404 "),
        "{}",
        &answer[..40.min(answer.len())]
    );
    let recorded = web.served().pop().expect("recorded").path;
    assert_eq!(recorded, format!("{}…", &path[..200]));
    Ok(())
}

#[test]
fn past_its_budget_a_web_closes_silent_connections_to_let_a_download_in()
-> TestResult {
    let guard = Guard { connections: 200, per_address: 200, ..Guard::default() };
    let web = SimulatedWeb::guarded(
        Pages::notes().faster(50.0),
        "127.0.0.1:0".parse()?,
        guard,
    )?;
    // A flood of connections that never say anything fills the budget.
    let flood: Vec<std::net::TcpStream> = (0..200)
        .map(|_| std::net::TcpStream::connect(web.addr()))
        .collect::<Result<_, _>>()?;
    let client = client(Duration::from_secs(5));
    for (url, site) in web.urls().iter().zip(NOTES_SITES) {
        assert_eq!(client.get(url).send()?.bytes()?.len(), site.bytes, "{url}");
    }
    // The oldest of the flood made room: it finds its connection closed.
    let mut oldest = &flood[0];
    oldest.set_read_timeout(Some(Duration::from_secs(2)))?;
    assert_eq!(oldest.read(&mut [0; 1])?, 0, "closed by the web");
    Ok(())
}

/// Eight addresses of the loopback network, where all of 127.0.0.0/8 is this
/// machine (Linux), each holding every connection it can on a page that never
/// answers: a download from another address still finds its place.
#[cfg(target_os = "linux")]
#[test]
fn addresses_holding_silent_pages_leave_a_fresh_address_room_for_its_downloads()
-> TestResult {
    use tokio::{io::AsyncWriteExt, net::TcpSocket};
    let guard = Guard {
        connections: 100,
        per_address: Guard::share_of(100),
        ..Guard::default()
    };
    let web = SimulatedWeb::guarded(
        Pages::notes().faster(50.0),
        "127.0.0.1:0".parse()?,
        guard,
    )?;
    let silent = format!("GET {} HTTP/1.1\r\nHost: a\r\n\r\n", Fault::Silent.path());
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let _held = runtime.block_on(async {
        let mut held = Vec::new();
        for address in 2..10 {
            for _ in 0..30 {
                let socket = TcpSocket::new_v4()?;
                socket.bind(([127, 0, 0, address], 0).into())?;
                let mut stream = socket.connect(web.addr()).await?;
                stream.write_all(silent.as_bytes()).await?;
                held.push(stream);
            }
        }
        std::io::Result::Ok(held)
    })?;
    wait_in_flight(&web, &Fault::Silent.path());
    let client = client(Duration::from_secs(5));
    for (url, site) in web.urls().iter().zip(NOTES_SITES) {
        assert_eq!(client.get(url).send()?.bytes()?.len(), site.bytes, "{url}");
    }
    Ok(())
}

#[test]
fn a_client_that_stops_reading_is_cut_off_once_the_guard_s_time_is_up() -> TestResult
{
    let guard =
        Guard { write_timeout: Duration::from_millis(300), ..Guard::default() };
    let web = SimulatedWeb::guarded(Pages::notes(), "127.0.0.1:0".parse()?, guard)?;
    let mut stream = std::net::TcpStream::connect(web.addr())?;
    std::io::Write::write_all(
        &mut stream,
        b"GET /fault/endless HTTP/1.1\r\nHost: a\r\n\r\n",
    )?;
    // It reads nothing for a while, then all it can: the web stopped sending.
    thread::sleep(Duration::from_secs(1));
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut read = 0;
    let mut buffer = vec![0; 1 << 16];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(more) => read += more,
            Err(err) => panic!("not cut off, after {read} bytes: {err}"),
        }
    }
    assert!(read < 64 << 20, "{read} bytes: only what was buffered");
    Ok(())
}

#[test]
fn a_body_that_never_comes_whole_is_cut_off_once_the_guard_s_time_is_up()
-> TestResult {
    let guard =
        Guard { header_timeout: Duration::from_millis(500), ..Guard::default() };
    let web = SimulatedWeb::guarded(Pages::notes(), "127.0.0.1:0".parse()?, guard)?;
    for route in ["/class/verdict", "/class/report"] {
        let mut stream = std::net::TcpStream::connect(web.addr())?;
        let head = format!(
            "POST {route} HTTP/1.1\r\nHost: a\r\nx-sites-run: 1\r\nx-sites-name: ana\r\n\
             Content-Length: 100\r\n\r\n{{"
        );
        std::io::Write::write_all(&mut stream, head.as_bytes())?;
        // A byte now and then, each well within the time, never the whole.
        stream.set_read_timeout(Some(Duration::from_millis(200)))?;
        let mut answer = Vec::new();
        for _ in 0..50 {
            let _ = std::io::Write::write_all(&mut stream, b" ");
            match stream.read_to_end(&mut answer) {
                Ok(_) => break,
                Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(err) if err.kind() == std::io::ErrorKind::TimedOut => {}
                Err(err) => return Err(err.into()),
            }
        }
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 408 "), "{route}: {answer}");
        assert!(
            answer.contains("within 0 s") || answer.contains("whole"),
            "{answer}"
        );
    }
    Ok(())
}

#[test]
fn the_class_pages_name_where_other_machines_reach_the_web() -> TestResult {
    let web = SimulatedWeb::start(Pages::notes())?;
    let client = client(Duration::from_secs(5));
    let get = |path: &str| -> TestResult<String> {
        let request = client.get(web.url(path)).header("accept", "text/html");
        Ok(request.send()?.error_for_status()?.text()?)
    };
    let reachable = |page: &str| -> TestResult<Vec<String>> {
        let page = get(page)?;
        let script = r#"<script id="reachable" type="application/json">"#;
        let json = page
            .split(script)
            .nth(1)
            .and_then(|rest| rest.split("</script>").next());
        Ok(serde_json::from_str(json.ok_or("no list of addresses")?)?)
    };
    assert!(reachable("/")?.is_empty(), "none told yet");
    let origins =
        ["http://192.0.2.7:8000".to_string(), "http://[2001:db8::7]:8000".into()];
    web.reachable_at(&origins);
    // Both pages with a join command; join.js puts the first in it when the
    // page is opened on this machine.
    for page in ["/", "/class/exercises"] {
        assert_eq!(reachable(page)?, origins, "{page}");
    }
    assert!(get("/class/join.js")?.contains(r#"getElementById("reachable")"#));
    Ok(())
}

#[cfg(unix)]
#[test]
fn serve_says_at_start_when_the_file_limit_leaves_too_few_connections_for_a_class() {
    let note = first_note("C");
    assert!(note.starts_with("note: "), "{note}");
    assert!(
        note.contains("may open 64 files, so serve holds 2 connections"),
        "{note}"
    );
    assert!(note.contains("ulimit -n 4096"), "{note}");
    // And in the system's language.
    let note = first_note("zh_CN.UTF-8");
    assert!(note.starts_with("注意：这个进程最多能打开 64 个文件"), "{note}");
    assert!(note.contains("ulimit -n 4096"), "{note}");
}

/// The first line `serve` says under `ulimit -n 64`, in the language of
/// the locale `lang`.
#[cfg(unix)]
fn first_note(lang: &str) -> String {
    // `ulimit -n` in sh sets the hard limit too: serve cannot raise it.
    let mut serve = Command::new("sh")
        .args(["-c", "ulimit -n 64 && exec \"$0\" --port 0 --quiet"])
        .arg(env!("CARGO_BIN_EXE_serve"))
        .env("LC_ALL", lang)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let stderr = serve.stderr.take().expect("piped");
    let line = BufReader::new(stderr).lines().map_while(Result::ok).next();
    serve.kill().expect("serve stops");
    let _ = serve.wait();
    line.unwrap_or_default()
}

#[cfg(target_os = "linux")]
#[test]
fn serve_refuses_in_one_line_an_address_space_too_small_for_its_budget() {
    let done = Command::new("sh")
        .args(["-c", "ulimit -v 300000 && exec \"$0\" --port 0 --quiet"])
        .arg(env!("CARGO_BIN_EXE_serve"))
        .env_remove("RUST_BACKTRACE")
        .env("LC_ALL", "C")
        .output()
        .expect("serve ran");
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("`ulimit -v 589824`"), "{stderr}");
    assert!(done.stdout.is_empty(), "no URL is listed");
}

#[test]
fn serve_s_help_is_said_in_chinese_where_the_system_reads_chinese() {
    let left = web::cli::help_left_in_english(env!("CARGO_BIN_EXE_serve"));
    assert!(left.is_empty(), "left in English: {left:#?}");
}
