//! Purging on SQLite: the shared glue, expanded for this adapter.

use super::SqliteStore;
use crate::store::retention::cutoff_for;
use crate::store::statements::retention::*;
use crate::store::{Cutoffs, Purged, Retention, StoreError};

crate::store::adapters::retention!(SqliteStore);
