//! A published source that content cites.

use serde::{Deserialize, Serialize};

use super::vocab::SourceKind;

/// One entry of `sources.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Title of the guideline, review, trial or book.
    pub title: String,
    /// Authors or publishing body.
    pub author: String,
    /// Year of publication.
    pub year: u16,
    /// Where it was published (journal, volume, pages; or publisher).
    pub published: String,
    /// What sort of source it is.
    pub kind: SourceKind,
    /// A stable link (DOI or official page), where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

impl Source {
    /// A one-line citation.
    pub fn citation(&self) -> String {
        let mut s = format!(
            "{} ({}). {}. {}.",
            self.author, self.year, self.title, self.published
        );
        if let Some(link) = &self.link {
            s.push(' ');
            s.push_str(link);
        }
        s
    }
}
