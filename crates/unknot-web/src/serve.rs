//! The server loop: accepts connections and serves the router over HTTP/1.1 with limits, so a
//! slow or half-sent request cannot hold a connection open for long. hyper closes a connection
//! whose request headers do not arrive within [`Limits::header_read`] (also while an idle
//! keep-alive connection waits for its next request); a body that stalls longer than
//! [`Limits::body_read`] ends the request with 408; a handler that runs past
//! [`Limits::request`] answers 503. Shutdown is graceful: open requests finish, new ones are
//! refused.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse as _, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tower::ServiceExt;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

/// Put in the router's extensions (`Extension(TrustProxy(true))`) when the server runs behind a
/// reverse proxy it was told to trust: the client's address is then taken from the last entry of
/// `X-Forwarded-For` rather than from the connection (which is the proxy).
#[derive(Debug, Clone, Copy, Default)]
pub struct TrustProxy(pub bool);

/// How long each part of a request may take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// From connecting (or finishing the previous request) to the end of the headers.
    pub header_read: Duration,
    /// Between chunks of a request body.
    pub body_read: Duration,
    /// For the whole request, handler included.
    pub request: Duration,
    /// How long shutdown waits for open requests.
    pub drain: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_read: Duration::from_secs(10),
            body_read: Duration::from_secs(20),
            request: Duration::from_secs(60),
            drain: Duration::from_secs(10),
        }
    }
}

/// The router with the request and body time limits applied.
pub fn limited(router: Router, limits: Limits) -> Router {
    router
        .layer(axum::middleware::from_fn(stalled_body_is_408))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            limits.request,
        ))
        .layer(RequestBodyTimeoutLayer::new(limits.body_read))
}

/// A body that stalled past [`Limits::body_read`] is the client's delay, not bad input: the
/// handler's refusal of the broken body is replaced by 408 Request Timeout.
async fn stalled_body_is_408(req: Request, next: axum::middleware::Next) -> Response {
    use http_body_util::BodyExt as _;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let stalled = Arc::new(AtomicBool::new(false));
    let seen = stalled.clone();
    let req = req.map(|body| {
        axum::body::Body::new(body.map_err(move |e| {
            let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&e);
            while let Some(c) = cause {
                if c.is::<tower_http::timeout::TimeoutError>() {
                    seen.store(true, Ordering::SeqCst);
                }
                cause = c.source();
            }
            e
        }))
    });
    let res = next.run(req).await;
    if stalled.load(Ordering::SeqCst) {
        let mut res = crate::WebError::TimedOut(
            "the request body stopped arriving; nothing was stored".into(),
        )
        .into_response();
        res.headers_mut().insert(
            axum::http::header::CONNECTION,
            axum::http::HeaderValue::from_static("close"),
        );
        return res;
    }
    res
}

/// Serves `router` on `listener` until `shutdown` completes, then lets open requests finish
/// (up to [`Limits::drain`]). With `tls`, every connection must first complete a TLS handshake
/// (within [`Limits::header_read`]); a client that speaks plain HTTP to it is dropped.
pub async fn run(
    router: Router,
    listener: tokio::net::TcpListener,
    limits: Limits,
    tls: Option<tokio_rustls::TlsAcceptor>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = limited(router, limits);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                // A refused or reset connection, or too many open files: keep serving.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = service_for(router.clone(), peer);
        let watcher = graceful.watcher();
        let tls = tls.clone();
        // The handshake runs in the connection's own task, so a slow client never holds up
        // the accept loop.
        tokio::spawn(async move {
            let http = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_read)
                .keep_alive(true)
                .clone();
            // A client that goes away mid-request is not the server's error.
            match tls {
                None => {
                    let conn = http.serve_connection(TokioIo::new(stream), service);
                    let _ = watcher.watch(conn).await;
                }
                Some(acceptor) => {
                    let Ok(Ok(stream)) =
                        tokio::time::timeout(limits.header_read, acceptor.accept(stream)).await
                    else {
                        return;
                    };
                    let conn = http.serve_connection(TokioIo::new(stream), service);
                    let _ = watcher.watch(conn).await;
                }
            }
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(limits.drain, graceful.shutdown()).await;
    Ok(())
}

/// A TLS acceptor from a PEM certificate chain and its PEM private key (rustls with the ring
/// provider; TLS 1.2 and 1.3; HTTP/1.1 offered by ALPN). The error says which file is wrong.
pub fn tls_acceptor(
    cert: &std::path::Path,
    key: &std::path::Path,
) -> Result<tokio_rustls::TlsAcceptor, String> {
    use rustls_pki_types::pem::PemObject as _;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .and_then(|it| it.collect::<Result<_, _>>())
        .map_err(|e| format!("cannot read the certificate {}: {e}", cert.display()))?;
    if certs.is_empty() {
        return Err(format!("{} holds no PEM certificate", cert.display()));
    }
    let key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| format!("cannot read the private key {}: {e}", key.display()))?;
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| format!("the certificate and key do not go together: {e}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config)))
}

/// The router as a hyper service for one connection, with the peer's address available to
/// handlers (`ConnectInfo`).
fn service_for(
    router: Router,
    peer: SocketAddr,
) -> impl hyper::service::Service<
    hyper::Request<hyper::body::Incoming>,
    Response = axum::response::Response,
    Error = Infallible,
    Future = impl Send,
> + Clone {
    hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
        let mut req = req.map(axum::body::Body::new);
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        ServiceExt::<Request>::oneshot(router.clone(), req)
    })
}
