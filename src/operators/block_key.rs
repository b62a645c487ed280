//! The key under which blocked numbers are kept: the block list holds a keyed tag of each
//! number, never the number, and the line finds a caller by the same tag. The key comes from
//! the server secret, which every server has, so no setting is needed for a list without
//! numbers, and a copied database gives none away (phone numbers are few enough to guess
//! from a plain hash).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::secret::ServerSecret;

/// A key drawn from the server secret; never logged, never stored.
#[derive(Clone)]
pub struct BlockKey([u8; 32]);

impl std::fmt::Debug for BlockKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BlockKey(***)")
    }
}

impl BlockKey {
    /// The server's block-list key: every instance on one database draws the same one.
    pub fn from_secret(secret: &ServerSecret) -> BlockKey {
        BlockKey(secret.key_for("blocked numbers"))
    }

    /// The stored form of `number` (E.164), hex: one number, one tag, under one key.
    pub fn tag(&self, number: &str) -> String {
        // HMAC accepts keys of every length, so this cannot fail.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .expect("HMAC accepts keys of any length");
        mac.update(number.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_number_one_tag_and_the_tag_hides_the_number() {
        let secret = ServerSecret::from_text("0123456789abcdef0123456789abcdef").expect("long");
        let other = ServerSecret::from_text("fedcba9876543210fedcba9876543210").expect("long");
        let key = BlockKey::from_secret(&secret);
        assert_eq!(key.tag("+12025550123"), key.tag("+12025550123"));
        assert_ne!(key.tag("+12025550123"), key.tag("+12025550124"));
        assert_ne!(
            key.tag("+12025550123"),
            BlockKey::from_secret(&other).tag("+12025550123")
        );
        assert!(!key.tag("+12025550123").contains("2025550123"));
        assert_eq!(format!("{key:?}"), "BlockKey(***)");
    }
}
