//! The server loop over real sockets, with short limits: an idle keep-alive connection, a
//! request whose headers never finish and one whose body stalls are all closed or answered
//! within their limits, and a declared body over the limit is answered 413 without waiting for
//! it.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use unknot_web::serve::Limits;

use crate::support::app;

const LIMITS: Limits = Limits {
    header_read: Duration::from_millis(600),
    body_read: Duration::from_millis(600),
    request: Duration::from_secs(5),
    drain: Duration::from_secs(1),
};

/// Serves a fresh app on a free loopback port with [`LIMITS`]; the server ends with the test.
async fn served() -> (std::net::SocketAddr, crate::support::App) {
    let app = app().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = unknot_web::router(app.state.clone());
    tokio::spawn(unknot_web::serve::run(
        router,
        listener,
        LIMITS,
        None,
        std::future::pending(),
    ));
    (addr, app)
}

/// Reads until the server closes the connection (or 10 s pass), returning what came and when
/// the connection closed.
async fn read_until_closed(s: &mut TcpStream) -> (String, Duration) {
    let start = Instant::now();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            Err(_) => panic!("the server kept the connection open for 10 s"),
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), start.elapsed())
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let (addr, _app) = served().await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /api/v1/settings HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let (out, took) = read_until_closed(&mut s).await;
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    assert!(took < Duration::from_secs(3), "closed after {took:?}");
}

#[tokio::test]
async fn a_connection_that_sends_nothing_or_half_a_header_is_closed() {
    let (addr, _app) = served().await;
    let mut silent = TcpStream::connect(addr).await.unwrap();
    let (_, took) = read_until_closed(&mut silent).await;
    assert!(took < Duration::from_secs(3), "silent: {took:?}");
    let mut half = TcpStream::connect(addr).await.unwrap();
    half.write_all(b"GET / HTTP/1.1\r\nHost: localh")
        .await
        .unwrap();
    let (_, took) = read_until_closed(&mut half).await;
    assert!(took < Duration::from_secs(3), "half a header: {took:?}");
}

#[tokio::test]
async fn a_stalled_body_ends_the_request_and_stores_nothing() {
    let (addr, app) = served().await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(
        b"POST /api/v1/entries HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
          Content-Length: 100\r\n\r\n{\"pain\": 3,",
    )
    .await
    .unwrap();
    let (out, took) = read_until_closed(&mut s).await;
    assert!(out.starts_with("HTTP/1.1 408"), "{out}");
    assert!(took < Duration::from_secs(3), "{took:?}");
    assert_eq!(app.entry_count().await, 0);
}

#[tokio::test]
async fn a_huge_declared_body_is_refused_at_once() {
    let (addr, app) = served().await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(
        b"POST /api/v1/import HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
          Content-Length: 10737418240\r\n\r\n{",
    )
    .await
    .unwrap();
    let (out, took) = read_until_closed(&mut s).await;
    assert!(out.starts_with("HTTP/1.1 413"), "{out}");
    assert!(took < Duration::from_millis(500), "{took:?}");
    assert_eq!(app.entry_count().await, 0);
}
