//! Text for the terminal: width, optional bold and dim, wrapping, and Markdown rendering.
//!
//! Styling appears only on a terminal and never when `NO_COLOR` is set, so piped output and
//! tests see plain text.

use std::io::IsTerminal;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// How the output should look.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Use ANSI bold and dim.
    pub color: bool,
    /// Wrap at this many columns.
    pub width: usize,
}

impl Style {
    /// Decides from the environment: colour on a terminal without `NO_COLOR`; width from the
    /// terminal, else `COLUMNS`, else 80, and never wider than 100 for readability.
    pub fn detect() -> Style {
        let tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let width = crossterm::terminal::size()
            .ok()
            .filter(|_| tty)
            .map(|(w, _)| usize::from(w))
            .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()))
            .unwrap_or(80);
        Style {
            color: tty && !no_color,
            width: width.clamp(40, 100),
        }
    }

    /// Bold text.
    pub fn bold(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Dim text.
    pub fn dim(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[2m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Wraps `text` with `first` before the first line and `rest` before the others.
    pub fn wrap(&self, text: &str, first: &str, rest: &str) -> String {
        let opts = textwrap::Options::new(self.width)
            .initial_indent(first)
            .subsequent_indent(rest);
        textwrap::fill(text, opts)
    }

    /// A heading line.
    pub fn heading(&self, text: &str) -> String {
        self.bold(text)
    }
}

/// Makes `out` end with exactly one blank line (nothing when it is empty).
fn blank_line(out: &mut String) {
    while out.ends_with('\n') {
        out.pop();
    }
    if !out.is_empty() {
        out.push_str("\n\n");
    }
}

/// Renders Markdown for the terminal: headings in bold with a blank line around them, wrapped
/// paragraphs, bulleted and numbered lists with hanging indents, and **strong** text in bold.
pub fn markdown(md: &str, style: &Style) -> String {
    let mut out = String::new();
    let mut text = String::new();
    // For each open list: the next number, or None for bullets.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut item_prefix: Option<String> = None;
    let flush = |out: &mut String, text: &mut String, prefix: Option<&str>, depth: usize| {
        let body = text.trim();
        if body.is_empty() {
            text.clear();
            return;
        }
        let indent = "  ".repeat(depth.saturating_sub(1));
        match prefix {
            Some(p) => {
                let first = format!("{indent}{p}");
                let rest = " ".repeat(first.chars().count());
                out.push_str(&style.wrap(body, &first, &rest));
            }
            None => out.push_str(&style.wrap(body, &indent, &indent)),
        }
        out.push('\n');
        text.clear();
    };
    for event in Parser::new_ext(md, Options::empty()) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                flush(&mut out, &mut text, None, 0);
            }
            Event::End(TagEnd::Heading(level)) => {
                let title = text.trim().to_string();
                text.clear();
                blank_line(&mut out);
                let shown = if level == HeadingLevel::H1 {
                    title.to_uppercase()
                } else {
                    title
                };
                out.push_str(&style.heading(&shown));
                out.push('\n');
            }
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => {
                let prefix = item_prefix.take();
                flush(&mut out, &mut text, prefix.as_deref(), lists.len());
                if lists.is_empty() {
                    blank_line(&mut out);
                }
            }
            Event::Start(Tag::List(first)) => {
                flush(
                    &mut out,
                    &mut text,
                    item_prefix.take().as_deref(),
                    lists.len(),
                );
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if lists.is_empty() {
                    blank_line(&mut out);
                }
            }
            Event::Start(Tag::Item) => {
                let prefix = match lists.last_mut() {
                    Some(Some(n)) => {
                        let p = format!("{n}. ");
                        *n += 1;
                        p
                    }
                    _ => "• ".to_string(),
                };
                item_prefix = Some(prefix);
            }
            Event::End(TagEnd::Item) => {
                let prefix = item_prefix.take();
                flush(&mut out, &mut text, prefix.as_deref(), lists.len());
            }
            Event::Start(Tag::Strong) if style.color => text.push_str("\x1b[1m"),
            Event::End(TagEnd::Strong) if style.color => text.push_str("\x1b[0m"),
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    flush(&mut out, &mut text, None, 0);
    while out.ends_with('\n') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_headings_lists_and_wraps() {
        let style = Style {
            color: false,
            width: 40,
        };
        let md = "Intro text that is long enough to need wrapping at forty columns wide.\n\n## What helps\n\n- **Keep moving**, gently.\n- Warmth.\n\n1. First\n2. Second\n";
        let out = markdown(md, &style);
        assert!(out.contains("\n\nWhat helps\n• Keep"), "{out}");
        assert!(!out.contains("\n\n\n"), "{out}");
        assert!(out.contains("• Keep moving, gently."), "{out}");
        assert!(out.contains("1. First\n2. Second"), "{out}");
        assert!(out.lines().all(|l| l.chars().count() <= 40), "{out}");
        assert!(!out.contains("**"));
    }
}
