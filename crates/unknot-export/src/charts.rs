//! Charts drawn on the server as SVG by plotters, so they show without JavaScript, in dark mode
//! (the page's CSS recolours text and axes) and, later, in the printed report.
//!
//! Each chart gets a `<title>` and `role="img"` for screen readers; pages put the numbers in a
//! table beside it as well.

use jiff::civil::Date;
use plotters::prelude::*;

/// How a chart is drawn: its size in SVG units, the label size, and whether the legend is drawn
/// inside it. The page scales a chart to its box, so each frame is drawn for the widths it is
/// shown at (the page's CSS picks one by the width of the chart's box): labels stay between
/// 12 and about 20 px on screen.
#[derive(Debug, Clone, Copy)]
struct Frame {
    size: (u32, u32),
    font: u32,
    x_labels: usize,
    legend: bool,
}

/// The printed report's chart.
const REPORT: Frame = Frame {
    size: (760, 270),
    font: 14,
    x_labels: 7,
    legend: true,
};

/// Boxes 800 px wide and more (860 units: labels of 13 px and up).
const WIDE: Frame = Frame {
    size: (860, 280),
    font: 14,
    x_labels: 8,
    legend: false,
};

/// Boxes from 500 to 800 px wide (560 units: labels of 12.5 to 20 px).
const MEDIUM: Frame = Frame {
    size: (560, 260),
    font: 14,
    x_labels: 5,
    legend: false,
};

/// Boxes under 500 px, phones (360 units: labels of 12 px from a 288 px box).
const NARROW: Frame = Frame {
    size: (360, 250),
    font: 15,
    x_labels: 4,
    legend: false,
};

/// Line colours, chosen to read on light and dark backgrounds (the first is the app's accent).
const PALETTE: [RGBColor; 5] = [
    RGBColor(0x12, 0x8c, 0x88),
    RGBColor(0xd9, 0x62, 0x2b),
    RGBColor(0x7e, 0x57, 0xc2),
    RGBColor(0x3d, 0x7e, 0xc9),
    RGBColor(0xc2, 0x1f, 0x5b),
];

/// One named series of values, one per date (absent where nothing was recorded).
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend label.
    pub label: String,
    /// Values in date order.
    pub values: Vec<Option<f64>>,
}

fn has_values(series: &[Series]) -> bool {
    series.iter().any(|s| s.values.iter().any(Option::is_some))
}

/// A line chart of `series`, one value per point in `dates` (days, weeks or assessments, evenly
/// spaced and labelled by their date), with a `y_max` scale (10 for pain ratings). Gaps (points
/// with nothing recorded) break the line rather than pretending to be zero. With nothing
/// recorded at all it says so instead of drawing empty axes.
pub fn line_chart(title: &str, dates: &[Date], series: &[Series], y_max: f64) -> String {
    sized(title, dates, series, y_max, REPORT)
}

fn sized(title: &str, dates: &[Date], series: &[Series], y_max: f64, frame: Frame) -> String {
    if dates.is_empty() || !has_values(series) {
        return empty(title);
    }
    let mut svg = String::new();
    if draw(&mut svg, dates, series, y_max, frame).is_err() {
        return empty(title);
    }
    label(svg, title)
}

/// The chart for a page: drawn three times (for wide, middling and narrow boxes; the page's CSS
/// shows the one that fits), with the legend as HTML under it when there is more than one
/// line. With nothing recorded it is one sentence saying so.
pub fn chart_html(title: &str, dates: &[Date], series: &[Series], y_max: f64) -> String {
    if dates.is_empty() || !has_values(series) {
        return format!(
            "<p class=\"chart-empty\">{}: nothing recorded in this period yet.</p>",
            escape(title)
        );
    }
    let mut out = format!(
        "<div class=\"chart-wide\">{}</div><div class=\"chart-medium\">{}</div>\
         <div class=\"chart-narrow\">{}</div>",
        sized(title, dates, series, y_max, WIDE),
        sized(title, dates, series, y_max, MEDIUM),
        sized(title, dates, series, y_max, NARROW)
    );
    if series.len() > 1 {
        out.push_str("<ul class=\"legend\">");
        for (i, s) in series.iter().enumerate() {
            let RGBColor(r, g, b) = PALETTE[i % PALETTE.len()];
            out.push_str(&format!(
                "<li><svg width=\"18\" height=\"6\" aria-hidden=\"true\"><rect width=\"18\" height=\"6\" rx=\"3\" fill=\"#{r:02x}{g:02x}{b:02x}\"/></svg>{}</li>",
                escape(&s.label)
            ));
        }
        out.push_str("</ul>");
    }
    out
}

fn draw(
    svg: &mut String,
    dates: &[Date],
    series: &[Series],
    y_max: f64,
    frame: Frame,
) -> Result<(), String> {
    let root = SVGBackend::with_string(svg, frame.size).into_drawing_area();
    let n = dates.len().max(2) as f64 - 1.0;
    let font = frame.font;
    // plotters writes a font size as 1/1.24 of the one asked for: ask for more, so the SVG
    // says the size the frame means.
    let text = ("sans-serif", f64::from(font) * 1.24);
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .margin_right(font * 2)
        .x_label_area_size(font * 2 + 2)
        .y_label_area_size(font * 2 + 4)
        .build_cartesian_2d(0f64..n, 0f64..y_max.max(1.0))
        .map_err(|e| e.to_string())?;
    let labels = |x: &f64| {
        usize::try_from(x.round() as i64)
            .ok()
            .and_then(|i| dates.get(i))
            .map(|d| d.strftime("%b %-d").to_string())
            .unwrap_or_default()
    };
    chart
        .configure_mesh()
        .x_labels(frame.x_labels.min(dates.len()).max(2))
        .y_labels((y_max.max(1.0) as usize + 1).min(6))
        .x_label_formatter(&labels)
        .y_label_formatter(&|y: &f64| format!("{y:.0}"))
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.12))
        .axis_style(BLACK.mix(0.35))
        .label_style(text)
        .draw()
        .map_err(|e| e.to_string())?;
    let dots = dates.len() <= 40;
    for (i, s) in series.iter().enumerate() {
        draw_series(&mut chart, s, PALETTE[i % PALETTE.len()], dots)?;
    }
    let drawn = series
        .iter()
        .filter(|s| s.values.iter().any(Option::is_some))
        .count();
    if frame.legend && drawn > 1 {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.2))
            .label_font(text)
            .draw()
            .map_err(|e| e.to_string())?;
    }
    root.present().map_err(|e| e.to_string())?;
    Ok(())
}

type Chart<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// One series: a line per run of recorded points, so a gap shows as a gap, with dots when the
/// points are few enough to see.
fn draw_series(chart: &mut Chart, s: &Series, colour: RGBColor, dots: bool) -> Result<(), String> {
    let mut run: Vec<(f64, f64)> = Vec::new();
    let mut runs = Vec::new();
    for (x, v) in s.values.iter().enumerate() {
        match v {
            Some(v) => run.push((x as f64, *v)),
            None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    let mut legend_done = false;
    for run in runs {
        let points = run.clone();
        let line = chart
            .draw_series(LineSeries::new(run, colour.stroke_width(2)))
            .map_err(|e| e.to_string())?;
        if !legend_done {
            line.label(s.label.clone()).legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(3))
            });
            legend_done = true;
        }
        if dots || points.len() == 1 {
            chart
                .draw_series(
                    points
                        .into_iter()
                        .map(|p| Circle::new(p, 3, colour.filled())),
                )
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// Adds the accessible name and the class the page's CSS styles charts by.
fn label(svg: String, title: &str) -> String {
    let title = escape(title);
    match svg.find('>') {
        Some(end) if svg.starts_with("<svg") => format!(
            "{} class=\"chart\" role=\"img\" aria-label=\"{title}\" preserveAspectRatio=\"xMidYMid meet\"><title>{title}</title>{}",
            &svg[..end],
            &svg[end + 1..]
        ),
        _ => empty(title.as_str()),
    }
}

fn empty(title: &str) -> String {
    let title = escape(title);
    format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"{title}\" viewBox=\"0 0 760 80\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title>{title}</title>\
         <text x=\"380\" y=\"44\" text-anchor=\"middle\" font-size=\"15\">Nothing recorded in this period yet</text></svg>"
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_chart_is_labelled_svg_with_a_line_per_run() {
        let dates: Vec<Date> = (1..=10).map(|d| date(2026, 3, d)).collect();
        let values = vec![
            Some(5.0),
            Some(6.0),
            None,
            Some(4.0),
            Some(3.0),
            None,
            None,
            Some(2.0),
            Some(2.0),
            Some(1.0),
        ];
        let svg = line_chart(
            "Pain <by day>",
            &dates,
            &[Series {
                label: "pain".into(),
                values,
            }],
            10.0,
        );
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("aria-label=\"Pain &lt;by day&gt;\""));
        assert!(svg.contains("<title>Pain &lt;by day&gt;</title>"));
        // Three runs of recorded days: three lines in the series colour (width 2), and no
        // legend for a single line (the title names it).
        let lines = svg
            .lines()
            .filter(|l| l.contains("<polyline") && l.contains("stroke=\"#128C88\""));
        let widths: Vec<bool> = lines.map(|l| l.contains("stroke-width=\"2\"")).collect();
        assert_eq!(widths, vec![true, true, true], "{svg}");
        assert!(svg.contains("Mar 1"), "dates label the x axis");
    }

    #[test]
    fn points_need_not_be_a_day_apart() {
        let weeks: Vec<Date> = [1, 8, 15, 22].iter().map(|d| date(2026, 3, *d)).collect();
        let svg = line_chart(
            "By week",
            &weeks,
            &[Series {
                label: "knots".into(),
                values: vec![Some(3.0), Some(5.0), Some(2.0), Some(4.0)],
            }],
            10.0,
        );
        assert!(
            svg.contains("Mar 22"),
            "the last week is labelled by its own date"
        );
        assert!(
            !svg.contains("Mar 4<"),
            "not by counting days from the first"
        );
    }

    #[test]
    fn no_data_says_so() {
        let svg = line_chart("Pain", &[], &[], 10.0);
        assert!(svg.contains("Nothing recorded"));
        // Days with nothing rated are no data either: no empty axes, no blank legend.
        let dates: Vec<Date> = (1..=5).map(|d| date(2026, 3, d)).collect();
        let blank = [Series {
            label: "pain".into(),
            values: vec![None; 5],
        }];
        assert!(line_chart("Pain", &dates, &blank, 10.0).contains("Nothing recorded"));
        let html = chart_html("Pain", &dates, &blank, 10.0);
        assert!(
            html.contains("nothing recorded") && !html.contains("<svg"),
            "{html}"
        );
    }

    /// The font size of every text element in an SVG.
    fn font_sizes(svg: &str) -> Vec<f64> {
        svg.split("font-size=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter_map(|v| v.trim_end_matches("px").parse().ok())
            .collect()
    }

    #[test]
    fn pages_get_a_chart_drawn_for_phones_and_a_legend_they_can_read() {
        let dates: Vec<Date> = (1..=30).map(|d| date(2026, 4, d)).collect();
        let series = [
            Series {
                label: "knots".into(),
                values: (0..30).map(|i| Some(f64::from(i % 4))).collect(),
            },
            Series {
                label: "exercise days".into(),
                values: (0..30).map(|i| Some(f64::from(i % 3))).collect(),
            },
        ];
        let html = chart_html("By week <all>", &dates, &series, 10.0);
        let narrow = html
            .split("<div class=\"chart-narrow\">")
            .nth(1)
            .unwrap_or_default();
        assert!(narrow.starts_with("<svg"), "{html}");
        assert!(narrow.contains("viewBox=\"0 0 360 250\""), "{narrow}");
        // Shown at 300 px or more on a 360 px phone, its labels are 12 px or larger.
        let sizes = font_sizes(narrow);
        assert!(!sizes.is_empty());
        for size in sizes {
            assert!(size * 300.0 / 360.0 >= 12.0, "a {size} label is too small");
        }
        assert!(html.contains("<ul class=\"legend\">"));
        assert!(html.contains("</svg>knots</li>") && html.contains("exercise days"));
        assert!(html.contains("By week &lt;all&gt;"));
    }
}
