//! A batch's call steps on PostgreSQL: one array per column for one `unnest` insert, which
//! rides along with the batch's first other write (`fuse.rs`), so steps cost no round trip of
//! their own.

use sqlx::Postgres;
use sqlx::postgres::PgArguments;
use sqlx::query::Query;

use crate::store::StepRecord;
use crate::store::calls::sql::INSERT_STEPS_UNNEST;

/// How many parameters [`INSERT_STEPS_UNNEST`] takes.
pub(super) const STEP_PARAMS: usize = 6;

/// Steps as one array per column, for [`INSERT_STEPS_UNNEST`].
#[derive(Default)]
pub(super) struct Steps {
    call_sid: Vec<String>,
    seq: Vec<i64>,
    node: Vec<String>,
    input: Vec<Option<String>>,
    outcome: Vec<String>,
    at: Vec<i64>,
}

impl Steps {
    pub(super) fn push(&mut self, step: &StepRecord) {
        self.call_sid.push(step.call_sid.clone());
        self.seq.push(step.seq);
        self.node.push(step.node.clone());
        self.input.push(step.input.clone());
        self.outcome.push(step.outcome.clone());
        self.at.push(step.at);
    }

    pub(super) fn is_empty(&self) -> bool {
        self.call_sid.is_empty()
    }

    /// The steps on their own.
    pub(super) fn insert(self) -> Query<'static, Postgres, PgArguments> {
        self.bind(sqlx::query(INSERT_STEPS_UNNEST))
    }

    /// Binds the steps' arrays as the first [`STEP_PARAMS`] parameters of `query`.
    pub(super) fn bind(
        self,
        query: Query<'static, Postgres, PgArguments>,
    ) -> Query<'static, Postgres, PgArguments> {
        query
            .bind(self.call_sid)
            .bind(self.seq)
            .bind(self.node)
            .bind(self.input)
            .bind(self.outcome)
            .bind(self.at)
    }
}
