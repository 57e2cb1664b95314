//! `unknot clinic` as an administrator runs it: a clinic in two commands on each engine, plain
//! HTTP refused off loopback, TLS served with the given certificate, and the audit chain check
//! failing when a stored row is altered.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::serve::get;
use crate::support::{Sandbox, stderr};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The clinic database of a sandbox: its PostgreSQL database, or a SQLite file in its folder.
fn db_url(sb: &Sandbox) -> String {
    sb.url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", sb.dir.path().join("clinic.db").display()))
}

/// `unknot clinic serve` with `args` and `env` added; the server and its start-up line.
fn start(sb: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> (Server, String) {
    let mut child = sb
        .cmd()
        .args([
            "clinic",
            "serve",
            "--database-url",
            &db_url(sb),
            "--port",
            "0",
        ])
        .args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (Server(child), line)
}

/// `unknot clinic serve` with `args`; the server and the port it listens on.
fn serve(sb: &Sandbox, args: &[&str]) -> (Server, u16) {
    let (server, line) = start(sb, args, &[]);
    let port = line
        .split("listening on ")
        .nth(1)
        .and_then(|rest| rest.rsplit(':').next())
        .and_then(|p| {
            p.trim_end_matches(|c: char| !c.is_ascii_digit())
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    (server, port)
}

/// `unknot clinic init` on the sandbox's database; the set-up link's path.
fn init(sb: &Sandbox, public_url: &str) -> String {
    let out = sb.ok(&[
        "clinic",
        "init",
        "--database-url",
        &db_url(sb),
        "--public-url",
        public_url,
        "--name",
        "Back Room Physio",
        "--owner-email",
        "owner@example.org",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["clinic"], "Back Room Physio");
    let link = v["setup_link"].as_str().unwrap();
    assert!(link.starts_with(public_url), "{link}");
    link[public_url.len() - 1..].to_string()
}

#[test]
fn clinic_init_and_serve_in_two_commands() {
    for sb in Sandbox::all() {
        let setup = init(&sb, "http://localhost:7879/");
        assert!(setup.starts_with("/invite/"), "{setup}");
        let (_server, port) = serve(&sb, &[]);
        // The owner's link opens the set-up page; anyone's data needs signing in first.
        let page = get(port, &setup);
        assert!(page.starts_with("HTTP/1.1 200"), "{}: {page}", sb.label);
        assert!(page.contains("Back Room Physio"));
        let api = get(port, "/api/v1/today");
        assert!(api.starts_with("HTTP/1.1 401"), "{api}");
        let today = get(port, "/");
        assert!(today.starts_with("HTTP/1.1 303"), "{today}");
        assert!(today.contains("location: /sign-in?next=/"), "{today}");
        // The link works once: a second clinic init gives a new one, the old one still works
        // until used, and a made-up one is gone.
        let made_up = get(port, "/invite/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assert!(
            made_up.starts_with("HTTP/1.1 404") || made_up.starts_with("HTTP/1.1 410"),
            "{made_up}"
        );
    }
}

/// The allocator `unknot clinic serve` says it chose on its first line, with `env` added.
fn allocator_named(sb: &Sandbox, env: &[(&str, &str)]) -> String {
    let (_server, line) = start(sb, &[], env);
    line.split("memory allocator ")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .unwrap_or_else(|| panic!("no allocator in {line:?}"))
        .to_string()
}

#[test]
fn the_clinic_server_chooses_mimalloc_unless_told_not_to() {
    let sb = Sandbox::sqlite();
    init(&sb, "http://localhost:7879/");
    assert_eq!(allocator_named(&sb, &[]), "mimalloc");
    assert_eq!(
        allocator_named(&sb, &[("UNKNOT_ALLOCATOR", "system")]),
        "system"
    );
}

#[test]
fn plain_http_off_loopback_is_refused() {
    let sb = Sandbox::sqlite();
    let url = db_url(&sb);
    let out = sb.run(&[
        "clinic",
        "serve",
        "--database-url",
        &url,
        "--bind",
        "0.0.0.0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("refusing plain HTTP on 0.0.0.0"),
        "{}",
        stderr(&out)
    );
    // Behind a proxy the public address must still be https.
    let out = sb.run(&[
        "clinic",
        "serve",
        "--database-url",
        &url,
        "--bind",
        "0.0.0.0",
        "--allow-plain-http",
        "--public-url",
        "http://clinic.example.org/",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("must start with https://"),
        "{}",
        stderr(&out)
    );
    // Half a certificate is a usage error naming both flags.
    let out = sb.run(&[
        "clinic",
        "serve",
        "--database-url",
        &url,
        "--tls-cert",
        "x.pem",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--tls-key"), "{}", stderr(&out));
    // With the proxy set-up it starts.
    let (_server, port) = serve(
        &sb,
        &[
            "--bind",
            "0.0.0.0",
            "--allow-plain-http",
            "--trust-proxy",
            "--public-url",
            "https://clinic.example.org/",
        ],
    );
    assert!(get(port, "/sign-in").starts_with("HTTP/1.1 200"));
}

#[test]
fn settings_mistakes_are_usage_errors_naming_the_setting() {
    let sb = Sandbox::sqlite();
    let url = db_url(&sb);
    // A settings file with a mistake names it; an unknown setting is refused, not ignored.
    let conf = sb.dir.path().join("clinic.toml");
    std::fs::write(&conf, "port = 7879\nsesion_idle_minutes = 5\n").unwrap();
    let out = sb.run(&[
        "clinic",
        "--config",
        conf.to_str().unwrap(),
        "serve",
        "--database-url",
        &url,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("sesion_idle_minutes"),
        "{}",
        stderr(&out)
    );
    // A variable overrides the file, and is checked the same way, naming itself.
    std::fs::write(&conf, "invite_days = 14\n").unwrap();
    let out = sb
        .cmd()
        .env("UNKNOT_INVITE_DAYS", "500")
        .args([
            "clinic",
            "--config",
            conf.to_str().unwrap(),
            "serve",
            "--database-url",
            &url,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("invite_days = 500"),
        "{}",
        stderr(&out)
    );
    let out = sb
        .cmd()
        .env("UNKNOT_SESSION_IDLE_MINUTES", "soon")
        .args(["clinic", "serve", "--database-url", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("UNKNOT_SESSION_IDLE_MINUTES=soon"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn audit_verify_fails_when_a_row_is_altered() {
    for sb in Sandbox::all() {
        init(&sb, "http://localhost:7879/");
        let url = db_url(&sb);
        let verify = |sb: &Sandbox| {
            sb.run(&[
                "clinic",
                "audit",
                "--database-url",
                &url,
                "verify",
                "--json",
            ])
        };
        let out = verify(&sb);
        assert!(out.status.success(), "{}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["ok"], true);
        assert!(v["records"].as_u64().unwrap() >= 1);
        // The FHIR export holds every record.
        let fhir = sb.ok(&["clinic", "audit", "--database-url", &url, "export"]);
        let bundle: serde_json::Value = serde_json::from_str(&fhir).unwrap();
        assert_eq!(
            bundle["entry"].as_array().unwrap().len() as u64,
            v["records"].as_u64().unwrap()
        );
        assert_eq!(bundle["entry"][0]["resource"]["resourceType"], "AuditEvent");
        // Someone with the database rewrites what a record says.
        alter(
            &url,
            "UPDATE audit_log SET target = 'nothing happened' WHERE seq = 1",
        );
        let out = verify(&sb);
        assert_eq!(out.status.code(), Some(1), "{}", sb.label);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["ok"], false);
        assert_eq!(v["seq"], 1);
        assert!(
            stderr(&out).contains("broken at record 1"),
            "{}",
            stderr(&out)
        );
    }
}

fn alter(url: &str, sql: &str) {
    let (url, sql) = (url.to_string(), sql.to_string());
    std::thread::spawn(move || {
        sqlx::any::install_default_drivers();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            use sqlx::Connection as _;
            let mut c = sqlx::AnyConnection::connect(&url).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut c)
                .await
                .unwrap();
        });
    })
    .join()
    .unwrap();
}

#[test]
fn tls_is_served_with_the_given_certificate() {
    let sb = Sandbox::sqlite();
    let key = rcgen::KeyPair::generate().unwrap();
    let params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    let cert = params.self_signed(&key).unwrap();
    let (cert_file, key_file) = (
        sb.dir.path().join("cert.pem"),
        sb.dir.path().join("key.pem"),
    );
    std::fs::write(&cert_file, cert.pem()).unwrap();
    std::fs::write(&key_file, key.serialize_pem()).unwrap();
    let (_server, port) = serve(
        &sb,
        &[
            "--tls-cert",
            cert_file.to_str().unwrap(),
            "--tls-key",
            key_file.to_str().unwrap(),
            "--public-url",
            "https://localhost/",
        ],
    );
    // A client that trusts only this certificate gets the sign-in page over TLS.
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert.der().clone()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let mut conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let mut tcp = connect(port);
    let mut tls = rustls::Stream::new(&mut conn, &mut tcp);
    write!(
        tls,
        "GET /sign-in HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = Vec::new();
    let _ = tls.read_to_end(&mut out);
    let out = String::from_utf8_lossy(&out);
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    assert!(out.contains("Sign in"));
    // Plain HTTP to the TLS port gets no page.
    let mut plain = connect(port);
    let _ = write!(plain, "GET /sign-in HTTP/1.1\r\nHost: localhost\r\n\r\n");
    let mut answer = String::new();
    let _ = plain.read_to_string(&mut answer);
    assert!(!answer.contains("Sign in"));
}

fn connect(port: u16) -> TcpStream {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(s) = TcpStream::connect(("127.0.0.1", port)) {
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            return s;
        }
        assert!(Instant::now() < deadline, "the server never answered");
        std::thread::sleep(Duration::from_millis(50));
    }
}
