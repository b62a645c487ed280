//! The names staff read for categories and steps. Records keep ids (`call_steps.node`, a
//! request's category); the names come from the flows when they are shown: a step from the
//! flow version its call followed while that version is kept, else from the current flow,
//! else made from the id. Labels stay what callers hear.

use super::Desk;
use crate::catalog::library::Catalog;
use crate::store::StepRecord;

/// One step of the caller's path, with the name staff read for its node.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PathStep {
    /// The step as recorded, with its node's id.
    #[serde(flatten)]
    pub step: StepRecord,
    /// The node's title in the flow the call followed.
    pub node_title: String,
    /// The outcome with the nodes and categories it names written by their titles, for
    /// people ("chose Main menu"); the API keeps the recorded `outcome`.
    #[serde(skip)]
    pub outcome_words: String,
}

impl Desk {
    /// A category's label in its hotline's first language, or its id: what the operator line
    /// reads out.
    pub fn category_label(&self, id: &str) -> String {
        self.flows
            .current()
            .flows()
            .find_map(|f| {
                let category = f.categories.get(id)?;
                category
                    .label
                    .text(&f.default_language().id)
                    .map(str::to_string)
            })
            .unwrap_or_else(|| id.to_string())
    }

    /// A category's name for staff (see [`crate::catalog::FlowSet::category_title`]).
    pub fn category_title(&self, id: &str) -> String {
        self.flows.current().category_title(id)
    }

    /// The steps of a call of `hotline` that followed `version`, each with its names.
    pub(super) fn path(
        &self,
        hotline: &str,
        version: Option<&str>,
        steps: Vec<StepRecord>,
    ) -> Vec<PathStep> {
        let catalog = self.flows.catalog();
        steps
            .into_iter()
            .map(|step| PathStep {
                node_title: catalog.node_title(hotline, version, &step.node),
                outcome_words: outcome_words(&step.outcome, &catalog, hotline, version),
                step,
            })
            .collect()
    }
}

/// `outcome` with the node a menu choice led to, or the category a request was saved for, by
/// its title. Anything else, and an id no flow knows, stays as recorded.
fn outcome_words(outcome: &str, catalog: &Catalog, hotline: &str, version: Option<&str>) -> String {
    let flow = catalog.for_call(hotline, version);
    let node = |id: &str| Some(flow.as_ref()?.nodes.get(id)?.title.clone());
    for verb in ["chose ", "number withheld: "] {
        if let Some((before, id)) = outcome.rsplit_once(verb)
            && let Some(title) = node(id)
        {
            return format!("{before}{verb}{title}");
        }
    }
    let requested = outcome
        .strip_prefix("callback requested (")
        .and_then(|rest| rest.strip_suffix(')'));
    match requested {
        Some(category) => format!(
            "callback requested ({})",
            catalog.current.category_title(category)
        ),
        None => outcome.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::outcome_words;
    use crate::catalog::library::Flows;

    fn words(outcome: &str) -> String {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/call_flows");
        let set = crate::catalog::files::load_dir(std::path::Path::new(path)).expect("flows");
        let catalog = Flows::new(set, 0).catalog();
        outcome_words(outcome, &catalog, "victim_hotline", None)
    }

    #[test]
    fn outcomes_name_the_step_or_category_they_led_to() {
        assert_eq!(words("chose main_menu"), "chose Main menu");
        let spoken = "speech (en) matched key 2, confidence 0.90: chose to_victim_assistance";
        assert_eq!(
            words(spoken),
            "speech (en) matched key 2, confidence 0.90: chose Victim assistance triage"
        );
        assert_eq!(
            words("number withheld: collect_number"),
            "number withheld: Number to call back"
        );
        assert_eq!(
            words("callback requested (general)"),
            "callback requested (General)"
        );
    }

    #[test]
    fn other_outcomes_and_unknown_ids_stay_as_recorded() {
        assert_eq!(words("closed: after hours"), "closed: after hours");
        assert_eq!(words("chose nowhere"), "chose nowhere");
        assert_eq!(words("queued in general"), "queued in general");
    }
}
