//! `unknot session`: a guided routine with timers, holds, reps and sides.
//!
//! The steps and their timing come from core's [`Runner`]; this module only feeds it time and
//! keys and draws it: full screen with ratatui on a terminal, or line by line when output is
//! not a terminal or with `--plain`. `--speed` scales the clock for demos and tests.

use std::io::Write;
use std::time::{Duration, Instant};

use anyhow::Result;
use clap::Args;
use crossterm::event::{self, Event as TermEvent, KeyCode, KeyEventKind};

use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Modifier, Style as TuiStyle};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Gauge, Paragraph, Wrap};
use unknot_app::session::Finished;
use unknot_core::adapt::ItemStatus;
use unknot_core::catalogue::Catalogue;
use unknot_core::score::Score;
use unknot_core::session::{Event, ItemSafety, Phase, Runner, Side, Signal, Step};
use unknot_core::signs::{self, SESSION_SIGNS};
use unknot_core::today::Completion;

use crate::app::{self, DataOptions};
use crate::form;
use crate::show;
use crate::term::Style;

fn score(s: &str) -> Result<Score, String> {
    Score::parse(s, "pain").map_err(|e| e.to_string())
}

fn warning_sign(s: &str) -> Result<String, String> {
    let mut ids = signs::read_session_signs([s]).map_err(|e| e.to_string())?;
    ids.pop()
        .ok_or_else(|| "name a warning sign, for example both_legs".to_string())
}

fn speed(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (1.0..=10_000.0).contains(&v) => Ok(v),
        _ => Err(format!("speed must be a number from 1 to 10000, got {s}")),
    }
}

/// Arguments of `unknot session`.
#[derive(Debug, Args)]
#[command(
    after_help = "Keys: space pause/resume · n next · b back · s skip exercise · q quit\n\n\
                        Examples:\n  unknot session                      (today's routine)\n  \
                        unknot session --exercise bird-dog\n  unknot session --plain --speed 20   (a quick demo)"
)]
pub struct SessionArgs {
    /// Run one exercise from the library instead of today's routine.
    #[arg(long, value_name = "ID")]
    pub exercise: Option<String>,

    /// Line by line instead of full screen (the default when output is not a terminal).
    #[arg(long)]
    pub plain: bool,

    /// No terminal bell at each change.
    #[arg(long)]
    pub quiet: bool,

    /// Demo option: run the timers this many times faster.
    #[arg(long, default_value_t = 1.0, value_parser = speed)]
    pub speed: f64,

    /// Pain before, 0-10 (asked on a terminal when not given).
    #[arg(long, allow_negative_numbers = true, value_name = "0-10", value_parser = score)]
    pub pain_before: Option<Score>,

    /// Pain after, 0-10 (asked on a terminal when not given).
    #[arg(long, allow_negative_numbers = true, value_name = "0-10", value_parser = score)]
    pub pain_after: Option<Score>,

    /// A warning sign that started during or since the session (repeat for more): both_legs,
    /// saddle_numbness, bladder_bowel_change, leg_weakness (a leg or foot has gone weak or
    /// weaker), numbness_tingling, pain_below_knee, chest_pain_or_breathless,
    /// pain_with_sweating_or_sickness. On a terminal you are asked when none is given.
    #[arg(long = "sign", value_name = "SIGN", value_parser = warning_sign)]
    pub signs: Vec<String>,

    /// Do not record the session.
    #[arg(long)]
    pub no_record: bool,
}

/// The warning signs the session's feedback reports: those given with `--sign`, or, on a
/// terminal when none was given, those ticked in a checklist worded from the question table.
fn ask_signs(given: &[String]) -> Result<Vec<String>> {
    if !given.is_empty() || !app::interactive() {
        return Ok(given.to_vec());
    }
    let words: Vec<String> = SESSION_SIGNS.iter().map(|s| s.words()).collect();
    let picked = inquire::MultiSelect::new(
        "Did any of these start during or since the session? (tick each that did)",
        words.clone(),
    )
    .with_help_message("space ticks, enter goes on; tick nothing if none did")
    .prompt_skippable()
    .map_err(form::cancelled)?
    .unwrap_or_default();
    Ok(SESSION_SIGNS
        .iter()
        .zip(&words)
        .filter(|(_, w)| picked.contains(w))
        .map(|(s, _)| s.id.to_string())
        .collect())
}

fn ask_pain(given: Option<Score>, question: &str) -> Result<Option<Score>> {
    if given.is_some() || !app::interactive() {
        return Ok(given);
    }
    let answer = inquire::CustomType::<u8>::new(question)
        .with_help_message("0 = none, 10 = worst imaginable; esc to skip")
        .prompt_skippable()
        .map_err(form::cancelled)?;
    answer
        .map(|v| Score::new(i64::from(v), "pain"))
        .transpose()
        .map_err(Into::into)
}

/// `unknot session`.
pub async fn run(data: &DataOptions, args: SessionArgs) -> Result<()> {
    let app = data.app().await?;
    let catalogue = app.catalogue().await?;
    let items = app.session_items(args.exercise.as_deref()).await?;
    let started = app.now().await?;
    let pain_before = ask_pain(args.pain_before, "Pain before you start (0-10):")?;
    let mut runner = Runner::new(items);
    let tui = !args.plain && app::interactive();
    let quit_early = if tui {
        run_tui(&mut runner, &catalogue, &args)?
    } else {
        run_plain(&mut runner, &catalogue, &args)?
    };
    let outcomes = runner.outcomes();
    println!("\n{}", summary(&outcomes, quit_early));
    let save = if quit_early && tui {
        form::confirm("Save this session in your journal?")?
    } else {
        true
    };
    if args.no_record || !save {
        println!("Not recorded.");
        return Ok(());
    }
    let pain_after = ask_pain(args.pain_after, "Pain now (0-10):")?;
    let warning_signs = ask_signs(&args.signs)?;
    let recorded = app
        .record_session(Finished {
            id: None,
            started: Some(started),
            items: outcomes,
            pain_before,
            pain_after,
            warning_signs,
        })
        .await?;
    app.close().await;
    if let Some(t) = recorded.safety.as_ref() {
        println!();
        show::safety(t, &Style::detect());
        println!();
    }
    println!(
        "{}",
        match (recorded.completion, recorded.entry.is_some()) {
            (Completion::Nothing, true) => {
                "Recorded your pain rating; the session counts as not done.".to_string()
            }
            (Completion::Nothing, false) => {
                "Recorded as not done. (unknot plan review notices skipped exercises.)".to_string()
            }
            _ => "Recorded. (unknot plan review uses it to adapt your plan.)".to_string(),
        }
    );
    Ok(())
}

/// How the session went, honestly: all done, partly done, or stopped before anything was done.
fn summary(outcomes: &[unknot_core::adapt::ItemOutcome], quit_early: bool) -> String {
    let done = outcomes
        .iter()
        .filter(|o| o.status == ItemStatus::Done)
        .count();
    let n = outcomes.len();
    let exercises = if n == 1 { "exercise" } else { "exercises" };
    match Completion::of(outcomes) {
        Completion::Full => format!("Well done: all {n} {exercises} done."),
        Completion::Partial if quit_early => {
            format!("Stopped early: {done} of {n} {exercises} done.")
        }
        Completion::Partial => format!("Session over: {done} of {n} {exercises} done."),
        Completion::Nothing => format!(
            "Stopped before any exercise was done (0 of {n}). That is fine: try again when it suits you."
        ),
    }
}

fn describe(step: &Step) -> String {
    let side = match step.side {
        Some(Side::Left) => ", left side",
        Some(Side::Right) => ", right side",
        None => "",
    };
    let set = if step.sets > 1 {
        format!("set {} of {}", step.set, step.sets)
    } else {
        String::new()
    };
    let what = match step.phase {
        Phase::GetReady => "get ready".to_string(),
        Phase::Hold => match step.rep {
            Some((r, n)) => format!("hold ({r} of {n})"),
            None => "hold".to_string(),
        },
        Phase::Reps => format!("{} reps at an easy pace", step.reps),
        Phase::SwitchSides => "switch sides".to_string(),
        Phase::Rest => "rest".to_string(),
    };
    let sep = if set.is_empty() { "" } else { ", " };
    format!("{what}, {} s{sep}{set}{side}", step.seconds)
}

/// An exercise's "leave it out if" and "stop if" lists as plain lines, shown before it starts.
fn plain_safety(safety: &ItemSafety, s: &Style) -> String {
    let mut out = String::new();
    for (title, lines) in [
        ("Leave it out if:", &safety.avoid_if),
        ("Stop if:", &safety.stop_if),
    ] {
        if lines.is_empty() {
            continue;
        }
        out.push_str(&format!("  {}\n", s.bold(title)));
        for line in lines {
            out.push_str(&s.wrap(line, "    - ", "      "));
            out.push('\n');
        }
    }
    out
}

/// An exercise's "leave it out if" and "stop if" lists for the full screen: both while getting
/// ready (before the exercise starts), only "stop if" while it runs.
fn tui_safety(safety: &ItemSafety, phase: Phase, bold: TuiStyle) -> Vec<Line<'static>> {
    let before = matches!(phase, Phase::GetReady | Phase::Rest | Phase::SwitchSides);
    let mut lines = Vec::new();
    let lists = [
        ("Leave it out if", &safety.avoid_if, before),
        ("Stop if", &safety.stop_if, true),
    ];
    for (title, items, shown) in lists {
        if !shown || items.is_empty() {
            continue;
        }
        lines.push(Line::from(vec![
            Span::styled(format!("{title}: "), bold),
            Span::raw(items.join(" · ")),
        ]));
    }
    if before && !lines.is_empty() {
        lines.push(Line::from(""));
    }
    lines
}

/// Feeds the runner real time, scaled by `--speed`.
struct Clock {
    last: Instant,
    speed: f64,
}

impl Clock {
    fn new(speed: f64) -> Clock {
        Clock {
            last: Instant::now(),
            speed,
        }
    }

    fn tick(&mut self) -> u64 {
        let now = Instant::now();
        let ms = (now.duration_since(self.last).as_secs_f64() * 1000.0 * self.speed) as u64;
        // Keep the fraction of a millisecond for next time by only moving `last` by what we used.
        let used = Duration::from_secs_f64(ms as f64 / 1000.0 / self.speed);
        self.last += used;
        ms
    }
}

fn run_plain(runner: &mut Runner, catalogue: &Catalogue, args: &SessionArgs) -> Result<bool> {
    let s = Style::detect();
    let mut out = std::io::stdout();
    let mut current_item = None;
    let mut announce = |runner: &Runner, out: &mut std::io::Stdout| -> Result<()> {
        let v = runner.view();
        if let Some(step) = v.step {
            if current_item != Some(step.item) {
                current_item = Some(step.item);
                writeln!(out, "\n{}", s.bold(v.name))?;
                if let Some(item) = runner.item() {
                    write!(out, "{}", plain_safety(&item.safety(catalogue), &s))?;
                }
                if let Some(e) = runner.item().and_then(|i| catalogue.exercise(&i.exercise)) {
                    for (n, line) in e.steps.iter().enumerate() {
                        writeln!(out, "{}", s.wrap(line, &format!("  {}. ", n + 1), "     "))?;
                    }
                }
            }
            writeln!(out, "  • {}", describe(step))?;
            if !args.quiet {
                write!(out, "\x07")?;
            }
            out.flush()?;
        }
        Ok(())
    };
    announce(runner, &mut out)?;
    let mut clock = Clock::new(args.speed);
    let pause = Duration::from_millis(((100.0 / args.speed) as u64).max(1));
    while !runner.done() {
        std::thread::sleep(pause);
        let ms = clock.tick();
        for signal in runner.handle(Event::Tick(ms)) {
            if signal == Signal::StepChanged {
                announce(runner, &mut out)?;
            }
        }
    }
    Ok(false)
}

/// Restores the terminal even if drawing fails part-way.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

fn run_tui(runner: &mut Runner, catalogue: &Catalogue, args: &SessionArgs) -> Result<bool> {
    let mut terminal = ratatui::init();
    let _guard = TerminalGuard;
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut clock = Clock::new(args.speed);
    let mut quit_early = false;
    let started = std::time::Instant::now();
    while !runner.done() {
        // The figure moves at the exercise's own tempo (sped up with --speed, like the timers).
        let seconds = started.elapsed().as_secs_f32() * args.speed as f32;
        terminal.draw(|f| draw(f, runner, catalogue, color, seconds))?;
        if event::poll(Duration::from_millis(100))?
            && let TermEvent::Key(key) = event::read()?
            && key.kind == KeyEventKind::Press
        {
            let ev = match key.code {
                KeyCode::Char(' ') => Some(Event::TogglePause),
                KeyCode::Char('n') | KeyCode::Right => Some(Event::Next),
                KeyCode::Char('b') | KeyCode::Left => Some(Event::Back),
                KeyCode::Char('s') => Some(Event::Skip),
                KeyCode::Char('q') | KeyCode::Esc => {
                    quit_early = true;
                    Some(Event::Quit)
                }
                _ => None,
            };
            if let Some(ev) = ev {
                let signals = runner.handle(ev);
                if !args.quiet && signals.contains(&Signal::StepChanged) {
                    print!("\x07");
                }
            }
        }
        let ms = clock.tick();
        let signals = runner.handle(Event::Tick(ms));
        if !args.quiet && signals.contains(&Signal::StepChanged) {
            print!("\x07");
        }
    }
    Ok(quit_early)
}

/// Smallest terminal that gets the figure beside the steps.
const FIGURE_MIN: (u16, u16) = (100, 26);

fn draw(f: &mut ratatui::Frame, runner: &Runner, catalogue: &Catalogue, color: bool, seconds: f32) {
    let v = runner.view();
    let bold = TuiStyle::default().add_modifier(Modifier::BOLD);
    let accent = if color {
        bold.fg(ratatui::style::Color::Cyan)
    } else {
        bold
    };
    let areas = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(5),
        Constraint::Min(6),
        Constraint::Length(2),
    ])
    .split(f.area());
    let Some(step) = v.step else { return };
    let header = format!("{} · {}", v.name, describe(step));
    f.render_widget(
        Paragraph::new(Line::from(Span::styled(header, accent)))
            .block(Block::default().borders(Borders::BOTTOM)),
        areas[0],
    );
    let mut big = format!("{:>2}:{:02}", v.remaining / 60, v.remaining % 60);
    if let Some(rep) = v.rep_now {
        big = format!("{big}   rep {rep} of {}", step.reps);
    }
    if v.paused {
        big = format!("{big}   (paused)");
    }
    let label = match step.phase {
        Phase::GetReady => "Get ready",
        Phase::Hold => "Hold",
        Phase::Reps => "Move",
        Phase::SwitchSides => "Switch sides",
        Phase::Rest => "Rest",
    };
    let timer_area =
        Layout::vertical([Constraint::Length(2), Constraint::Length(2)]).split(areas[1]);
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("{label}  "), bold),
            Span::styled(big, accent),
        ])),
        timer_area[0],
    );
    f.render_widget(
        Gauge::default()
            .ratio(v.progress.clamp(0.0, 1.0))
            .gauge_style(accent),
        timer_area[1],
    );
    let mut lines = runner
        .item()
        .map(|i| tui_safety(&i.safety(catalogue), step.phase, bold))
        .unwrap_or_default();
    if let Some(e) = runner.item().and_then(|i| catalogue.exercise(&i.exercise)) {
        for (n, s) in e.steps.iter().enumerate() {
            lines.push(Line::from(format!("{}. {s}", n + 1)));
        }
        if let Some(cue) = e.cues.first() {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(format!("Cue: {cue}"), bold)));
        }
    }
    if let Some(next) = v.next {
        lines.push(Line::from(""));
        lines.push(Line::from(format!("Next: {next}")));
    }
    let figure = runner
        .item()
        .and_then(|i| catalogue.exercise(&i.exercise))
        .and_then(|e| e.figure.as_ref());
    let size = f.area();
    let text_area = match figure {
        Some(fig) if size.width >= FIGURE_MIN.0 && size.height >= FIGURE_MIN.1 => {
            let split =
                Layout::horizontal([Constraint::Min(40), Constraint::Length(44)]).split(areas[2]);
            // Hold the end position during a hold, the start while getting ready, and move
            // through the keyframes otherwise.
            let t = match step.phase {
                Phase::Hold => 0.5,
                Phase::GetReady | Phase::Rest | Phase::SwitchSides => 0.0,
                Phase::Reps => seconds / fig.cycle_seconds.max(0.5),
            };
            draw_figure(f, fig, t, split[1], color);
            split[0]
        }
        _ => areas[2],
    };
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), text_area);
    f.render_widget(
        Paragraph::new(format!(
            "space pause · n next · b back · s skip · q quit      step {} of {}",
            v.position.0 + 1,
            v.position.1
        )),
        areas[3],
    );
}

/// The exercise's figure in braille dots (two by four per character cell): outlines of the
/// same shapes the web and the reports fill.
fn draw_figure(
    f: &mut ratatui::Frame,
    fig: &unknot_core::figure::Figure,
    t: f32,
    area: ratatui::layout::Rect,
    color: bool,
) {
    use ratatui::style::Color;
    use ratatui::symbols::Marker;
    use ratatui::widgets::canvas::{Canvas, Circle, Line as CLine};
    use unknot_core::figure::{Drawing, Role, Shape};
    let drawing = Drawing::new(fig);
    let frame = drawing.frame;
    let drawn = drawing.at(t);
    let paint = move |role: Role| {
        if !color {
            return Color::Reset;
        }
        match role {
            Role::Highlight | Role::Arrow => Color::LightRed,
            Role::Far | Role::Prop | Role::PropShade | Role::Floor | Role::Ground | Role::Ghost => {
                Color::DarkGray
            }
            Role::Mat | Role::Band | Role::Ball => Color::Green,
            Role::Body | Role::Detail => Color::Cyan,
        }
    };
    // Terminal cells are about twice as tall as wide; keep the figure's proportions.
    let aspect = f32::from(area.height.max(1)) * 2.0 / f32::from(area.width.max(1));
    let height = (frame.width() * aspect).max(frame.height());
    let width = height / aspect;
    let cx = (frame.x0 + frame.x1) / 2.0;
    let canvas = Canvas::default()
        .block(Block::default().borders(Borders::LEFT))
        .marker(Marker::Braille)
        .x_bounds([f64::from(cx - width / 2.0), f64::from(cx + width / 2.0)])
        .y_bounds([f64::from(frame.y0), f64::from(frame.y0 + height)])
        .paint(move |ctx| {
            let line = |a: (f32, f32), b: (f32, f32), role: Role| CLine {
                x1: f64::from(a.0),
                y1: f64::from(a.1),
                x2: f64::from(b.0),
                y2: f64::from(b.1),
                color: paint(role),
            };
            for shape in &drawn {
                match shape {
                    Shape::Line { from, to, role, .. } => ctx.draw(&line(*from, *to, *role)),
                    Shape::Path { points, role, .. } => {
                        for w in points.windows(2) {
                            ctx.draw(&line(w[0], w[1], *role));
                        }
                    }
                    Shape::Polygon { points, role } => {
                        for (i, p) in points.iter().enumerate() {
                            ctx.draw(&line(*p, points[(i + 1) % points.len()], *role));
                        }
                    }
                    Shape::Circle {
                        centre,
                        radius,
                        role,
                    } => ctx.draw(&Circle {
                        x: f64::from(centre.0),
                        y: f64::from(centre.1),
                        radius: f64::from(*radius),
                        color: paint(*role),
                    }),
                }
            }
        });
    f.render_widget(canvas, area);
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use unknot_core::session::Item;

    fn screen(runner: &Runner, catalogue: &Catalogue) -> String {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal
            .draw(|f| draw(f, runner, catalogue, false, 0.0))
            .unwrap();
        let buffer = terminal.backend().buffer().clone();
        (0..24)
            .map(|y| {
                (0..80)
                    .map(|x| buffer[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_large_terminal_shows_the_figure_in_braille_beside_the_steps() {
        let catalogue = Catalogue::builtin().unwrap();
        let items = vec![Item::from_exercise(catalogue.exercise("bird-dog").unwrap())];
        let runner = Runner::new(items);
        let render = |w: u16, h: u16| {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal
                .draw(|f| draw(f, &runner, &catalogue, false, 0.0))
                .unwrap();
            let buffer = terminal.backend().buffer().clone();
            (0..h)
                .flat_map(|y| (0..w).map(move |x| (x, y)))
                .map(|(x, y)| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
        };
        let braille = |s: &str| {
            s.chars()
                .filter(|c| ('\u{2801}'..='\u{28ff}').contains(c))
                .count()
        };
        let big = render(120, 30);
        assert!(braille(&big) > 40, "a figure is drawn: {big}");
        assert!(
            big.contains("1. Kneel on all fours"),
            "steps stay beside it"
        );
        assert_eq!(
            braille(&render(80, 24)),
            0,
            "no figure when the terminal is small"
        );
    }

    #[test]
    fn the_screen_shows_the_exercise_timer_steps_and_keys_at_80_by_24() {
        let catalogue = Catalogue::builtin().unwrap();
        let items = vec![Item::from_exercise(catalogue.exercise("bird-dog").unwrap())];
        let mut runner = Runner::new(items);
        let first = screen(&runner, &catalogue);
        assert!(
            first.contains("Bird dog · get ready, 3 s, set 1 of 2, left side"),
            "{first}"
        );
        assert!(first.contains("Get ready   0:03"), "{first}");
        assert!(
            first.contains("space pause · n next · b back · s skip · q quit"),
            "{first}"
        );
        runner.handle(Event::Tick(3_000));
        runner.handle(Event::Tick(2_000));
        let hold = screen(&runner, &catalogue);
        assert!(hold.contains("Hold   0:03"), "{hold}");
        assert!(hold.contains("1. Kneel on all fours"), "{hold}");
        assert!(hold.contains("Cue: Imagine a glass of water"), "{hold}");
        runner.handle(Event::TogglePause);
        assert!(screen(&runner, &catalogue).contains("(paused)"));
    }

    #[test]
    fn before_an_exercise_starts_the_screen_shows_when_to_leave_it_out_and_when_to_stop() {
        let catalogue = Catalogue::builtin().unwrap();
        let items = vec![Item::from_exercise(catalogue.exercise("bird-dog").unwrap())];
        let safety = items[0].safety(&catalogue);
        assert!(!safety.avoid_if.is_empty() && !safety.stop_if.is_empty());
        let mut runner = Runner::new(items);
        let ready = screen(&runner, &catalogue).replace('\n', " ");
        assert!(
            ready.contains("Leave it out if: Kneeling or taking weight"),
            "{ready}"
        );
        assert!(
            ready.contains("Stop if: Sharp pain in the lower back."),
            "{ready}"
        );
        assert!(ready.contains("1. Kneel on all fours"), "{ready}");
        runner.handle(Event::Tick(3_000));
        let hold = screen(&runner, &catalogue);
        assert!(hold.contains("Stop if: Sharp pain"), "{hold}");
        assert!(
            !hold.contains("Leave it out if"),
            "only while getting ready: {hold}"
        );
    }

    #[test]
    fn the_plain_runner_lists_leave_it_out_if_and_stop_if() {
        let catalogue = Catalogue::builtin().unwrap();
        let item = Item::from_exercise(catalogue.exercise("chin-tuck").unwrap());
        let text = plain_safety(
            &item.safety(&catalogue),
            &Style {
                color: false,
                width: 100,
            },
        );
        assert!(
            text.starts_with("  Leave it out if:\n    - Moving your neck gives you dizziness"),
            "{text}"
        );
        assert!(
            text.contains("  Stop if:\n    - Dizziness, blurred vision"),
            "{text}"
        );
        assert_eq!(
            plain_safety(
                &ItemSafety::default(),
                &Style {
                    color: false,
                    width: 100
                }
            ),
            ""
        );
    }

    #[test]
    fn reps_show_the_rep_count_and_what_comes_next() {
        let catalogue = Catalogue::builtin().unwrap();
        let items: Vec<Item> = ["cat-camel", "childs-pose"]
            .iter()
            .map(|id| Item::from_exercise(catalogue.exercise(id).unwrap()))
            .collect();
        let mut runner = Runner::new(items);
        runner.handle(Event::Tick(3_000));
        runner.handle(Event::Tick(9_000));
        let s = screen(&runner, &catalogue);
        assert!(s.contains("Move") && s.contains("rep 3 of 8"), "{s}");
        assert!(s.contains("Next: Child's pose"), "{s}");
    }
}
