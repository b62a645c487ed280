//! The worklist on PostgreSQL: the shared glue, expanded for this adapter.

use sqlx::{PgConnection, Postgres};

use super::{PgStore, audit};
use crate::store::statements::filters;
use crate::store::statements::worklist::*;
use crate::store::{
    Attempt, CallbackFilter, CallbackRequest, Claim, Completion, LiveCaller, StoreError, Worklist,
};

crate::store::adapters::worklist!(PgStore, Postgres, PgConnection, " for update of r");
