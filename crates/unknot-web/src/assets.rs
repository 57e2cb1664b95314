//! The embedded assets: one stylesheet, the small scripts and the icons, and the two files an
//! installable web app needs at the root: the manifest and the service worker (which must be
//! served from `/` to control every page). They are compiled into the binary (no Node step,
//! nothing to install) and served with a version in the cache headers.

use axum::extract::Path;
use axum::http::Method;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::access::{Routes, Rule};

const FILES: &[(&str, &str, &[u8])] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/app.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/app.js"),
    ),
    (
        "player.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/player.js"),
    ),
    (
        "print.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/print.js"),
    ),
    (
        "passkey.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/passkey.js"),
    ),
    (
        "offline.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/offline.js"),
    ),
    (
        "icon-192.png",
        "image/png",
        include_bytes!("../assets/icon-192.png"),
    ),
    (
        "icon-512.png",
        "image/png",
        include_bytes!("../assets/icon-512.png"),
    ),
    (
        "icon-maskable.svg",
        "image/svg+xml",
        include_bytes!("../assets/icon-maskable.svg"),
    ),
    (
        "icon.svg",
        "image/svg+xml",
        include_bytes!("../assets/icon.svg"),
    ),
];

pub fn routes() -> Routes {
    Routes::new()
        .at("/assets/{name}", Rule::Public, &[Method::GET], get(asset))
        .at("/sw.js", Rule::Public, &[Method::GET], get(service_worker))
        .at(
            "/manifest.webmanifest",
            Rule::Public,
            &[Method::GET],
            get(manifest),
        )
}

/// The service worker. Browsers check it for a new version on every visit, so it is never
/// cached for long; `Service-Worker-Allowed` states the scope it is registered with.
async fn service_worker() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (
                header::HeaderName::from_static("service-worker-allowed"),
                "/",
            ),
        ],
        include_bytes!("../assets/sw.js").as_slice(),
    )
        .into_response()
}

/// The web app manifest: name, icons, colours, and that it opens as an app of its own.
async fn manifest() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/manifest+json"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_bytes!("../assets/manifest.webmanifest").as_slice(),
    )
        .into_response()
}

async fn asset(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, kind, bytes)) => (
            [
                (header::CONTENT_TYPE, *kind),
                // Assets change only with the binary; an hour keeps pages snappy without
                // serving a stale script for long after an upgrade.
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            *bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}
