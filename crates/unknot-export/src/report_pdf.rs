//! The visit summary as a PDF, written with `pdf-writer` in the PDF standard fonts (Helvetica
//! and Helvetica-Bold, which every reader has), so nothing needs embedding and the text stays
//! real text that readers can search and copy. The layout is a single column on A4 that flows
//! onto further pages; the pain chart and the body map are drawn as vector paths from the same
//! data and geometry as the SVG versions.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::bodymap;
use crate::report::Report;

pub(crate) const PAGE_W: f32 = 595.0;
pub(crate) const PAGE_H: f32 = 842.0;
pub(crate) const MARGIN: f32 = 50.0;
pub(crate) const WIDTH: f32 = PAGE_W - 2.0 * MARGIN;

/// Helvetica's advance widths (per 1000 em) for ASCII 32..=126, from the standard font metrics.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// A character in the WinAnsi encoding the standard fonts use; others become `?`.
fn win_ansi(c: char) -> u8 {
    match c {
        ' '..='~' => c as u8,
        '\u{a0}'..='\u{ff}' => c as u32 as u8,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201c}' => 0x93,
        '\u{201d}' => 0x94,
        '\u{2022}' => 0x95,
        '\u{2013}' => 0x96,
        '\u{2014}' => 0x97,
        '\u{2026}' => 0x85,
        _ => b'?',
    }
}

/// Replaces the few symbols our text uses that the standard fonts lack with their ASCII forms.
fn plain(text: &str) -> String {
    text.replace('\u{2192}', "->")
        .replace('\u{2190}', "<-")
        .replace('\u{2265}', ">=")
        .replace('\u{2264}', "<=")
        .replace('\u{2212}', "-")
}

fn char_width(c: char, size: f32, bold: bool) -> f32 {
    let base = match c {
        ' '..='~' => f32::from(HELVETICA[(c as usize) - 32]),
        _ => 556.0,
    };
    // Helvetica-Bold runs a little wider; this keeps wrapped bold lines inside the margin.
    let scale = if bold { 1.08 } else { 1.0 };
    base * scale * size / 1000.0
}

fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    plain(text).chars().map(|c| char_width(c, size, bold)).sum()
}

/// Splits `text` into lines no wider than `width`.
pub(crate) fn wrap(text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size, bold) <= width || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

pub(crate) struct Writer {
    pages: Vec<Content>,
    page: Content,
    pub(crate) y: f32,
    /// Each section heading and the page (from 0) it landed on.
    sections: Vec<(String, usize)>,
}

impl Writer {
    pub(crate) fn new() -> Writer {
        Writer {
            pages: Vec::new(),
            page: Content::new(),
            y: PAGE_H - MARGIN,
            sections: Vec::new(),
        }
    }

    pub(crate) fn ensure(&mut self, height: f32) {
        if self.y - height < MARGIN {
            self.new_page();
        }
    }

    fn new_page(&mut self) {
        let done = std::mem::replace(&mut self.page, Content::new());
        self.pages.push(done);
        self.y = PAGE_H - MARGIN;
    }

    pub(crate) fn text_at(&mut self, x: f32, y: f32, text: &str, size: f32, bold: bool) {
        let bytes: Vec<u8> = plain(text).chars().map(win_ansi).collect();
        self.page
            .begin_text()
            .set_font(Name(if bold { b"F2" } else { b"F1" }), size)
            .next_line(x, y)
            .show(Str(&bytes))
            .end_text();
    }

    pub(crate) fn para(&mut self, text: &str, size: f32, bold: bool, indent: f32) {
        let leading = size * 1.35;
        for line in wrap(text, size, bold, WIDTH - indent) {
            self.ensure(leading);
            self.y -= leading;
            self.text_at(MARGIN + indent, self.y, &line, size, bold);
        }
    }

    pub(crate) fn bullet(&mut self, text: &str) {
        let size = 10.0;
        let lines = wrap(text, size, false, WIDTH - 14.0);
        for (i, line) in lines.iter().enumerate() {
            self.ensure(size * 1.35);
            self.y -= size * 1.35;
            if i == 0 {
                self.text_at(MARGIN + 2.0, self.y, "\u{2022}", size, false);
            }
            self.text_at(MARGIN + 14.0, self.y, line, size, false);
        }
    }

    pub(crate) fn heading(&mut self, text: &str) {
        self.ensure(40.0);
        self.sections.push((text.to_string(), self.pages.len()));
        self.y -= 18.0;
        self.text_at(MARGIN, self.y, text, 12.5, true);
        self.y -= 4.0;
        self.page
            .set_stroke_rgb(0.7, 0.7, 0.7)
            .set_line_width(0.6)
            .move_to(MARGIN, self.y)
            .line_to(MARGIN + WIDTH, self.y)
            .stroke();
    }

    pub(crate) fn space(&mut self, h: f32) {
        self.y -= h;
    }

    /// A two-or-more-column table; the first column takes `first` of the width.
    fn table(&mut self, rows: &[Vec<String>], widths: &[f32], header: bool) {
        let size = 9.5;
        for (r, row) in rows.iter().enumerate() {
            let bold = header && r == 0;
            let cells: Vec<Vec<String>> = row
                .iter()
                .zip(widths)
                .map(|(cell, w)| wrap(cell, size, bold, w * WIDTH - 6.0))
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * size * 1.3 + 4.0;
            self.ensure(height);
            let top = self.y;
            let mut x = MARGIN;
            for (lines, w) in cells.iter().zip(widths) {
                for (i, line) in lines.iter().enumerate() {
                    self.text_at(
                        x + 2.0,
                        top - size * 1.3 * (i as f32 + 1.0),
                        line,
                        size,
                        bold,
                    );
                }
                x += w * WIDTH;
            }
            self.y = top - height;
            self.page
                .set_stroke_rgb(0.85, 0.85, 0.85)
                .set_line_width(0.5)
                .move_to(MARGIN, self.y + 1.0)
                .line_to(MARGIN + WIDTH, self.y + 1.0)
                .stroke();
        }
    }

    fn chart(&mut self, r: &Report) {
        let height = 120.0;
        self.ensure(height + 30.0);
        let (x0, y0) = (MARGIN + 28.0, self.y - height - 14.0);
        let (w, h) = (WIDTH - 36.0, height);
        // Axes and gridlines at 0, 2, 4, 6, 8, 10.
        for step in 0..=5 {
            let y = y0 + h * step as f32 / 5.0;
            self.page
                .set_stroke_rgb(0.88, 0.88, 0.88)
                .set_line_width(0.5)
                .move_to(x0, y)
                .line_to(x0 + w, y)
                .stroke();
            self.text_at(MARGIN + 6.0, y - 3.0, &format!("{}", step * 2), 8.0, false);
        }
        self.page
            .set_stroke_rgb(0.3, 0.3, 0.3)
            .set_line_width(0.8)
            .move_to(x0, y0 + h)
            .line_to(x0, y0)
            .line_to(x0 + w, y0)
            .stroke();
        let n = r.dates.len().max(2) as f32 - 1.0;
        let at = |i: usize, v: f64| (x0 + w * i as f32 / n, y0 + h * (v as f32) / 10.0);
        // Date labels: about five, evenly spaced.
        let every = (r.dates.len() / 5).max(1);
        for (i, d) in r.dates.iter().enumerate().step_by(every) {
            let (x, _) = at(i, 0.0);
            self.text_at(
                x - 12.0,
                y0 - 11.0,
                &d.strftime("%b %-d").to_string(),
                8.0,
                false,
            );
        }
        self.page
            .set_stroke_rgb(0.12, 0.47, 0.71)
            .set_fill_rgb(0.12, 0.47, 0.71)
            .set_line_width(1.6);
        let mut drawing = false;
        for (i, v) in r.pain.iter().enumerate() {
            match v {
                Some(v) => {
                    let (x, y) = at(i, *v);
                    if drawing {
                        self.page.line_to(x, y);
                    } else {
                        self.page.move_to(x, y);
                        drawing = true;
                    }
                }
                None if drawing => {
                    self.page.stroke();
                    drawing = false;
                }
                None => {}
            }
        }
        if drawing {
            self.page.stroke();
        }
        // Single days show as dots, so an isolated rating is not invisible.
        if r.pain.iter().flatten().count() < 40 {
            for (i, v) in r.pain.iter().enumerate() {
                if let Some(v) = v {
                    let (x, y) = at(i, *v);
                    self.page.rect(x - 1.8, y - 1.8, 3.6, 3.6).fill_nonzero();
                }
            }
        }
        self.page.set_fill_rgb(0.0, 0.0, 0.0);
        self.y = y0 - 20.0;
    }

    /// The body map (back and front silhouettes) with each knotted muscle shaded by count.
    fn body_map(&mut self, r: &Report) {
        let scale = 0.42;
        let (mw, mh) = (400.0 * scale, 420.0 * scale);
        self.ensure(mh + 10.0);
        let ox = MARGIN;
        let oy = self.y - 6.0;
        let map = |x: f32, y: f32| (ox + x * scale, oy - y * scale);
        self.page.set_fill_rgb(0.91, 0.89, 0.85);
        for cx in [100.0f32, 300.0] {
            let (hx, hy) = map(cx, 30.0);
            circle(&mut self.page, hx, hy, 20.0 * scale);
            for (x, y, bw, bh) in [
                (cx - 10.0, 48.0, 20.0, 22.0),
                (cx - 40.0, 70.0, 80.0, 135.0),
                (cx - 60.0, 84.0, 18.0, 120.0),
                (cx + 42.0, 84.0, 18.0, 120.0),
                (cx - 27.0, 200.0, 54.0, 50.0),
                (cx - 25.0, 240.0, 23.0, 170.0),
                (cx + 2.0, 240.0, 23.0, 170.0),
            ] {
                let (x1, y1) = map(x, y + bh);
                self.page.rect(x1, y1, bw * scale, bh * scale);
            }
            self.page.fill_nonzero();
        }
        let max = r.knots.iter().map(|k| k.2).max().unwrap_or(1).max(1) as f32;
        for (muscle, side, n) in &r.knots {
            let (front, y, dx) = bodymap::muscle_spot(*muscle);
            let sides = match side {
                unknot_core::body::Side::Both => {
                    vec![
                        unknot_core::body::Side::Left,
                        unknot_core::body::Side::Right,
                    ]
                }
                s if bodymap::drawn_sides(*muscle).contains(s) => vec![*s],
                _ => bodymap::drawn_sides(*muscle),
            };
            let strength = 0.35 + 0.65 * (*n as f32 / max);
            self.page.set_fill_rgb(
                0.84,
                0.38 + 0.4 * (1.0 - strength),
                0.12 + 0.5 * (1.0 - strength),
            );
            for s in sides {
                let (x, yy) = map(bodymap::spot_x(front, dx, s), y);
                circle(
                    &mut self.page,
                    x,
                    yy,
                    (5.0 + 5.0 * (*n as f32 / max)) * scale,
                );
                self.page.fill_nonzero();
            }
        }
        self.page.set_fill_rgb(0.0, 0.0, 0.0);
        let (bx, by) = map(100.0, 418.0);
        self.text_at(bx - 10.0, by, "Back", 8.0, false);
        let (fx, fy) = map(300.0, 418.0);
        self.text_at(fx - 10.0, fy, "Front", 8.0, false);
        let (lx, ly) = map(20.0, 60.0);
        self.text_at(lx, ly, "L", 8.0, false);
        let (rx, ry) = map(172.0, 60.0);
        self.text_at(rx, ry, "R", 8.0, false);
        // The list beside the drawing.
        let mut ty = oy - 4.0;
        let tx = MARGIN + mw + 16.0;
        if r.knots.is_empty() {
            self.text_at(
                tx,
                ty - 10.0,
                "No knots recorded in this period.",
                10.0,
                false,
            );
        }
        for (m, s, n) in r.knots.iter().take(12) {
            ty -= 13.0;
            self.text_at(
                tx,
                ty,
                &format!("{} ({}): {}", m.label(), s.label(), plural_times(*n)),
                9.5,
                false,
            );
        }
        self.y = oy - mh - 8.0;
    }

    /// The plan's exercises, four to a row: the figure's end position with its name and dose.
    fn routine(&mut self, r: &Report) {
        let cols = 4;
        let cell_w = WIDTH / cols as f32;
        let fig_h = 70.0;
        let cell_h = fig_h + 34.0;
        for row in r.routine.chunks(cols) {
            self.ensure(cell_h);
            let top = self.y;
            for (c, (name, dose, figure)) in row.iter().enumerate() {
                let x0 = MARGIN + c as f32 * cell_w;
                if let Some(f) = figure {
                    self.figure(f, x0 + 4.0, top - fig_h, cell_w - 8.0, fig_h);
                }
                let label = wrap(name, 8.5, true, cell_w - 6.0);
                for (i, line) in label.iter().take(2).enumerate() {
                    self.text_at(
                        x0 + 2.0,
                        top - fig_h - 10.0 - 10.0 * i as f32,
                        line,
                        8.5,
                        true,
                    );
                }
                let dose_line = wrap(dose, 7.5, false, cell_w - 6.0);
                if let Some(first) = dose_line.first() {
                    self.text_at(x0 + 2.0, top - fig_h - 30.0, first, 7.5, false);
                }
            }
            self.y = top - cell_h;
        }
    }

    /// A figure's end position, fitted into the box at (x, y) of size w × h (PDF points, y up),
    /// as filled and outlined paths in the figure's default colours, clipped to its frame.
    pub(crate) fn figure(
        &mut self,
        f: &unknot_core::figure::Figure,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    ) {
        use unknot_core::figure::{Drawing, Role, Shape};
        let d = Drawing::new(f);
        let fr = d.frame;
        let scale = (w / fr.width()).min(h / fr.height());
        let (ox, oy) = (x + (w - fr.width() * scale) / 2.0, y);
        let map = |p: (f32, f32)| (ox + (p.0 - fr.x0) * scale, oy + (p.1 - fr.y0) * scale);
        let page = &mut self.page;
        page.save_state();
        page.rect(ox, oy, fr.width() * scale, fr.height() * scale);
        page.clip_nonzero();
        page.end_path();
        page.set_line_cap(pdf_writer::types::LineCapStyle::RoundCap);
        page.set_line_join(pdf_writer::types::LineJoinStyle::RoundJoin);
        for shape in d.keyframe(d.keyframes().saturating_sub(1)) {
            if matches!(
                &shape,
                Shape::Polygon {
                    role: Role::Ghost,
                    ..
                } | Shape::Circle {
                    role: Role::Ghost,
                    ..
                }
            ) {
                continue;
            }
            let (fill, stroke) = figure_colours(&shape);
            page.set_fill_rgb(fill.0, fill.1, fill.2);
            page.set_stroke_rgb(stroke.0, stroke.1, stroke.2);
            match &shape {
                Shape::Line {
                    from, to, width, ..
                } => {
                    let (a, b) = (map(*from), map(*to));
                    page.set_line_width((width * scale).max(0.5));
                    page.move_to(a.0, a.1).line_to(b.0, b.1).stroke();
                }
                Shape::Path { points, width, .. } => {
                    page.set_line_width((width * scale).max(0.5));
                    for (i, p) in points.iter().enumerate() {
                        let q = map(*p);
                        if i == 0 {
                            page.move_to(q.0, q.1);
                        } else {
                            page.line_to(q.0, q.1);
                        }
                    }
                    page.stroke();
                }
                Shape::Polygon { points, .. } => {
                    page.set_line_width((d.line * scale).max(0.3));
                    for (i, p) in points.iter().enumerate() {
                        let q = map(*p);
                        if i == 0 {
                            page.move_to(q.0, q.1);
                        } else {
                            page.line_to(q.0, q.1);
                        }
                    }
                    page.close_path().fill_nonzero_and_stroke();
                }
                Shape::Circle { centre, radius, .. } => {
                    let c = map(*centre);
                    page.set_line_width((d.line * scale).max(0.3));
                    circle(page, c.0, c.1, radius * scale);
                    page.fill_nonzero_and_stroke();
                }
            }
        }
        page.restore_state();
        page.set_fill_rgb(0.0, 0.0, 0.0);
    }

    pub(crate) fn finish(mut self, title: &str) -> Vec<u8> {
        let last = std::mem::replace(&mut self.page, Content::new());
        self.pages.push(last);
        let mut pdf = Pdf::new();
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let regular = Ref::new(3);
        let bold = Ref::new(4);
        let info = Ref::new(5);
        let first_page = 10;
        let page_ids: Vec<Ref> = (0..self.pages.len())
            .map(|i| Ref::new(first_page + 2 * i as i32))
            .collect();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(page_ids.iter().copied())
            .count(page_ids.len() as i32);
        pdf.type1_font(regular)
            .base_font(Name(b"Helvetica"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.type1_font(bold)
            .base_font(Name(b"Helvetica-Bold"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.document_info(info)
            .title(TextStr(title))
            .producer(TextStr("unknot"));
        let count = self.pages.len();
        for (i, mut content) in self.pages.into_iter().enumerate() {
            let page_id = page_ids[i];
            let content_id = Ref::new(page_id.get() + 1);
            let footer: Vec<u8> = format!("Page {} of {count}", i + 1)
                .chars()
                .map(win_ansi)
                .collect();
            content
                .begin_text()
                .set_font(Name(b"F1"), 8.0)
                .next_line(PAGE_W - MARGIN - 50.0, MARGIN / 2.0)
                .show(Str(&footer))
                .end_text();
            let mut page = pdf.page(page_id);
            page.parent(tree)
                .media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
                .contents(content_id);
            let mut resources = page.resources();
            let mut fonts = resources.fonts();
            fonts.pair(Name(b"F1"), regular);
            fonts.pair(Name(b"F2"), bold);
            fonts.finish();
            resources.finish();
            page.finish();
            pdf.stream(content_id, &content.finish());
        }
        pdf.finish()
    }
}

/// A figure shape's fill and outline colours (the same defaults as the SVG figures).
fn figure_colours(s: &unknot_core::figure::Shape) -> ((f32, f32, f32), (f32, f32, f32)) {
    use unknot_core::figure::{Role, Shape};
    let role = match s {
        Shape::Line { role, .. }
        | Shape::Path { role, .. }
        | Shape::Circle { role, .. }
        | Shape::Polygon { role, .. } => *role,
    };
    let rgb = |hex: u32| {
        let c = |shift: u32| ((hex >> shift) & 0xff) as f32 / 255.0;
        (c(16), c(8), c(0))
    };
    let (fill, stroke) = match role {
        Role::Floor => (0xffffff, 0x8a8f96),
        Role::Ground => (0xeef1f4, 0xd5dbe1),
        Role::Mat => (0x9fcbb9, 0x5f8f7d),
        Role::Prop => (0xdfe5eb, 0x5f6b78),
        Role::PropShade => (0xb8c3ce, 0x5f6b78),
        Role::Band => (0xffffff, 0x2f8f5b),
        Role::Ball => (0x2f8f5b, 0x1d5c3a),
        Role::Far => (0xb7c8d6, 0x5c7488),
        Role::Body => (0x6a9cc4, 0x1d4466),
        Role::Highlight => (0xe8663d, 0xa33d17),
        Role::Detail => (0x2f5878, 0x1d4466),
        Role::Arrow => (0xc0392b, 0xc0392b),
        Role::Ghost => (0xffffff, 0x8d99a6),
    };
    (rgb(fill), rgb(stroke))
}

fn plural_times(n: usize) -> String {
    if n == 1 {
        "once".to_string()
    } else {
        format!("{n} times")
    }
}

/// Appends a circle (four Bézier arcs) to the current path.
fn circle(c: &mut Content, x: f32, y: f32, r: f32) {
    let k = 0.552_284_8 * r;
    c.move_to(x + r, y)
        .cubic_to(x + r, y + k, x + k, y + r, x, y + r)
        .cubic_to(x - k, y + r, x - r, y + k, x - r, y)
        .cubic_to(x - r, y - k, x - k, y - r, x, y - r)
        .cubic_to(x + k, y - r, x + r, y - k, x + r, y)
        .close_path();
}

/// The PDF bytes.
pub fn pdf(r: &Report) -> Vec<u8> {
    // Laid out once to see where the sections fall; when it runs past one page, laid out again
    // with a line under the title saying what is on the later pages (so a clinician who only
    // reads page 1 knows what they have not read). A second try settles a note that moved a
    // section itself.
    let mut note = None;
    for _ in 0..3 {
        let w = layout(r, note.as_deref());
        let next = pages_note(&w.sections);
        if next == note {
            return w.finish(&r.title);
        }
        note = next;
    }
    layout(r, note.as_deref()).finish(&r.title)
}

/// "Continued on page 2: …" for the sections past the first page, or nothing on one page.
fn pages_note(sections: &[(String, usize)]) -> Option<String> {
    let last = sections.iter().map(|(_, p)| *p).max().unwrap_or(0);
    if last == 0 {
        return None;
    }
    let mut parts = Vec::new();
    for page in 1..=last {
        let names: Vec<&str> = sections
            .iter()
            .filter(|(_, p)| *p == page)
            .map(|(s, _)| s.split(" (").next().unwrap_or(s))
            .collect();
        if !names.is_empty() {
            parts.push(format!("page {}: {}", page + 1, names.join(", ")));
        }
    }
    Some(format!(
        "{} pages: the findings come first; continued on {}.",
        last + 1,
        parts.join("; ")
    ))
}

/// Lays the summary out, section after section, in the order a clinician reads it: who and
/// why, safety first, then the evidence, then the plan and what to ask.
fn layout(r: &Report, note: Option<&str>) -> Writer {
    let mut w = Writer::new();
    header(&mut w, r, note);
    safety(&mut w, r);
    w.heading("Pain over the period (daily average, 0 none to 10 worst)");
    w.chart(r);
    w.heading("Where the knots are");
    w.body_map(r);
    outcome_scores(&mut w, r);
    pairs_table(&mut w, "Treatments tried", &r.treatments);
    pairs_table(
        &mut w,
        "Medicines (as the person named them; no doses recorded)",
        &r.medicines,
    );
    if let Some(a) = &r.adherence {
        w.heading("Adherence to the plan");
        w.para(a, 10.0, false, 0.0);
    }
    if !r.routine.is_empty() {
        w.heading("The plan's exercises");
        w.routine(r);
    }
    history_notes_questions(&mut w, r);
    w.space(12.0);
    w.para(&r.disclaimer, 8.5, false, 0.0);
    w
}

/// The title, who the summary is about, the period (with the note on what continues on later
/// pages), the main complaint and the verdict.
fn header(w: &mut Writer, r: &Report, note: Option<&str>) {
    w.y -= 6.0;
    w.text_at(MARGIN, w.y, &r.title, 17.0, true);
    w.y -= 8.0;
    let who = match (&r.name, r.age) {
        (Some(n), Some(a)) => format!("{n}, {a} years old"),
        (Some(n), None) => n.clone(),
        (None, Some(a)) => format!("{a} years old"),
        (None, None) => "Name not given".to_string(),
    };
    w.para(&who, 11.0, true, 0.0);
    w.para(&format!("Period: {}", r.period), 10.0, false, 0.0);
    if let Some(note) = note {
        w.para(note, 9.0, false, 0.0);
    }
    w.heading("Main complaint");
    w.para(&r.complaint, 10.5, false, 0.0);
    w.para(&r.pain_summary, 10.5, false, 0.0);
    w.para(&r.verdict, 10.5, true, 0.0);
}

/// The warning-sign check, in bold when something was flagged.
fn safety(w: &mut Writer, r: &Report) {
    let sf = &r.safety;
    w.heading("Warning-sign check");
    w.para(
        &format!("{} ({}): {}", sf.level, sf.checked, sf.advice),
        10.5,
        sf.flagged,
        0.0,
    );
    for reason in &sf.reasons {
        w.bullet(reason);
    }
}

/// The table of first and latest scores.
fn outcome_scores(w: &mut Writer, r: &Report) {
    w.heading("Outcome scores");
    if r.scores.is_empty() {
        w.para("No scores recorded yet.", 10.0, false, 0.0);
        return;
    }
    let mut rows = vec![vec![
        "Score".to_string(),
        "First".to_string(),
        "Latest".to_string(),
        "Change".to_string(),
    ]];
    for s in &r.scores {
        rows.push(vec![
            s.name.clone(),
            format!("{:.1} ({})", s.first.0, s.first.1),
            format!("{:.1} ({})", s.latest.0, s.latest.1),
            s.change.clone(),
        ]);
    }
    w.table(&rows, &[0.2, 0.2, 0.2, 0.4], true);
}

/// A headed two-column table of what and how (treatments, medicines), or a line saying there
/// were none.
fn pairs_table(w: &mut Writer, heading: &str, pairs: &[(String, String)]) {
    w.heading(heading);
    if pairs.is_empty() {
        w.para("None recorded in this period.", 10.0, false, 0.0);
        return;
    }
    let rows: Vec<Vec<String>> = pairs
        .iter()
        .map(|(a, b)| vec![a.clone(), b.clone()])
        .collect();
    w.table(&rows, &[0.55, 0.45], false);
}

/// History, notes and the questions for this visit, each only when there is something to show.
fn history_notes_questions(w: &mut Writer, r: &Report) {
    if !r.history.is_empty() {
        w.heading("History");
        for h in &r.history {
            w.bullet(h);
        }
    }
    if !r.notes.is_empty() {
        w.heading("Notes");
        for (when, note) in &r.notes {
            w.bullet(&format!("{when}: {note}"));
        }
    }
    if !r.questions.is_empty() {
        w.heading("Questions for this visit");
        for (i, q) in r.questions.iter().enumerate() {
            w.para(&format!("{}. {q}", i + 1), 10.5, false, 0.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_lines_inside_the_width() {
        let text = "Numbness between the legs or around the bottom can mean pressure on the nerves at the base of the spine.";
        for line in wrap(text, 10.0, false, 200.0) {
            assert!(text_width(&line, 10.0, false) <= 200.0, "{line}");
        }
        assert_eq!(wrap(text, 10.0, false, 200.0).join(" "), text);
    }

    #[test]
    fn text_outside_win_ansi_becomes_a_question_mark() {
        assert_eq!(win_ansi('é'), 0xe9);
        assert_eq!(win_ansi('\u{2019}'), 0x92);
        assert_eq!(win_ansi('漢'), b'?');
    }
}
