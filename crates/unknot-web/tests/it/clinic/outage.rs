//! PostgreSQL out of reach, for real: the clinic server talks to its database through a TCP
//! relay this test can cut (every open connection closed, new ones refused) and restore. While
//! it is cut the first request waits out the pool and is answered 503; the ones after it are
//! answered 503 with `Retry-After` at once (the breaker); once it is restored the server serves
//! again without being restarted.

use std::time::{Duration, Instant};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast;

use super::*;

/// A TCP relay to PostgreSQL that can be cut (its port closed, so connections are refused as
/// by a stopped server, and every relayed connection closed) and restored on the same port.
struct Relay {
    port: u16,
    target: String,
    accepting: std::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
    drop_all: broadcast::Sender<()>,
}

impl Relay {
    async fn start(target: &str) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let (drop_all, _) = broadcast::channel(4);
        let relay = Relay {
            port: listener.local_addr().unwrap().port(),
            target: target.to_string(),
            accepting: std::sync::Mutex::new(None),
            drop_all,
        };
        relay.serve(listener);
        relay
    }

    fn serve(&self, listener: TcpListener) {
        let (tx, target) = (self.drop_all.clone(), self.target.clone());
        let task = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let mut stop = tx.subscribe();
                let target = target.clone();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(&target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = stop.recv() => {}
                    }
                });
            }
        });
        *self.accepting.lock().unwrap() = Some(task);
    }

    /// Closes the port and every relayed connection.
    fn cut(&self) {
        if let Some(task) = self.accepting.lock().unwrap().take() {
            task.abort();
        }
        let _ = self.drop_all.send(());
    }

    /// Opens the port again.
    async fn restore(&self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await.unwrap();
        self.serve(listener);
    }
}

/// A wrong password: the server reads the account and the rate limits, so the database is
/// needed; reachable, the answer is a refusal of the credentials (not a 503).
async fn attempt(router: &Router) -> (Reply, Duration) {
    let req = Request::post("/sign-in")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, format!("https://{HOST}"))
        .header("sec-fetch-site", "same-origin")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("login=owner%40example.org&password=not+the+one"))
        .unwrap();
    let started = Instant::now();
    let r = send(router, req).await;
    (r, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_postgres_is_out_of_reach_requests_fail_fast_and_service_comes_back() {
    let Some(db) = db::postgres().await else {
        eprintln!("skipped: no PostgreSQL (set UNKNOT_TEST_POSTGRES_URL)");
        return;
    };
    let relay = Relay::start("127.0.0.1:5432").await;
    let url = db
        .url
        .replacen("127.0.0.1:5432", &format!("127.0.0.1:{}", relay.port), 1);
    assert_ne!(
        url, db.url,
        "the test database is reached at 127.0.0.1:5432"
    );
    let (c, router, _) = server_at(&url, &format!("https://{HOST}/")).await;
    c.init_clinic("Back Room Physio", "owner@example.org", "Olive Owner")
        .await
        .unwrap();
    let (up, _) = attempt(&router).await;
    assert_ne!(up.status, StatusCode::SERVICE_UNAVAILABLE, "{}", up.body);

    relay.cut();
    let (first, waited) = attempt(&router).await;
    assert_eq!(
        first.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        first.body
    );
    assert!(first.headers.contains_key(header::RETRY_AFTER));
    // The requests after it are refused by the breaker, without the pool's wait.
    let mut slowest = Duration::ZERO;
    for _ in 0..5 {
        let (r, took) = attempt(&router).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
        assert!(r.headers.contains_key(header::RETRY_AFTER));
        slowest = slowest.max(took);
    }
    assert!(
        slowest < unknot_store::POSTGRES_WAIT / 2,
        "refused in {slowest:?}, the first waited {waited:?}"
    );

    // Back: within a few probes the server answers from the database again by itself.
    relay.restore().await;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (r, _) = attempt(&router).await;
        if r.status != StatusCode::SERVICE_UNAVAILABLE {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still 503 after the relay came back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    c.app().store().clone().close().await;
}
