//! The key that turns a caller's number into a hash the database can keep after the number is
//! purged: operators see that someone called before, and nobody holding only the database can
//! turn the hash back into the number (phone numbers are few enough to guess without the key).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// A secret from the server's settings; never logged, never stored.
#[derive(Clone)]
pub struct CallerKey(Vec<u8>);

impl std::fmt::Debug for CallerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CallerKey(***)")
    }
}

impl CallerKey {
    /// A key from its text; `None` when it is too short to be a secret.
    pub fn new(text: &str) -> Option<CallerKey> {
        (text.len() >= 16).then(|| CallerKey(text.as_bytes().to_vec()))
    }

    /// The hash of `number`, hex: the same number always gives the same hash under one key.
    pub fn hash(&self, number: &str) -> String {
        // HMAC pads or hashes the key to the block size, so every key length is accepted.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .expect("HMAC accepts keys of any length");
        mac.update(number.as_bytes());
        let digest = mac.finalize().into_bytes();
        digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_key_one_hash_per_number_and_other_keys_differ() {
        let key = CallerKey::new("a secret of some length").expect("long enough");
        let other = CallerKey::new("another secret entirely").expect("long enough");
        assert_eq!(key.hash("+12025550123"), key.hash("+12025550123"));
        assert_ne!(key.hash("+12025550123"), key.hash("+12025550124"));
        assert_ne!(key.hash("+12025550123"), other.hash("+12025550123"));
        assert_eq!(key.hash("+12025550123").len(), 32);
        assert!(!key.hash("+12025550123").contains("2025550123"));
        assert!(CallerKey::new("short").is_none());
        assert_eq!(format!("{key:?}"), "CallerKey(***)");
    }
}
