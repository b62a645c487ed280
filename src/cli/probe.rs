//! `hotline probe`: asks a server on this machine whether it is ready (`/readyz`), for a
//! container's health check. The image carries no curl or shell, so the binary asks itself.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

/// A health check must answer before the container runtime gives up on it.
const TIMEOUT: Duration = Duration::from_secs(3);

/// Options of `hotline probe`.
#[derive(clap::Args, Debug)]
pub struct ProbeArgs {
    /// The address the server listens on, read like `serve`'s; an unspecified address
    /// (`0.0.0.0`, `[::]`) is asked on loopback.
    #[arg(long, env = "HOTLINE_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
}

/// Asks `/readyz` and writes what it said; whether the server is ready.
pub async fn probe(args: &ProbeArgs, out: &mut impl Write) -> anyhow::Result<bool> {
    let url = format!("http://{}/readyz", loopback_for(args.bind));
    // Installing the process-wide crypto provider twice is harmless: the first one stays.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder().timeout(TIMEOUT).build()?;
    let (ready, said) = match client.get(&url).send().await {
        Ok(response) => {
            let status = response.status();
            let body = response.text().await.unwrap_or_default();
            (status.is_success(), format!("{status} {}", body.trim()))
        }
        Err(error) if error.is_timeout() => (false, format!("no answer in {TIMEOUT:?}")),
        Err(_) => (false, "no server answered".to_string()),
    };
    writeln!(out, "{url}: {said}")?;
    Ok(ready)
}

/// Where to reach a server bound to `bind` from the same machine.
fn loopback_for(bind: SocketAddr) -> SocketAddr {
    let ip = match bind.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, bind.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_on_every_address_is_asked_on_loopback() {
        let any: SocketAddr = "0.0.0.0:8080".parse().expect("an address");
        assert_eq!(loopback_for(any).to_string(), "127.0.0.1:8080");
        let any6: SocketAddr = "[::]:9000".parse().expect("an address");
        assert_eq!(loopback_for(any6).to_string(), "[::1]:9000");
        let one: SocketAddr = "10.0.0.5:8080".parse().expect("an address");
        assert_eq!(loopback_for(one), one);
    }
}
