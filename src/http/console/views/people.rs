//! The people page: everyone on the roster as a supervisor reads them (role, categories by
//! title, active or not, available now and until when, due on shift now, weekly shifts), each
//! with the form that replaces their shifts.

use askama::Template;
use jiff::tz::TimeZone;

use super::pages::Frame;
use super::when;
use crate::catalog::FlowSet;
use crate::desk::Person;
use crate::operators::Role;

/// `/operator/people`.
#[derive(Template)]
#[template(path = "console/people.html")]
pub struct PeoplePage {
    pub frame: Frame,
    pub rows: Vec<PersonRow>,
    /// The time zone shifts are read in, by name.
    pub zone: String,
    pub csrf: String,
}

/// One person.
pub struct PersonRow {
    /// The operator's id: the row's anchor.
    pub id: String,
    pub name: String,
    pub role: &'static str,
    /// Category titles, or "Every category" for a supervisor.
    pub categories: String,
    pub active: bool,
    pub has_phone: bool,
    /// "until Tue 1 Dec 11:00" while available.
    pub available_until: Option<String>,
    pub due_now: bool,
    /// Due now and not available.
    pub missing: bool,
    /// What the form's field holds: the shifts in their shortest form (empty when there are
    /// none), or what was typed when it was refused.
    pub field: String,
    /// Why what was typed was refused.
    pub problem: Option<String>,
}

/// `person` as the page shows them; categories by the titles `flows` give them.
pub fn person_row(person: &Person, flows: &FlowSet, zone: &TimeZone) -> PersonRow {
    let operator = &person.operator;
    let categories = match operator.role {
        Role::Supervisor => "Every category".to_string(),
        Role::Operator => operator
            .categories
            .iter()
            .map(|c| flows.category_title(c))
            .collect::<Vec<_>>()
            .join(", "),
    };
    PersonRow {
        id: operator.id.clone(),
        name: operator.name.clone(),
        role: match operator.role {
            Role::Supervisor => "Supervisor",
            Role::Operator => "Operator",
        },
        categories,
        active: operator.active,
        has_phone: person.has_phone,
        available_until: person
            .presence
            .until
            .map(|at| format!("until {}", when::instant(at, zone))),
        due_now: person.due_now,
        missing: person.due_now && !person.presence.available,
        field: person.shifts.to_string(),
        problem: None,
    }
}
