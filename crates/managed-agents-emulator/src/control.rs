//! The emulator's own endpoints under `/_emulator`, a prefix the real API does not use: playing
//! the agent by writing session outputs, and replacing the fault plan.

use axum::Json;
use axum::body::Body;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use managed_agents_types::files::FileObject;
use tokio::io::AsyncWriteExt;

use crate::error::ApiError;
use crate::faults::{FaultPlan, PlanView};
use crate::gateway::AppStateRef;
use crate::http::{ControlJson, declared_length, header as header_value, json_body};
use crate::sandbox::{self, TempFile};
use crate::sessions;

/// Whether a request's content type says nothing about the file it carries: empty, or a
/// default that tools send for any body (`curl --data-binary` sends
/// `application/x-www-form-urlencoded`, many clients `application/octet-stream`).
fn is_generic_content_type(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence.is_empty()
        || essence.eq_ignore_ascii_case("application/x-www-form-urlencoded")
        || essence.eq_ignore_ascii_case("application/octet-stream")
}

/// `PUT /_emulator/sessions/{session_id}/outputs/{path}`: writes the body to the session's
/// outputs folder and answers the captured, downloadable file. Its mime type is the request's
/// `content-type`, or, when that is absent or generic, a guess from the file name.
pub(crate) async fn put_output(
    state: AppStateRef,
    Path((session_id, relative)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<FileObject>, ApiError> {
    sessions::exists(&state, &session_id)?;
    sandbox::check_output_path(&relative)?;
    let mime_type = header_value(&headers, header::CONTENT_TYPE.as_str())
        .filter(|mime| !is_generic_content_type(mime))
        .map(str::to_owned);

    let too_large = || {
        ApiError::too_large(format!(
            "the output is larger than {} bytes",
            state.max_file_size
        ))
    };
    if declared_length(&headers).is_some_and(|length| length > state.max_file_size) {
        return Err(too_large());
    }

    let temp = TempFile::new(state.store.temp_path());
    let mut out = tokio::fs::File::create(&temp.path).await?;
    let mut size = 0u64;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|error| ApiError::invalid(format!("body: {error}")))?;
        size += chunk.len() as u64;
        if size > state.max_file_size {
            return Err(too_large());
        }
        out.write_all(&chunk).await?;
    }
    out.flush().await?;
    out.sync_all().await?;
    drop(out);

    let _guard = state.capture_lock.lock().await;
    let metadata = sandbox::place_output(state.store.root(), &session_id, &relative, &temp.path)?;
    let file = sandbox::record_output(
        &state,
        &session_id,
        &relative,
        &temp,
        mime_type,
        metadata.len(),
        sandbox::modified_nanos(&metadata),
    )?;
    Ok(Json(file))
}

/// `GET /_emulator/faults`: the plan in force with the hits left per rule.
pub(crate) async fn get_faults(state: AppStateRef) -> Json<PlanView> {
    Json(state.faults.view())
}

/// `PUT /_emulator/faults`: replaces the plan.
pub(crate) async fn put_faults(
    state: AppStateRef,
    ControlJson(body): ControlJson,
) -> Result<Json<PlanView>, ApiError> {
    let plan: FaultPlan = json_body(&body)?;
    plan.check().map_err(ApiError::invalid)?;
    state.faults.replace(plan);
    Ok(Json(state.faults.view()))
}

/// `DELETE /_emulator/faults`: clears the plan.
pub(crate) async fn clear_faults(state: AppStateRef) -> Response {
    state.faults.replace(FaultPlan::default());
    StatusCode::NO_CONTENT.into_response()
}
