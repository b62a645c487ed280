//! The roster's SQL and rows, shared by both adapters: operators, API tokens and sessions.

use crate::operators::shifts::WeeklyShifts;
use crate::operators::{Operator, Role, join_categories, split_categories};
use crate::store::{OperatorChange, RosterEntry, StoreError};

/// A phone number or PIN already in use is a conflict the person fixing it can act on.
pub(in crate::store) fn taken(error: sqlx::Error) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict {
            code: "in_use",
            message: "that phone number or PIN belongs to another operator".into(),
        },
        _ => StoreError::Unavailable(error),
    }
}

#[derive(sqlx::FromRow)]
pub(in crate::store) struct OperatorRow {
    id: String,
    name: String,
    role: String,
    categories: String,
    pub(in crate::store) password_hash: Option<String>,
    disabled_at: Option<i64>,
    pub(in crate::store) locked_until: Option<i64>,
}

/// An operator with shifts: the operator's row, and the shifts as stored.
#[derive(sqlx::FromRow)]
pub(in crate::store) struct ShiftsRow {
    #[sqlx(flatten)]
    pub(in crate::store) operator: OperatorRow,
    pub(in crate::store) shifts: String,
}

impl ShiftsRow {
    pub(in crate::store) fn into_shifts(self) -> Result<(Operator, WeeklyShifts), StoreError> {
        let shifts = WeeklyShifts::parse(&[&self.shifts]).map_err(|e| {
            StoreError::Corrupt(format!("operator {}: shifts: {e}", self.operator.id))
        })?;
        Ok((self.operator.into_operator()?, shifts))
    }
}

/// One person on the roster: the operator's row, the shifts as stored, and whether a phone is
/// registered (the number itself is not read).
#[derive(sqlx::FromRow)]
pub(in crate::store) struct RosterRow {
    #[sqlx(flatten)]
    pub(in crate::store) shifts: ShiftsRow,
    pub(in crate::store) has_phone: bool,
}

impl RosterRow {
    pub(in crate::store) fn into_entry(self) -> Result<RosterEntry, StoreError> {
        let has_phone = self.has_phone;
        let (operator, shifts) = self.shifts.into_shifts()?;
        Ok(RosterEntry {
            operator,
            shifts,
            has_phone,
        })
    }
}

/// An available operator: the operator's row, and until when and through what.
#[derive(sqlx::FromRow)]
pub(in crate::store) struct PresenceRow {
    #[sqlx(flatten)]
    pub(in crate::store) operator: OperatorRow,
    pub(in crate::store) available_until: i64,
    pub(in crate::store) via: String,
}

impl OperatorRow {
    pub(in crate::store) fn into_operator(self) -> Result<Operator, StoreError> {
        let role = Role::parse(&self.role)
            .ok_or_else(|| StoreError::Corrupt(format!("operator {}: role", self.id)))?;
        Ok(Operator {
            id: self.id,
            name: self.name,
            role,
            categories: split_categories(&self.categories),
            active: self.disabled_at.is_none(),
        })
    }
}

pub(in crate::store) const SELECT_SHIFTS: &str = "
select id, name, role, categories, password_hash, disabled_at, locked_until, shifts
from operators where shifts <> '' order by name";

pub(in crate::store) const SELECT_ROSTER: &str = "
select id, name, role, categories, password_hash, disabled_at, locked_until, shifts,
    phone_number is not null as has_phone
from operators order by name";

pub(in crate::store) const SELECT_PHONE: &str =
    "select phone_number from operators where id = $1 and disabled_at is null";

pub(in crate::store) const SELECT_OPERATOR: &str = "
select id, name, role, categories, password_hash, disabled_at, locked_until from operators";

pub(in crate::store) const INSERT_OPERATOR: &str = "
insert into operators (id, name, role, categories, created_at) values ($1, $2, $3, $4, $5)
on conflict (name) do nothing";

pub(in crate::store) const SET_PASSWORD: &str =
    "update operators set password_hash = $2 where name = $1";
pub(in crate::store) const SET_PIN: &str = "update operators set pin_hash = $2 where name = $1";
pub(in crate::store) const SET_PHONE: &str =
    "update operators set phone_number = $2 where name = $1";
pub(in crate::store) const SET_CATEGORIES: &str =
    "update operators set categories = $2 where name = $1";
pub(in crate::store) const SET_SHIFTS: &str = "update operators set shifts = $2 where name = $1";
pub(in crate::store) const SET_ROLE: &str = "update operators set role = $2 where name = $1";
/// The statement that makes `change` to the operator named `$1`, and the value it binds as `$2`.
pub(in crate::store) fn change_statement(
    change: &OperatorChange,
) -> (&'static str, Option<String>) {
    match change {
        OperatorChange::Password(hash) => (SET_PASSWORD, Some(hash.clone())),
        OperatorChange::Pin(digest) => (SET_PIN, Some(digest.clone())),
        OperatorChange::Phone(phone) => (SET_PHONE, phone.clone()),
        OperatorChange::Categories(c) => (SET_CATEGORIES, Some(join_categories(c))),
        OperatorChange::Role(role) => (SET_ROLE, Some(role.as_str().to_string())),
        OperatorChange::Shifts(shifts) => (SET_SHIFTS, Some(shifts.to_string())),
        OperatorChange::Disable(at) => (DISABLE, Some(at.to_string())),
        OperatorChange::Enable => (ENABLE, None),
    }
}

// $2 arrives as text so that every change binds the same way; stored as an integer.
pub(in crate::store) const DISABLE: &str =
    "update operators set disabled_at = cast($2 as bigint) where name = $1";
// Enabling also lifts a sign-in lock: it is how a supervisor lets a locked-out operator back in.
pub(in crate::store) const ENABLE: &str = "
update operators set disabled_at = null, failed_sign_ins = 0, locked_until = null
where name = $1 and $2 is null";

pub(in crate::store) const REVOKE_TOKENS: &str = "
update api_tokens set revoked_at = $2
where revoked_at is null and operator_id = (select id from operators where name = $1)";

pub(in crate::store) const END_SESSIONS: &str = "
delete from sessions where operator_id = (select id from operators where name = $1)";

pub(in crate::store) const INSERT_TOKEN: &str = "
insert into api_tokens (token_hash, operator_id, label, created_at) values ($1, $2, $3, $4)";

pub(in crate::store) const INSERT_SESSION: &str = "
insert into sessions (token_hash, operator_id, csrf_token, created_at, expires_at)
values ($1, $2, $3, $4, $5)";

pub(in crate::store) const SELECT_SESSION: &str = "
select operator_id, csrf_token from sessions where token_hash = $1 and expires_at > $2";

// The count runs up to the limit ($3), at which the account locks until $2; it is not reset by
// the lock, so each further failure past the limit extends it.
pub(in crate::store) const SIGN_IN_FAILED: &str = "
update operators set failed_sign_ins = failed_sign_ins + 1,
    locked_until = case when failed_sign_ins + 1 >= $3 then $2 else locked_until end
where name = $1";

pub(in crate::store) const SIGN_IN_SUCCEEDED: &str = "
update operators set failed_sign_ins = 0, locked_until = null where name = $1";

pub(in crate::store) const KNOWN_DEVICE: &str =
    "select operator_id from known_devices where token_digest = $1";

pub(in crate::store) const ADD_KNOWN_DEVICE: &str = "
insert into known_devices (token_digest, operator_id, created_at) values ($1, $2, $3)
on conflict (token_digest) do update set operator_id = excluded.operator_id, failed_sign_ins = 0";

pub(in crate::store) const KNOWN_DEVICE_FAILED: &str =
    "update known_devices set failed_sign_ins = failed_sign_ins + 1 where token_digest = $1";

pub(in crate::store) const FORGET_FAILING_DEVICE: &str =
    "delete from known_devices where token_digest = $1 and failed_sign_ins >= $2";

pub(in crate::store) const SELECT_PLAIN_PINS: &str =
    "select id, pin_hash from operators where pin_hash is not null and pin_hash not like 'k1:%'";
pub(in crate::store) const REKEY_PIN: &str =
    "update operators set pin_hash = $3 where id = $1 and pin_hash = $2";

pub(in crate::store) const INSERT_PIN_FAILURE: &str =
    "insert into pin_failures (id, caller_tag, at) values ($1, $2, $3)";

/// `$1` the caller's tag, `$2` the start of the short window, `$3` a day ago.
pub(in crate::store) const COUNT_PIN_FAILURES: &str = "
select
    coalesce(sum(case when caller_tag = $1 and at >= $2 then 1 else 0 end), 0),
    coalesce(sum(case when caller_tag = $1 then 1 else 0 end), 0),
    coalesce(sum(case when at >= $2 then 1 else 0 end), 0),
    count(*)
from pin_failures where at >= $3";

pub(in crate::store) const SET_PRESENCE: &str = "
insert into operator_presence (operator_id, available_until, via) values ($1, $2, $3)
on conflict (operator_id) do update set available_until = excluded.available_until,
    via = excluded.via";
/// `$2` the new end, `$3` now: only a mark in force is renewed, and never shortened.
pub(in crate::store) const RENEW_PRESENCE: &str = "
update operator_presence set available_until = $2
where operator_id = $1 and available_until > $3 and available_until < $2";
pub(in crate::store) const CLEAR_PRESENCE: &str =
    "delete from operator_presence where operator_id = $1";
/// `$1` now.
pub(in crate::store) const AVAILABLE: &str = "
select o.id, o.name, o.role, o.categories, o.password_hash, o.disabled_at, o.locked_until,
    p.available_until, p.via
from operator_presence p join operators o on o.id = p.operator_id
where p.available_until > $1 and o.disabled_at is null
order by o.name";
