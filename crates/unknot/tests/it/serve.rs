//! `unknot serve` as a newcomer runs it: it prints its address, answers Today on the embedded
//! database (and on PostgreSQL when configured), refuses a port in use with exit 2, and refuses
//! to listen beyond this computer (it has no accounts).

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

/// Starts `unknot serve` with `args` and returns it with the port it printed.
fn start(sb: &Sandbox, args: &[&str]) -> (Server, u16, String) {
    let mut child = sb
        .cmd()
        .arg("serve")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .split("localhost:")
        .nth(1)
        .or_else(|| line.split("0.0.0.0:").nth(1))
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    (Server(child), port, line)
}

/// GET `path` from a server on this machine, waiting up to 10 s for it to answer.
pub(crate) fn get(port: u16, path: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            write!(
                s,
                "GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).unwrap();
            return out;
        }
        assert!(Instant::now() < deadline, "the server never answered");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_prints_its_address_and_answers_today() {
    for sb in Sandbox::all() {
        let (_server, port, line) = start(&sb, &["--port", "0"]);
        assert!(line.contains("http://localhost:"), "{line}");
        let page = get(port, "/");
        assert!(page.starts_with("HTTP/1.1 200"), "{}: {page}", sb.label);
        assert!(page.contains("Today, "), "{}", sb.label);
        let api = get(port, "/api/v1/today");
        assert!(api.contains("\"next\""), "{}: {api}", sb.label);
    }
}

#[test]
fn a_port_in_use_is_a_usage_error_naming_it() {
    let sb = Sandbox::sqlite();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = sb.cmd().args(["serve", "--port", &port]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&port));
}

#[test]
fn listening_beyond_loopback_is_refused_before_anything_opens() {
    let sb = Sandbox::sqlite();
    for bind in ["0.0.0.0", "::", "192.0.2.10"] {
        let out = sb
            .cmd()
            .args(["serve", "--port", "0", "--bind", bind])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bind}: {err}");
        assert!(
            err.contains(&format!("refusing to listen on {bind}")),
            "{err}"
        );
        assert!(
            err.contains("ssh -L 7878:localhost:7878"),
            "says how: {err}"
        );
        assert!(err.contains("accounts"), "{err}");
    }
    assert!(!sb.db_file().exists(), "nothing was opened");
}

#[test]
fn requests_for_other_names_are_refused_unless_allowed() {
    let sb = Sandbox::sqlite();
    let (_server, port, _) = start(&sb, &["--port", "0", "--allow-host", "unknot.home.arpa"]);
    get(port, "/");
    let ask = |host: &str| {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            s,
            "GET /api/v1/export/backup.json HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    };
    assert!(ask("rebound.example").starts_with("HTTP/1.1 403"));
    assert!(ask(&format!("unknot.home.arpa:{port}")).starts_with("HTTP/1.1 200"));
    assert!(ask(&format!("localhost:{port}")).starts_with("HTTP/1.1 200"));
}

#[test]
fn a_journal_entry_logged_from_the_terminal_shows_on_a_running_server() {
    let sb = Sandbox::sqlite();
    let (_server, port, _) = start(&sb, &["--port", "0"]);
    let before = get(port, "/api/v1/entries");
    assert!(!before.contains("from the terminal"));
    // Once more, so the server has cached the list.
    get(port, "/api/v1/entries");
    sb.ok(&["log", "--pain", "4", "--note", "from the terminal"]);
    let after = get(port, "/api/v1/entries");
    assert!(after.contains("from the terminal"), "{after}");
}
