//! Exercise figures as SVG: a still frame, an animated figure that moves between the keyframes
//! at the exercise's tempo (web app), a strip of the keyframes side by side (reports, and the
//! web app for people who prefer reduced motion), and the contact sheet a person reviews the
//! whole library on.
//!
//! The shapes come from core ([`Drawing`]); this module maps metres to the SVG frame and names
//! each shape's role as a class, so the page's CSS colours it for light and dark themes, while
//! default colours ride along as attributes for files and reports. The animation is SMIL
//! (`<animate>` on each shape's outline), which needs no script and so passes the app's
//! Content-Security-Policy; core keeps every moment's shapes in the same order, so each shape
//! morphs into its next position.

use std::fmt::Write as _;

use unknot_core::figure::{Drawing, Figure, Focus, Rect, Role, Shape};

/// SVG units per metre.
const SCALE: f32 = 100.0;
/// Moments sampled per keyframe-to-keyframe leg of the animation.
const STEPS: usize = 8;

fn class(r: Role) -> &'static str {
    match r {
        Role::Floor => "fig-floor",
        Role::Ground => "fig-ground",
        Role::Mat => "fig-mat",
        Role::Prop => "fig-prop",
        Role::PropShade => "fig-prop-shade",
        Role::Band => "fig-band",
        Role::Ball => "fig-ball",
        Role::Far => "fig-far",
        Role::Body => "fig-body",
        Role::Highlight => "fig-hi",
        Role::Detail => "fig-detail",
        Role::Arrow => "fig-arrow",
        Role::Ghost => "fig-ghost",
    }
}

/// The default colours as attributes, so a figure reads well on its own (a file, a report);
/// pages override them with CSS for the theme.
fn paint(r: Role) -> &'static str {
    match r {
        Role::Floor => "fill=\"none\" stroke=\"#8a8f96\"",
        Role::Ground => "fill=\"#eef1f4\" stroke=\"#d5dbe1\"",
        Role::Mat => "fill=\"#9fcbb9\" stroke=\"#5f8f7d\"",
        Role::Prop => "fill=\"#dfe5eb\" stroke=\"#5f6b78\"",
        Role::PropShade => "fill=\"#b8c3ce\" stroke=\"#5f6b78\"",
        Role::Band => "fill=\"none\" stroke=\"#2f8f5b\"",
        Role::Ball => "fill=\"#2f8f5b\" stroke=\"#1d5c3a\"",
        Role::Far => "fill=\"#b7c8d6\" stroke=\"#5c7488\"",
        Role::Body => "fill=\"#6a9cc4\" stroke=\"#1d4466\"",
        Role::Highlight => "fill=\"#e8663d\" stroke=\"#a33d17\"",
        Role::Detail => "fill=\"#2f5878\" stroke=\"#1d4466\"",
        Role::Arrow => "fill=\"#c0392b\" stroke=\"#c0392b\"",
        Role::Ghost => "fill=\"none\" stroke=\"#8d99a6\" stroke-dasharray=\"4 3\"",
    }
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn px(f: &Rect, p: (f32, f32)) -> (f32, f32) {
    ((p.0 - f.x0) * SCALE, (f.y1 - p.1) * SCALE)
}

fn path_d(f: &Rect, points: &[(f32, f32)], closed: bool) -> String {
    let mut d = String::new();
    for (i, p) in points.iter().enumerate() {
        let (x, y) = px(f, *p);
        let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { " L" });
    }
    if closed {
        d.push_str(" Z");
    }
    d
}

/// The attributes that place a shape (the ones an animation changes), as name and value.
fn geometry(f: &Rect, s: &Shape) -> Vec<(&'static str, String)> {
    match s {
        Shape::Line { from, to, .. } => {
            let (a, b) = (px(f, *from), px(f, *to));
            vec![
                ("x1", format!("{:.1}", a.0)),
                ("y1", format!("{:.1}", a.1)),
                ("x2", format!("{:.1}", b.0)),
                ("y2", format!("{:.1}", b.1)),
            ]
        }
        Shape::Circle { centre, radius, .. } => {
            let c = px(f, *centre);
            vec![
                ("cx", format!("{:.1}", c.0)),
                ("cy", format!("{:.1}", c.1)),
                ("r", format!("{:.1}", radius * SCALE)),
            ]
        }
        Shape::Path { points, .. } => vec![("d", path_d(f, points, false))],
        Shape::Polygon { points, .. } => vec![("d", path_d(f, points, true))],
    }
}

fn open_tag(s: &Shape, line: f32) -> String {
    let (tag, role, width) = match s {
        Shape::Line { width, role, .. } => ("line", role, *width),
        Shape::Path { width, role, .. } => ("path", role, *width),
        Shape::Circle { role, .. } => ("circle", role, line),
        Shape::Polygon { role, .. } => ("path", role, line),
    };
    let extra = match s {
        Shape::Line { .. } | Shape::Path { .. } => " stroke-linecap=\"round\"",
        _ => " stroke-linejoin=\"round\"",
    };
    let paint = match s {
        Shape::Path { .. } => "fill=\"none\" stroke=\"#c0392b\"",
        _ => paint(*role),
    };
    // An open path is a stroke only (the arrow's shaft), whatever its role fills.
    let stroke_only = if matches!(s, Shape::Path { .. }) {
        " fig-stroke"
    } else {
        ""
    };
    format!(
        "<{tag} class=\"{}{stroke_only}\" {paint}{extra} stroke-width=\"{:.2}\"",
        class(*role),
        width * SCALE
    )
}

fn tag_name(s: &Shape) -> &'static str {
    match s {
        Shape::Line { .. } => "line",
        Shape::Circle { .. } => "circle",
        Shape::Path { .. } | Shape::Polygon { .. } => "path",
    }
}

fn draw(out: &mut String, f: &Rect, line: f32, shapes: &[Shape]) {
    for s in shapes {
        out.push_str(&open_tag(s, line));
        for (name, value) in geometry(f, s) {
            let _ = write!(out, " {name}=\"{value}\"");
        }
        out.push_str("/>");
    }
}

fn svg_open(out: &mut String, class: &str, label: &str, w: f32, h: f32) {
    let _ = write!(
        out,
        "<svg class=\"{class}\" role=\"img\" aria-label=\"{l}\" viewBox=\"0 0 {w:.0} {h:.0}\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title>{l}</title>",
        l = esc(label),
    );
}

/// One still frame: keyframe `index`, as a whole `<svg>` labelled `label`.
pub fn still(figure: &Figure, index: usize, label: &str) -> String {
    let d = Drawing::new(figure);
    let f = d.frame;
    let mut out = String::new();
    svg_open(
        &mut out,
        "figure",
        label,
        f.width() * SCALE,
        f.height() * SCALE,
    );
    draw(&mut out, &f, d.line, &d.keyframe(index));
    out.push_str("</svg>");
    out
}

/// The keyframes side by side in one `<svg>` (the reduced-motion view, and the report).
pub fn strip(figure: &Figure, label: &str) -> String {
    let d = Drawing::new(figure);
    let f = d.frame;
    let n = d.keyframes().max(1);
    let (w, h) = (f.width() * SCALE, f.height() * SCALE);
    let gap = 0.08 * w;
    let mut out = String::new();
    svg_open(
        &mut out,
        "figure-strip",
        label,
        w * n as f32 + gap * (n - 1) as f32,
        h,
    );
    for i in 0..n {
        let _ = write!(
            out,
            "<g transform=\"translate({:.0} 0)\">",
            (w + gap) * i as f32
        );
        draw(&mut out, &f, d.line, &d.keyframe(i));
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

/// The animated figure: every shape's outline at evenly spaced moments of one cycle, played
/// by SMIL `<animate>` elements over `cycle_seconds`, repeating.
pub fn animated(figure: &Figure, label: &str) -> String {
    let d = Drawing::new(figure);
    let f = d.frame;
    let n = d.keyframes();
    let legs = if figure.looped {
        n
    } else {
        2 * n.saturating_sub(1)
    }
    .max(1);
    let frames = legs * STEPS;
    let all: Vec<Vec<Shape>> = (0..=frames)
        .map(|i| d.at(i as f32 / frames as f32))
        .collect();
    let Some(first) = all.first() else {
        return still(figure, 0, label);
    };
    if first.is_empty() || all.iter().any(|s| s.len() != first.len()) {
        return still(figure, 0, label);
    }
    let mut out = String::new();
    svg_open(
        &mut out,
        "figure figure-anim",
        label,
        f.width() * SCALE,
        f.height() * SCALE,
    );
    let dur = figure.cycle_seconds;
    for (k, shape) in first.iter().enumerate() {
        out.push_str(&open_tag(shape, d.line));
        let tracks: Vec<Vec<(&str, String)>> = all.iter().map(|s| geometry(&f, &s[k])).collect();
        for (name, value) in &tracks[0] {
            let _ = write!(out, " {name}=\"{value}\"");
        }
        out.push('>');
        for (a, (name, value)) in tracks[0].iter().enumerate() {
            let values: Vec<&str> = tracks.iter().map(|t| t[a].1.as_str()).collect();
            if values.iter().all(|v| v == value) {
                continue;
            }
            let _ = write!(
                out,
                "<animate attributeName=\"{name}\" dur=\"{dur}s\" repeatCount=\"indefinite\" values=\"{}\"/>",
                values.join(";")
            );
        }
        let _ = write!(out, "</{}>", tag_name(shape));
    }
    out.push_str("</svg>");
    out
}

/// The text alternative for an exercise's figure: its name and first step.
pub fn alt_text(name: &str, first_step: Option<&str>) -> String {
    match first_step {
        Some(step) => format!("Figure showing {name}: {step}"),
        None => format!("Figure showing {name}"),
    }
}

/// One exercise for the contact sheet.
pub struct SheetItem<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its name.
    pub name: &'a str,
    /// Its first step, written under the drawings.
    pub first_step: Option<&'a str>,
    /// Its figure.
    pub figure: &'a Figure,
}

/// Sheet units per metre for whole-body drawings (close-ups are magnified by their zoom).
const SHEET_SCALE: f32 = 120.0;
/// Width of one exercise's card on the sheet.
const CARD_W: f32 = 860.0;

fn wrap(text: &str, chars: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > chars {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// One exercise's card: title, the keyframes side by side (numbered under each), and the first
/// step. Returns the SVG and its height.
fn card(item: &SheetItem) -> (String, f32) {
    let d = Drawing::new(item.figure);
    let f = d.frame;
    let k = SHEET_SCALE * d.zoom / SCALE;
    let (bw, bh) = (f.width() * SCALE * k, f.height() * SCALE * k);
    let n = d.keyframes().max(1);
    let gap = 28.0;
    let fit = ((CARD_W - 40.0 - gap * (n - 1) as f32) / (bw * n as f32)).min(1.0);
    let (bw, bh, k) = (bw * fit, bh * fit, k * fit);
    let total = bw * n as f32 + gap * (n - 1) as f32;
    let left = (CARD_W - total) / 2.0;
    let top = 52.0;
    let mut out = String::new();
    let close = match item.figure.focus {
        Focus::Body => "",
        _ => "  (close-up)",
    };
    let _ = write!(
        out,
        "<text x=\"20\" y=\"34\" font-family=\"sans-serif\" font-size=\"22\" font-weight=\"bold\" fill=\"#1b1f23\">{}{close}</text>\
         <text x=\"{:.0}\" y=\"34\" text-anchor=\"end\" font-family=\"sans-serif\" font-size=\"14\" fill=\"#7a828b\">{}</text>",
        esc(item.name),
        CARD_W - 20.0,
        esc(item.id)
    );
    for i in 0..n {
        let x = left + (bw + gap) * i as f32;
        let clip = format!("clip-{}-{i}", item.id);
        let _ = write!(
            out,
            "<clipPath id=\"{clip}\"><rect x=\"{x:.1}\" y=\"{top:.1}\" width=\"{bw:.1}\" height=\"{bh:.1}\"/></clipPath>\
             <rect x=\"{x:.1}\" y=\"{top:.1}\" width=\"{bw:.1}\" height=\"{bh:.1}\" fill=\"#ffffff\" stroke=\"#e3e6ea\"/>\
             <g clip-path=\"url(#{clip})\"><g transform=\"translate({x:.1} {top:.1}) scale({k:.4})\">"
        );
        draw(&mut out, &f, d.line, &d.keyframe(i));
        let _ = write!(
            out,
            "</g></g><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"15\" fill=\"#4f5760\">{}</text>",
            x + bw / 2.0,
            top + bh + 20.0,
            i + 1
        );
    }
    let mut y = top + bh + 48.0;
    for line in wrap(item.first_step.unwrap_or(""), 92) {
        let _ = write!(
            out,
            "<text x=\"20\" y=\"{y:.0}\" font-family=\"sans-serif\" font-size=\"17\" fill=\"#2b3137\">{}</text>",
            esc(&line)
        );
        y += 23.0;
    }
    (out, y)
}

/// Every exercise's keyframes side by side with its name above and its first step below, two
/// to a row, for reviewing the whole library at a glance. White background, so it rasterises
/// as it looks; the labels sit outside the drawings.
pub fn contact_sheet(items: &[SheetItem]) -> String {
    let cols = 2usize;
    let mut body = String::new();
    let mut y = 0.0f32;
    for row in items.chunks(cols) {
        let cards: Vec<(String, f32)> = row.iter().map(card).collect();
        let h = cards.iter().map(|c| c.1).fold(0.0, f32::max) + 16.0;
        for (c, (svg, _)) in cards.iter().enumerate() {
            let x = c as f32 * (CARD_W + 20.0) + 10.0;
            let _ = write!(
                body,
                "<g transform=\"translate({x:.0} {y:.0})\"><rect x=\"0\" y=\"0\" width=\"{CARD_W:.0}\" height=\"{h:.0}\" rx=\"8\" fill=\"#fbfbf8\" stroke=\"#d5d8dc\"/>{svg}</g>"
            );
        }
        y += h + 20.0;
    }
    let w = cols as f32 * (CARD_W + 20.0);
    let h = y.max(100.0);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w:.0} {h:.0}\" width=\"{w:.0}\" height=\"{h:.0}\">\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>{body}</svg>"
    )
}
