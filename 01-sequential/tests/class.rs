//! Lesson 1 against a class's simulated web, and against servers that are
//! not one: who runs it reaches the class's server, and no other.

use std::time::Duration;

use sites::{
    Pages, SimulatedWeb,
    harness::{self, Finished, url_file},
    other_server::OtherServer,
};

fn lesson(args: &[&str]) -> Finished {
    let program = env!("CARGO_BIN_EXE_ch01-sequential");
    harness::run(program, args, Duration::from_secs(60)).expect("the lesson ends")
}

/// The class page's state: every run it shows.
fn class_state(web: &SimulatedWeb) -> serde_json::Value {
    let settings = sites::client::Settings::quick(Duration::from_secs(5));
    let client = sites::client::blocking(&settings).expect("a client");
    let state = client.get(web.url("/class/state")).send();
    let state = state.and_then(|response| response.text()).expect("the state");
    serde_json::from_str(&state).expect("JSON")
}

#[test]
fn a_name_in_any_script_reaches_the_class_page_as_typed() -> sites::Result<()> {
    let web = SimulatedWeb::start(Pages::notes().faster(50.0))?;
    let list = web.url("/urls.txt");
    for name in ["Zoë 学生", "Ana"] {
        let done = lesson(&["--urls", &list, "--name", name]);
        assert_eq!(done.code, Some(0), "{}", done.stderr);
    }
    let named: Vec<String> = (web.downloads().iter())
        .filter_map(|served| served.who.as_ref().map(|who| who.name.clone()))
        .collect();
    assert_eq!(named.len(), 24, "each download says who asked");
    assert!(named[..12].iter().all(|name| name == "Zoë 学生"), "{named:?}");
    let state = class_state(&web);
    let names: Vec<&str> = (state.as_array().expect("runs").iter())
        .filter(|run| !run["score"].is_null())
        .filter_map(|run| run["who"]["name"].as_str())
        .collect();
    assert_eq!(names, ["Zoë 学生", "Ana"], "both runs posted their summary");
    Ok(())
}

#[test]
fn nothing_of_who_runs_reaches_a_server_that_redirects_to_the_class()
-> sites::Result<()> {
    let web = SimulatedWeb::start(Pages::notes().faster(50.0))?;
    let root = web.url("");
    let to_the_class =
        move |path: &str| format!("{}{path}", root.trim_end_matches('/'));
    let elsewhere = OtherServer::start(to_the_class)?;

    // The list, by way of a redirect: the class's server answered it.
    let done = lesson(&["--urls", &elsewhere.url("/urls.txt"), "--name", "ana"]);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    // Pages listed on the other server, each redirecting to the class's.
    let pages: Vec<String> = web
        .urls()
        .iter()
        .map(|url| url.replace(&web.url(""), &elsewhere.url("/")))
        .collect();
    let file = url_file(&pages)?;
    let done = lesson(&["--urls", file.to_str().expect("UTF-8"), "--name", "ben"]);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    assert_eq!(done.lines().len(), 13, "{}", done.stdout);

    let asked = elsewhere.requests();
    assert_eq!(asked.len(), 1 + 1 + 12, "the list, the question, the pages");
    for request in &asked {
        let request = request.to_ascii_lowercase();
        assert!(!request.contains("x-sites-"), "{request}");
        assert!(!request.contains("ana") && !request.contains("ben"), "{request}");
        assert!(
            request.starts_with("get ") || request.starts_with("head "),
            "{request}"
        );
    }
    // Ana's run went to the class's server, and told it who she is.
    let state = class_state(&web);
    let runs = state.as_array().expect("runs");
    assert_eq!(runs.len(), 1, "{state}");
    assert_eq!(runs[0]["who"]["name"], "ana");
    assert!(!runs[0]["score"].is_null(), "her summary arrived: {state}");
    Ok(())
}

#[test]
fn a_redirect_that_cannot_be_followed_fails_its_site_with_the_reason()
-> sites::Result<()> {
    let elsewhere = OtherServer::start(|path: &str| match path {
        "/file" => "file:///etc/passwd".into(),
        "/data" => "data:text/plain,hello".into(),
        "/loop" => "/loop".into(),
        _ => "http://[::1".into(),
    })?;
    let pages = ["/file", "/data", "/loop", "/bad"].map(|path| elsewhere.url(path));
    let file = url_file(&pages)?;
    let done = lesson(&["--urls", file.to_str().expect("UTF-8")]);
    assert_eq!(done.code, Some(1), "{}", done.stderr);
    let reasons = [
        "redirected to a file: URL, which is not http(s)",
        "redirected to a data: URL, which is not http(s)",
        "redirected more than ten times",
        "redirected to \"http://[::1\", which is not a URL",
    ];
    for ((line, url), reason) in done.lines().iter().zip(&pages).zip(reasons) {
        assert_eq!(*line, format!("Failed {url}: {reason}"), "{}", done.stdout);
    }
    Ok(())
}

#[test]
fn a_user_and_password_never_show_on_a_line_or_in_the_report() -> sites::Result<()> {
    let web = SimulatedWeb::start(Pages::notes().faster(50.0))?;
    let url = web.urls()[0].replace("http://", "http://ana:secret@");
    let file = url_file(&[url])?;
    let program = env!("CARGO_BIN_EXE_ch01-sequential");
    let args = ["--urls", file.to_str().expect("UTF-8")];
    let done = harness::run_reporting(program, &args, Duration::from_secs(60))?;
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    assert_eq!(done.lines()[0], format!("Read 2443 from {}", web.urls()[0]));
    let report = done.report().expect("a report");
    assert_eq!(report.sites[0].url, web.urls()[0]);
    assert!(!done.stdout.contains("secret") && !done.stderr.contains("secret"));
    assert!(done.stderr.contains("user and password"), "{}", done.stderr);
    Ok(())
}
