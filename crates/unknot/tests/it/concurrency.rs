//! Writes that must work together: the terminal and the JSON API write to one journal at once,
//! on SQLite and PostgreSQL, while imports (one from the terminal, one through the API) overlap
//! them. No request may fail with a 500, no command may fail, and every write that was
//! acknowledged (exit 0, 201, 200) must be in the journal afterwards.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::support::Sandbox;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(sb: &Sandbox) -> (Server, u16) {
    let mut child = sb
        .cmd()
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .split("localhost:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    (Server(child), port)
}

/// Sends one request and returns the status and body. A 503 (busy, retryable) is retried as
/// its Retry-After asks, a few times; anything else is returned.
fn request(port: u16, method: &str, path: &str, content_type: &str, body: &str) -> (u16, String) {
    for _ in 0..10 {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: localhost:{port}\r\nContent-Type: {content_type}\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        let status: u16 = out
            .get(9..12)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("no status in {out:?}"));
        let body = out.split_once("\r\n\r\n").map(|x| x.1).unwrap_or_default();
        if status != 503 {
            return (status, body.to_string());
        }
        std::thread::sleep(Duration::from_secs(2));
    }
    panic!("{method} {path} stayed busy");
}

/// A backup of `n` entries with ids `import-{tag}-{i}`.
fn backup(tag: &str, n: usize) -> String {
    let entries: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"id": "import-{tag}-{i}", "at": "2026-01-{:02}T08:{:02}:00+01:00[Europe/Paris]", "pain": {}, "note": "imported {i}"}}"#,
                i % 28 + 1,
                i % 60,
                i % 11
            )
        })
        .collect();
    format!(
        r#"{{"format": "unknot-backup", "version": 1, "entries": [{}]}}"#,
        entries.join(",")
    )
}

fn notes_in(sb: &Sandbox) -> (BTreeSet<String>, BTreeSet<String>) {
    let backup: serde_json::Value = serde_json::from_str(&sb.content()).unwrap();
    let entries = backup["entries"].as_array().unwrap();
    let notes = entries
        .iter()
        .filter_map(|e| e["note"].as_str().map(String::from))
        .collect();
    let ids = entries
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    (notes, ids)
}

#[test]
fn terminal_and_api_writes_overlapping_imports_all_land() {
    for sb in Sandbox::all() {
        sb.ok(&["log", "--pain", "2", "--note", "first"]);
        let (_server, port) = serve(&sb);
        let file = sb.dir.path().join("big.json");
        std::fs::write(&file, backup("cli", 1500)).unwrap();
        let started = Instant::now();
        let acknowledged = std::thread::scope(|scope| {
            let import = scope.spawn(|| sb.run(&["import", file.to_str().unwrap()]));
            let api_import = scope.spawn(|| {
                request(
                    port,
                    "POST",
                    "/api/v1/import",
                    "application/json",
                    &backup("api", 1500),
                )
            });
            let cli: Vec<_> = (0..8)
                .map(|i| {
                    let sb = &sb;
                    scope.spawn(move || {
                        let note = format!("terminal {i}");
                        let out = sb.run(&["log", "--pain", "3", "--note", &note]);
                        (out, note)
                    })
                })
                .collect();
            let api: Vec<_> = (0..4)
                .map(|t| {
                    scope.spawn(move || {
                        (0..15)
                            .map(|i| {
                                let note = format!("api {t}-{i}");
                                let body = serde_json::json!({"pain": 4, "note": note}).to_string();
                                let (status, reply) = request(
                                    port,
                                    "POST",
                                    "/api/v1/entries",
                                    "application/json",
                                    &body,
                                );
                                assert_eq!(status, 201, "{}: {reply}", sb.label);
                                note
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            let mut acknowledged = vec!["first".to_string()];
            for h in cli {
                let (out, note) = h.join().unwrap();
                assert!(
                    out.status.success(),
                    "{}: log failed with {:?}: {}",
                    sb.label,
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr)
                );
                acknowledged.push(note);
            }
            for h in api {
                acknowledged.extend(h.join().unwrap());
            }
            let out = import.join().unwrap();
            assert!(
                out.status.success(),
                "{}: import failed: {}",
                sb.label,
                String::from_utf8_lossy(&out.stderr)
            );
            let (status, reply) = api_import.join().unwrap();
            assert_eq!(status, 200, "{}: {reply}", sb.label);
            acknowledged
        });
        let (notes, ids) = notes_in(&sb);
        for note in &acknowledged {
            assert!(notes.contains(note), "{}: lost {note:?}", sb.label);
        }
        for tag in ["cli", "api"] {
            for i in [0, 749, 1499] {
                assert!(ids.contains(&format!("import-{tag}-{i}")), "{}", sb.label);
            }
        }
        assert_eq!(ids.len(), 1 + 8 + 60 + 3000, "{}", sb.label);
        eprintln!("{}: all writes landed in {:?}", sb.label, started.elapsed());
    }
}
