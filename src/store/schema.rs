//! Whether a database's schema matches the migrations this build carries, read without
//! migrating: `hotline doctor` must leave the database as it found it.

use sqlx::migrate::{AppliedMigration, Migrate, MigrateError, Migrator};

use super::StoreError;

/// How a database's applied migrations compare with this build's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    /// Migrations this build carries.
    pub expected: usize,
    /// This build's migrations not applied yet.
    pub missing: Vec<i64>,
    /// Applied migrations whose text differs from this build's.
    pub changed: Vec<i64>,
    /// Applied migrations this build does not know (a newer version migrated the database).
    pub unknown: Vec<i64>,
    /// A migration that failed part-way.
    pub dirty: Option<i64>,
}

impl Schema {
    /// Compares what `migrator` would apply with what the database says it applied.
    fn compare(migrator: &Migrator, applied: &[AppliedMigration], dirty: Option<i64>) -> Schema {
        let ours: Vec<_> = migrator
            .iter()
            .filter(|m| !m.migration_type.is_down_migration())
            .collect();
        let find = |version| applied.iter().find(|a| a.version == version);
        Schema {
            expected: ours.len(),
            missing: ours
                .iter()
                .filter(|m| find(m.version).is_none())
                .map(|m| m.version)
                .collect(),
            changed: ours
                .iter()
                .filter(|m| find(m.version).is_some_and(|a| a.checksum != m.checksum))
                .map(|m| m.version)
                .collect(),
            unknown: applied
                .iter()
                .filter(|a| !ours.iter().any(|m| m.version == a.version))
                .map(|a| a.version)
                .collect(),
            dirty,
        }
    }

    /// Whether the server would start on this schema without migrating it.
    pub fn is_current(&self) -> bool {
        self.missing.is_empty()
            && self.changed.is_empty()
            && self.unknown.is_empty()
            && self.dirty.is_none()
    }

    /// The comparison in a few words, with what to do when it is not current.
    pub fn describe(&self) -> String {
        let versions = |list: &[i64]| {
            list.iter()
                .map(|v| format!("{v:04}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if let Some(version) = self.dirty {
            return format!("migration {version:04} failed part-way; repair it by hand");
        }
        if !self.unknown.is_empty() {
            return format!(
                "schema is newer than this build (migrations {} unknown): run the newer version",
                versions(&self.unknown)
            );
        }
        if !self.changed.is_empty() {
            return format!(
                "migrations {} differ from this build's",
                versions(&self.changed)
            );
        }
        if !self.missing.is_empty() {
            return format!(
                "schema behind: {} of {} migrations not applied ({}); `hotline db migrate` applies them",
                self.missing.len(),
                self.expected,
                versions(&self.missing)
            );
        }
        format!("schema current ({} migrations)", self.expected)
    }
}

/// Reads the applied migrations through `conn` and compares them with `migrator`'s, changing
/// nothing: unlike the migrator itself, it never creates the migrations table.
pub(super) async fn inspect<C: Migrate>(
    conn: &mut C,
    migrator: &Migrator,
) -> Result<Schema, StoreError> {
    let table = &migrator.table_name;
    let dirty = match conn.dirty_version(table).await {
        Ok(dirty) => dirty,
        // The database answered, so a refused statement here means the migrations table is
        // not there: no migration was ever applied.
        Err(MigrateError::Execute(sqlx::Error::Database(_))) => {
            return Ok(Schema::compare(migrator, &[], None));
        }
        Err(error) => return Err(StoreError::Migration(error)),
    };
    let applied = conn
        .list_applied_migrations(table)
        .await
        .map_err(StoreError::Migration)?;
    Ok(Schema::compare(migrator, &applied, dirty))
}

#[cfg(test)]
mod tests {
    use super::*;

    static MIGRATOR: Migrator = sqlx::migrate!("migrations/sqlite");

    fn applied(skip: i64) -> Vec<AppliedMigration> {
        MIGRATOR
            .iter()
            .filter(|m| m.version != skip)
            .map(|m| AppliedMigration {
                version: m.version,
                checksum: m.checksum.clone(),
            })
            .collect()
    }

    #[test]
    fn every_migration_applied_is_current() {
        let schema = Schema::compare(&MIGRATOR, &applied(-1), None);
        assert!(schema.is_current(), "{schema:?}");
        assert_eq!(
            schema.describe(),
            format!("schema current ({} migrations)", MIGRATOR.iter().count())
        );
    }

    #[test]
    fn a_missing_migration_is_named() {
        let schema = Schema::compare(&MIGRATOR, &applied(2), None);
        assert!(!schema.is_current());
        assert_eq!(schema.missing, vec![2]);
        assert!(
            schema.describe().contains("(0002)"),
            "{}",
            schema.describe()
        );
    }

    #[test]
    fn a_migration_this_build_lacks_or_changed_is_not_current() {
        let mut rows = applied(-1);
        rows.push(AppliedMigration {
            version: 9999,
            checksum: Vec::new().into(),
        });
        rows[0].checksum = vec![0; 4].into();
        let schema = Schema::compare(&MIGRATOR, &rows, None);
        assert_eq!(
            (schema.unknown.clone(), schema.changed.clone()),
            (vec![9999], vec![1])
        );
        assert!(schema.describe().contains("newer than this build"));
        let dirty = Schema::compare(&MIGRATOR, &applied(-1), Some(3));
        assert!(!dirty.is_current());
        assert!(dirty.describe().contains("0003 failed"));
    }
}
