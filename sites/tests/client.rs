//! The lessons' client: over HTTPS, the path every `--online` download takes,
//! against a simulated web with a certificate of its own; and with who runs
//! it, which it takes to no server but the one it was given.

use std::time::Duration;

use sites::{Who, client::Settings, other_server::OtherServer};
use web::{NOTES_SITES, Pages, SimulatedWeb};

#[test]
fn the_lessons_client_downloads_every_page_over_https_trusting_only_its_certificate()
-> Result<(), Box<dyn std::error::Error>> {
    let (web, certificate) = SimulatedWeb::start_tls(Pages::notes().faster(50.0))?;
    let settings = sites::client::Settings::quick(Duration::from_secs(10));
    // The builder every lesson's client comes from, with the web's certificate
    // as the only one trusted: the path of every `--online` download.
    let trusted = reqwest::Certificate::from_pem(certificate.as_bytes())?;
    let builder = sites::client::builder(&settings).tls_certs_only([trusted]);
    let client = reqwest::blocking::ClientBuilder::from(builder).build()?;
    for (url, site) in web.urls().iter().zip(NOTES_SITES) {
        assert!(url.starts_with("https://127.0.0.1:"), "{url}");
        let body = client.get(url).send()?.error_for_status()?.bytes()?;
        assert_eq!(body.len(), site.bytes, "{url}");
    }
    // Its list gives the pages' URLs as they are: over HTTPS.
    let list = client.get(web.url("/urls.txt")).send()?.text()?;
    assert_eq!(list.lines().collect::<Vec<_>>(), web.urls(), "{list}");
    // The lessons' own client does not trust a certificate no one vouches for.
    let lessons = sites::client::blocking(&settings)?;
    let refused = lessons.get(&web.urls()[0]).send().expect_err("an unknown issuer");
    let why = sites::Error::from(refused).to_string();
    assert!(why.to_lowercase().contains("certificate"), "{why}");
    Ok(())
}

#[test]
fn a_run_that_says_who_it_is_follows_no_redirect_to_another_server()
-> Result<(), Box<dyn std::error::Error>> {
    let web = SimulatedWeb::start(Pages::notes().faster(50.0))?;
    let page = web.urls()[0].clone();
    let elsewhere = OtherServer::start(move |_| page.clone())?;
    let who = Who {
        name: "ana".into(),
        run: "1".into(),
        lesson: "ch01-sequential".into(),
        variant: String::new(),
    };
    let settings =
        Settings { who: Some(who), ..Settings::quick(Duration::from_secs(5)) };
    let refused = sites::client::blocking(&settings)?.get(elsewhere.url("/")).send();
    let why = sites::Error::from(refused.expect_err("not followed")).to_string();
    assert_eq!(why, "redirected away from the class's server");
    assert_eq!(web.served(), [], "the redirect was not followed");
    // A run that says nothing of itself follows it.
    let anyone = sites::client::blocking(&Settings::quick(Duration::from_secs(5)))?;
    assert_eq!(anyone.get(elsewhere.url("/")).send()?.status().as_u16(), 200);
    Ok(())
}
