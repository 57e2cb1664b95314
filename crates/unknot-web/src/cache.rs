//! Rendered bodies kept while nothing has been written: Today and the entry list are read far
//! more often than the journal changes. The state's write generation says when one is stale.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A rendered response body kept for reuse while nothing has been written since.
#[derive(Debug)]
pub struct CachedBody {
    /// The content type.
    pub content_type: &'static str,
    /// The bytes.
    pub body: axum::body::Bytes,
}

/// A response from a cached body.
pub fn cached_response(body: &CachedBody) -> Response {
    (
        [
            (header::CONTENT_TYPE, body.content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body.body.clone(),
    )
        .into_response()
}
