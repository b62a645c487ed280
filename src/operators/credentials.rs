//! Operators' secrets: password hashes (argon2id), API and session tokens, operator-line PINs.
//! Tokens and PINs are stored only as SHA-256 digests, so the database never holds one that works.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;
use sha2::{Digest, Sha256};

/// The shortest password accepted: long enough for a passphrase, short enough to remember.
pub const MIN_PASSWORD_LEN: usize = 10;

/// A hash verified when the operator does not exist, so that a wrong name takes as long to
/// refuse as a wrong password and sign-in does not reveal who has an account.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0q1UHYBdwO2Kcz5MOv+aqpOnCoqsRp5tAnq+WihJ1Ss";

/// Why a secret could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    /// The password is too short.
    #[error("a password needs at least {MIN_PASSWORD_LEN} characters")]
    TooShort,
    /// The system's random source failed.
    #[error("no randomness available: {0}")]
    Random(String),
    /// Hashing failed.
    #[error("password hashing failed: {0}")]
    Hash(String),
}

/// Hashes a password for storage. Slow on purpose (tens of milliseconds): run it off the
/// async runtime's worker threads.
pub fn hash_password(password: &str) -> Result<String, CredentialError> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(CredentialError::TooShort);
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|error| CredentialError::Hash(error.to_string()))
}

/// Whether `password` matches the stored hash. With no stored hash it still does the work of
/// one verification and answers no.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    let (hash, real) = match stored {
        Some(hash) => (hash, true),
        None => (DUMMY_HASH, false),
    };
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let matches = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    matches && real
}

/// A new random token for an API client or a session cookie: 32 random bytes, URL-safe base64,
/// with a prefix that says what it is when it turns up in the wrong place.
pub fn new_token(prefix: &str) -> Result<String, CredentialError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| CredentialError::Random(error.to_string()))?;
    let body = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    Ok(format!("{prefix}{body}"))
}

/// A new operator-line PIN: eight random digits.
pub fn new_pin() -> Result<String, CredentialError> {
    let value = getrandom::u64().map_err(|error| CredentialError::Random(error.to_string()))?;
    Ok(format!("{:08}", value % 100_000_000))
}

/// The digest under which a token or PIN is stored and looked up.
pub fn digest(secret: &str) -> String {
    let hash = Sha256::digest(secret.as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two strings in time independent of where they differ (for CSRF tokens).
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse battery").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", Some(&hash)));
        assert!(!verify_password("correct horse battery!", Some(&hash)));
    }

    #[test]
    fn a_missing_account_never_verifies() {
        assert!(!verify_password("anything at all", None));
        assert!(
            PasswordHash::new(DUMMY_HASH).is_ok(),
            "the dummy hash must parse"
        );
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(matches!(
            hash_password("short"),
            Err(CredentialError::TooShort)
        ));
    }

    #[test]
    fn tokens_are_random_and_digests_stable() {
        let a = new_token("hl_").expect("token");
        let b = new_token("hl_").expect("token");
        assert_ne!(a, b);
        assert!(a.starts_with("hl_") && a.len() > 40);
        assert_eq!(digest(&a), digest(&a));
        assert_eq!(digest("abc").len(), 64);
        assert_eq!(new_pin().expect("pin").len(), 8);
        assert!(same_secret("abc", "abc") && !same_secret("abc", "abd") && !same_secret("a", "ab"));
    }
}
