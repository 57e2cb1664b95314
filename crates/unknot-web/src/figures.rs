//! Exercise figures for pages and the session player: the animated SVG, and the keyframes side
//! by side for people who prefer reduced motion, both labelled for screen readers.

use unknot_core::catalogue::Exercise;

fn figure_alt(e: &Exercise) -> String {
    unknot_export::figure_svg::alt_text(&e.name, e.steps.first().map(String::as_str))
}

/// The exercise's animated figure, labelled with its name and first step (empty without one).
pub fn animated_figure(e: &Exercise) -> String {
    e.figure.as_ref().map_or_else(String::new, |f| {
        unknot_export::figure_svg::animated(f, &figure_alt(e))
    })
}

/// Its keyframes side by side, shown instead of the animation to people who prefer reduced
/// motion.
pub fn still_figure(e: &Exercise) -> String {
    e.figure.as_ref().map_or_else(String::new, |f| {
        unknot_export::figure_svg::strip(
            f,
            &format!("{} (the positions side by side)", figure_alt(e)),
        )
    })
}
