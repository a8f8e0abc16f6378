//! CORS for browser callers, answered only to requests that opt in with
//! `anthropic-dangerous-direct-browser-access: true`, as the API does.

use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::response::Response;

/// The header a browser caller must send.
pub(crate) const OPT_IN: &str = "anthropic-dangerous-direct-browser-access";

/// Response headers a browser script may read.
const EXPOSED: &str = "request-id, retry-after, retry-after-ms, x-should-retry";

/// True when the request opted in to browser access.
pub(crate) fn opted_in(headers: &HeaderMap) -> bool {
    crate::http::header(headers, OPT_IN).is_some_and(|value| value.eq_ignore_ascii_case("true"))
}

/// True for a CORS preflight: `OPTIONS` with `access-control-request-method`.
pub(crate) fn is_preflight(method: &Method, headers: &HeaderMap) -> bool {
    method == Method::OPTIONS && headers.contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
}

/// True when a preflight announces the opt-in header among the headers it will send.
pub(crate) fn preflight_opted_in(headers: &HeaderMap) -> bool {
    crate::http::header(headers, header::ACCESS_CONTROL_REQUEST_HEADERS.as_str()).is_some_and(
        |requested| {
            requested
                .split(',')
                .any(|name| name.trim().eq_ignore_ascii_case(OPT_IN))
        },
    )
}

/// Adds the CORS headers of an allowed browser request (or preflight) to a response.
pub(crate) fn allow(request: &HeaderMap, response: &mut Response) {
    let origin = request
        .get(header::ORIGIN)
        .cloned()
        .unwrap_or(HeaderValue::from_static("*"));
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(header::VARY, HeaderValue::from_static("origin"));
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSED),
    );
    if let Some(requested) = request.get(header::ACCESS_CONTROL_REQUEST_HEADERS) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, requested.clone());
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, PUT, DELETE, OPTIONS"),
        );
        headers.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
    }
}
