//! What one request reads more than once, read once: a person's settings.
//!
//! A page asks for the person's time zone many times over (Today's steps, the entries on its
//! charts, a prescribed programme's day, the questionnaires due, the layout's theme), each
//! time through a different use case, and on the clinic server each ask was a round trip to
//! PostgreSQL: eight reads of the same row for one Today page (docs/PERFORMANCE.md, "Fewer
//! round trips"). The web server runs each request inside [`one_request`], and
//! [`App::settings`](crate::App::settings) keeps what it read there for the rest of that
//! request. A signed-in request on the clinic server has them from the start: they are read
//! with its session or API token and the account in one statement (`Store::session_holder`,
//! `Store::api_token_holder`). A save through the app forgets them, so a request that changes
//! the settings reads the new ones back. Outside a request (the terminal, background work) nothing is kept.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;

use unknot_core::settings::Settings;

/// The settings read so far in this request, by person (a clinician's request may read a
/// patient's as well as their own).
#[derive(Default)]
struct Seen {
    settings: Mutex<HashMap<String, Settings>>,
}

tokio::task_local! {
    static SEEN: Seen;
}

/// Runs `work`, one request's handling, with each person's settings read at most once.
pub async fn one_request<F: Future>(work: F) -> F::Output {
    SEEN.scope(Seen::default(), work).await
}

/// The settings `user`'s were found to be earlier in this request, if any.
pub(crate) fn settings_seen(user: &str) -> Option<Settings> {
    SEEN.try_with(|seen| seen.settings.lock().ok().and_then(|m| m.get(user).cloned()))
        .ok()
        .flatten()
}

/// Keeps `user`'s settings for the rest of this request (nothing outside a request).
pub(crate) fn saw_settings(user: &str, settings: &Settings) {
    let _ = SEEN.try_with(|seen| {
        if let Ok(mut m) = seen.settings.lock() {
            m.insert(user.to_string(), settings.clone());
        }
    });
}

/// Forgets `user`'s settings in this request, after a save.
pub(crate) fn forget_settings(user: &str) {
    let _ = SEEN.try_with(|seen| {
        if let Ok(mut m) = seen.settings.lock() {
            m.remove(user);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn settings_are_kept_within_a_request_only_and_forgotten_on_save() {
        let mine = Settings {
            name: Some("Ana".into()),
            ..Settings::default()
        };
        saw_settings("ana", &mine);
        assert_eq!(
            settings_seen("ana"),
            None,
            "outside a request nothing is kept"
        );
        one_request(async {
            assert_eq!(settings_seen("ana"), None);
            saw_settings("ana", &mine);
            assert_eq!(settings_seen("ana"), Some(mine.clone()));
            assert_eq!(settings_seen("ben"), None, "kept per person");
            forget_settings("ana");
            assert_eq!(settings_seen("ana"), None);
        })
        .await;
        one_request(async { assert_eq!(settings_seen("ana"), None, "each request starts afresh") })
            .await;
    }
}
