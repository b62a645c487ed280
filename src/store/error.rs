//! Why a storage operation failed, in terms the rest of the server can act on.

/// Why a storage operation failed.
#[derive(thiserror::Error, Debug)]
pub enum StoreError {
    /// The database could not be reached or refused a statement.
    #[error("the database is unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    /// The URL names no database this server can use. Holds the URL with
    /// anything after the scheme removed unless it is a SQLite URL.
    #[error("unsupported database URL {0}: expected sqlite:PATH or postgres://USER@HOST/DATABASE")]
    UnsupportedUrl(String),
    /// The schema could not be brought up to date.
    #[error("migration failed: {0}")]
    Migration(#[source] sqlx::migrate::MigrateError),
    /// The task that applies writes has ended; no write can succeed.
    #[error("the database writer has stopped")]
    WriterGone,
    /// The writes could not be committed yet (the file is locked, read-only, full…); they are
    /// kept and tried again until the database takes them.
    #[error("the database cannot be written now; the writes are kept and retried: {0}")]
    Unwritable(String),
    /// The database refused these writes themselves (a constraint, a missing table); they
    /// would fail again, so they were given up.
    #[error("the database refused the writes: {0}")]
    Refused(String),
    /// The transaction these writes shared with other webhooks' was not committed (the
    /// database could not be reached, or the connection failed); none of them was saved.
    #[error("the database did not commit these writes: {0}")]
    NotCommitted(String),
    /// The writes were refused because too many are already waiting for the database.
    #[error("too many writes are waiting for the database; these were dropped")]
    Backlog,
    /// A stored value this version does not understand.
    #[error("unexpected value in the database: {0}")]
    Corrupt(String),
    /// Another server process is using the database file.
    #[error("{0}")]
    InUse(String),
    /// The record asked for does not exist.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The change conflicts with the record's current state, e.g. a request
    /// another operator has claimed. `code` is stable; `message` is for people.
    #[error("{message}")]
    Conflict {
        /// A stable identifier, e.g. `already_claimed`.
        code: &'static str,
        /// What happened, in words an operator understands.
        message: String,
    },
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        StoreError::Unavailable(error)
    }
}
