//! The 0-10 rating used for pain, tenderness, stress and sleep quality.
//!
//! A newtype rather than a bare integer, so an out-of-range number cannot get past the edge
//! that parsed it: every constructor checks the range.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::InputError;

/// A whole-number rating from 0 (none) to 10 (worst imaginable, or best for sleep).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u8")]
pub struct Score(u8);

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Score {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .description(Some("A whole-number rating from 0 to 10."))
            .minimum(Some(0))
            .maximum(Some(Score::MAX))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Score {}

impl Score {
    /// The highest rating.
    pub const MAX: u8 = 10;

    /// Checks the range; `field` names the value in the error (e.g. `--pain`).
    pub fn new(value: i64, field: &str) -> Result<Score, InputError> {
        if (0..=i64::from(Self::MAX)).contains(&value) {
            Ok(Score(value as u8))
        } else {
            Err(InputError::OutOfRange {
                field: field.to_string(),
                value: crate::error::shown(&value.to_string()),
            })
        }
    }

    /// Parses a typed rating such as `"7"`, naming `field` in any error.
    pub fn parse(text: &str, field: &str) -> Result<Score, InputError> {
        let trimmed = text.trim();
        match trimmed.parse::<i64>() {
            Ok(v) => Score::new(v, field),
            Err(_) => Err(InputError::OutOfRange {
                field: field.to_string(),
                value: crate::error::shown(trimmed),
            }),
        }
    }

    /// The rating as a number.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for Score {
    type Error = InputError;

    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Score::new(value, "rating")
    }
}

impl From<Score> for u8 {
    fn from(s: Score) -> u8 {
        s.0
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_whole_range_and_nothing_else() {
        for v in 0..=10 {
            assert_eq!(Score::new(v, "pain").map(Score::get), Ok(v as u8));
        }
        for v in [-1, 11, 100] {
            assert!(Score::new(v, "pain").is_err());
        }
    }

    #[test]
    fn names_the_field_and_value() {
        let err = Score::parse("11", "--pain").err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("--pain must be a whole number from 0 to 10, got 11")
        );
        assert!(Score::parse("six", "--pain").is_err());
    }
}
