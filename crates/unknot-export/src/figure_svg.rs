//! Exercise figures as SVG: a still frame (report, contact sheet), an animated figure that
//! moves between the keyframes at the exercise's tempo (web app), and a strip of the keyframes
//! side by side (shown instead of the animation to people who prefer reduced motion).
//!
//! The shapes come from core (`figure::shapes`); this module only maps metres to the SVG frame
//! and names each shape's role as a class, so the page's CSS colours it for light and dark
//! themes. The animation is SMIL (`<animate>` on each line's end points), which needs no script
//! and so passes the app's Content-Security-Policy.

use std::fmt::Write as _;

use unknot_core::figure::{self, FRAME_X, FRAME_Y, Figure, Role, Shape};

/// Pixels per metre in the SVG's own units.
const SCALE: f32 = 100.0;
/// Frames per keyframe leg of the animation (angles are interpolated, so limbs keep length).
const STEPS: usize = 12;

fn px(p: figure::Point) -> (f32, f32) {
    ((p.0 + FRAME_X) * SCALE, (FRAME_Y - p.1) * SCALE)
}

fn role(r: Role) -> &'static str {
    match r {
        Role::Floor => "fig-floor",
        Role::Prop => "fig-prop",
        Role::Far => "fig-far",
        Role::Body => "fig-body",
        Role::Highlight => "fig-hi",
    }
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn width() -> f32 {
    2.0 * FRAME_X * SCALE
}

fn height() -> f32 {
    (FRAME_Y + 0.05) * SCALE
}

/// The part of the frame the figure uses over its whole cycle (with its prop and the floor
/// under it), in SVG units: x, y, width, height. Keeps each drawing as large as it can be.
fn bounds(figure: &Figure) -> (f32, f32, f32, f32) {
    let mut lo = (f32::MAX, f32::MAX);
    let mut hi = (f32::MIN, f32::MIN);
    let mut grow = |p: (f32, f32), pad: f32| {
        lo = (lo.0.min(p.0 - pad), lo.1.min(p.1 - pad));
        hi = (hi.0.max(p.0 + pad), hi.1.max(p.1 + pad));
    };
    for i in 0..=24 {
        let Some(pose) = figure.pose_at(i as f32 / 24.0) else {
            continue;
        };
        for shape in figure::shapes(figure, &pose) {
            match shape {
                // The floor spans the frame; only its height matters.
                Shape::Line {
                    role: Role::Floor, ..
                } => {}
                Shape::Line {
                    from, to, width, ..
                } => {
                    grow(px(from), width * SCALE);
                    grow(px(to), width * SCALE);
                }
                Shape::Circle { centre, radius, .. } => grow(px(centre), radius * SCALE + 2.0),
            }
        }
    }
    if lo.0 > hi.0 {
        return (0.0, 0.0, width(), height());
    }
    let floor_y = FRAME_Y * SCALE;
    let pad = 16.0;
    let (x0, x1) = ((lo.0 - pad).max(0.0), (hi.0 + pad).min(width()));
    let (y0, y1) = ((lo.1 - pad).max(0.0), floor_y + 4.0);
    // Never thinner than a third of the frame, so lying figures keep some air above them.
    let h = (y1 - y0).max(height() / 3.0);
    let w = (x1 - x0).max(width() / 3.0);
    (x0, y1 - h, w, h)
}

/// The default colours as attributes, so a figure reads well on its own (a file, the report);
/// pages override them with CSS for the theme.
fn paint(r: Role) -> &'static str {
    match r {
        Role::Floor => "stroke=\"#8a8f96\"",
        Role::Prop => "stroke=\"#7b8794\" fill=\"#b7c3cf\"",
        Role::Far => "stroke=\"#9aa7b4\" fill=\"#9aa7b4\"",
        Role::Body => "stroke=\"#1d5f8a\" fill=\"#1d5f8a\"",
        Role::Highlight => "stroke=\"#d6611e\" fill=\"#d6611e\"",
    }
}

fn draw(out: &mut String, shapes: &[Shape]) {
    for s in shapes {
        match s {
            Shape::Line {
                from,
                to,
                width,
                role: r,
            } => {
                let (a, b) = (px(*from), px(*to));
                let _ = write!(
                    out,
                    "<line class=\"{}\" {} stroke-width=\"{:.1}\" stroke-linecap=\"round\" \
                     x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
                    role(*r),
                    paint(*r),
                    width * SCALE,
                    a.0,
                    a.1,
                    b.0,
                    b.1
                );
            }
            Shape::Circle {
                centre,
                radius,
                filled,
                role: r,
            } => {
                let c = px(*centre);
                let fill = if *filled { "" } else { " fill=\"none\"" };
                let _ = write!(
                    out,
                    "<circle class=\"{}\" {}{fill} stroke-width=\"2\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"{:.1}\"/>",
                    role(*r),
                    paint(*r),
                    c.0,
                    c.1,
                    radius * SCALE
                );
            }
        }
    }
}

/// One still frame: keyframe `index`, as a whole `<svg>` labelled `label`.
pub fn still(figure: &Figure, index: usize, label: &str) -> String {
    let mut out = String::new();
    let (x, y, w, h) = bounds(figure);
    let _ = write!(
        out,
        "<svg class=\"figure\" role=\"img\" aria-label=\"{l}\" viewBox=\"{x:.0} {y:.0} {w:.0} {h:.0}\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title>{l}</title>",
        l = esc(label),
    );
    if let Some(pose) = figure.pose(index) {
        draw(&mut out, &figure::shapes(figure, &pose));
    }
    out.push_str("</svg>");
    out
}

/// The keyframes side by side in one `<svg>` (the reduced-motion view, and the report).
pub fn strip(figure: &Figure, label: &str) -> String {
    let n = figure.keyframes.len().max(1);
    let (x, y, w, h) = bounds(figure);
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"figure-strip\" role=\"img\" aria-label=\"{l}\" viewBox=\"{x:.0} {y:.0} {sw:.0} {h:.0}\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title>{l}</title>",
        l = esc(label),
        sw = w * n as f32,
    );
    for i in 0..n {
        let _ = write!(out, "<g transform=\"translate({:.0} 0)\">", w * i as f32);
        if let Some(pose) = figure.pose(i) {
            draw(&mut out, &figure::shapes(figure, &pose));
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

/// The animated figure: every shape's position at evenly spaced moments of one cycle, played
/// by SMIL `<animate>` elements over `cycle_seconds`, repeating.
pub fn animated(figure: &Figure, label: &str) -> String {
    let legs = 2 * figure.keyframes.len().saturating_sub(1).max(1);
    let frames = legs * STEPS;
    let all: Vec<Vec<Shape>> = (0..=frames)
        .filter_map(|i| {
            figure
                .pose_at(i as f32 / frames as f32)
                .map(|p| figure::shapes(figure, &p))
        })
        .collect();
    let Some(first) = all.first() else {
        return still(figure, 0, label);
    };
    let same_shape = all.iter().all(|f| f.len() == first.len());
    if !same_shape {
        return still(figure, 0, label);
    }
    let (x, y, w, h) = bounds(figure);
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"figure figure-anim\" role=\"img\" aria-label=\"{l}\" viewBox=\"{x:.0} {y:.0} {w:.0} {h:.0}\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title>{l}</title>",
        l = esc(label),
    );
    let dur = figure.cycle_seconds;
    for (k, shape) in first.iter().enumerate() {
        match shape {
            Shape::Line {
                width: w, role: r, ..
            } => {
                let mut attrs: [Vec<String>; 4] = Default::default();
                for f in &all {
                    if let Some(Shape::Line { from, to, .. }) = f.get(k) {
                        let (a, b) = (px(*from), px(*to));
                        for (slot, v) in attrs.iter_mut().zip([a.0, a.1, b.0, b.1]) {
                            slot.push(format!("{v:.1}"));
                        }
                    }
                }
                let _ = write!(
                    out,
                    "<line class=\"{}\" {} stroke-width=\"{:.1}\" stroke-linecap=\"round\" \
                     x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\">",
                    role(*r),
                    paint(*r),
                    w * SCALE,
                    attrs[0][0],
                    attrs[1][0],
                    attrs[2][0],
                    attrs[3][0]
                );
                for (name, values) in ["x1", "y1", "x2", "y2"].iter().zip(&attrs) {
                    if values.iter().all(|v| v == &values[0]) {
                        continue;
                    }
                    let _ = write!(
                        out,
                        "<animate attributeName=\"{name}\" dur=\"{dur}s\" repeatCount=\"indefinite\" values=\"{}\"/>",
                        values.join(";")
                    );
                }
                out.push_str("</line>");
            }
            Shape::Circle {
                radius,
                filled,
                role: r,
                ..
            } => {
                let mut cx = Vec::new();
                let mut cy = Vec::new();
                for f in &all {
                    if let Some(Shape::Circle { centre, .. }) = f.get(k) {
                        let c = px(*centre);
                        cx.push(format!("{:.1}", c.0));
                        cy.push(format!("{:.1}", c.1));
                    }
                }
                let fill = if *filled { "" } else { " fill=\"none\"" };
                let _ = write!(
                    out,
                    "<circle class=\"{}\" {}{fill} stroke-width=\"2\" cx=\"{}\" cy=\"{}\" r=\"{:.1}\">",
                    role(*r),
                    paint(*r),
                    cx[0],
                    cy[0],
                    radius * SCALE
                );
                for (name, values) in [("cx", &cx), ("cy", &cy)] {
                    if values.iter().all(|v| v == &values[0]) {
                        continue;
                    }
                    let _ = write!(
                        out,
                        "<animate attributeName=\"{name}\" dur=\"{dur}s\" repeatCount=\"indefinite\" values=\"{}\"/>",
                        values.join(";")
                    );
                }
                out.push_str("</circle>");
            }
        }
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
    /// Its figure.
    pub figure: &'a Figure,
}

/// Every exercise's keyframes in a grid with their names, for reviewing the whole library at a
/// glance. White background, so it rasterises as it looks.
pub fn contact_sheet(items: &[SheetItem]) -> String {
    let cols = 4usize;
    let cell_w = 2.0 * width() + 20.0;
    let cell_h = height() + 70.0;
    let rows = items.len().div_ceil(cols).max(1);
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w:.0} {h:.0}\" width=\"{pw:.0}\" height=\"{ph:.0}\">\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>",
        w = cell_w * cols as f32,
        h = cell_h * rows as f32,
        pw = cell_w * cols as f32 / 2.0,
        ph = cell_h * rows as f32 / 2.0
    );
    for (i, item) in items.iter().enumerate() {
        let (c, r) = (i % cols, i / cols);
        let (x, y) = (c as f32 * cell_w, r as f32 * cell_h);
        let _ = write!(
            out,
            "<g transform=\"translate({x:.0} {y:.0})\"><rect x=\"4\" y=\"4\" width=\"{:.0}\" height=\"{:.0}\" \
             fill=\"none\" stroke=\"#d5d8dc\"/><text x=\"14\" y=\"44\" font-family=\"sans-serif\" font-size=\"26\" \
             fill=\"#1b1f23\">{}</text>",
            cell_w - 8.0,
            cell_h - 8.0,
            esc(item.name)
        );
        let frames = item.figure.keyframes.len().min(2);
        let (bx, by, bw, bh) = bounds(item.figure);
        // Each keyframe scaled to fit half the cell's width and the cell's drawing height.
        let box_w = width();
        let box_h = height();
        let k_scale = (box_w / bw).min(box_h / bh);
        for k in 0..frames {
            let _ = write!(
                out,
                "<g transform=\"translate({:.1} {:.1}) scale({k_scale:.3}) translate({:.1} {:.1})\">",
                10.0 + k as f32 * box_w + (box_w - bw * k_scale) / 2.0,
                60.0 + (box_h - bh * k_scale),
                -bx,
                -by
            );
            if let Some(pose) = item.figure.pose(k) {
                draw(&mut out, &figure::shapes(item.figure, &pose));
            }
            out.push_str("</g>");
        }
        let _ = write!(
            out,
            "<text x=\"{:.0}\" y=\"{:.0}\" font-family=\"monospace\" font-size=\"22\" fill=\"#4f5760\">{}</text></g>",
            14.0,
            cell_h - 14.0,
            esc(item.id)
        );
    }
    out.push_str("</svg>");
    out
}
