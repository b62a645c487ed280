//! The roster on PostgreSQL: the shared glue, expanded for this adapter.

use super::PgStore;
use crate::operators::{Operator, join_categories};
use crate::store::statements::roster::*;
use crate::store::{NewOperator, NewSession, OperatorChange, Roster, SignIn, StoreError};

crate::store::adapters::roster!(PgStore);
