//! An article of the knowledge base: TOML front matter between `+++` lines, then Markdown.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The front matter of an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArticleMeta {
    /// Stable kebab-case id; also the file name.
    pub id: String,
    /// Title.
    pub title: String,
    /// One line on what it says.
    pub summary: String,
    /// Topic tags.
    pub tags: Vec<String>,
    /// Questions it answers, as people ask them (they also feed search).
    pub questions: Vec<String>,
    /// Sources (ids in `sources.toml`).
    pub sources: Vec<String>,
    /// When the content was last checked against its sources (a TOML date).
    #[serde(deserialize_with = "toml_date")]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, format = Date, example = "2026-11-22")
    )]
    pub reviewed: Date,
    /// Other articles worth reading next (ids).
    #[serde(default)]
    pub related: Vec<String>,
}

/// Reads a TOML date (`reviewed = 2026-11-22`), which toml hands over as its own datetime type.
fn toml_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let dt = toml::value::Datetime::deserialize(d)?;
    match (dt.date, dt.time, dt.offset) {
        (Some(date), None, None) => Date::new(date.year as i16, date.month as i8, date.day as i8)
            .map_err(serde::de::Error::custom),
        _ => Err(serde::de::Error::custom(format!(
            "expected a date such as 2026-11-22, got {dt}"
        ))),
    }
}

/// An article: its front matter and its Markdown body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Front matter.
    #[serde(flatten)]
    pub meta: ArticleMeta,
    /// The body, in Markdown.
    pub body: String,
}

/// Splits `+++\nTOML\n+++\nBODY` into its two parts.
pub fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))?;
    let end = rest.find("\n+++")?;
    let front = &rest[..end + 1];
    let after = &rest[end + 4..];
    let body = after
        .strip_prefix('\n')
        .or_else(|| after.strip_prefix("\r\n"))
        .unwrap_or(after);
    Some((front, body))
}
