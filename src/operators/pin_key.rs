//! The key under which operator-line PINs are stored and wrong PINs are counted. Eight digits
//! are a hundred million guesses, seconds of work for a copied database holding plain digests;
//! keyed with a secret that is not in the database, a copy reveals nothing.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::credentials::digest;
use crate::secret::ServerSecret;

/// What starts every keyed PIN digest: older digests (plain SHA-256) lack it and are
/// converted in place with [`PinKey::rekey`].
pub const KEYED_PREFIX: &str = "k1:";

/// A key drawn from the server secret; never logged, never stored.
#[derive(Clone)]
pub struct PinKey([u8; 32]);

impl std::fmt::Debug for PinKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PinKey(***)")
    }
}

impl PinKey {
    /// The key itself.
    pub fn new(key: [u8; 32]) -> PinKey {
        PinKey(key)
    }

    /// The server's PIN key: every instance on one database draws the same one.
    pub fn from_secret(secret: &ServerSecret) -> PinKey {
        PinKey(secret.key_for("operator-line pins"))
    }

    /// The stored form of `pin`: the same PIN always gives the same digest under one key, so
    /// the line can look an operator up by it.
    pub fn digest(&self, pin: &str) -> String {
        self.rekey(&digest(pin))
    }

    /// The keyed form of an older plain digest, so rows stored before PINs were keyed convert
    /// without anyone's PIN. A digest already keyed comes back as it is.
    pub fn rekey(&self, stored: &str) -> String {
        if is_keyed(stored) {
            return stored.to_string();
        }
        format!("{KEYED_PREFIX}{}", self.mac(b"pin:", stored))
    }

    /// A tag for the number a PIN was entered from: limits count wrong PINs per number
    /// without keeping the number.
    pub fn caller_tag(&self, number: &str) -> String {
        self.mac(b"from:", number)[..32].to_string()
    }

    fn mac(&self, purpose: &[u8], text: &str) -> String {
        // HMAC accepts keys of every length, so this cannot fail.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .expect("HMAC accepts keys of any length");
        mac.update(purpose);
        mac.update(text.as_bytes());
        hex(&mac.finalize().into_bytes())
    }
}

/// Whether a stored digest is already keyed.
pub fn is_keyed(stored: &str) -> bool {
    stored.starts_with(KEYED_PREFIX)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_digest_depends_on_the_key_and_hides_the_plain_digest() {
        let key = PinKey::new([7; 32]);
        let other = PinKey::new([8; 32]);
        let stored = key.digest("12345678");
        assert!(stored.starts_with(KEYED_PREFIX));
        assert_eq!(stored, key.digest("12345678"));
        assert_ne!(stored, key.digest("12345679"));
        assert_ne!(stored, other.digest("12345678"));
        assert!(!stored.contains(&digest("12345678")));
        assert_eq!(format!("{key:?}"), "PinKey(***)");
    }

    #[test]
    fn an_old_plain_digest_converts_to_the_digest_of_the_same_pin() {
        let key = PinKey::new([7; 32]);
        let old = digest("87654321");
        assert!(!is_keyed(&old));
        assert_eq!(key.rekey(&old), key.digest("87654321"));
        let keyed = key.digest("87654321");
        assert_eq!(key.rekey(&keyed), keyed, "converting twice changes nothing");
    }

    #[test]
    fn caller_tags_differ_per_number_and_never_show_it() {
        let key = PinKey::new([7; 32]);
        let tag = key.caller_tag("+12025550123");
        assert_eq!(tag, key.caller_tag("+12025550123"));
        assert_ne!(tag, key.caller_tag("+12025550124"));
        assert_eq!(tag.len(), 32);
        assert!(!tag.contains("2025550123"));
    }
}
