//! Sources that Rust code cites, so validation can hold code to the same rule as content:
//! every source named must be in `sources.toml`, and every source there must be named somewhere.
//!
//! The triage rules, the review's "no improvement" rule and the outcome measures carry source
//! ids in code; a typo there would otherwise only show as a broken citation on a page.

use crate::adapt::NO_IMPROVEMENT_SOURCES;
use crate::outcomes::Instrument;
use crate::triage::RULES;

/// Every source id named in code, with where it is named (for messages).
pub fn cited_in_code() -> Vec<(String, &'static str)> {
    let rules = RULES.iter().flat_map(|r| {
        r.sources
            .iter()
            .map(move |s| (format!("triage rule {}", r.code), *s))
    });
    let review = NO_IMPROVEMENT_SOURCES
        .iter()
        .map(|s| ("review rule no_improvement".to_string(), *s));
    let measures = Instrument::ALL
        .iter()
        .map(|i| (format!("outcome measure {}", i.name()), i.source_id()));
    rules.chain(review).chain(measures).collect()
}
