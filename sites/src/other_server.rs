//! [`OtherServer`]: a server that is not a simulated web, for tests that a
//! lesson tells it nothing it should not, even when it redirects to one.

use std::{
    io::{self, BufRead, BufReader, Read, Write},
    net::{SocketAddr, TcpListener, TcpStream},
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicBool, Ordering},
    },
    thread,
};

/// A plain HTTP server on 127.0.0.1 that answers every request with a
/// redirect to where `location` says, and keeps the head and body of every
/// request it was sent. It stops when dropped.
///
/// A few lines of `std` rather than the simulated web, which says in every
/// answer that it is one: this server must not.
///
/// ```no_run
/// # fn main() -> std::io::Result<()> {
/// let elsewhere = sites::other_server::OtherServer::start(|path| {
///     format!("http://127.0.0.1:8000{path}")
/// })?;
/// let list = elsewhere.url("/urls.txt"); // redirects to the class's list
/// // ... run a lesson with --urls {list}, then:
/// assert!(elsewhere.requests().iter().all(|r| !r.contains("x-sites-name")));
/// # Ok(()) }
/// ```
pub struct OtherServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl OtherServer {
    /// Starts it; `location` gives the redirect for a request's path.
    pub fn start(
        location: impl Fn(&str) -> String + Send + Sync + 'static,
    ) -> io::Result<OtherServer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (kept, stopped) = (requests.clone(), stop.clone());
        let location = Arc::new(location);
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let (kept, location) = (kept.clone(), location.clone());
                if let Ok(stream) = stream {
                    thread::spawn(move || answer(stream, &kept, &*location));
                }
            }
        });
        Ok(OtherServer { addr, requests, stop })
    }

    /// The URL of `path` on it.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Every request it was sent so far, head and body, as text.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

impl Drop for OtherServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accepting thread, which then sees that it is to stop.
        let _ = TcpStream::connect(self.addr);
    }
}

/// Reads one request and answers it with a redirect.
fn answer(
    stream: TcpStream,
    kept: &Mutex<Vec<String>>,
    location: &dyn Fn(&str) -> String,
) {
    let mut reader = BufReader::new(&stream);
    let mut request = String::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
        request += &line;
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; length.min(1 << 20)];
    let _ = reader.read_exact(&mut body);
    request += &String::from_utf8_lossy(&body);
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
    kept.lock().unwrap_or_else(PoisonError::into_inner).push(request);
    let answer = format!(
        "HTTP/1.1 302 Found\r\nLocation: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        location(&path)
    );
    let _ = (&stream).write_all(answer.as_bytes());
}
