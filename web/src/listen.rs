//! The server thread: it binds, accepts connections (within the guard's
//! budget, with time limits for a request's headers and for an unread
//! answer), and serves each on its own task until the web is dropped.

use std::{
    io,
    net::SocketAddr,
    sync::{Arc, mpsc},
    time::Duration,
};

use hyper::{server::conn::http1, service::service_fn};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::{
    net::{TcpListener, TcpSocket},
    sync::oneshot,
    time::sleep,
};
use tokio_io_timeout::TimeoutStream;

use crate::{
    connections::Admitted,
    site::{Site, respond},
};

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
        tokio::spawn(site.connections.clone().sweep());
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
/// own, within the guard's budget.
async fn accept_all(listener: TcpListener, site: Arc<Site>) {
    let mut pause = Duration::ZERO;
    loop {
        // With the budget spent on busy connections, new ones wait to be
        // accepted.
        site.connections.room().await;
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
        let Some(admitted) = site.connections.admit(peer.ip()) else {
            continue; // no room for it: the connection is closed
        };
        let Ok(local) = stream.local_addr() else { continue };
        let site = site.clone();
        #[cfg(feature = "tls")]
        if let Some(acceptor) = site.tls.clone() {
            tokio::spawn(async move {
                // A client that fails its handshake has only itself to blame;
                // one that never finishes it is cut off like a silent one.
                let handshake = acceptor.accept(stream);
                let limit = site.connections.guard().header_timeout;
                if let Ok(Ok(stream)) = tokio::time::timeout(limit, handshake).await
                {
                    connection(stream, local, site, admitted).await;
                }
            });
            continue;
        }
        tokio::spawn(connection(stream, local, site, admitted));
    }
}

/// Serves one connection's requests, one after the other, as HTTP/1.1, until
/// the client closes it, stops reading for longer than the guard allows, or
/// it must close to make room.
async fn connection<S>(
    stream: S,
    local: SocketAddr,
    site: Arc<Site>,
    mut admitted: Admitted,
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + 'static,
{
    let guard = *site.connections.guard();
    let number = admitted.number;
    // Past its address's share, it waits its turn, as long as a silent
    // client may wait for its first answer.
    if let Some(let_in) = admitted.let_in.take() {
        let let_in = tokio::select! {
            let_in = let_in => let_in.is_ok(),
            () = sleep(guard.header_timeout) => false,
            _ = &mut admitted.closed => false,
        };
        if !let_in {
            return;
        }
    }
    let mut stream = TimeoutStream::new(stream);
    stream.set_write_timeout(Some(guard.write_timeout));
    let service =
        service_fn(move |request| respond(site.clone(), number, local, request));
    let serving = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(guard.header_timeout)
        .serve_connection(TokioIo::new(Box::pin(stream)), service);
    // A failed connection is the client's to report, not the server's.
    tokio::select! {
        _ = serving => {}
        _ = &mut admitted.closed => {}
    }
}
