//! One server per SQLite file. SQLite has one writer at a time and this server batches its
//! writes in one process; two `serve` processes on one file would fight for the lock and
//! stall each other's calls. Several instances belong on PostgreSQL.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;

use crate::store::StoreError;

/// Held while a server uses the file; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct ServingLock {
    _file: File,
}

/// Takes the file's serving lock, or says who has it. `None` for URLs that are not SQLite
/// files (an in-memory database, another backend).
pub fn lock_for_serving(url: &str) -> Result<Option<ServingLock>, StoreError> {
    let Some(path) = database_path(url) else {
        return Ok(None);
    };
    let lock_path = PathBuf::from(format!("{}.serve-lock", path.display()));
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|error| {
            StoreError::InUse(format!("cannot open {}: {error}", lock_path.display()))
        })?;
    match file.try_lock() {
        Ok(()) => Ok(Some(ServingLock { _file: file })),
        Err(TryLockError::WouldBlock) => Err(StoreError::InUse(format!(
            "another `hotline serve` is already using {}. One SQLite file serves one instance; \
             to run several, use PostgreSQL (--database-url postgres://...)",
            path.display()
        ))),
        Err(TryLockError::Error(error)) => Err(StoreError::InUse(format!(
            "cannot lock {}: {error}",
            lock_path.display()
        ))),
    }
}

/// The file a `sqlite:` URL names; `None` for other databases and in-memory ones.
pub fn database_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    Some(PathBuf::from(path))
}
