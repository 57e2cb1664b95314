//! The user's preferences: how often to be reminded to take a break, quiet hours, time zone and
//! theme. Set in the web app's Settings page (or its API), checked here before anything stores
//! them, and read by the reminder and the pages.

use jiff::civil::Time;
use serde::{Deserialize, Serialize};

use crate::error::InputError;

/// Shortest break interval a user can choose, in minutes.
pub const MIN_BREAK_MINUTES: u16 = 10;
/// Longest break interval a user can choose, in minutes (guidelines suggest breaking up sitting
/// at least every hour or so; two hours is the most we allow).
pub const MAX_BREAK_MINUTES: u16 = 120;

/// Light, dark, or whatever the system prefers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Follow the system (prefers-color-scheme).
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// The id used in forms and the API.
    pub fn id(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// Parses a theme id.
    pub fn parse(text: &str) -> Result<Theme, InputError> {
        match text.trim() {
            "system" | "" => Ok(Theme::System),
            "light" => Ok(Theme::Light),
            "dark" => Ok(Theme::Dark),
            other => Err(InputError::malformed(
                "theme",
                other,
                "expected system, light or dark",
            )),
        }
    }
}

/// The user's preferences. Every field has a sensible default, so a new install needs none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Minutes of sitting between break reminders; `None` follows the plan.
    pub break_every_minutes: Option<u16>,
    /// Start of quiet hours (local time, `HH:MM`), when no reminder is shown.
    pub quiet_start: Option<Time>,
    /// End of quiet hours.
    pub quiet_end: Option<Time>,
    /// IANA time zone for new entries and pages; `None` uses the computer's.
    pub time_zone: Option<String>,
    /// Colour theme.
    pub theme: Theme,
    /// The user's name, for the visit summary and the FHIR Patient (never required).
    pub name: Option<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            break_every_minutes: None,
            // No quiet hours until the user chooses them: a reminder that never shows is worse
            // than one at an odd hour, and `unknot remind --quiet-hours` can set them per run.
            quiet_start: None,
            quiet_end: None,
            time_zone: None,
            theme: Theme::System,
            name: None,
        }
    }
}

impl Settings {
    /// Checks every field; the error names the first bad value.
    pub fn check(&self) -> Result<(), InputError> {
        if let Some(m) = self.break_every_minutes
            && !(MIN_BREAK_MINUTES..=MAX_BREAK_MINUTES).contains(&m)
        {
            return Err(InputError::malformed(
                "break_every_minutes",
                m.to_string(),
                format!("expected {MIN_BREAK_MINUTES} to {MAX_BREAK_MINUTES} minutes"),
            ));
        }
        if self.quiet_start.is_some() != self.quiet_end.is_some() {
            return Err(InputError::malformed(
                "quiet_end",
                format!("{:?}", self.quiet_end),
                "give both the start and the end of quiet hours, or neither",
            ));
        }
        if let Some(name) = &self.name
            && name.chars().count() > 100
        {
            return Err(InputError::malformed(
                "name",
                name.chars().take(20).collect::<String>(),
                "keep the name under 100 characters",
            ));
        }
        if let Some(zone) = &self.time_zone
            && jiff::tz::TimeZone::get(zone).is_err()
        {
            return Err(InputError::malformed(
                "time_zone",
                zone,
                "expected an IANA time zone such as Europe/London",
            ));
        }
        Ok(())
    }

    /// The time zone to use: the chosen one, or `fallback` (the computer's).
    pub fn zone(&self, fallback: &jiff::tz::TimeZone) -> jiff::tz::TimeZone {
        self.time_zone
            .as_deref()
            .and_then(|z| jiff::tz::TimeZone::get(z).ok())
            .unwrap_or_else(|| fallback.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pass_and_bad_values_are_named() {
        assert!(Settings::default().check().is_ok());
        let s = Settings {
            break_every_minutes: Some(5),
            ..Settings::default()
        };
        assert!(s.check().unwrap_err().to_string().contains('5'));
        let s = Settings {
            time_zone: Some("Mars/Olympus".into()),
            ..Settings::default()
        };
        assert!(s.check().unwrap_err().to_string().contains("Mars/Olympus"));
        let s = Settings {
            quiet_start: Some(Time::constant(22, 0, 0, 0)),
            ..Settings::default()
        };
        assert!(s.check().is_err());
        assert_eq!(Theme::parse("dark").unwrap(), Theme::Dark);
        assert!(Theme::parse("neon").is_err());
    }
}
