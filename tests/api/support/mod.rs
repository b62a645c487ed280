//! What the integration tests share: the server harness and the provider it plays, the TwiML
//! reader, the console's HTTP client, real server processes, the browser, the PostgreSQL proxy
//! and its administrator, and the two storage backends.

pub mod backends;
pub mod browser;
pub mod console_client;
pub mod helpers;
pub mod pg_admin;
pub mod pg_proxy;
pub mod provider_api;
pub mod server_process;
pub mod xml;

/// An HTTP client for the tests. The server's own client (for the provider's REST API) uses
/// rustls without a built-in crypto provider, and the features are shared, so the provider
/// is installed here before any client is built.
pub fn client_builder() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

/// A client with reqwest's defaults (see [`client_builder`]).
pub fn new_client() -> reqwest::Client {
    client_builder().build().expect("an HTTP client")
}
