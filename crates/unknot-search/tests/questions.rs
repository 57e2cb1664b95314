//! Search quality: questions as people type them, each of which must return the right article
//! first. The wording deliberately differs from the articles' own `questions` lists, and a few
//! carry typos.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use unknot_core::catalogue::Catalogue;
use unknot_search::{HitKind, KnowledgeBase};

const CASES: &[(&str, &str)] = &[
    ("do knots go away on their own", "how-long-knots-last"),
    ("what does a knot in your back feel like", "what-are-knots"),
    ("ice or heat for a pulled back muscle", "heat-or-cold"),
    ("how long until a muscle knot heals", "how-long-knots-last"),
    ("what exactly is a trigger point", "what-are-knots"),
    ("what causes back knots", "what-causes-knots"),
    ("which muscle is the quadratus lumborum", "knots-by-muscle"),
    ("piriformis pain deep in the buttock", "knots-by-muscle"),
    (
        "back pain for four months, is it chronic now",
        "acute-vs-chronic-back-pain",
    ),
    ("the middle of my back aches", "upper-and-middle-back-pain"),
    ("do I need an MRI scan for my lower back", "lower-back-pain"),
    ("symptoms of a slipped disc", "causes-beyond-muscles"),
    (
        "legs ache when I walk and feel better when I sit, could it be stenosis",
        "causes-beyond-muscles",
    ),
    ("osteoporosis and back pain", "causes-beyond-muscles"),
    ("is deep tissue massage worth it", "massage-for-back-pain"),
    (
        "best stretches for a stiff back",
        "stretching-for-back-pain",
    ),
    (
        "how many seconds should I hold a stretch",
        "stretching-for-back-pain",
    ),
    (
        "strength exercises for a weak back",
        "strengthening-for-back-pain",
    ),
    (
        "does bad posture really cause back pain",
        "posture-and-knots",
    ),
    ("how to fix rounded shoulders", "posture-and-knots"),
    (
        "neck pain from looking down at my phone",
        "phone-and-screen-posture",
    ),
    ("what height should my monitor be", "desk-and-workstation"),
    (
        "is a standing desk good for back pain",
        "desk-and-workstation",
    ),
    (
        "how to lift a heavy box without hurting my back",
        "lifting-technique",
    ),
    (
        "best mattress for lower back pain",
        "sleep-mattress-and-pillow",
    ),
    (
        "best sleeping position for a sore back",
        "sleep-mattress-and-pillow",
    ),
    (
        "will losing weight help my back",
        "staying-active-and-weight",
    ),
    (
        "is walking good for a bad back",
        "staying-active-and-weight",
    ),
    (
        "is yoga any good for back pain",
        "yoga-pilates-and-swimming",
    ),
    ("is swimming ok with back pain", "yoga-pilates-and-swimming"),
    (
        "ibuprofen or paracetamol for back pain",
        "medicines-for-back-pain",
    ),
    ("does tylenol help back pain", "medicines-for-back-pain"),
    (
        "should I take muscle relaxants for my back",
        "prescription-medicines",
    ),
    (
        "are opioids safe for long term back pain",
        "prescription-medicines",
    ),
    (
        "does acupuncture work for back pain",
        "acupuncture-and-chiropractic",
    ),
    (
        "should I go to a chiropractor",
        "acupuncture-and-chiropractic",
    ),
    (
        "what will a physio do for my back",
        "physiotherapy-and-massage-therapy",
    ),
    ("when is back pain an emergency", "when-to-see-a-doctor"),
    (
        "back pain and I can't control my bladder",
        "when-to-see-a-doctor",
    ),
    ("what is cauda equina", "when-to-see-a-doctor"),
    (
        "what to tell my doctor about my back pain",
        "which-professional-and-preparing",
    ),
    (
        "should I see a GP or a physiotherapist",
        "which-professional-and-preparing",
    ),
    (
        "how to use a tennis ball on a knot",
        "self-massage-and-foam-rolling",
    ),
    (
        "back hurts after driving for hours",
        "sitting-driving-and-back-pain",
    ),
    ("can stress make my back hurt", "stress-and-back-pain"),
    (
        "knots after deadlifts at the gym",
        "sport-lifting-running-and-hiit",
    ),
    (
        "lower back pain after running",
        "sport-lifting-running-and-hiit",
    ),
    ("is HIIT bad for my back", "sport-lifting-running-and-hiit"),
    ("best matress for a bad back", "sleep-mattress-and-pillow"),
    ("does accupuncture help", "acupuncture-and-chiropractic"),
];

#[test]
fn questions_find_the_right_article_first() {
    let catalogue = Catalogue::builtin().expect("library");
    let kb = KnowledgeBase::build(&catalogue).expect("index");
    let mut misses = Vec::new();
    for (question, want) in CASES {
        let hits = kb.search(question, 5).expect("search");
        let first_article = hits
            .iter()
            .find(|h| h.kind == HitKind::Article)
            .map(|h| h.id.as_str());
        if first_article != Some(*want) {
            let got: Vec<String> = hits
                .iter()
                .map(|h| format!("{}({:.2})", h.id, h.score))
                .collect();
            misses.push(format!("{question:?}: wanted {want}, got {got:?}"));
        }
        if let Some(first) = hits.first() {
            assert!(!first.snippet.is_empty(), "{question:?}: empty snippet");
        }
    }
    assert!(CASES.len() >= 40);
    assert!(
        misses.is_empty(),
        "{} of {} questions missed:\n{}",
        misses.len(),
        CASES.len(),
        misses.join("\n")
    );
}

#[test]
fn exercises_are_found_by_name_and_muscle() {
    let catalogue = Catalogue::builtin().expect("library");
    let kb = KnowledgeBase::build(&catalogue).expect("index");
    let hits = kb.search("bird dog", 3).expect("search");
    assert_eq!(hits[0].id, "bird-dog");
    let hits = kb.search("rhomboids massage ball", 5).expect("search");
    assert!(
        hits.iter().any(|h| h.id == "ball-wall-rhomboids"),
        "{hits:?}"
    );
}

#[test]
fn nonsense_finds_nothing_and_empty_questions_are_fine() {
    let catalogue = Catalogue::builtin().expect("library");
    let kb = KnowledgeBase::build(&catalogue).expect("index");
    assert!(kb.search("", 5).expect("search").is_empty());
    assert!(kb.search("the and of", 5).expect("search").is_empty());
    assert!(kb.search("xylophone quasar", 5).expect("search").is_empty());
}
