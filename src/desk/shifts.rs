//! Who is due at work: operators' weekly shifts held against an instant, in the default
//! hotline's time zone (operators are not tied to one hotline, so one zone reads them all),
//! and who of those due is missing, that is not marked available then. Per category, by the
//! queue page's rule: an operator counts in the categories they work, a supervisor in every one.

use std::collections::BTreeMap;

use super::{Desk, DeskError};
use crate::operators::Operator;
use crate::operators::shifts::WeeklyShifts;

/// One category's people on shift at an instant, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Duty {
    /// Due at work by their shifts.
    pub due: Vec<String>,
    /// Of those, the ones not marked available.
    pub missing: Vec<String>,
}

impl Desk {
    /// Per category of the loaded flows, who is due on shift at `at` (ms since the epoch) and
    /// who of them is missing.
    pub async fn duty_at(&self, at: i64) -> Result<BTreeMap<String, Duty>, DeskError> {
        let available = self.available_at(at).await?;
        let flows = self.flows.current();
        let categories: Vec<String> = flows
            .flows()
            .flat_map(|f| f.categories.keys().cloned())
            .collect();
        self.duty_among(&categories, &available, at).await
    }

    /// Who is due in each of `categories` at `at`, and who of them is not in `available`.
    pub(super) async fn duty_among(
        &self,
        categories: &[String],
        available: &[Operator],
        at: i64,
    ) -> Result<BTreeMap<String, Duty>, DeskError> {
        let rota = self.store.shifts().await?;
        let instant = jiff::Timestamp::from_millisecond(at)
            .map_err(|_| DeskError::Invalid(format!("{at} is not an instant")))?;
        let zone = self.flows.time_zone();
        Ok(duty(categories, &rota, available, |s| {
            s.due_at(instant, &zone)
        }))
    }
}

/// The duty of each category: the active operators whose shifts `due` says are on, and those
/// of them missing from `available`.
fn duty(
    categories: &[String],
    rota: &[(Operator, WeeklyShifts)],
    available: &[Operator],
    due: impl Fn(&WeeklyShifts) -> bool,
) -> BTreeMap<String, Duty> {
    let on_shift: Vec<&Operator> = rota
        .iter()
        .filter(|(o, shifts)| o.active && due(shifts))
        .map(|(o, _)| o)
        .collect();
    categories
        .iter()
        .map(|category| {
            let due: Vec<&Operator> = on_shift
                .iter()
                .copied()
                .filter(|o| o.works(category))
                .collect();
            let missing = due
                .iter()
                .filter(|o| !available.iter().any(|a| a.id == o.id))
                .map(|o| o.name.clone())
                .collect();
            let due = due.iter().map(|o| o.name.clone()).collect();
            (category.clone(), Duty { due, missing })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operators::Role;

    #[test]
    fn due_and_missing_follow_the_categories_people_work() {
        let ana = Operator::named("ana", Role::Operator, &["general"]);
        let ben = Operator::named("ben", Role::Operator, &["general", "victim_assistance"]);
        let sam = Operator::named("sam", Role::Supervisor, &[]);
        let mut gone = Operator::named("gus", Role::Operator, &["general"]);
        gone.active = false;
        let off = Operator::named("olga", Role::Operator, &["general"]);
        let on = WeeklyShifts::parse(&["daily 00:00-24:00"]).unwrap();
        let rota = [
            (ana.clone(), on.clone()),
            (ben.clone(), on.clone()),
            (sam.clone(), on.clone()),
            (gone, on.clone()),
            (off, WeeklyShifts::default()),
        ];
        let categories = ["general".to_string(), "victim_assistance".to_string()];
        let got = duty(&categories, &rota, &[ana, sam], |s| !s.is_empty());
        assert_eq!(got["general"].due, ["ana", "ben", "sam"]);
        assert_eq!(got["general"].missing, ["ben"]);
        assert_eq!(got["victim_assistance"].due, ["ben", "sam"]);
        assert_eq!(got["victim_assistance"].missing, ["ben"]);
    }
}
