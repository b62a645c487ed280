//! The roster on SQLite: the shared glue, expanded for this adapter.

use super::SqliteStore;
use crate::operators::{Operator, join_categories};
use crate::store::statements::roster::*;
use crate::store::{NewOperator, NewSession, OperatorChange, Roster, SignIn, StoreError};

crate::store::adapters::roster!(SqliteStore);
