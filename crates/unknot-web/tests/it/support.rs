//! A fresh app on a temporary SQLite file, and helpers to send it requests in-process.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;
use unknot_store::Store;
use unknot_web::{AppState, Options};

pub struct App {
    pub state: AppState,
    pub router: Router,
    pub _dir: tempfile::TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

pub async fn app() -> App {
    app_with(1.0).await
}

pub async fn app_with(speed: f64) -> App {
    let dir = tempfile::tempdir().unwrap();
    let url = unknot_store::sqlite_url_for(&dir.path().join("unknot.db"));
    let store = Store::open_with(&url, 4).await.unwrap();
    let state = AppState::new(
        unknot_app::App::local(store),
        Options {
            speed,
            allowed_hosts: Vec::new(),
            database_file: Some(dir.path().join("unknot.db")),
        },
    )
    .await
    .unwrap();
    App {
        router: unknot_web::router(state.clone()),
        state,
        _dir: dir,
    }
}

impl App {
    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            content_type,
            headers,
            body: String::from_utf8_lossy(&bytes).to_string(),
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(
            Request::get(path)
                .header(header::HOST, "127.0.0.1:7878")
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// Posts a form as a browser would from this origin, with the page's token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let mut pairs: Vec<(String, String)> = vec![("csrf".into(), self.state.csrf().into())];
        pairs.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        self.post_raw_form(path, &pairs).await
    }

    pub async fn post_raw_form(&self, path: &str, pairs: &[(String, String)]) -> Reply {
        let body = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            Request::post(path)
                .header(header::HOST, "127.0.0.1:7878")
                .header(header::ORIGIN, "http://127.0.0.1:7878")
                .header("sec-fetch-site", "same-origin")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    pub async fn json(&self, method: &str, path: &str, body: serde_json::Value) -> Reply {
        self.send(
            Request::builder()
                .method(method)
                .uri(path)
                .header(header::HOST, "127.0.0.1:7878")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }

    pub async fn entry_count(&self) -> u64 {
        self.state.app().store().count_entries().await.unwrap()
    }
}

pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An intake that raises a red flag for cauda equina: emergency care.
pub fn emergency_answers() -> serde_json::Value {
    serde_json::json!({"age": 45, "saddle_numbness": true, "bladder_bowel_change": true, "pain_now": 7})
}

/// A plain intake: self-care with a plan.
pub fn plain_answers() -> serde_json::Value {
    serde_json::json!({"age": 35, "pain_now": 4, "regions": ["lower_back"], "onset_days": 30,
        "peg_pain": 4, "peg_enjoyment": 3, "peg_activity": 4})
}
