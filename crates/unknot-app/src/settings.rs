//! The person's preferences: break reminders, quiet hours, time zone, theme and name.

use jiff::ToSpan;
use unknot_core::remind::{BreakCounts, BreakRecord};
use unknot_core::settings::Settings;

use crate::{App, AppResult};

impl App {
    /// The settings, or the defaults when none were saved.
    pub async fn settings(&self) -> AppResult<Settings> {
        // Read once per request: a page asks for the time zone through many use cases.
        if let Some(s) = crate::request::settings_seen(self.user()) {
            return Ok(s);
        }
        let s = self.store().settings().await?;
        crate::request::saw_settings(self.user(), &s);
        Ok(s)
    }

    /// Checks and saves the settings.
    pub async fn save_settings(&self, settings: &Settings) -> AppResult<()> {
        settings.check()?;
        let saved = self.store().save_settings(settings).await;
        // Whatever the outcome, the next read in this request asks the database again.
        crate::request::forget_settings(self.user());
        saved?;
        Ok(())
    }

    /// How break reminders ended over the last `days` days.
    pub async fn recent_breaks(&self, days: i64) -> AppResult<BreakCounts> {
        let since = self.now().await?.checked_sub(days.days())?.timestamp();
        Ok(BreakCounts::of(&self.store().breaks_since(since).await?))
    }

    /// Records a break reminder's outcome (taken, snoozed, skipped, away).
    pub async fn record_break(&self, record: &BreakRecord) -> AppResult<()> {
        self.store().save_break(record).await?;
        Ok(())
    }
}
