//! The block list's SQL and rows, shared by both adapters.

use crate::store::blocks::Block;

#[derive(sqlx::FromRow)]
pub(in crate::store) struct BlockRow {
    id: String,
    masked_number: String,
    reason: String,
    operator_id: String,
    operator_name: Option<String>,
    created_at: i64,
    expires_at: Option<i64>,
}

impl BlockRow {
    pub(in crate::store) fn into_block(self) -> Block {
        Block {
            id: self.id,
            masked_number: self.masked_number,
            reason: self.reason,
            operator_id: self.operator_id,
            operator_name: self.operator_name,
            created_at: self.created_at,
            expires_at: self.expires_at,
        }
    }
}

/// A second block on a number replaces the first, keeping its id.
pub(in crate::store) const UPSERT_BLOCK: &str = "
insert into blocked_numbers
    (id, number_tag, masked_number, reason, operator_id, created_at, expires_at)
values ($1, $2, $3, $4, $5, $6, $7)
on conflict (number_tag) do update set
    masked_number = excluded.masked_number, reason = excluded.reason,
    operator_id = excluded.operator_id, created_at = excluded.created_at,
    expires_at = excluded.expires_at";

const SELECT_BLOCK: &str = "
select b.id, b.masked_number, b.reason, b.operator_id, o.name as operator_name,
       b.created_at, b.expires_at
from blocked_numbers b left join operators o on o.id = b.operator_id";

pub(in crate::store) fn select_block(clause: &str) -> String {
    format!("{SELECT_BLOCK} {clause}")
}

pub(in crate::store) const BY_TAG: &str = "where b.number_tag = $1";

pub(in crate::store) const IN_FORCE: &str =
    "where b.expires_at is null or b.expires_at > $1 order by b.created_at desc, b.id desc";

pub(in crate::store) const DELETE_BLOCK: &str = "delete from blocked_numbers where id = $1";

/// Every block in force, for the copy new calls are checked against.
pub(in crate::store) const TAGS_IN_FORCE: &str = "select number_tag, expires_at from blocked_numbers where expires_at is null or expires_at > $1";

pub(in crate::store) const IS_BLOCKED: &str = "
select count(*) from blocked_numbers
where number_tag = $1 and (expires_at is null or expires_at > $2)";
