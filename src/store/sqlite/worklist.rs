//! The worklist on SQLite: the shared glue, expanded for this adapter.

use sqlx::{Sqlite, SqliteConnection};

use super::{SqliteStore, audit};
use crate::store::statements::filters;
use crate::store::statements::worklist::*;
use crate::store::{
    Attempt, CallbackFilter, CallbackRequest, Claim, Completion, LiveCaller, StoreError, Worklist,
};

crate::store::adapters::worklist!(SqliteStore, Sqlite, SqliteConnection, "");
