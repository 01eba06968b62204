//! Passwords, session tokens and the sign-in procedure (server only). The login
//! page's server function and the JSON `POST /api/auth/login` both call [`login`].

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

use crate::api::ApiError;
use crate::api::ssr::RequestMeta;
use crate::domain::UserId;
use crate::domain::throttle::{Failures, PER_ACCOUNT, PER_ADDRESS, Policy};
use crate::domain::user::{Email, EmailError, NewPassword};
use crate::i18n::Msg;
use crate::store::Store;
use crate::store::prelude::*;

pub const SESSION_COOKIE: &str = "pacer_session";
pub const LOCALE_COOKIE: &str = "pacer_lang";

/// Argon2id with OWASP's minimum: 19 MiB of memory, 2 passes, 1 lane.
fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19 * 1024, 2, 1, None).expect("valid argon2 params"))
}

/// Hashes on a blocking thread: argon2 is deliberately slow and must not stall the runtime.
pub async fn hash_password(password: &NewPassword) -> Result<String, ApiError> {
    let password = password.expose().to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|e| internal(anyhow::anyhow!(e)))?
    .map_err(|e| internal(anyhow::anyhow!(e)))
}

/// Verifies `password` against `hash`; with no hash (unknown account) it verifies
/// against a throwaway hash, so that both cases take the same time.
pub async fn verify_password(hash: Option<String>, password: String) -> Result<bool, ApiError> {
    tokio::task::spawn_blocking(move || {
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.clone());
        let Ok(parsed) = PasswordHash::new(&hash) else { return false };
        hasher().verify_password(password.as_bytes(), &parsed).is_ok()
    })
    .await
    .map_err(|e| internal(anyhow::anyhow!(e)))
}

fn internal(e: anyhow::Error) -> ApiError {
    tracing::error!(error = ?e, "auth failure");
    ApiError::Internal
}

/// A fresh session id (256 bits from the OS CSPRNG) and the hash stored for it.
pub fn new_session_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

pub fn session_cookie(token: &str, secure: bool) -> String {
    let max_age = crate::domain::session::ABSOLUTE_TIMEOUT.num_seconds();
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}", secure_attr(secure))
}

pub fn clear_session_cookie(secure: bool) -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}", secure_attr(secure))
}

/// The language chosen before signing in; not a secret, but the page never needs to read it.
pub fn locale_cookie(code: &str, secure: bool) -> String {
    format!("{LOCALE_COOKIE}={code}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000{}", secure_attr(secure))
}

fn secure_attr(secure: bool) -> &'static str {
    if secure { "; Secure" } else { "" }
}

/// A value from a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// A session that was just created for a user.
pub struct SignedIn {
    pub user_id: UserId,
    pub token: String,
}

/// Checks the credentials, throttles repeated failures per account and per address,
/// and on success replaces the caller's session with a new one.
///
/// The attempt is counted for the account and the address before the password is
/// checked, so a burst of attempts sent together cannot all be checked before the
/// first of them is counted; one past either allowance is refused unchecked.
pub async fn login(store: &Store, email: &str, password: &str, meta: &RequestMeta) -> Result<SignedIn, ApiError> {
    let email = Email::parse(email).map_err(|e| {
        ApiError::invalid(
            "email",
            match e {
                EmailError::Empty => Msg::ErrEmailEmpty,
                EmailError::Malformed => Msg::ErrEmailMalformed,
            },
        )
    })?;
    if password.is_empty() {
        return Err(ApiError::invalid("password", Msg::ErrPasswordEmpty));
    }
    let now = store.now();
    let account = format!("email:{}", email.as_str());
    let address = format!("ip:{}", meta.client_ip);
    let by_account = reserve(store, &account, &PER_ACCOUNT, now).await?;
    let by_address = reserve(store, &address, &PER_ADDRESS, now).await?;

    let credentials = store.credentials(&email).await?;
    // An unknown address costs the same hashing time as a known one, so timing
    // does not reveal which addresses have accounts.
    let (hash, user) = match credentials {
        Some(c) if c.active => (Some(c.password_hash), Some(c.user_id)),
        _ => (None, None),
    };
    let matches = verify_password(hash, password.to_string()).await?;
    let Some(user_id) = user.filter(|_| matches) else {
        tokio::time::sleep(PER_ACCOUNT.delay(by_account.count).max(PER_ADDRESS.delay(by_address.count))).await;
        tracing::info!(email = email.as_str(), ip = meta.client_ip, "failed sign-in");
        return Err(ApiError::BadCredentials);
    };

    store.clear_login_failures(&account).await?;
    store.release_login_attempt(&address, &by_address).await?;
    if let Some(old) = &meta.session_hash {
        store.delete_session(old).await?;
    }
    let (token, hash) = new_session_token();
    store.create_session(&hash, user_id, meta.user_agent.as_deref()).await?;
    tracing::info!(user = %user_id, "signed in");
    Ok(SignedIn { user_id, token })
}

/// Counts one attempt for `key`; past the allowance, the refusal with its wait.
async fn reserve(store: &Store, key: &str, policy: &Policy, now: DateTime<Utc>) -> Result<Failures, ApiError> {
    let reserved = store.reserve_login_attempt(key, policy, now).await?;
    policy.admit(&reserved, now).map_err(|retry| {
        tracing::info!(key, "sign-in refused: too many attempts");
        ApiError::TooManyAttempts { retry_after_secs: retry.num_seconds().max(1) as u64 }
    })?;
    Ok(reserved)
}

static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    hasher().hash_password(b"no account has this password", &salt).expect("argon2 hashes").to_string()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let pw = NewPassword::parse("correct horse battery".into()).unwrap();
        let hash = hash_password(&pw).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password(Some(hash.clone()), "correct horse battery".into()).await.unwrap());
        assert!(!verify_password(Some(hash), "correct horse battery!".into()).await.unwrap());
        assert!(!verify_password(None, "correct horse battery".into()).await.unwrap());
    }

    #[test]
    fn session_tokens_are_long_random_and_stored_only_as_hashes() {
        let (a, ha) = new_session_token();
        let (b, _) = new_session_token();
        assert_ne!(a, b);
        assert!(a.len() >= 43, "256 bits in base64");
        assert_eq!(ha, token_hash(&a));
        assert!(!ha.contains(&a));
    }

    #[test]
    fn session_cookie_is_http_only_and_same_site() {
        let c = session_cookie("abc", true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
        assert!(!session_cookie("abc", false).contains("Secure"));
    }

    #[test]
    fn cookie_value_finds_the_named_cookie() {
        assert_eq!(cookie_value("a=1; pacer_session=xyz; b=2", SESSION_COOKIE), Some("xyz"));
        assert_eq!(cookie_value("a=1", SESSION_COOKIE), None);
    }
}
