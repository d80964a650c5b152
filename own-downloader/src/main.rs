//! Lesson 2 on its own: sites downloaded on a pool of five threads, with
//! reqwest and threadpool only. `cargo run` downloads the sites listed in
//! `sites.txt`, the notes' twelve; `cargo run -- FILE` those listed in FILE.

// ANCHOR: all
use std::{env, fs, time::Instant};

use reqwest::blocking::Client;
use threadpool::ThreadPool;

fn download_one(client: &Client, url: &str) -> reqwest::Result<usize> {
    let response = client.get(url).send()?.error_for_status()?;
    let body = response.bytes()?;
    println!("Read {} from {}", body.len(), url);
    Ok(body.len())
}

fn download_all(client: &Client, sites: &[String]) {
    let pool = ThreadPool::new(5);
    for url in sites {
        let (client, url) = (client.clone(), url.clone());
        pool.execute(move || {
            if let Err(err) = download_one(&client, &url) {
                println!("Failed {url}: {err}");
            }
        });
    }
    pool.join();
}

fn main() -> std::io::Result<()> {
    let file = env::args_os().nth(1).unwrap_or_else(|| "sites.txt".into());
    let list = fs::read_to_string(file)?;
    let sites: Vec<String> = list.split_whitespace().map(String::from).collect();
    let client = Client::new();
    let start_time = Instant::now();
    download_all(&client, &sites);
    let seconds = start_time.elapsed().as_secs_f64();
    println!("Download {} sites in {seconds:.2} seconds", sites.len());
    Ok(())
}
// ANCHOR_END: all
