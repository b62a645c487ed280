//! The server's own secret: one key, kept out of the database, from which each use draws a
//! key of its own (sealing callers' data in webhook URLs, keying operator PIN digests).
//! Every instance that serves one database must hold the same secret.

use std::fmt;
use std::io::{ErrorKind, Write};
use std::path::Path;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Characters a secret given as text needs: 32 is 128 bits even as hex.
pub const MIN_TEXT_LEN: usize = 32;

/// The server secret; never logged, never stored in the database.
#[derive(Clone)]
pub struct ServerSecret([u8; 32]);

impl fmt::Debug for ServerSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ServerSecret(***)")
    }
}

/// A secret that cannot be used, with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error(
        "the secret key needs at least {MIN_TEXT_LEN} characters that are not spaces \
         (`openssl rand -hex 32` makes one)"
    )]
    TooShort,
    #[error("cannot read the secret key file {path}: {error}")]
    Read { path: String, error: std::io::Error },
    #[error("cannot create the secret key file {path}: {error}")]
    Create { path: String, error: std::io::Error },
    #[error("cannot draw random bytes for a new secret key: {0}")]
    Random(String),
}

impl ServerSecret {
    /// A secret from its text (a setting or a key file's contents, surrounding blanks ignored).
    pub fn from_text(text: &str) -> Result<ServerSecret, SecretError> {
        let text = text.trim();
        if text.chars().filter(|c| !c.is_whitespace()).count() < MIN_TEXT_LEN {
            return Err(SecretError::TooShort);
        }
        // Hashing spreads any text, hex or not, over the whole key.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(b"hotline server secret")
            .expect("HMAC accepts keys of any length");
        mac.update(text.as_bytes());
        Ok(ServerSecret(mac.finalize().into_bytes().into()))
    }

    /// The key for one purpose: different purposes never share a key, and knowing one
    /// reveals nothing of the others or of the secret.
    pub fn key_for(&self, purpose: &str) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .expect("HMAC accepts keys of any length");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// The secret in the file at `path`, which is created (readable by its owner only) with
    /// a new random secret when it does not exist yet.
    pub fn load_or_create(path: &Path) -> Result<ServerSecret, SecretError> {
        let shown = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => return ServerSecret::from_text(&text),
            Err(error) if error.kind() != ErrorKind::NotFound => {
                return Err(SecretError::Read { path: shown, error });
            }
            Err(_) => {}
        }
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| SecretError::Random(e.to_string()))?;
        let text: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        match create_private(path, &format!("{text}\n")) {
            Ok(()) => ServerSecret::from_text(&text),
            // Another process created it first: theirs is the one to share.
            Err(error) if error.kind() == ErrorKind::AlreadyExists => {
                let text = std::fs::read_to_string(path)
                    .map_err(|error| SecretError::Read { path: shown, error })?;
                ServerSecret::from_text(&text)
            }
            Err(error) => Err(SecretError::Create { path: shown, error }),
        }
    }
}

fn create_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_get_different_keys_and_one_text_always_the_same_secret() {
        let a = ServerSecret::from_text("0123456789abcdef0123456789abcdef").expect("long");
        let b = ServerSecret::from_text(" 0123456789abcdef0123456789abcdef\n").expect("long");
        assert_eq!(a.key_for("pin"), b.key_for("pin"));
        assert_ne!(a.key_for("pin"), a.key_for("state"));
        let other = ServerSecret::from_text("0123456789abcdef0123456789abcdeg").expect("long");
        assert_ne!(a.key_for("pin"), other.key_for("pin"));
        assert_eq!(format!("{a:?}"), "ServerSecret(***)");
    }

    #[test]
    fn short_or_blank_texts_are_refused() {
        assert!(matches!(
            ServerSecret::from_text("short"),
            Err(SecretError::TooShort)
        ));
        assert!(ServerSecret::from_text(&" ".repeat(64)).is_err());
    }

    #[test]
    fn a_missing_key_file_is_created_private_and_then_read_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("hotline.key");
        let first = ServerSecret::load_or_create(&path).expect("created");
        let again = ServerSecret::load_or_create(&path).expect("read");
        assert_eq!(first.key_for("x"), again.key_for("x"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
