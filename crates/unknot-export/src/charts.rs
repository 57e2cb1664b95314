//! Charts drawn on the server as SVG by plotters, so they show without JavaScript, in dark mode
//! (the page's CSS recolours text and axes) and, later, in the printed report.
//!
//! Each chart gets a `<title>` and `role="img"` for screen readers; pages put the numbers in a
//! table beside it as well.

use jiff::civil::Date;
use plotters::prelude::*;

/// Chart width and height in SVG units (the page scales it to fit).
const SIZE: (u32, u32) = (720, 260);

/// Line colours, chosen to read on light and dark backgrounds.
const PALETTE: [RGBColor; 5] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xd6, 0x61, 0x1e),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0x9a, 0x4d, 0xc4),
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

/// A line chart of `series`, one value per point in `dates` (days, weeks or assessments, evenly
/// spaced and labelled by their date), with a `y_max` scale (10 for pain ratings). Gaps (points
/// with nothing recorded) break the line rather than pretending to be zero.
pub fn line_chart(title: &str, dates: &[Date], series: &[Series], y_max: f64) -> String {
    let mut svg = String::new();
    let drawn = draw(&mut svg, dates, series, y_max);
    if drawn.is_err() || dates.is_empty() {
        return empty(title);
    }
    label(svg, title)
}

fn draw(svg: &mut String, dates: &[Date], series: &[Series], y_max: f64) -> Result<(), String> {
    let root = SVGBackend::with_string(svg, SIZE).into_drawing_area();
    let n = dates.len().max(2) as f64 - 1.0;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(32)
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
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&labels)
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.15))
        .label_style(("sans-serif", 13))
        .draw()
        .map_err(|e| e.to_string())?;
    for (i, s) in series.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        // One line per run of recorded days, so a gap shows as a gap.
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
            if points.len() < 40 {
                chart
                    .draw_series(
                        points
                            .into_iter()
                            .map(|p| Circle::new(p, 3, colour.filled())),
                    )
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    if series.len() > 1 || series.iter().any(|s| !s.label.is_empty()) {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.7))
            .border_style(BLACK.mix(0.2))
            .label_font(("sans-serif", 13))
            .draw()
            .map_err(|e| e.to_string())?;
    }
    root.present().map_err(|e| e.to_string())?;
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
        "<svg class=\"chart\" role=\"img\" aria-label=\"{title}\" viewBox=\"0 0 720 80\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title>{title}</title>\
         <text x=\"360\" y=\"44\" text-anchor=\"middle\" font-size=\"15\">Nothing recorded in this period yet</text></svg>"
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
        // Three runs of recorded days: three lines in the series colour (width 2), and the
        // legend's sample (width 3).
        let lines = svg
            .lines()
            .filter(|l| l.contains("<polyline") && l.contains("stroke=\"#1F77B4\""));
        let widths: Vec<bool> = lines.map(|l| l.contains("stroke-width=\"2\"")).collect();
        assert_eq!(widths, vec![true, true, true, false], "{svg}");
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
    }
}
