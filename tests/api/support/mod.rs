//! What the integration tests share: the server harness and the provider it plays, the TwiML
//! reader, the console's HTTP client, real server processes, the browser, the PostgreSQL proxy
//! and the two storage backends.

pub mod backends;
pub mod browser;
pub mod console_client;
pub mod helpers;
pub mod pg_proxy;
pub mod server_process;
pub mod xml;
