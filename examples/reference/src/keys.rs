//! API keys as the seed's `key_hash`/`key_prefix` columns imply: a random secret shown to
//! its owner once, of which only the SHA-256 hex digest and a 12-character prefix are kept.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// What every secret starts with, so a leaked key is recognisable.
pub const KEY_MARK: &str = "mk_";
/// The length of the stored prefix (`String(12)` in the seed).
pub const PREFIX_LEN: usize = 12;

/// A freshly issued key: the secret to hand out, and what may be stored.
pub struct IssuedKey {
    pub secret: String,
    pub prefix: String,
    pub hash: String,
}

/// 32 random bytes as hex, behind the mark.
pub fn issue() -> IssuedKey {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    let secret = format!("{KEY_MARK}{}", hex(&bytes));
    IssuedKey {
        prefix: prefix_of(&secret).to_owned(),
        hash: hash(&secret),
        secret,
    }
}

/// The part of a presented key used to find its row.
pub fn prefix_of(secret: &str) -> &str {
    let end = secret.char_indices().nth(PREFIX_LEN).map_or(secret.len(), |(i, _)| i);
    &secret[..end]
}

pub fn hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Whether `secret` hashes to `stored`, compared in constant time so the comparison
/// leaks nothing about how much of the hash matched.
pub fn matches(secret: &str, stored: &str) -> bool {
    hash(secret).as_bytes().ct_eq(stored.as_bytes()).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_keys_verify_and_others_do_not() {
        let key = issue();
        assert!(key.secret.starts_with(KEY_MARK));
        assert_eq!(key.prefix.len(), PREFIX_LEN);
        assert_eq!(key.hash.len(), 64);
        assert!(matches(&key.secret, &key.hash));
        assert!(!matches(&format!("{}x", key.secret), &key.hash));
        assert_ne!(issue().secret, key.secret);
    }
}
