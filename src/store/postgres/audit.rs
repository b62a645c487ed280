//! The audit log on PostgreSQL: the shared glue, expanded for this adapter.

use sqlx::{PgConnection, Postgres};

use super::PgStore;

crate::store::adapters::audit!(PgStore, Postgres, PgConnection);
