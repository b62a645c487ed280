//! Operators coordinating around one caller: a supervisor takes a claim off its holder (back to
//! the queue or over to another operator), and each request names the caller's other requests,
//! so that two operators do not ring one person.

use super::{Desk, DeskError, EARLIER_CALLS_DAYS};
use crate::callbacks::Status;
use crate::operators::Operator;
use crate::store::{CallbackRequest, HandOver};

/// Another request left by the same caller (same number to call, or same keyed caller hash).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SameCaller {
    /// The request, when the operator works its category; `None` otherwise (its existence
    /// and state are said, so nobody rings the caller twice, but nothing else of it).
    pub id: Option<String>,
    /// Its category's label, likewise.
    pub category_label: Option<String>,
    /// Its category's name for staff, likewise.
    pub category_title: Option<String>,
    pub status: Status,
    /// Who holds it, when claimed and the operator works its category.
    pub claimed_by: Option<String>,
    /// When it was made.
    pub created_at: i64,
}

impl SameCaller {
    /// Whether someone holds it now: calling this caller again would ring them twice.
    pub fn being_worked(&self) -> bool {
        self.status == Status::Claimed
    }
}

impl Desk {
    /// Takes the claim on request `id` off its holder: to the operator named `to`, who must be
    /// active and work the request's category, or back to the queue. Supervisors only;
    /// audited. Refused while the line is placing a call back for it.
    pub async fn hand_over(
        &self,
        supervisor: &Operator,
        id: &str,
        to: Option<&str>,
    ) -> Result<CallbackRequest, DeskError> {
        if !supervisor.is_supervisor() {
            return Err(DeskError::Forbidden(
                "only supervisors release or reassign another operator's claim",
            ));
        }
        let request = self.visible_request(supervisor, id).await?;
        if self.dialling(&request).await? {
            return Err(DeskError::Conflict {
                code: "call_in_progress",
                message: "the line is calling this caller back now; wait until the call ends"
                    .into(),
            });
        }
        let to = match to {
            Some(name) => Some(self.assignee(name, &request.category).await?),
            None => None,
        };
        let over = HandOver {
            request_id: id.to_string(),
            to,
            by: supervisor.id.clone(),
            at: self.now(),
        };
        Ok(self.store.hand_over(&over).await?)
    }

    /// Who a supervisor may hand `request` to: the active operators who work its category,
    /// but for its holder; empty for anyone else.
    pub async fn assignees(
        &self,
        supervisor: &Operator,
        request: &CallbackRequest,
    ) -> Result<Vec<String>, DeskError> {
        if !supervisor.is_supervisor() {
            return Ok(Vec::new());
        }
        let everyone = self.store.operators().await?;
        Ok(everyone
            .into_iter()
            .filter(|o| o.active && o.works(&request.category))
            .filter(|o| request.claimed_by.as_deref() != Some(o.id.as_str()))
            .map(|o| o.name)
            .collect())
    }

    /// The caller's other requests of the last [`EARLIER_CALLS_DAYS`] days, as `operator` may
    /// see them.
    pub(super) async fn same_caller(
        &self,
        operator: &Operator,
        request: &CallbackRequest,
    ) -> Result<Vec<SameCaller>, DeskError> {
        let since = self.now() - EARLIER_CALLS_DAYS * 24 * 3600 * 1000;
        let others = self.store.same_caller_requests(&request.id, since).await?;
        Ok(others
            .into_iter()
            .map(|other| {
                let seen = operator.works(&other.category);
                SameCaller {
                    id: seen.then(|| other.id.clone()),
                    category_label: seen.then(|| self.category_label(&other.category)),
                    category_title: seen.then(|| self.category_title(&other.category)),
                    claimed_by: other.claimed_by_name.filter(|_| seen),
                    status: other.status,
                    created_at: other.created_at,
                }
            })
            .collect())
    }

    /// Whether the line is dialling this request under its current claim.
    async fn dialling(&self, request: &CallbackRequest) -> Result<bool, DeskError> {
        let Some(claimed_at) = request
            .claimed_at
            .filter(|_| request.status == Status::Claimed)
        else {
            return Ok(false);
        };
        let dial = self.store.latest_dial(&request.id).await?;
        Ok(dial.is_some_and(|d| d.ended_at.is_none() && d.started_at >= claimed_at))
    }

    /// The id of the operator named `name`, if they may hold a request of `category`.
    async fn assignee(&self, name: &str, category: &str) -> Result<String, DeskError> {
        let found = self.store.sign_in(name).await?.map(|s| s.operator);
        match found {
            Some(o) if o.active && o.works(category) => Ok(o.id),
            Some(o) if o.active => Err(DeskError::Invalid(format!(
                "{} does not work this request's category",
                o.name
            ))),
            _ => Err(DeskError::Invalid(format!(
                "no active operator is named {name}"
            ))),
        }
    }
}
