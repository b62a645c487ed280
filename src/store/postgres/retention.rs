//! Purging on PostgreSQL: the shared glue, expanded for this adapter.

use super::PgStore;
use crate::store::retention::cutoff_for;
use crate::store::statements::retention::*;
use crate::store::{Cutoffs, Purged, Retention, StoreError};

crate::store::adapters::retention!(PgStore);
