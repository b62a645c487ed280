//! The HTTP shell: webhook routes for the provider, health and metrics for operators of the
//! server, and the operator API and console. Handlers stay thin; the engine decides, the store
//! records.

pub mod api;
mod callback;
mod console;
mod health;
mod operator_line;
pub mod routes;
pub mod signature;
mod state;
mod voice;
pub mod webhook;
pub mod webhook_event;

pub use routes::router;
pub use state::AppState;
pub use webhook::MAX_BODY_BYTES;
