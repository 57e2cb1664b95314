//! What every operation shares, written into the OpenAPI document once instead of on each
//! handler: the refusals every request can meet (403 from the Host and cross-site checks, 413
//! for a body over the limit, 422 for a malformed query string, 503 while the journal is busy),
//! and the links from an operation that makes an entry to the ones that read, change and delete
//! it (OpenAPI links, which a stateful API tester follows).

use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response};

/// Adds the shared responses to every operation and the links between the entry operations.
pub fn complete(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        for (write, op) in [
            (false, item.get.as_mut()),
            (true, item.post.as_mut()),
            (true, item.put.as_mut()),
            (true, item.delete.as_mut()),
        ] {
            if let Some(op) = op {
                shared_responses(op, write);
            }
        }
    }
    link_entries(doc);
}

fn problem(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
        .into()
}

fn shared_responses(op: &mut Operation, write: bool) {
    let responses = &mut op.responses.responses;
    let mut add = |code: &str, description: &str| {
        responses
            .entry(code.to_string())
            .or_insert_with(|| problem(description));
    };
    add(
        "403",
        "Refused: the request was addressed to a host name this server does not answer to, or \
         (for a change) came from another site or was neither JSON nor carried the X-CSRF-Token \
         header",
    );
    add(
        "503",
        "The journal is busy or unreachable for a moment; nothing was changed. Retry after the \
         seconds in Retry-After",
    );
    let has_query = op.parameters.as_ref().is_some_and(|ps| {
        ps.iter().any(|p| {
            matches!(p, RefOr::T(p)
                if matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query))
        })
    });
    if has_query {
        add(
            "422",
            "A query parameter that cannot be read, named; nothing changed",
        );
    }
    if write && op.request_body.is_some() {
        add(
            "413",
            "The body is larger than this operation accepts; it was not read",
        );
        add(
            "422",
            "The body was refused, with the value named; nothing stored",
        );
    }
}

/// The links a stateful tester (and a person reading the document) follows: a made entry's id
/// reads, replaces and deletes it.
fn link_entries(doc: &mut OpenApi) {
    let link = |operation: &str, id: &str| {
        LinkBuilder::new()
            .operation_id(operation)
            .parameter("id", id)
            .build()
    };
    let made = doc
        .paths
        .paths
        .get_mut("/api/v1/entries")
        .and_then(|item| item.post.as_mut())
        .and_then(|op| op.responses.responses.get_mut("201"));
    if let Some(RefOr::T(response)) = made {
        let id = "$response.body#/id";
        for (name, operation) in [
            ("GetEntry", "get_entry"),
            ("UpdateEntry", "update_entry"),
            ("DeleteEntry", "delete_entry"),
        ] {
            response
                .links
                .insert(name.to_string(), link(operation, id).into());
        }
    }
}
