//! The operator line's side of the desk: who is calling in (by caller ID where the deployment
//! trusts it; PINs are in `pins.rs`), and taking the next live caller, with its audit entry.
//! The line's TwiML is in `operator_line`; the routes are in `http/operator_line.rs`.

use super::next::next_caller;
use super::{Desk, DeskError, LIVE_SILENCE_MS};
use crate::operator_line::NextCaller;
use crate::operators::Operator;
use crate::store::AuditEntry;

impl Desk {
    /// The active operator whose phone number this is.
    pub async fn operator_by_phone(&self, number: &str) -> Result<Option<Operator>, DeskError> {
        if number.is_empty() {
            return Ok(None);
        }
        Ok(self.store.operator_by_phone(number).await?)
    }

    /// The operator with this id, if they may still work.
    pub async fn active_operator(&self, id: &str) -> Result<Option<Operator>, DeskError> {
        Ok(self.store.operator(id).await?.filter(|o| o.active))
    }

    /// The live caller the operator should talk to next, if anyone waits in their categories.
    /// Taking the call is audited before the line connects it.
    pub async fn take_next_caller(
        &self,
        operator: &Operator,
    ) -> Result<Option<NextCaller>, DeskError> {
        let now = self.now();
        let live = self.store.live_callers(now - LIVE_SILENCE_MS).await?;
        let Some((next, call_sid)) = next_caller(&self.flows.current(), operator, &live, now)
        else {
            return Ok(None);
        };
        let entry = AuditEntry {
            at: now,
            operator_id: operator.id.clone(),
            operator_name: None,
            action: "take_live_call".into(),
            subject: call_sid,
            detail: format!("queue={}", next.queue),
        };
        self.store.record(&entry).await?;
        Ok(Some(next))
    }
}
