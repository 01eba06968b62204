//! Signing in and out, the user's own password and language.

use leptos::prelude::*;

use super::ApiError;
use crate::i18n::Locale;
#[cfg(feature = "ssr")]
use crate::store::prelude::*;

/// Signs in and sets the session cookie. The client then reloads into the app.
#[server]
pub async fn login(email: String, password: String) -> Result<(), ApiError> {
    use super::ssr::*;
    respond(
        async {
            let store = store()?;
            let meta = request_meta();
            let signed = crate::auth::login(&store, &email, &password, &meta).await?;
            set_cookie(&crate::auth::session_cookie(&signed.token, meta.secure_cookies));
            Ok(())
        }
        .await,
    )
}

/// Ends the current session. Always a POST: no state changes through GET.
#[server]
pub async fn logout() -> Result<(), ApiError> {
    use super::ssr::*;
    respond(
        async {
            let meta = request_meta();
            if let Some(hash) = &meta.session_hash {
                store()?.delete_session(hash).await?;
            }
            set_cookie(&crate::auth::clear_session_cookie(meta.secure_cookies));
            Ok(())
        }
        .await,
    )
}

/// Changes the signed-in user's password; their other sessions end.
#[server]
pub async fn change_password(current: String, new: String, repeat: String) -> Result<(), ApiError> {
    use super::ssr::*;
    use crate::domain::user::NewPassword;
    use crate::i18n::Msg;
    respond(
        async {
            let viewer = viewer()?;
            let store = store()?;
            let new = NewPassword::parse(new).map_err(|e| ApiError::invalid("new", password_msg(e)))?;
            if new.expose() != repeat {
                return Err(ApiError::invalid("repeat", Msg::ErrPasswordMismatch));
            }
            let hash = store.password_hash(viewer.user_id).await?;
            if !crate::auth::verify_password(Some(hash), current).await? {
                return Err(ApiError::invalid("current", Msg::ErrCurrentPasswordWrong));
            }
            let hash = crate::auth::hash_password(&new).await?;
            store.set_password(viewer.user_id, &hash, request_meta().session_hash.as_deref()).await?;
            store
                .audit(viewer.organisation_id, Some(viewer.user_id), "user", &viewer.user_id.to_string(), "change_password", serde_json::json!({}))
                .await?;
            Ok(())
        }
        .await,
    )
}

/// Keeps the chosen language: in the profile when signed in, in a cookie otherwise.
#[server]
pub async fn set_locale(locale: Locale) -> Result<(), ApiError> {
    use super::ssr::*;
    respond(
        async {
            if let Some(viewer) = current_viewer() {
                store()?.set_locale(viewer.user_id, locale).await?;
            }
            set_cookie(&crate::auth::locale_cookie(locale.code(), request_meta().secure_cookies));
            Ok(())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
pub(crate) fn password_msg(e: crate::domain::user::PasswordError) -> crate::i18n::Msg {
    use crate::domain::user::PasswordError;
    use crate::i18n::Msg;
    match e {
        PasswordError::TooShort => Msg::ErrPasswordTooShort,
        PasswordError::TooLong => Msg::ErrPasswordTooLong,
    }
}
