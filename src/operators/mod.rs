//! The people who work the triage queue: their roles, the categories they work, when they are
//! due at work, and what each role may see. Pure rules; the store keeps the records and `credentials` the secrets.

pub mod block_key;
pub mod caller_key;
pub mod credentials;
pub mod pin_key;
pub mod pin_limits;
pub mod shifts;

use std::fmt;

/// What an operator may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Works the requests and calls of their own categories.
    Operator,
    /// Sees every category, the reports and the audit log.
    Supervisor,
}

impl Role {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Supervisor => "supervisor",
        }
    }

    /// Reads the stored form back.
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "operator" => Some(Role::Operator),
            "supervisor" => Some(Role::Supervisor),
            _ => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An operator as the rest of the server sees them: no secrets.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Operator {
    /// A UUIDv7.
    pub id: String,
    /// The sign-in name.
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// The category ids they work; supervisors work all of them.
    pub categories: Vec<String>,
    /// Whether they may still sign in and take calls.
    pub active: bool,
}

#[cfg(test)]
impl Operator {
    /// An active operator for the unit tests, whose id is their name.
    pub(crate) fn named(name: &str, role: Role, categories: &[&str]) -> Operator {
        Operator {
            id: name.into(),
            name: name.into(),
            role,
            categories: categories.iter().map(|c| c.to_string()).collect(),
            active: true,
        }
    }
}

impl Operator {
    /// Whether this operator may see and work the callers of `category`.
    pub fn works(&self, category: &str) -> bool {
        self.role == Role::Supervisor || self.categories.iter().any(|c| c == category)
    }

    /// Whether this operator may read reports and the audit log.
    pub fn is_supervisor(&self) -> bool {
        self.role == Role::Supervisor
    }

    /// The categories to filter on: `None` means every category.
    pub fn category_filter(&self) -> Option<&[String]> {
        match self.role {
            Role::Supervisor => None,
            Role::Operator => Some(&self.categories),
        }
    }
}

/// Joins category ids for storage.
pub fn join_categories(categories: &[String]) -> String {
    categories.join(",")
}

/// Splits stored category ids.
pub fn split_categories(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operator(role: Role, categories: &[&str]) -> Operator {
        Operator {
            id: "o".into(),
            name: "ana".into(),
            role,
            categories: categories.iter().map(|c| c.to_string()).collect(),
            active: true,
        }
    }

    #[test]
    fn an_operator_works_only_their_categories() {
        let ana = operator(Role::Operator, &["general", "records_request"]);
        assert!(ana.works("general"));
        assert!(!ana.works("victim_assistance"));
        assert_eq!(ana.category_filter().map(<[String]>::len), Some(2));
    }

    #[test]
    fn a_supervisor_works_every_category() {
        let sam = operator(Role::Supervisor, &[]);
        assert!(sam.works("victim_assistance"));
        assert!(sam.category_filter().is_none());
    }

    #[test]
    fn categories_survive_storage() {
        let stored = join_categories(&["a".to_string(), "b".to_string()]);
        assert_eq!(split_categories(&stored), vec!["a", "b"]);
        assert!(split_categories("").is_empty());
        assert_eq!(
            Role::parse(Role::Supervisor.as_str()),
            Some(Role::Supervisor)
        );
    }
}
