//! What supervisors (and operators, within their categories) read about the line as a whole:
//! the reports of a period, the call search and the audit log, each with its role check and,
//! where it shows callers' data, its own audit entry.

use super::{Desk, DeskError, SEARCH_LIMIT};
use crate::flow::model::NodeKind;
use crate::operators::Operator;
use crate::reports::{self, Report};
use crate::store::{AuditEntry, AuditFilter, CallRecord, CallSearch};

impl Desk {
    /// Calls that started in `[from, to)`, of one category or all the operator works.
    pub async fn search_calls(
        &self,
        operator: &Operator,
        from: i64,
        to: i64,
        category: Option<&str>,
    ) -> Result<Vec<CallRecord>, DeskError> {
        if to <= from {
            return Err(DeskError::Invalid("`to` must be after `from`".into()));
        }
        let categories = super::history::scope(operator, category)?;
        let search = CallSearch {
            from,
            to,
            categories,
            from_number: None,
            limit: SEARCH_LIMIT,
        };
        let calls = self.store.search_calls(&search).await?;
        let detail = format!("from={from} to={to} category={}", category.unwrap_or("*"));
        self.audit(operator, "search_calls", "", &detail).await?;
        Ok(calls)
    }

    /// The audit log; supervisors only.
    pub async fn audit_log(
        &self,
        operator: &Operator,
        filter: &AuditFilter,
    ) -> Result<Vec<AuditEntry>, DeskError> {
        if !operator.is_supervisor() {
            return Err(DeskError::Forbidden("the audit log is for supervisors"));
        }
        Ok(self.store.audit_log(filter).await?)
    }

    /// The supervisors' reports for calls in `[from, to)`, days counted in the default
    /// hotline's time zone.
    pub async fn report(
        &self,
        operator: &Operator,
        from: i64,
        to: i64,
        goal: reports::StaffingGoal,
    ) -> Result<Report, DeskError> {
        if !operator.is_supervisor() {
            return Err(DeskError::Forbidden("reports are for supervisors"));
        }
        if to <= from {
            return Err(DeskError::Invalid("`to` must be after `from`".into()));
        }
        let facts = self.store.report_facts(from, to).await?;
        self.audit(operator, "view_report", "", &format!("from={from} to={to}"))
            .await?;
        let routes = self.routes();
        let zone = self.flows.time_zone();
        let local = |ms: i64| {
            jiff::Timestamp::from_millisecond(ms)
                .ok()
                .map(|t| t.to_zoned_datetime(zone.clone()).datetime())
        };
        let date_of = |ms: i64| local(ms).map(|t| t.date().to_string()).unwrap_or_default();
        let hour_of = |ms: i64| {
            local(ms).map_or((0, 0), |t| {
                let day = t.date().weekday().to_monday_zero_offset();
                (day.unsigned_abs(), t.hour().unsigned_abs())
            })
        };
        let flows = self.flows.current();
        let category_title = |id: &str| flows.category_title(id);
        let node_title = |id: &str| flows.node_title(id);
        let period = reports::Period {
            from,
            to,
            date_of: &date_of,
            hour_of: &hour_of,
            goal,
            category_title: &category_title,
            node_title: &node_title,
        };
        Ok(reports::compute(&facts, &routes, &period))
    }

    /// What the reports need of the current flows.
    fn routes(&self) -> reports::Routes {
        let flows = self.flows.current();
        let mut routes = reports::Routes::default();
        for flow in flows.flows() {
            let fallback = flow.fallback_category.clone();
            routes.fallback.insert(flow.id.clone(), fallback);
            // A category several hotlines share is worked by the first one's calling hours.
            for category in flow.categories.values() {
                let rule = reports::CallbackRule {
                    within_hours: category.callback_within_hours,
                    calling_hours: flow.callbacks.pacing.calling_hours,
                };
                routes.callbacks.entry(category.id.clone()).or_insert(rule);
            }
            for node in flow.nodes.values() {
                if let NodeKind::Triage { category, .. } = &node.kind {
                    let at = (flow.id.clone(), node.id.clone());
                    routes.triage_nodes.insert(at, category.clone());
                }
            }
        }
        routes
    }
}
