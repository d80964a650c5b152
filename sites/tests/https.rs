//! The lessons' client over HTTPS, the path every `--online` download takes,
//! against a simulated web with a certificate of its own.

use std::time::Duration;

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
