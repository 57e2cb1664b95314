//! Ids for a clinic's own exercises. Each starts with a short tag made from the clinic's id, so
//! two clinics, a person's own exercises and exercises a later release adds to the built-in
//! library do not share an id by accident (a shared id would make one of them hide the other).

use super::secrets::token_hash;

/// The longest id the library accepts.
const MAX_ID: usize = 64;

/// The tag of a clinic: `c` and six hex digits of its id's SHA-256.
pub fn clinic_tag(clinic: &str) -> String {
    let hash = token_hash(clinic);
    format!("c{}", &hash[..6])
}

/// The id of a clinic's new exercise named by `slug` (kebab-case, maybe empty), or by `spare`
/// (a fresh unique string) when the name gave no letters or digits to use. Never `new` and
/// never longer than the library allows.
pub fn exercise_id(clinic: &str, slug: &str, spare: &str) -> String {
    let tag = clinic_tag(clinic);
    let body = if slug.is_empty() { spare } else { slug };
    let id = format!("{tag}-{body}");
    id.chars()
        .take(MAX_ID)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

/// Whether `id` already carries `clinic`'s tag.
pub fn is_tagged(clinic: &str, id: &str) -> bool {
    id.strip_prefix(&clinic_tag(clinic))
        .is_some_and(|rest| rest.starts_with('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_carry_the_clinics_tag_and_stay_in_bounds() {
        let a = exercise_id("clinic-a", "wall-slide", "x1");
        let b = exercise_id("clinic-b", "wall-slide", "x1");
        assert_ne!(a, b, "two clinics never share an id by name alone");
        assert!(a.ends_with("-wall-slide") && a.starts_with('c'));
        assert!(is_tagged("clinic-a", &a) && !is_tagged("clinic-b", &a));
        assert!(exercise_id("clinic-a", "", "0193ab").ends_with("-0193ab"));
        assert_ne!(exercise_id("clinic-a", "new", "x"), "new");
        let long = exercise_id("clinic-a", &"a".repeat(100), "x");
        assert_eq!(long.chars().count(), 64);
    }
}
