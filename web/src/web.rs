//! [`SimulatedWeb`]: the handle a test or a lesson holds. It starts the server
//! on a thread of its own, says where it listens, and stops it when dropped.

use std::{
    io,
    net::{IpAddr, SocketAddr},
    sync::{Arc, PoisonError, mpsc},
    thread,
};

use tokio::sync::oneshot;

use crate::{
    Error, Fault, Guard, PageSpec, Pages, Result, Served, listen::serve, site::Site,
};

/// A running simulated web. It serves until dropped.
///
/// ```no_run
/// # fn main() -> web::Result<()> {
/// use web::{Fault, Pages, SimulatedWeb};
///
/// let web = SimulatedWeb::start(Pages::notes().faster(50.0))?;
/// let first = web.url("/www.baidu.com/"); // http://127.0.0.1:PORT/www.baidu.com/
/// let broken = web.fault(Fault::Reset);
/// // ... download them, then ask the web what it served:
/// let served = web.downloads();
/// # Ok(()) }
/// ```
pub struct SimulatedWeb {
    addr: SocketAddr,
    site: Arc<Site>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl SimulatedWeb {
    /// Tells the class's pages where other machines reach this web, such as
    /// `http://192.168.1.20:8000`: a page opened on this machine (at
    /// `localhost`, say) puts the first in the join command it shows, where
    /// its own address would reach nobody else.
    pub fn reachable_at(&self, origins: &[String]) {
        // Inside a page's script: no `</script>` may end it early.
        let json = serde_json::to_string(origins).unwrap_or_else(|_| "[]".into());
        *self.site.class.reachable.lock().unwrap_or_else(PoisonError::into_inner) =
            json.replace('<', "\\u003c").into();
    }

    /// Serves `pages` on 127.0.0.1, on a port the system picks.
    pub fn start(pages: Pages) -> Result<Self> {
        Self::bind(pages, SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// Serves `pages` at `addr`; port 0 lets the system pick one.
    ///
    /// The server runs on a thread and a Tokio runtime of its own, so that
    /// nothing a lesson does to its own threads can slow the web down.
    pub fn bind(pages: Pages, addr: SocketAddr) -> Result<Self> {
        Self::guarded(pages, addr, Guard::default())
    }

    /// [`bind`](SimulatedWeb::bind), with a guard of its own on what clients
    /// may take: `serve`'s.
    pub fn guarded(pages: Pages, addr: SocketAddr, guard: Guard) -> Result<Self> {
        Self::launch(Site::new(pages, guard), addr)
    }

    /// Serves `pages` over HTTPS on 127.0.0.1, with a certificate made for
    /// `127.0.0.1` and `localhost` as it starts: no client trusts it unless
    /// told to. Returns the web and its certificate, in PEM.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let (web, certificate) = web::SimulatedWeb::start_tls(web::Pages::notes())?;
    /// let trusted = reqwest::Certificate::from_pem(certificate.as_bytes())?;
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "tls")]
    pub fn start_tls(pages: Pages) -> Result<(Self, String)> {
        let (acceptor, certificate) = crate::tls::acceptor()?;
        let mut site = Site::new(pages, Guard::default());
        site.tls = Some(acceptor);
        let web = Self::launch(site, SocketAddr::from(([127, 0, 0, 1], 0)))?;
        Ok((web, certificate))
    }

    fn launch(site: Site, addr: SocketAddr) -> Result<Self> {
        let setup = |err: io::Error| Error::Serve { addr, err };
        let site = Arc::new(site);
        let (ready, bound) = mpsc::channel();
        let (stop, stopped) = oneshot::channel();
        let shared = site.clone();
        let thread = thread::Builder::new()
            .name("simulated-web".into())
            .spawn(move || serve(addr, shared, ready, stopped))
            .map_err(setup)?;
        let addr = match bound.recv() {
            Ok(bound) => bound.map_err(setup)?,
            Err(_) => {
                return Err(setup(io::Error::other("the server thread stopped")));
            }
        };
        Ok(SimulatedWeb { addr, site, stop: Some(stop), thread: Some(thread) })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The full URL of a path on this web.
    pub fn url(&self, path: &str) -> String {
        let slash = if path.starts_with('/') { "" } else { "/" };
        format!("{}://{}{slash}{path}", self.scheme(), self.addr)
    }

    fn scheme(&self) -> &'static str {
        self.site.scheme()
    }

    /// The URL of every page, in order, repeats included.
    pub fn urls(&self) -> Vec<String> {
        self.urls_at(self.addr.ip())
    }

    /// The URL of every page at another address of this machine's: when
    /// listening on every address (0.0.0.0), the one a client should use.
    pub fn urls_at(&self, host: IpAddr) -> Vec<String> {
        let at = SocketAddr::new(host, self.addr.port());
        self.site.urls(&at.to_string()).collect()
    }

    /// The URL of a fault page.
    pub fn fault(&self, fault: Fault) -> String {
        self.url(&fault.path())
    }

    /// The pages it serves.
    pub fn pages(&self) -> &Pages {
        &self.site.pages
    }

    /// The page that `url` names on this web, if it is one of its pages.
    pub fn page(&self, url: &str) -> Option<PageSpec> {
        let path =
            url.strip_prefix(&format!("{}://{}", self.scheme(), self.addr))?;
        self.site.pages.find(path)
    }

    /// When it started: the moment the times in [`Served`] count from.
    pub fn started(&self) -> std::time::Instant {
        self.site.started.into_std()
    }

    /// Every request from now on, as it arrives and again as its answer ends.
    /// A receiver that falls far behind misses some.
    pub fn events(&self) -> tokio::sync::broadcast::Receiver<Served> {
        self.site.events.subscribe()
    }

    /// The downloads received so far: the requests for its pages and its
    /// fault pages, without a lesson's own requests for the list of URLs,
    /// the class page, or to ask whether this is a simulated web.
    pub fn downloads(&self) -> Vec<Served> {
        let page = |served: &Served| {
            self.site.pages.find(&served.path).is_some()
                || Fault::from_path(&served.path).is_some()
        };
        self.served().into_iter().filter(page).collect()
    }

    /// Every request received so far (the latest [`RECORD_BYTES`](crate::RECORD_BYTES)
    /// of them), in order of arrival, but for the class's own routes
    /// (`/class/…`): what they are sent, the class keeps.
    pub fn served(&self) -> Vec<Served> {
        self.site.record.all()
    }

    /// Blocks until the server stops, which it only does on an error.
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for SimulatedWeb {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
