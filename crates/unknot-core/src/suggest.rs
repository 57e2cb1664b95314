//! "Did you mean…?" for ids.
//!
//! People type `rhomboid` or `lowerback`; a bare "unknown muscle" would leave them guessing, so
//! every id lookup that fails offers the closest known ids by edit similarity.

/// Inputs longer than this are not compared at all: no id is that long, and comparing a huge
/// input against every id would be slow work for nothing.
pub const MAX_COMPARED_CHARS: usize = 64;

/// The known ids closest to `input`, best first, at most three; empty when nothing is close.
pub fn nearest<'a>(input: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    if input.len() > MAX_COMPARED_CHARS * 4 || input.chars().count() > MAX_COMPARED_CHARS {
        return Vec::new();
    }
    let needle = normalise(input);
    let mut scored: Vec<(f64, &str)> = known
        .into_iter()
        .map(|id| {
            let hay = normalise(id);
            let mut score = strsim::jaro_winkler(&needle, &hay);
            // A typed fragment of a longer id ("trap" for "upper-trapezius") is a strong hint.
            if needle.len() >= 3 && hay.contains(&needle) {
                score = score.max(0.9);
            }
            (score, id)
        })
        .filter(|(score, _)| *score >= 0.78)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    // Offer only the ids about as close as the best one: a clear winner stands alone.
    let best = scored.first().map_or(0.0, |s| s.0);
    scored
        .into_iter()
        .take_while(|(score, _)| *score >= best - 0.05)
        .take(3)
        .map(|(_, id)| id.to_string())
        .collect()
}

/// Lower case with spaces and underscores folded into hyphens, so `Lower Back`,
/// `lower_back` and `lower-back` all compare equal.
pub fn normalise(input: &str) -> String {
    input
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '_' { '-' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_id_first() {
        let known = ["rhomboids", "levator-scapulae", "piriformis"];
        assert_eq!(nearest("rhomboid", known), vec!["rhomboids"]);
        assert_eq!(nearest("piriformus", known), vec!["piriformis"]);
    }

    #[test]
    fn suggests_nothing_for_noise() {
        assert!(nearest("xyzzy", ["rhomboids", "piriformis"]).is_empty());
    }

    #[test]
    fn fragments_find_longer_ids() {
        assert_eq!(
            nearest("levator", ["levator-scapulae", "rhomboids"]),
            vec!["levator-scapulae"]
        );
    }
}
