//! The roster: operators, their credentials (stored as hashes only) and their web sessions.

pub(in crate::store) mod bind;
pub(in crate::store) mod sql;

use crate::operators::pin_key::PinKey;
use crate::operators::pin_limits::PinFailures;
use crate::operators::shifts::WeeklyShifts;
use crate::operators::{Operator, Role};

use super::audit::AuditEntry;
use super::error::StoreError;

/// An operator to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOperator {
    /// The sign-in name; unique.
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// The categories they work.
    pub categories: Vec<String>,
    /// When they were added.
    pub at: i64,
}

/// A change to an operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperatorChange {
    /// A new argon2id password hash.
    Password(String),
    /// A new operator-line PIN digest.
    Pin(String),
    /// The phone that identifies them on the operator line; `None` forgets it.
    Phone(Option<String>),
    /// The categories they work.
    Categories(Vec<String>),
    /// Their role.
    Role(Role),
    /// Their weekly shifts (empty: none), replacing the ones they had.
    Shifts(WeeklyShifts),
    /// Disables them from this instant: sign-in, tokens, sessions and the operator line stop
    /// working for them.
    Disable(i64),
    /// Lets a disabled operator work again (their old tokens and sessions stay revoked).
    Enable,
}

/// A new web session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// Digest of the cookie value.
    pub token_digest: String,
    /// Whose session.
    pub operator_id: String,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// When it started.
    pub at: i64,
    /// When it ends.
    pub expires_at: i64,
}

/// One person on the roster as supervisors see them: no secrets, and of their phone only
/// whether one is registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    /// The operator.
    pub operator: Operator,
    /// Their weekly shifts; empty when they have none.
    pub shifts: WeeklyShifts,
    /// Whether a phone is registered for the operator line and "call me now".
    pub has_phone: bool,
}

/// What sign-in needs to check a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignIn {
    /// The operator.
    pub operator: Operator,
    /// Their password hash, if one is set.
    pub password_hash: Option<String>,
    /// Until when sign-in is refused after too many failures.
    pub locked_until: Option<i64>,
}

/// Operators and their credentials.
#[async_trait::async_trait]
pub trait Roster: Send + Sync + 'static {
    /// Adds an operator; [`StoreError::Conflict`] `name_taken` when the name is in use.
    async fn add_operator(&self, new: &NewOperator) -> Result<Operator, StoreError>;
    /// Every operator, by name.
    async fn operators(&self) -> Result<Vec<Operator>, StoreError>;
    /// One operator by id, active or not.
    async fn operator(&self, id: &str) -> Result<Option<Operator>, StoreError>;
    /// One operator by name, with what sign-in checks.
    async fn sign_in(&self, name: &str) -> Result<Option<SignIn>, StoreError>;
    /// Counts a failed sign-in for `name`; the `limit`th in a row locks sign-in until
    /// `locked_until`. Unknown names change nothing.
    async fn sign_in_failed(
        &self,
        name: &str,
        locked_until: i64,
        limit: i64,
    ) -> Result<(), StoreError>;
    /// Clears the failure count after a successful sign-in.
    async fn sign_in_succeeded(&self, name: &str) -> Result<(), StoreError>;
    /// The operator a browser signed in as before, by the digest of its device token.
    async fn known_device(&self, token_digest: &str) -> Result<Option<String>, StoreError>;
    /// Remembers a browser the operator signed in from (its failures start again from 0).
    async fn add_known_device(
        &self,
        token_digest: &str,
        operator_id: &str,
        at: i64,
    ) -> Result<(), StoreError>;
    /// Counts a failed sign-in from a known browser; the `limit`th forgets it.
    async fn known_device_failed(&self, token_digest: &str, limit: i64) -> Result<(), StoreError>;
    /// Changes the operator named `name`; [`StoreError::NotFound`] when there is none,
    /// [`StoreError::Conflict`] when a phone or PIN belongs to someone else.
    async fn update_operator(
        &self,
        name: &str,
        change: &OperatorChange,
    ) -> Result<Operator, StoreError>;
    /// Changes the operator named `name` as [`Roster::update_operator`] does, and records
    /// `audit` in the same transaction: a supervisor's change and its record commit together.
    async fn update_operator_audited(
        &self,
        name: &str,
        change: &OperatorChange,
        audit: &AuditEntry,
    ) -> Result<Operator, StoreError>;
    /// Everyone on the roster, active or not, by name.
    async fn roster(&self) -> Result<Vec<RosterEntry>, StoreError>;
    /// Every operator with weekly shifts, active or not, by name, with their shifts.
    async fn shifts(&self) -> Result<Vec<(Operator, WeeklyShifts)>, StoreError>;
    /// The phone number registered for the operator, if any.
    async fn phone_of(&self, operator_id: &str) -> Result<Option<String>, StoreError>;
    /// The active operator whose phone this is.
    async fn operator_by_phone(&self, phone: &str) -> Result<Option<Operator>, StoreError>;
    /// The active operator with this PIN digest.
    async fn operator_by_pin(&self, pin_digest: &str) -> Result<Option<Operator>, StoreError>;
    /// Converts every PIN digest stored before PINs were keyed to its keyed form under `key`;
    /// how many there were.
    async fn rekey_pins(&self, key: &PinKey) -> Result<u64, StoreError>;
    /// Counts a wrong PIN entered from the number with this tag.
    async fn pin_failed(&self, caller_tag: &str, at: i64) -> Result<(), StoreError>;
    /// The wrong PINs that limits count at `now`, for the number with this tag and in all.
    async fn pin_failures(&self, caller_tag: &str, now: i64) -> Result<PinFailures, StoreError>;
    /// Marks the operator available until `until` (ms), through `via` (`console` or `line`);
    /// `None` unmarks them.
    async fn set_presence(
        &self,
        operator_id: &str,
        until: Option<i64>,
        via: &str,
    ) -> Result<(), StoreError>;
    /// Moves the end of the operator's mark to `until` when they are marked available at `now`
    /// and the mark would end sooner; nothing otherwise.
    async fn renew_presence(
        &self,
        operator_id: &str,
        until: i64,
        now: i64,
    ) -> Result<(), StoreError>;
    /// The active operators available at `now`, by name, with until when and through what.
    async fn available(&self, now: i64) -> Result<Vec<(Operator, i64, String)>, StoreError>;
    /// Stores an API token's digest for the operator.
    async fn add_token(
        &self,
        operator_id: &str,
        token_digest: &str,
        label: &str,
        at: i64,
    ) -> Result<(), StoreError>;
    /// The active operator holding an unrevoked token with this digest.
    async fn operator_by_token(&self, token_digest: &str) -> Result<Option<Operator>, StoreError>;
    /// Starts a web session.
    async fn add_session(&self, session: &NewSession) -> Result<(), StoreError>;
    /// The active operator and CSRF token of an unexpired session.
    async fn session(
        &self,
        token_digest: &str,
        now: i64,
    ) -> Result<Option<(Operator, String)>, StoreError>;
    /// Ends a session.
    async fn end_session(&self, token_digest: &str) -> Result<(), StoreError>;
}
