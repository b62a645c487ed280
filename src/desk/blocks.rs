//! The staff's block list: supervisors block a harassing number with a reason and an optional
//! expiry, list the blocks in force and lift them, each audited. The number is kept only as
//! its keyed tag and a masked form; the line looks each caller up by the same tag.

use super::{Desk, DeskError};
use crate::engine::abuse;
use crate::operators::Operator;
use crate::privacy::MaskedPhone;
use crate::store::{Block, NewBlock};

/// The longest reason kept, in characters: a line for the shift, not a case note.
pub const MAX_REASON_CHARS: usize = 500;

/// A supervisor's block, as asked for.
#[derive(Debug, Clone, Copy)]
pub struct BlockAsked<'a> {
    /// The number to block, E.164.
    pub number: &'a str,
    /// Why.
    pub reason: &'a str,
    /// Until when (ms since the epoch); `None` until someone unblocks it.
    pub expires_at: Option<i64>,
}

impl Desk {
    /// Blocks a number from the next call on; supervisors only, audited without the number.
    /// Blocking a number again replaces its reason and expiry.
    pub async fn block_number(
        &self,
        operator: &Operator,
        asked: BlockAsked<'_>,
    ) -> Result<Block, DeskError> {
        supervisor(operator)?;
        let now = self.now();
        let number = asked.number.trim();
        if !abuse::is_phone_number(number) {
            return Err(DeskError::Invalid(
                "`number` must be a phone number in E.164 form, like +12025550123 \
                 (withheld numbers cannot be blocked)"
                    .into(),
            ));
        }
        let reason = checked_reason(asked.reason)?;
        if asked.expires_at.is_some_and(|at| at <= now) {
            return Err(DeskError::Invalid(
                "`expires_at` must be in the future".into(),
            ));
        }
        let masked_number = MaskedPhone(number).to_string();
        let new = NewBlock {
            number_tag: self.block_key.tag(number),
            masked_number: masked_number.clone(),
            reason,
            operator_id: operator.id.clone(),
            at: now,
            expires_at: asked.expires_at,
        };
        let detail = format!("number={masked_number} until={}", until(asked.expires_at));
        let entry = self.entry(operator, "block_number", "", &detail);
        Ok(self.store.block(&new, &entry).await?)
    }

    /// Lifts a block; supervisors only, audited.
    pub async fn unblock_number(&self, operator: &Operator, id: &str) -> Result<(), DeskError> {
        supervisor(operator)?;
        let entry = self.entry(operator, "unblock_number", id, "");
        Ok(self.store.unblock(id, &entry).await?)
    }

    /// The blocks in force now; supervisors only.
    pub async fn blocks(&self, operator: &Operator) -> Result<Vec<Block>, DeskError> {
        supervisor(operator)?;
        Ok(self.store.blocks(self.now()).await?)
    }
}

fn supervisor(operator: &Operator) -> Result<(), DeskError> {
    if operator.is_supervisor() {
        Ok(())
    } else {
        Err(DeskError::Forbidden("the block list is for supervisors"))
    }
}

/// The reason trimmed, or why it cannot be kept: it is shown on pages and in JSON, so control
/// characters (which could forge lines or hide text) are refused rather than stripped.
fn checked_reason(reason: &str) -> Result<String, DeskError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(DeskError::Invalid("`reason` is required".into()));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(DeskError::Invalid(format!(
            "`reason` is longer than {MAX_REASON_CHARS} characters"
        )));
    }
    if reason.chars().any(char::is_control) {
        return Err(DeskError::Invalid(
            "`reason` must be one line without control characters".into(),
        ));
    }
    Ok(reason.to_string())
}

/// An expiry for the audit log.
fn until(expires_at: Option<i64>) -> String {
    expires_at
        .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        .map_or_else(|| "unblocked".to_string(), |t| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_required_bounded_and_one_line() {
        assert_eq!(
            checked_reason("  threats  ").ok().as_deref(),
            Some("threats")
        );
        assert!(checked_reason("   ").is_err());
        assert!(checked_reason(&"x".repeat(MAX_REASON_CHARS + 1)).is_err());
        assert!(checked_reason(&"é".repeat(MAX_REASON_CHARS)).is_ok());
        assert!(checked_reason("two\nlines").is_err());
        assert!(checked_reason("bell\u{7}").is_err());
    }

    #[test]
    fn the_audit_says_until_when() {
        assert_eq!(until(None), "unblocked");
        assert_eq!(until(Some(0)), "1970-01-01T00:00:00Z");
    }
}
