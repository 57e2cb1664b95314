//! Reminders end to end on a real session bus: the test starts Debian's `dbus-daemon`, serves a
//! notification service and a screen saver on it (as a desktop would), and runs the real
//! `unknot remind` against them.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use zbus::object_server::SignalEmitter;
use zbus::zvariant::OwnedValue;

use crate::support::Sandbox;

/// A private session bus, stopped when dropped.
struct Bus {
    daemon: Child,
    address: String,
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

fn bus() -> Bus {
    let mut daemon = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--print-address=1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("dbus-daemon (Debian package `dbus`) is needed for the reminder tests; .ci/run installs it");
    let mut line = String::new();
    BufReader::new(daemon.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("bus address");
    Bus {
        daemon,
        address: line.trim().to_string(),
    }
}

/// One notification as the fake desktop received it.
#[derive(Clone, Debug)]
struct Shown {
    summary: String,
    body: String,
    actions: Vec<String>,
}

/// What the fake desktop saw and will say.
#[derive(Clone, Default)]
struct Desk {
    shown: Arc<Mutex<Vec<Shown>>>,
    answer: Arc<Mutex<String>>,
    /// Idle seconds to report on each call, in turn (then 0).
    idle: Arc<Mutex<Vec<u32>>>,
    next_id: Arc<AtomicU32>,
}

struct Notifications(Desk);

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Notifications {
    #[allow(clippy::too_many_arguments)]
    async fn notify(
        &self,
        _app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
        #[zbus(connection)] conn: &zbus::Connection,
    ) -> u32 {
        let id = self.0.next_id.fetch_add(1, Ordering::SeqCst) + 1;
        self.0.shown.lock().expect("lock").push(Shown {
            summary,
            body,
            actions,
        });
        let answer = self.0.answer.lock().expect("lock").clone();
        let conn = conn.clone();
        // A person clicks a button a moment later.
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if let Ok(emitter) = SignalEmitter::new(&conn, "/org/freedesktop/Notifications") {
                let _ = Notifications::action_invoked(&emitter, id, &answer).await;
            }
        });
        id
    }

    async fn close_notification(&self, _id: u32) {}

    async fn get_capabilities(&self) -> Vec<String> {
        vec!["actions".into(), "body".into()]
    }

    async fn get_server_information(&self) -> (String, String, String, String) {
        ("test".into(), "unknot".into(), "1".into(), "1.2".into())
    }

    #[zbus(signal)]
    async fn action_invoked(
        emitter: &SignalEmitter<'_>,
        id: u32,
        action_key: &str,
    ) -> zbus::Result<()>;
}

struct ScreenSaver(Desk);

#[zbus::interface(name = "org.freedesktop.ScreenSaver")]
impl ScreenSaver {
    async fn get_active(&self) -> bool {
        false
    }

    async fn get_session_idle_time(&self) -> u32 {
        let mut idle = self.0.idle.lock().expect("lock");
        if idle.is_empty() { 0 } else { idle.remove(0) }
    }
}

/// Serves the fake desktop on the bus from a thread of its own, until the test ends.
fn desktop(bus: &Bus, desk: Desk, with_notifications: bool) {
    let address = bus.address.clone();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let mut builder = zbus::connection::Builder::address(address.as_str())
                .expect("address")
                .name("org.freedesktop.ScreenSaver")
                .expect("name")
                .serve_at("/org/freedesktop/ScreenSaver", ScreenSaver(desk.clone()))
                .expect("serve");
            if with_notifications {
                builder = builder
                    .name("org.freedesktop.Notifications")
                    .expect("name")
                    .serve_at("/org/freedesktop/Notifications", Notifications(desk))
                    .expect("serve");
            }
            let _conn = builder.build().await.expect("connect the fake desktop");
            let _ = ready_tx.send(());
            std::future::pending::<()>().await;
        });
    });
    ready_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("fake desktop up");
}

fn remind(s: &Sandbox, bus: &Bus, args: &[&str]) -> std::process::Output {
    let mut cmd = s.cmd();
    cmd.env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
        .arg("remind")
        .args(args);
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let out = child.wait_with_output().expect("remind finished");
    assert!(
        out.status.success(),
        "remind failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn breaks(s: &Sandbox) -> Vec<String> {
    let backup: serde_json::Value = serde_json::from_str(&s.ok(&["export"])).expect("json");
    backup["breaks"]
        .as_array()
        .map(|b| {
            b.iter()
                .filter_map(|x| x["status"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn reminders_arrive_as_desktop_notifications_and_answers_are_recorded() {
    let bus = bus();
    let desk = Desk::default();
    *desk.answer.lock().expect("lock") = "done".into();
    desktop(&bus, desk.clone(), true);
    let s = Sandbox::sqlite();
    let out = remind(
        &s,
        &bus,
        &[
            "--every",
            "1s",
            "--max-reminders",
            "2",
            "--answer-within",
            "10s",
        ],
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("No desktop notification service"));
    let shown = desk.shown.lock().expect("lock").clone();
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(
        shown[0].summary.starts_with("Time for a short break"),
        "{shown:?}"
    );
    assert!(!shown[0].body.is_empty());
    assert_eq!(
        shown[0].actions,
        vec!["done", "Done", "snooze", "Snooze", "skip", "Skip"],
        "the user is asked whether they did it"
    );
    assert_eq!(breaks(&s), vec!["taken", "taken"]);
    let trends = s.json(&["trends", "--json"]);
    assert_eq!(
        trends["breaks_last_28_days"]["taken"], 2,
        "trends count the breaks"
    );
}

#[test]
fn time_away_is_a_break_and_is_not_nagged_about() {
    let bus = bus();
    let desk = Desk::default();
    *desk.answer.lock().expect("lock") = "skip".into();
    // Idle for ten minutes at the first reminder, then back at the desk.
    *desk.idle.lock().expect("lock") = vec![600];
    desktop(&bus, desk.clone(), true);
    let s = Sandbox::sqlite();
    remind(
        &s,
        &bus,
        &[
            "--every",
            "1s",
            "--max-reminders",
            "1",
            "--answer-within",
            "10s",
        ],
    );
    assert_eq!(
        desk.shown.lock().expect("lock").len(),
        1,
        "no notification while away"
    );
    assert_eq!(breaks(&s), vec!["away", "skipped"]);
}

#[test]
fn without_a_notification_service_reminders_fall_back_to_the_terminal() {
    let bus = bus();
    desktop(&bus, Desk::default(), false);
    let s = Sandbox::sqlite();
    let out = remind(
        &s,
        &bus,
        &[
            "--every",
            "1s",
            "--max-reminders",
            "1",
            "--answer-within",
            "1s",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.matches("No desktop notification service").count(),
        1,
        "said once: {err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Time for a short break"));
    assert_eq!(breaks(&s), vec!["unanswered"]);
}

#[test]
fn install_writes_a_user_unit_and_status_reports() {
    let s = Sandbox::sqlite();
    let config = s.dir.path().join("config");
    let out = s
        .cmd()
        .env("XDG_CONFIG_HOME", &config)
        .args(["remind", "--install"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let unit = std::fs::read_to_string(config.join("systemd/user/unknot-remind.service"))
        .expect("unit written");
    assert!(
        unit.contains("ExecStart=")
            && unit.contains(" remind")
            && unit.contains("WantedBy=graphical-session.target"),
        "{unit}"
    );
    assert!(unit.contains("UNKNOT_DATA_DIR="), "{unit}");
    let status = s.json(&["remind", "--status", "--json"]);
    assert_eq!(status["running"], false);
    assert!(
        s.ok(&["remind", "--status"])
            .contains("No reminder process is running")
    );
    let bad = s.run(&["remind", "--every", "forever"]);
    assert_eq!(bad.status.code(), Some(2));
}
