//! A TCP proxy between a server and PostgreSQL that a test switches: through, cut (every
//! connection closed, new ones closed as they arrive, as when the database is stopped) or slow
//! (every chunk held back, as when it is overloaded or far away).

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Through,
    Cut,
    /// Each chunk, either way, is forwarded this long after it arrived.
    Slow(Duration),
}

/// Stops forwarding when dropped.
pub struct Proxy {
    pub port: u16,
    mode: watch::Sender<Mode>,
    accepting: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// Listens on a loopback port and forwards to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let port = listener.local_addr().expect("its address").port();
        let (mode, watching) = watch::channel(Mode::Through);
        let accepting = tokio::spawn(accept(listener, upstream, watching));
        Proxy {
            port,
            mode,
            accepting,
        }
    }

    pub fn set(&self, mode: Mode) {
        self.mode.send_replace(mode);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accepting.abort();
        // Relays end when they see the switch is gone.
    }
}

async fn accept(listener: TcpListener, upstream: SocketAddr, mode: watch::Receiver<Mode>) {
    while let Ok((client, _)) = listener.accept().await {
        if *mode.borrow() == Mode::Cut {
            drop(client);
            continue;
        }
        tokio::spawn(relay(client, upstream, mode.clone()));
    }
}

/// Forwards both ways until either side closes or the proxy is cut.
async fn relay(client: TcpStream, upstream: SocketAddr, mut mode: watch::Receiver<Mode>) {
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let (from_client, to_client) = client.into_split();
    let (from_server, to_server) = server.into_split();
    tokio::select! {
        () = pipe(from_client, to_server, mode.clone()) => {}
        () = pipe(from_server, to_client, mode.clone()) => {}
        // Also ends the relay when the proxy is dropped.
        _ = mode.wait_for(|m| *m == Mode::Cut) => {}
    }
}

async fn pipe(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, mode: watch::Receiver<Mode>) {
    let mut buffer = vec![0; 16 * 1024];
    loop {
        let n = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let delay = match *mode.borrow() {
            Mode::Slow(delay) => Some(delay),
            Mode::Through | Mode::Cut => None,
        };
        if let Some(delay) = delay {
            tokio::time::sleep(delay).await;
        }
        if to.write_all(&buffer[..n]).await.is_err() {
            return;
        }
    }
}
