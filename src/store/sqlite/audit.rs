//! The audit log on SQLite: the shared glue, expanded for this adapter.

use sqlx::{Sqlite, SqliteConnection};

use super::SqliteStore;

crate::store::adapters::audit!(SqliteStore, Sqlite, SqliteConnection);
