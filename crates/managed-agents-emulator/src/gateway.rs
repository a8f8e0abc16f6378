//! The shared state, the routes, and the gateway every request passes: request IDs, CORS,
//! auth, version and beta headers, fault injection, error bodies and the request log.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use http_body_util::BodyExt;
use managed_agents_types::endpoints::{API_VERSION, beta};
use managed_agents_types::validation::Limits;
use managed_agents_types::{ErrorResponse, ErrorType};

use crate::drain::SharedBody;
use crate::error::{ApiError, PendingError, error_type_for};
use crate::faults::{DropWhen, Fault, FaultState};
use crate::server::ConnectionKill;
use crate::store::Store;
use crate::{
    agents, control, cors, environments, files, memory_stores, resources, sessions, vaults,
};

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct AppState {
    pub(crate) store: Store,
    pub(crate) api_key: String,
    pub(crate) max_file_resources: usize,
    pub(crate) max_file_size: u64,
    pub(crate) faults: FaultState,
    /// Held while outputs are captured, so that a file is never captured twice.
    pub(crate) capture_lock: tokio::sync::Mutex<()>,
}

impl AppState {
    /// The limits request bodies are validated with.
    pub(crate) fn limits(&self) -> Limits {
        Limits {
            max_file_resources: self.max_file_resources,
            ..Limits::default()
        }
    }
}

/// The handlers' view of the shared state.
pub(crate) type AppStateRef = State<Arc<AppState>>;

/// Every route, behind the gateway.
pub(crate) fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route(
            "/v1/environments",
            get(environments::list).post(environments::create),
        )
        .route(
            "/v1/environments/{id}",
            get(environments::retrieve)
                .post(environments::update)
                .delete(environments::delete),
        )
        .route("/v1/environments/{id}/archive", post(environments::archive))
        .route("/v1/agents", get(agents::list).post(agents::create))
        .route(
            "/v1/agents/{id}",
            get(agents::retrieve).post(agents::update),
        )
        .route("/v1/agents/{id}/archive", post(agents::archive))
        .route("/v1/vaults", get(vaults::list).post(vaults::create))
        .route(
            "/v1/vaults/{id}",
            get(vaults::retrieve)
                .post(vaults::update)
                .delete(vaults::delete),
        )
        .route("/v1/vaults/{id}/archive", post(vaults::archive))
        .route(
            "/v1/memory_stores",
            get(memory_stores::list).post(memory_stores::create),
        )
        .route(
            "/v1/memory_stores/{id}",
            get(memory_stores::retrieve)
                .post(memory_stores::update)
                .delete(memory_stores::delete),
        )
        .route(
            "/v1/memory_stores/{id}/archive",
            post(memory_stores::archive),
        )
        .route("/v1/sessions", get(sessions::list).post(sessions::create))
        .route(
            "/v1/sessions/{id}",
            get(sessions::retrieve)
                .post(sessions::update)
                .delete(sessions::delete),
        )
        .route("/v1/sessions/{id}/archive", post(sessions::archive))
        .route(
            "/v1/sessions/{id}/resources",
            get(resources::list).post(resources::add),
        )
        .route(
            "/v1/sessions/{id}/resources/{resource_id}",
            get(resources::retrieve)
                .post(resources::update)
                .delete(resources::delete),
        )
        .route(
            "/v1/files",
            get(files::list)
                .post(files::upload)
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/v1/files/{id}", get(files::retrieve).delete(files::delete))
        .route("/v1/files/{id}/content", get(files::download))
        .route(
            "/_emulator/faults",
            get(control::get_faults)
                .put(control::put_faults)
                .delete(control::clear_faults),
        )
        .route(
            "/_emulator/sessions/{id}/outputs/{*path}",
            put(control::put_output).layer(DefaultBodyLimit::disable()),
        )
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), gateway))
        .with_state(state)
}

async fn not_found(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!("there is no route for {method} {}", uri.path()),
    )
}

/// The gateway: checks a request, lets it through (or not), and finishes the response.
async fn gateway(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = crate::store::new_id("req_");
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let request_headers = request.headers().clone();
    let browser = cors::opted_in(&request_headers);

    let preflight = cors::is_preflight(&method, &request_headers);
    let mut response = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else {
        match admit(&state, &request) {
            Err(error) => error.into_response(),
            Ok(()) => serve(&state, request, next).await,
        }
    };

    finish_error_body(&mut response, &request_id).await;
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("request-id", value);
    }
    let allowed = if preflight {
        cors::preflight_opted_in(&request_headers)
    } else {
        browser
    };
    if allowed {
        cors::allow(&request_headers, &mut response);
    }
    tracing::info!(
        %method,
        path,
        status = response.status().as_u16(),
        request_id,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}

/// Serves an admitted request; after a 413, the rest of its body is read and discarded in the
/// background (see [`crate::drain`]), unless the client waits for `100 Continue` and so has
/// not sent it.
async fn serve(state: &AppState, request: Request, next: Next) -> Response {
    let waits_to_send = crate::http::header(request.headers(), header::EXPECT.as_str())
        .is_some_and(|value| value.trim().eq_ignore_ascii_case("100-continue"));
    let (request, body) = SharedBody::share(request);
    let response = match inject_fault(state, request).await {
        Ok(request) => next.run(request).await,
        Err(response) => response,
    };
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !waits_to_send {
        body.discard_rest();
    }
    response
}

/// Auth, then the version and beta headers the route needs.
fn admit(state: &AppState, request: &Request) -> Result<(), ApiError> {
    let headers = request.headers();
    let key = crate::http::header(headers, "x-api-key").or_else(|| {
        crate::http::header(headers, header::AUTHORIZATION.as_str())
            .and_then(|value| value.strip_prefix("Bearer "))
    });
    match key {
        None => {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "missing API key: send `x-api-key` or `Authorization: Bearer`",
            ));
        }
        Some(key) if !constant_time_eq(key.trim().as_bytes(), state.api_key.as_bytes()) => {
            return Err(ApiError::new(StatusCode::UNAUTHORIZED, "invalid API key"));
        }
        Some(_) => {}
    }

    let path = request.uri().path();
    if path.starts_with("/_emulator/") {
        return Ok(());
    }
    if crate::http::header(headers, "anthropic-version").is_none() {
        return Err(ApiError::invalid(format!(
            "the `anthropic-version` header is required (use `{API_VERSION}`)"
        )));
    }
    let accepted: &[&str] = if path.starts_with("/v1/memory_stores") {
        &[beta::AGENT_MEMORY, beta::MANAGED_AGENTS]
    } else if path.starts_with("/v1/files") {
        &[]
    } else {
        &[beta::MANAGED_AGENTS]
    };
    if !accepted.is_empty()
        && !accepted
            .iter()
            .any(|value| crate::http::has_beta(headers, value))
    {
        return Err(ApiError::invalid(format!(
            "this endpoint needs `anthropic-beta: {}`",
            accepted[0]
        )));
    }
    Ok(())
}

fn constant_time_eq(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len()
        && left
            .iter()
            .zip(right)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Applies the fault plan: gives the request back to serve it, or the response to send.
async fn inject_fault(state: &AppState, request: Request) -> Result<Request, Response> {
    let path = request.uri().path();
    if path.starts_with("/_emulator/") {
        return Ok(request);
    }
    let Some(fault) = state.faults.pick(request.method().as_str(), path) else {
        return Ok(request);
    };
    tracing::info!(?fault, "injecting a fault");
    match fault {
        Fault::Delay { ms } => {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
            Ok(request)
        }
        Fault::Status {
            status,
            headers,
            read_body,
        } => {
            if read_body {
                drain(request).await;
            }
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut error = ApiError::new(status, format!("injected fault: {status}"));
            for (name, value) in &headers {
                if let (Ok(name), Ok(value)) = (
                    axum::http::HeaderName::try_from(name.as_str()),
                    HeaderValue::try_from(value.as_str()),
                ) {
                    error.headers.push((name, value));
                }
            }
            Err(error.into_response())
        }
        Fault::Drop { when } => {
            let kill = request.extensions().get::<ConnectionKill>().cloned();
            if when == DropWhen::AfterBody {
                drain(request).await;
            }
            match kill {
                Some(kill) => {
                    kill.kill();
                    std::future::pending::<()>().await;
                    unreachable!("the connection task stops this future")
                }
                None => Err(ApiError::internal("cannot drop this connection").into_response()),
            }
        }
    }
}

/// Reads and discards a request body, frame by frame.
async fn drain(request: Request) {
    let mut body = request.into_body();
    while let Some(frame) = body.frame().await {
        if frame.is_err() {
            break;
        }
    }
}

/// Writes the error envelope, with the request ID, into every error response.
async fn finish_error_body(response: &mut Response, request_id: &str) {
    let pending = response.extensions_mut().remove::<PendingError>();
    let status = response.status();
    let envelope = match pending {
        Some(PendingError(envelope)) => envelope,
        None if status.is_client_error() || status.is_server_error() => {
            let body = std::mem::replace(response.body_mut(), Body::empty());
            let detail = body
                .collect()
                .await
                .map(|collected| String::from_utf8_lossy(&collected.to_bytes()).into_owned())
                .unwrap_or_default();
            let message = match (status.canonical_reason(), detail.trim()) {
                (Some(reason), "") => reason.to_owned(),
                (_, detail) => detail.to_owned(),
            };
            ErrorResponse::new(error_type_for(status), message, None)
        }
        None => return,
    };
    let envelope = ErrorResponse {
        request_id: Some(request_id.to_owned()),
        ..envelope
    };
    let body = serde_json::to_vec(&envelope).unwrap_or_default();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response.headers_mut().remove(header::CONTENT_LENGTH);
    *response.body_mut() = Body::from(body);
}

/// The error type of a conflict, as section 10 decides for duplicate names.
pub(crate) fn conflict(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, message)
        .with_type(ErrorType::InvalidRequest)
        .with_header("x-should-retry", "false")
}
