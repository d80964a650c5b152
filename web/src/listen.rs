//! The server thread: it binds, accepts connections (a share of them per
//! client address, a time limit for each request's headers), and serves each
//! on its own task until the web is dropped.

use std::{
    io,
    net::{IpAddr, SocketAddr},
    sync::{Arc, PoisonError, atomic::Ordering, mpsc},
    time::Duration,
};

use hyper::{server::conn::http1, service::service_fn};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::{
    net::{TcpListener, TcpSocket},
    sync::oneshot,
    time::sleep,
};

use crate::site::{Site, respond};

/// The server thread: binds, reports the address, serves until told to stop.
pub(crate) fn serve(
    addr: SocketAddr,
    site: Arc<Site>,
    ready: mpsc::Sender<io::Result<SocketAddr>>,
    stopped: oneshot::Receiver<()>,
) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("simulated-web")
        .enable_all()
        .build();
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(err) => return drop(ready.send(Err(err))),
    };
    runtime.block_on(async move {
        let listener = match listen(addr) {
            Ok(listener) => listener,
            Err(err) => return drop(ready.send(Err(err))),
        };
        let _ = ready.send(listener.local_addr());
        tokio::select! {
            () = accept_all(listener, site) => {}
            _ = stopped => {}
        }
    });
    // Dropping the runtime cancels every connection still open, even one
    // waiting for a page that never answers.
}

/// A listener with a long queue of pending connections, so that thousands of
/// clients connecting at once are not turned away.
fn listen(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket =
        if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(4096)
}

/// Accepts connections until the runtime is dropped, each on a task of its
/// own.
async fn accept_all(listener: TcpListener, site: Arc<Site>) {
    let mut pause = Duration::ZERO;
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => {
                pause = Duration::ZERO;
                let _ = accepted.0.set_nodelay(true);
                accepted
            }
            // Out of file descriptors, say: say so, and wait longer each time
            // for some to close.
            Err(err) => {
                pause = (pause * 2)
                    .clamp(Duration::from_millis(10), Duration::from_secs(1));
                eprintln!(
                    "simulated web: cannot accept a connection ({err}); trying again in {} ms",
                    pause.as_millis()
                );
                sleep(pause).await;
                continue;
            }
        };
        let Some(slot) = Slot::take(&site, peer.ip()) else {
            continue; // this address has too many open: the connection is closed
        };
        let site = site.clone();
        #[cfg(feature = "tls")]
        if let Some(acceptor) = site.tls.clone() {
            tokio::spawn(async move {
                // A client that fails its handshake has only itself to blame;
                // one that never finishes it is cut off like a silent one.
                let handshake = acceptor.accept(stream);
                let limit = site.guard.header_timeout;
                if let Ok(Ok(stream)) = tokio::time::timeout(limit, handshake).await
                {
                    connection(stream, site, slot).await;
                }
            });
            continue;
        }
        tokio::spawn(connection(stream, site, slot));
    }
}

/// A client address's share of the open connections, given back on drop.
struct Slot {
    site: Arc<Site>,
    ip: IpAddr,
}

impl Slot {
    fn take(site: &Arc<Site>, ip: IpAddr) -> Option<Slot> {
        let mut open = site.open.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(ip).or_default();
        if *count >= site.guard.per_address {
            return None;
        }
        *count += 1;
        Some(Slot { site: site.clone(), ip })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.site.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

/// Serves one connection's requests, one after the other, as HTTP/1.1.
async fn connection<S>(stream: S, site: Arc<Site>, _slot: Slot)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let number = site.connections.fetch_add(1, Ordering::Relaxed) + 1;
    let header_timeout = site.guard.header_timeout;
    let service = service_fn(move |request| respond(site.clone(), number, request));
    // A failed connection is the client's to report, not the server's.
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}
