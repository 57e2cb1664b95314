//! `unknot remind`: break and posture reminders through the desktop's notification service.
//!
//! The decisions live in core's [`Scheduler`]; this module is the edge. It sleeps until the
//! next reminder is due (no polling loop), waking early only when the screen saver says the
//! screen was locked or unlocked. At each reminder it asks the desktop how long the user has
//! been idle, shows a notification with Done / Snooze / Skip buttons, and records how the break
//! ended. Without a session bus or a notification service it falls back to the terminal and says
//! so once.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result};
use clap::Args;
use futures_util::StreamExt;
use jiff::civil::Time;
use jiff::{SignedDuration, Span, Timestamp};
use serde::{Deserialize, Serialize};
use unknot_core::catalogue::Catalogue;
use unknot_core::remind::{
    Answer, BreakRecord, BreakStatus, Decision, RemindConfig, Reminder, Scheduler,
};
use zbus::zvariant::Value;

use crate::app::DataOptions;
use crate::exit::usage;

#[zbus::proxy(
    interface = "org.freedesktop.Notifications",
    default_service = "org.freedesktop.Notifications",
    default_path = "/org/freedesktop/Notifications"
)]
trait Notifications {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: &str,
        replaces_id: u32,
        app_icon: &str,
        summary: &str,
        body: &str,
        actions: &[&str],
        hints: HashMap<&str, Value<'_>>,
        expire_timeout: i32,
    ) -> zbus::Result<u32>;

    fn close_notification(&self, id: u32) -> zbus::Result<()>;

    #[zbus(signal)]
    fn action_invoked(&self, id: u32, action_key: String) -> zbus::Result<()>;

    #[zbus(signal)]
    fn notification_closed(&self, id: u32, reason: u32) -> zbus::Result<()>;
}

#[zbus::proxy(
    interface = "org.freedesktop.ScreenSaver",
    default_service = "org.freedesktop.ScreenSaver",
    default_path = "/org/freedesktop/ScreenSaver"
)]
trait ScreenSaver {
    fn get_active(&self) -> zbus::Result<bool>;

    fn get_session_idle_time(&self) -> zbus::Result<u32>;

    #[zbus(signal)]
    fn active_changed(&self, active: bool) -> zbus::Result<()>;
}

fn duration(s: &str) -> Result<u32, String> {
    let bad = || format!("expected a duration such as 45m, 90s or 1h, got {s}");
    let span: Span = s.trim().parse().map_err(|_| bad())?;
    let secs = span.total(jiff::Unit::Second).map_err(|_| bad())?;
    if (1.0..=86_400.0).contains(&secs) {
        Ok(secs as u32)
    } else {
        Err(bad())
    }
}

fn quiet_hours(s: &str) -> Result<(Time, Time), String> {
    let (a, b) = s
        .split_once('-')
        .ok_or_else(|| format!("expected HH:MM-HH:MM, got {s}"))?;
    let parse = |t: &str| {
        t.trim()
            .parse::<Time>()
            .map_err(|_| format!("expected HH:MM-HH:MM, got {s}"))
    };
    Ok((parse(a)?, parse(b)?))
}

/// Arguments of `unknot remind`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  unknot remind                       (runs until stopped)\n  \
                        unknot remind --every 30m --quiet-hours 22:00-07:00\n  unknot remind --install\n  \
                        unknot remind --status"
)]
pub struct RemindArgs {
    /// Sitting time between breaks (default: your plan's, else 45m).
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub every: Option<u32>,

    /// How long Snooze waits.
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = duration)]
    pub snooze: u32,

    /// Idle this long means you have stepped away (and that counts as a break).
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = duration)]
    pub away_after: u32,

    /// No reminders between these local times, e.g. 22:00-07:00.
    #[arg(long, value_name = "HH:MM-HH:MM", value_parser = quiet_hours)]
    pub quiet_hours: Option<(Time, Time)>,

    /// How long a reminder waits for an answer before it counts as unanswered.
    #[arg(long, value_name = "DURATION", default_value = "2m", value_parser = duration)]
    pub answer_within: u32,

    /// Stop after this many reminders (for scripts and tests; default: run until stopped).
    #[arg(long, allow_negative_numbers = true, value_name = "N")]
    pub max_reminders: Option<u32>,

    /// Write a systemd user unit that starts reminders with your desktop session, and exit.
    #[arg(long, conflicts_with = "status")]
    pub install: bool,

    /// Tell what the reminder process is doing, and exit.
    #[arg(long)]
    pub status: bool,

    /// Print the status as JSON (with --status).
    #[arg(long, requires = "status")]
    pub json: bool,

    /// Internal: run as the lean long-lived worker (set up by `unknot remind` itself).
    #[arg(long, hide = true)]
    pub worker: bool,

    /// Internal: record one break (JSON) and exit; the worker calls this per break.
    #[arg(long, hide = true, value_name = "JSON")]
    pub record: Option<String>,
}

/// Everything the long-lived worker needs, prepared by the setup process so the worker never
/// loads the library or the database code (which is what keeps it small).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Worker {
    config: RemindConfig,
    exercises: Vec<String>,
    /// Summary and body for each exercise id, and for the posture check (key "").
    texts: HashMap<String, (String, String)>,
    answer_within: u32,
    max_reminders: Option<u32>,
    state_file: PathBuf,
}

/// The environment variable that carries the worker's setup across `exec`.
const WORKER_ENV: &str = "UNKNOT_REMIND_WORKER";

/// What `--status` reads: written by the running process whenever its plans change.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct State {
    pid: u32,
    started: Timestamp,
    via: String,
    every_seconds: u32,
    next_reminder: Timestamp,
    sitting_since: Timestamp,
    reminders_shown: u32,
    last_break: Option<BreakStatus>,
}

fn state_path(data: &DataOptions) -> Result<PathBuf> {
    Ok(data.data_dir()?.join("remind-state.json"))
}

/// `unknot remind`.
pub async fn run(data: &DataOptions, args: RemindArgs) -> Result<()> {
    if args.install {
        return install(data);
    }
    if args.status {
        return status(data, args.json);
    }
    if let Some(json) = &args.record {
        let b: BreakRecord =
            serde_json::from_str(json).map_err(|e| usage(format!("--record: {e}")))?;
        let app = data.app().await?;
        app.record_break(&b)
            .await
            .context("could not record the break")?;
        app.close().await;
        return Ok(());
    }
    if args.worker {
        let json = std::env::var(WORKER_ENV)
            .map_err(|_| usage("--worker is started by `unknot remind` itself"))?;
        let worker: Worker = serde_json::from_str(&json).context("bad worker set-up")?;
        return run_worker(worker).await;
    }
    let worker = set_up(data, &args).await?;
    // Start the long-lived part afresh, in this same process (same pid for systemd and
    // --status), with only the code the reminder loop needs ever touched.
    if let Ok(exe) = std::env::current_exe() {
        use std::os::unix::process::CommandExt;
        let mut cmd = std::process::Command::new(exe);
        cmd.args(["remind", "--worker"])
            .env(WORKER_ENV, serde_json::to_string(&worker)?);
        if let Some(dir) = &data.data_dir {
            cmd.env("UNKNOT_DATA_DIR", dir);
        }
        if let Some(url) = &data.database_url {
            cmd.env("UNKNOT_DATABASE_URL", url);
        }
        let err = cmd.exec();
        eprintln!("note: running reminders without the lean worker ({err})");
    }
    run_worker(worker).await
}

/// Reads the plan and the library once, and turns them into the worker's set-up.
async fn set_up(data: &DataOptions, args: &RemindArgs) -> Result<Worker> {
    let app = data.app().await?;
    let catalogue = app.catalogue().await?;
    let plan = app.plan_history().await?.pop().map(|p| p.plan);
    // Flags win; then what was chosen in the web app's Settings; then the plan.
    let settings = app.settings().await?;
    app.close().await;
    let every = args
        .every
        .or(settings.break_every_minutes.map(|m| u32::from(m) * 60))
        .unwrap_or_else(|| {
            plan.as_ref()
                .map_or(45 * 60, |p| u32::from(p.breaks.every_minutes) * 60)
        });
    let quiet = args
        .quiet_hours
        .or(settings.quiet_start.zip(settings.quiet_end));
    let mut exercises: Vec<String> = plan
        .as_ref()
        .map(|p| p.breaks.micro_breaks.clone())
        .unwrap_or_default();
    if exercises.is_empty() {
        exercises = [
            "chin-tuck",
            "shoulder-rolls",
            "scapular-squeeze",
            "walking-break",
        ]
        .iter()
        .filter(|id| catalogue.exercise(id).is_some())
        .map(|s| (*s).to_string())
        .collect();
    }
    let mut texts: HashMap<String, (String, String)> = exercises
        .iter()
        .map(|id| {
            (
                id.clone(),
                text(
                    &Reminder::Break {
                        exercise: id.clone(),
                    },
                    &catalogue,
                ),
            )
        })
        .collect();
    texts.insert(String::new(), text(&Reminder::PostureCheck, &catalogue));
    Ok(Worker {
        config: RemindConfig {
            every_seconds: every,
            snooze_seconds: args.snooze,
            away_after_seconds: args.away_after,
            quiet_start: quiet.map(|q| q.0),
            quiet_end: quiet.map(|q| q.1),
            posture_check_every: plan.as_ref().map_or(3, |p| p.breaks.posture_check_every),
        },
        exercises,
        texts,
        answer_within: args.answer_within,
        max_reminders: args.max_reminders,
        state_file: state_path(data)?,
    })
}

/// The reminder loop: sleeps until something is due, reminds, records.
async fn run_worker(w: Worker) -> Result<()> {
    let now = jiff::Zoned::now();
    let tz = now.time_zone().clone();
    let every = w.config.every_seconds;
    let mut scheduler = Scheduler::new(w.config.clone(), w.exercises.clone(), now.timestamp());
    let desktop = Desktop::connect().await;
    if desktop.is_none() {
        eprintln!(
            "No desktop notification service was found; reminders will appear in this terminal."
        );
    }
    let via = if desktop.is_some() {
        "desktop notifications"
    } else {
        "terminal"
    };
    let started = now.timestamp();
    let mut last_break = None;
    let mut lock_events = match &desktop {
        Some(d) => d.lock_changes().await,
        None => None,
    };
    let mut sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    loop {
        write_state(
            &w.state_file,
            &State {
                pid: std::process::id(),
                started,
                via: via.to_string(),
                every_seconds: every,
                next_reminder: scheduler.next_wake(&tz),
                sitting_since: scheduler.sitting_since,
                reminders_shown: scheduler.shown,
                last_break,
            },
        );
        if w.max_reminders.is_some_and(|max| scheduler.shown >= max) {
            break;
        }
        let wake = scheduler.next_wake(&tz);
        let wait = wake
            .duration_since(Timestamp::now())
            .max(SignedDuration::ZERO);
        let wait = Duration::try_from(wait).unwrap_or(Duration::ZERO);
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            Some(locked) = next_lock(&mut lock_events) => {
                if locked { scheduler.locked() } else { scheduler.unlocked(Timestamp::now()) }
                continue;
            }
            _ = tokio::signal::ctrl_c() => break,
            _ = sigterm.recv() => break,
        }
        let now = jiff::Zoned::now();
        let (idle, locked) = match &desktop {
            Some(d) => d.idle_and_locked().await,
            None => (0, false),
        };
        if let Some(status) = act(&w, &mut scheduler, desktop.as_ref(), now, (idle, locked)).await?
        {
            last_break = Some(status);
        }
    }
    let _ = std::fs::remove_file(&w.state_file);
    Ok(())
}

/// Acts on one wake-up: nothing, a break taken while away, or a reminder asked and answered.
/// Records what happened and returns how the break ended, if one did.
async fn act(
    w: &Worker,
    scheduler: &mut Scheduler,
    desktop: Option<&Desktop>,
    now: jiff::Zoned,
    (idle, locked): (u64, bool),
) -> Result<Option<BreakStatus>> {
    let (reminder, status) = match scheduler.wake(&now, idle, locked) {
        Decision::Sleep => return Ok(None),
        Decision::Away => (None, BreakStatus::Away),
        Decision::Remind(reminder) => {
            let key = match &reminder {
                Reminder::Break { exercise } => exercise.clone(),
                Reminder::PostureCheck => String::new(),
            };
            let (summary, body) = w.texts.get(&key).cloned().unwrap_or_else(|| {
                (
                    "Time for a short break".to_string(),
                    "Stand up and move for a minute or two.".to_string(),
                )
            });
            let timeout = Duration::from_secs(u64::from(w.answer_within));
            let answer = match desktop {
                Some(d) => d.ask(&summary, &body, timeout).await,
                None => terminal_ask(&summary, &body, timeout).await,
            };
            (Some(reminder), scheduler.answer(Timestamp::now(), answer))
        }
    };
    record(BreakRecord {
        id: unknot_app::new_id(),
        at: now,
        reminder,
        status,
    })
    .await?;
    Ok(Some(status))
}

/// Records a break through a short-lived `unknot remind --record`, so the database code runs
/// in a process that exits right after, not in the long-lived worker.
async fn record(b: BreakRecord) -> Result<()> {
    let exe = std::env::current_exe().context("cannot find the unknot program")?;
    let json = serde_json::to_string(&b)?;
    let out = tokio::process::Command::new(exe)
        .args(["remind", "--record", &json])
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .context("could not start unknot to record the break")?;
    if !out.status.success() {
        anyhow::bail!(
            "could not record the break: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

async fn next_lock(events: &mut Option<ActiveChangedStream>) -> Option<bool> {
    match events {
        Some(stream) => stream
            .next()
            .await
            .and_then(|signal| signal.args().ok().map(|a| a.active)),
        None => std::future::pending().await,
    }
}

/// The words of a reminder.
fn text(reminder: &Reminder, catalogue: &Catalogue) -> (String, String) {
    match reminder {
        Reminder::Break { exercise } => match catalogue.exercise(exercise) {
            Some(e) => (
                format!("Time for a short break: {}", e.name.to_lowercase()),
                format!("{} {} ({})", e.summary, e.steps.first().cloned().unwrap_or_default(), e.dosage.describe()),
            ),
            None => ("Time for a short break".to_string(), "Stand up and move for a minute or two.".to_string()),
        },
        Reminder::PostureCheck => (
            "Posture check".to_string(),
            "Feet flat, back against the chair, shoulders down, screen at eye level. Then carry on.".to_string(),
        ),
    }
}

/// The desktop session: notifications, and the screen saver when there is one.
struct Desktop {
    notifications: NotificationsProxy<'static>,
    screen_saver: Option<ScreenSaverProxy<'static>>,
}

impl Desktop {
    async fn connect() -> Option<Desktop> {
        let conn = zbus::Connection::session().await.ok()?;
        let notifications = NotificationsProxy::new(&conn).await.ok()?;
        // A proxy is only a promise: check someone actually owns the name.
        let dbus = zbus::fdo::DBusProxy::new(&conn).await.ok()?;
        let owned = dbus
            .name_has_owner("org.freedesktop.Notifications".try_into().ok()?)
            .await
            .unwrap_or(false);
        if !owned {
            return None;
        }
        let screen_saver = match ScreenSaverProxy::new(&conn).await {
            Ok(p) => {
                let name = "org.freedesktop.ScreenSaver".try_into().ok()?;
                dbus.name_has_owner(name)
                    .await
                    .unwrap_or(false)
                    .then_some(p)
            }
            Err(_) => None,
        };
        Some(Desktop {
            notifications,
            screen_saver,
        })
    }

    async fn lock_changes(&self) -> Option<ActiveChangedStream> {
        self.screen_saver
            .as_ref()?
            .receive_active_changed()
            .await
            .ok()
    }

    /// Seconds idle and whether the screen is locked, as far as the desktop says.
    async fn idle_and_locked(&self) -> (u64, bool) {
        let Some(ss) = &self.screen_saver else {
            return (0, false);
        };
        let locked = ss.get_active().await.unwrap_or(false);
        let idle = ss.get_session_idle_time().await.map(u64::from).unwrap_or(0);
        (idle, locked)
    }

    /// Shows a reminder with Done / Snooze / Skip and waits for the answer.
    async fn ask(&self, summary: &str, body: &str, timeout: Duration) -> Answer {
        // Listen before asking, so a quick answer cannot slip past.
        let (Ok(mut actions), Ok(mut closed)) = (
            self.notifications.receive_action_invoked().await,
            self.notifications.receive_notification_closed().await,
        ) else {
            return Answer::None;
        };
        let hints: HashMap<&str, Value<'_>> =
            HashMap::from([("category", Value::from("x-unknot.break"))]);
        let actions_list = ["done", "Done", "snooze", "Snooze", "skip", "Skip"];
        let Ok(id) = self
            .notifications
            .notify("unknot", 0, "", summary, body, &actions_list, hints, 0)
            .await
        else {
            return Answer::None;
        };
        let wait = async {
            loop {
                tokio::select! {
                    Some(signal) = actions.next() => {
                        if let Ok(a) = signal.args() && a.id == id {
                            return match a.action_key.as_str() {
                                "done" => Answer::Done,
                                "snooze" => Answer::Snooze,
                                "skip" => Answer::Skip,
                                _ => Answer::None,
                            };
                        }
                    }
                    Some(signal) = closed.next() => {
                        if let Ok(a) = signal.args() && a.id == id {
                            return Answer::None;
                        }
                    }
                    else => return Answer::None,
                }
            }
        };
        match tokio::time::timeout(timeout, wait).await {
            Ok(answer) => answer,
            Err(_) => {
                let _ = self.notifications.close_notification(id).await;
                Answer::None
            }
        }
    }
}

/// The terminal fallback: print the reminder, and read an answer when a person is there.
async fn terminal_ask(summary: &str, body: &str, timeout: Duration) -> Answer {
    use std::io::IsTerminal;
    println!("\x07\n{summary}\n{body}");
    if !std::io::stdin().is_terminal() {
        return Answer::None;
    }
    println!("Done it? [d]one, [s]kip, [z] snooze:");
    let read = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map(|_| line)
    });
    match tokio::time::timeout(timeout, read).await {
        Ok(Ok(Ok(line))) => match line.trim().chars().next() {
            Some('d') => Answer::Done,
            Some('s') => Answer::Skip,
            Some('z') => Answer::Snooze,
            _ => Answer::None,
        },
        _ => Answer::None,
    }
}

fn write_state(path: &PathBuf, state: &State) {
    // Status is advisory: a failed write must not stop the reminders.
    if let Ok(text) = serde_json::to_string_pretty(state) {
        let tmp = path.with_extension("json.tmp");
        if std::fs::write(&tmp, text).is_ok() {
            let _ = std::fs::rename(&tmp, path);
        }
    }
}

fn status(data: &DataOptions, json: bool) -> Result<()> {
    let path = state_path(data)?;
    let state: Option<State> = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    let running = state
        .as_ref()
        .filter(|s| PathBuf::from(format!("/proc/{}", s.pid)).exists());
    if json {
        #[derive(Serialize)]
        struct Out<'a> {
            running: bool,
            #[serde(flatten)]
            state: Option<&'a State>,
        }
        return crate::output::json(&Out {
            running: running.is_some(),
            state: running,
        });
    }
    match running {
        None => println!(
            "No reminder process is running. Start one with `unknot remind`, or install it with `unknot remind --install`."
        ),
        Some(s) => {
            let tz = jiff::Zoned::now().time_zone().clone();
            let local = |t: Timestamp| t.to_zoned(tz.clone()).strftime("%H:%M").to_string();
            println!("Reminders are running (process {}, via {}).", s.pid, s.via);
            println!(
                "Every {} minutes of sitting; sitting since {}.",
                s.every_seconds / 60,
                local(s.sitting_since)
            );
            println!(
                "Next reminder at {}; {} shown so far.",
                local(s.next_reminder),
                s.reminders_shown
            );
            if let Some(b) = s.last_break {
                println!(
                    "Last break: {}.",
                    serde_json::to_value(b)
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .unwrap_or_default()
                );
            }
        }
    }
    Ok(())
}

fn install(data: &DataOptions) -> Result<()> {
    let exe = std::env::current_exe().context("cannot find the unknot program")?;
    let dir = dirs::config_dir()
        .ok_or_else(|| usage("cannot find your config folder: set XDG_CONFIG_HOME"))?
        .join("systemd/user");
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut env = String::new();
    if let Some(d) = &data.data_dir {
        env.push_str(&format!("Environment=UNKNOT_DATA_DIR={}\n", d.display()));
    }
    if let Some(u) = &data.database_url {
        env.push_str(&format!("Environment=UNKNOT_DATABASE_URL={u}\n"));
    }
    let unit = format!(
        "[Unit]\nDescription=unknot break and posture reminders\nPartOf=graphical-session.target\n\
         After=graphical-session.target\n\n[Service]\nExecStart={} remind\n{env}Restart=on-failure\n\n\
         [Install]\nWantedBy=graphical-session.target\n",
        exe.display()
    );
    let path = dir.join("unknot-remind.service");
    let tmp = dir.join("unknot-remind.service.tmp");
    std::fs::write(&tmp, unit).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
    println!("Wrote {}.", path.display());
    println!("Start it now and with every login:  systemctl --user enable --now unknot-remind");
    Ok(())
}
