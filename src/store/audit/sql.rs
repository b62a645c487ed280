//! The audit log's SQL and rows, shared by both adapters.

use crate::store::AuditEntry;

#[derive(sqlx::FromRow)]
pub(in crate::store) struct AuditRow {
    at: i64,
    operator_id: String,
    operator_name: Option<String>,
    action: String,
    subject: String,
    detail: String,
}

impl AuditRow {
    pub(in crate::store) fn into_entry(self) -> AuditEntry {
        AuditEntry {
            at: self.at,
            operator_id: self.operator_id,
            operator_name: self.operator_name,
            action: self.action,
            subject: self.subject,
            detail: self.detail,
        }
    }
}

pub(in crate::store) const INSERT_AUDIT: &str = "
insert into audit_log (id, at, operator_id, action, subject, detail)
values ($1, $2, $3, $4, $5, $6)";
