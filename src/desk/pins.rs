//! PINs on the operator line: the keyed digest they are looked up by, and the limits on wrong
//! ones across calls (per number and for the whole line), with the metric and the warning
//! supervisors watch.

use super::{Desk, DeskError};
use crate::operators::Operator;
use crate::operators::pin_limits::PinLock;
use crate::privacy::MaskedPhone;

/// What the line does with a PIN entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PinCheck {
    /// The operator it belongs to.
    Accepted(Operator),
    /// Wrong or missing; ask again after this pause.
    Refused {
        /// Seconds to wait before asking again.
        pause_seconds: u32,
    },
    /// Not checked, and no more are taken from this number for now.
    Locked(PinLock),
}

impl Desk {
    /// Whether PINs from `from` are refused unchecked right now; asked when a call comes in,
    /// so a locked number hears so before it can guess.
    pub async fn pin_lock(&self, from: &str) -> Result<Option<PinLock>, DeskError> {
        let tag = self.pin_key.caller_tag(from);
        Ok(self.store.pin_failures(&tag, self.now()).await?.lock())
    }

    /// Checks the PIN entered from `from` (`#` at its end is the key that ends it). While a
    /// lock holds nothing is checked, so guesses made then teach the guesser nothing.
    pub async fn check_pin(&self, from: &str, entered: &str) -> Result<PinCheck, DeskError> {
        let now = self.now();
        let tag = self.pin_key.caller_tag(from);
        let failures = self.store.pin_failures(&tag, now).await?;
        if let Some(lock) = failures.lock() {
            refused(lock.as_str(), from);
            return Ok(PinCheck::Locked(lock));
        }
        let entered = entered.trim_end_matches('#');
        if entered.is_empty() {
            // Silence guesses nothing: it ends this call after a few tries, but is not counted.
            return Ok(PinCheck::Refused { pause_seconds: 0 });
        }
        let digest = self.pin_key.digest(entered);
        if let Some(operator) = self.store.operator_by_pin(&digest).await? {
            return Ok(PinCheck::Accepted(operator));
        }
        self.store.pin_failed(&tag, now).await?;
        let failures = failures.plus_one();
        refused("wrong", from);
        if let Some(lock) = failures.lock() {
            tracing::warn!(lock = lock.as_str(), from = %MaskedPhone(from), "operator line: PINs locked");
            return Ok(PinCheck::Locked(lock));
        }
        Ok(PinCheck::Refused {
            pause_seconds: failures.pause_seconds(),
        })
    }

    /// Converts PIN digests stored before PINs were keyed; how many there were.
    pub async fn rekey_pins(&self) -> Result<u64, DeskError> {
        Ok(self.store.rekey_pins(&self.pin_key).await?)
    }
}

fn refused(reason: &'static str, from: &str) {
    metrics::counter!("hotline_operator_pin_refused_total", "reason" => reason).increment(1);
    tracing::warn!(reason, from = %MaskedPhone(from), "operator line: PIN refused");
}
