//! The people who work the line, as supervisors see them: each operator's role, categories and
//! weekly shifts, whether they are active, available now (and until when) and due on shift now;
//! and supervisors replacing someone's shifts, audited. No secrets, and no phone number: only
//! whether one is registered.

use super::{Desk, DeskError, Presence};
use crate::operators::Operator;
use crate::operators::shifts::WeeklyShifts;
use crate::store::{OperatorChange, RosterEntry};

/// One person on the roster now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Who, with their role, categories and whether they are active.
    pub operator: Operator,
    /// Their weekly shifts, in the default hotline's time zone.
    pub shifts: WeeklyShifts,
    /// Whether a phone is registered for them (the number is theirs, and not shown).
    pub has_phone: bool,
    /// Their mark of availability now.
    pub presence: Presence,
    /// Whether they are due at work now by their shifts (never while disabled).
    pub due_now: bool,
}

impl Desk {
    /// Everyone on the roster, by name, as they stand now; supervisors only.
    pub async fn people(&self, operator: &Operator) -> Result<Vec<Person>, DeskError> {
        if !operator.is_supervisor() {
            return Err(DeskError::Forbidden("the people page is for supervisors"));
        }
        let now = self.now();
        let roster = self.store.roster().await?;
        let available = self.store.available(now).await?;
        let instant = jiff::Timestamp::from_millisecond(now)
            .map_err(|_| DeskError::Invalid(format!("{now} is not an instant")))?;
        let zone = self.flows.time_zone();
        let person = |entry: RosterEntry| {
            let until = available
                .iter()
                .find(|(o, _, _)| o.id == entry.operator.id)
                .map(|(_, until, _)| *until);
            Person {
                due_now: entry.operator.active && entry.shifts.due_at(instant, &zone),
                presence: Presence {
                    available: until.is_some(),
                    until,
                },
                operator: entry.operator,
                shifts: entry.shifts,
                has_phone: entry.has_phone,
            }
        };
        Ok(roster.into_iter().map(person).collect())
    }

    /// Replaces the weekly shifts of the operator named `name` with `shifts`, written as staff
    /// write them (as `hotline operators edit --shift` takes them; none clears them), and
    /// records it in the audit log with the new shifts; supervisors only. A shift written
    /// wrong changes nothing and is refused with the words that say how to write it.
    pub async fn set_shifts(
        &self,
        operator: &Operator,
        name: &str,
        shifts: &[String],
    ) -> Result<Person, DeskError> {
        if !operator.is_supervisor() {
            return Err(DeskError::Forbidden("only supervisors set people's shifts"));
        }
        let shifts = WeeklyShifts::parse(shifts).map_err(|e| DeskError::Invalid(e.to_string()))?;
        let detail = if shifts.is_empty() {
            "none".to_string()
        } else {
            shifts.to_string()
        };
        let entry = self.entry(operator, "set_shifts", name, &detail);
        let change = OperatorChange::Shifts(shifts);
        self.store
            .update_operator_audited(name, &change, &entry)
            .await?;
        let people = self.people(operator).await?;
        let person = people.into_iter().find(|p| p.operator.name == name);
        person.ok_or(DeskError::NotFound("operator"))
    }
}
