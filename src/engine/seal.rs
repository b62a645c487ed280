//! Sealing what callers give (a typed number, whether a message is safe, when to call) inside
//! the webhook URLs: the provider keeps those URLs in its call logs for months, so they carry
//! that part of the state only encrypted and authenticated (XChaCha20-Poly1305) under a key
//! the database never holds. The nonce is derived from the plaintext, which keeps the engine
//! deterministic: equal states give equal URLs, and a retried webhook carries the same one.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Bound into every sealed value, so nothing sealed for another purpose opens here.
const CONTEXT: &[u8] = b"hotline call state v1";
const NONCE_LEN: usize = 24;

/// Seals and opens the private part of a call's state.
#[derive(Clone)]
pub struct StateSeal {
    cipher: XChaCha20Poly1305,
    /// Keyed once: keying HMAC hashes two blocks, as much as sealing a short state does.
    nonce_mac: Hmac<Sha256>,
}

impl std::fmt::Debug for StateSeal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StateSeal(***)")
    }
}

impl StateSeal {
    /// A seal from a 32-byte key (the server secret's key for call state).
    pub fn new(key: [u8; 32]) -> StateSeal {
        StateSeal {
            cipher: XChaCha20Poly1305::new(&sub_key(&key, b"encrypt").into()),
            nonce_mac: keyed(&sub_key(&key, b"nonce")),
        }
    }

    /// A seal for URLs no provider sees (flow checks, simulations, benchmarks).
    pub fn for_tools() -> StateSeal {
        StateSeal::new(sub_key(b"hotline tools: never used by a server", b"tools"))
    }

    /// `plain` sealed, as URL-safe text.
    pub fn seal(&self, plain: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        let mut mac = self.nonce_mac.clone();
        mac.update(plain.as_bytes());
        nonce.copy_from_slice(&mac.finalize().into_bytes()[..NONCE_LEN]);
        let payload = Payload {
            msg: plain.as_bytes(),
            aad: CONTEXT,
        };
        // Encryption fails only for messages beyond 256 GiB; a state is a few dozen bytes.
        let sealed = self
            .cipher
            .encrypt(&XNonce::from(nonce), payload)
            .expect("a call state is far below the cipher's limit");
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The text `sealed` holds, if this seal made it and nobody changed it.
    pub fn open(&self, sealed: &str) -> Option<String> {
        let bytes = URL_SAFE_NO_PAD.decode(sealed).ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, body) = bytes.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
        let payload = Payload {
            msg: body,
            aad: CONTEXT,
        };
        let plain = self.cipher.decrypt(&XNonce::from(nonce), payload).ok()?;
        String::from_utf8(plain).ok()
    }
}

fn keyed(key: &[u8]) -> Hmac<Sha256> {
    <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length")
}

fn sub_key(key: &[u8], label: &[u8]) -> [u8; 32] {
    let mut mac = keyed(key);
    mac.update(label);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_sealed_opens_with_the_same_key_only_and_hides_its_text() {
        let seal = StateSeal::new([7; 32]);
        let sealed = seal.seal("cb=+12025550123&s=0");
        assert!(!sealed.contains("2025550123"));
        assert_eq!(seal.open(&sealed).as_deref(), Some("cb=+12025550123&s=0"));
        assert_eq!(seal.seal("cb=+12025550123&s=0"), sealed, "deterministic");
        assert_ne!(seal.seal("cb=+12025550124&s=0"), sealed);
        assert_eq!(StateSeal::new([8; 32]).open(&sealed), None, "another key");
    }

    #[test]
    fn a_changed_or_cut_value_does_not_open() {
        let seal = StateSeal::new([7; 32]);
        let sealed = seal.seal("s=1");
        let mut bytes = URL_SAFE_NO_PAD.decode(&sealed).expect("base64");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert_eq!(seal.open(&URL_SAFE_NO_PAD.encode(&bytes)), None);
        assert_eq!(seal.open(&sealed[..10]), None);
        assert_eq!(seal.open("not base64!"), None);
    }
}
