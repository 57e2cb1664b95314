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

/// Longest name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest time zone name accepted (IANA names are far shorter).
pub const MAX_ZONE_CHARS: usize = 64;

/// Light, dark, or whatever the system prefers.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Minutes of sitting between break reminders; `None` follows the plan.
    #[cfg_attr(feature = "openapi", schema(minimum = 10, maximum = 120))]
    pub break_every_minutes: Option<u16>,
    /// Start of quiet hours (local time, `HH:MM`), when no reminder is shown.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<String>, pattern = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", example = "22:00")
    )]
    #[serde(with = "clock")]
    pub quiet_start: Option<Time>,
    /// End of quiet hours.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<String>, pattern = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", example = "22:00")
    )]
    #[serde(with = "clock")]
    pub quiet_end: Option<Time>,
    /// IANA time zone for new entries and pages; `None` uses the computer's.
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 64, example = "Europe/London")
    )]
    pub time_zone: Option<String>,
    /// Colour theme.
    pub theme: Theme,
    /// The user's name, for the visit summary and the FHIR Patient (never required).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
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

/// Quiet hours' times as written and read: `HH:MM` or `HH:MM:SS` in ASCII digits, nothing
/// else (the forms the OpenAPI document states).
mod clock {
    use jiff::civil::Time;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the time as `HH:MM:SS`.
    pub(super) fn serialize<S: Serializer>(t: &Option<Time>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&t.strftime("%H:%M:%S").to_string()),
            None => s.serialize_none(),
        }
    }

    /// Reads `HH:MM` or `HH:MM:SS`.
    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Time>, D::Error> {
        let Some(text) = Option::<std::borrow::Cow<'de, str>>::deserialize(d)? else {
            return Ok(None);
        };
        parse(&text).map(Some).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "'{}' is not a time of day as HH:MM",
                crate::error::shown(&text)
            ))
        })
    }

    fn parse(text: &str) -> Option<Time> {
        let b = text.as_bytes();
        let two = |i: usize| -> Option<i8> {
            let (h, l) = (*b.get(i)?, *b.get(i + 1)?);
            (h.is_ascii_digit() && l.is_ascii_digit())
                .then(|| i8::try_from((h - b'0') * 10 + (l - b'0')).ok())
                .flatten()
        };
        let seconds = match b.len() {
            5 => 0,
            8 if b[5] == b':' => two(6)?,
            _ => return None,
        };
        if b[2] != b':' {
            return None;
        }
        Time::new(two(0)?, two(3)?, seconds, 0).ok()
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
        if let Some(name) = &self.name {
            crate::journal::check_line("name", name, MAX_NAME_CHARS)?;
        }
        if let Some(zone) = &self.time_zone
            && (zone.len() > MAX_ZONE_CHARS
                || zone.chars().any(char::is_control)
                || jiff::tz::TimeZone::get(zone).is_err())
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
        for name in ["Ann\u{0}", "\u{1b}]0;title\u{7}", "", &"n".repeat(101)] {
            let s = Settings {
                name: Some(name.to_string()),
                ..Settings::default()
            };
            assert!(s.check().is_err(), "{name:?}");
        }
        let s = Settings {
            time_zone: Some("Europe/London\u{0}".into()),
            ..Settings::default()
        };
        assert!(s.check().is_err());
        assert_eq!(Theme::parse("dark").unwrap(), Theme::Dark);
        assert!(Theme::parse("neon").is_err());
    }
}
