//! `unknot serve` as a newcomer runs it: it prints its address, answers Today on the embedded
//! database (and on PostgreSQL when configured), refuses a port in use with exit 2, and warns
//! when told to listen beyond this computer.

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

fn get(port: u16, path: &str) -> String {
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
fn listening_beyond_loopback_warns() {
    let sb = Sandbox::sqlite();
    let (mut server, _port, _) = start(&sb, &["--port", "0", "--bind", "0.0.0.0"]);
    std::thread::sleep(Duration::from_millis(300));
    let _ = server.0.kill();
    let mut err = String::new();
    server
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(err.contains("warning: listening on 0.0.0.0"), "{err}");
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
