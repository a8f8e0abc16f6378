//! The Files API (spec section 8): streamed uploads and downloads, the size limit, uploads that
//! cannot be downloaded, and session-scoped listing.

use axum::Json;
use axum::body::Body;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, RawQuery};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use managed_agents_types::common::Deleted;
use managed_agents_types::endpoints::beta;
use managed_agents_types::files::{FileObject, FileScope, guess_mime_type, stored_filename};
use managed_agents_types::sessions::Session;
use managed_agents_types::{FileId, Page, SessionId};
use tokio::io::AsyncWriteExt;

use crate::error::ApiError;
use crate::gateway::AppStateRef;
use crate::http::{ListRules, Query, declared_length, has_beta, header, paginate};
use crate::objects;
use crate::sandbox::{TempFile, capture_outputs};
use crate::store::{Db, Kind, new_id, now};

/// Loads a file object or answers 404.
pub(crate) fn load(db: &Db<'_>, id: &str) -> Result<FileObject, ApiError> {
    objects::load(db, Kind::File, "file", id)
}

fn multipart_error(error: axum::extract::multipart::MultipartError) -> ApiError {
    ApiError::invalid(format!(
        "the multipart body cannot be read: {}",
        error.body_text()
    ))
}

/// Why a body cannot be read as multipart: a `content-type` other than `multipart/form-data`
/// is named, otherwise (a missing or bad boundary) the parser's reason is given.
fn multipart_rejection(headers: &HeaderMap, rejection: MultipartRejection) -> ApiError {
    let content_type = header(headers, header::CONTENT_TYPE.as_str()).map(str::trim);
    let is_multipart = content_type
        .and_then(|value| value.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("multipart/form-data"));
    match content_type {
        _ if is_multipart => ApiError::invalid(format!(
            "content-type: the multipart body cannot be read: {}",
            rejection.body_text()
        )),
        Some(other) => ApiError::invalid(format!(
            "content-type: this endpoint takes `multipart/form-data` with a part named `file`, \
             got `{other}`"
        )),
        None => ApiError::invalid(
            "content-type: this endpoint takes `multipart/form-data` with a part named `file`, \
             and the request has no content-type",
        ),
    }
}

/// Room for the multipart framing around the file (boundaries, part headers, small fields)
/// when a declared `content-length` is compared with the size limit.
pub(crate) const MULTIPART_OVERHEAD: u64 = 1024 * 1024;

/// `POST /v1/files`: one multipart part named `file` (a second one is 400), streamed to disk.
/// A body that declares more than the limit plus [`MULTIPART_OVERHEAD`], or a part that passes
/// the limit, is refused at once with 413; the gateway discards the rest of the body after the
/// answer.
pub(crate) async fn upload(
    state: AppStateRef,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Json<FileObject>, ApiError> {
    let limit = state.max_file_size;
    let too_large = |what: String| {
        ApiError::too_large(format!(
            "{what}; the largest file accepted is {limit} bytes"
        ))
    };
    if let Some(length) = declared_length(&headers)
        && length > limit.saturating_add(MULTIPART_OVERHEAD)
    {
        return Err(too_large(format!("the request body is {length} bytes")));
    }
    let mut multipart = multipart.map_err(|rejection| multipart_rejection(&headers, rejection))?;
    let mut uploaded = None;
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        if field.name() != Some("file") {
            while field.chunk().await.map_err(multipart_error)?.is_some() {}
            continue;
        }
        if uploaded.is_some() {
            return Err(ApiError::invalid(
                "file: the multipart body has more than one part named `file`; send one file \
                 per upload",
            ));
        }
        let raw_name = field.file_name().unwrap_or("").to_owned();
        let mime_type = field
            .content_type()
            .filter(|mime| !mime.is_empty())
            .map_or_else(|| guess_mime_type(&raw_name).to_owned(), str::to_owned);
        let temp = TempFile::new(state.store.temp_path());
        let mut out = tokio::fs::File::create(&temp.path).await?;
        let mut size = 0u64;
        while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
            size += chunk.len() as u64;
            if size > limit {
                return Err(too_large(format!("the file is larger than {limit} bytes")));
            }
            out.write_all(&chunk).await?;
        }
        out.flush().await?;
        out.sync_all().await?;
        drop(out);
        uploaded = Some((
            stored_filename(&raw_name, &mime_type),
            mime_type,
            size,
            temp,
        ));
    }
    let Some((filename, mime_type, size_bytes, temp)) = uploaded else {
        return Err(ApiError::invalid(
            "file: the multipart body has no part named `file`",
        ));
    };
    let file = FileObject {
        id: FileId::new(new_id("file_")).map_err(|e| ApiError::internal(e.to_string()))?,
        object_type: "file".to_owned(),
        filename,
        mime_type,
        size_bytes,
        created_at: now(),
        downloadable: Some(false),
        scope: None,
        expires_at: None,
    };
    state.store.commit_blob(&temp.path, file.id.as_str())?;
    state
        .store
        .write(|db| db.insert(Kind::File, file.id.as_str(), None, &file, None))?;
    Ok(Json(file))
}

/// `GET /v1/files`: every file, or one session's with `scope_id`.
pub(crate) async fn list(
    state: AppStateRef,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Json<Page<FileObject>>, ApiError> {
    let query = Query::parse(query.as_deref());
    let scope_id = query.get("scope_id").map(str::to_owned);
    if let Some(scope_id) = &scope_id {
        if !has_beta(&headers, beta::MANAGED_AGENTS) {
            return Err(ApiError::invalid(format!(
                "scope_id: needs `anthropic-beta: {}`",
                beta::MANAGED_AGENTS
            )));
        }
        if SessionId::new(scope_id.as_str()).is_err() {
            return Err(ApiError::invalid(format!(
                "scope_id: must be a session ID starting with `sesn_`, got `{scope_id}`"
            )));
        }
        let known = state
            .store
            .read(|db| db.get::<Session>(Kind::Session, scope_id))?
            .is_some();
        if known {
            capture_outputs(&state, scope_id).await?;
        }
    } else {
        let sessions = state
            .store
            .read(|db| db.list::<Session>(Kind::Session, None))?;
        for session in sessions {
            capture_outputs(&state, &session.id).await?;
        }
    }
    let mut rows = state
        .store
        .read(|db| db.list::<FileObject>(Kind::File, None))?;
    if let Some(scope_id) = &scope_id {
        rows.retain(|row| {
            let Some(FileScope::Session(scope)) = &row.value.scope else {
                return false;
            };
            scope.id.as_str() == scope_id
        });
    }
    let ids = query.all("ids");
    if ids.is_empty() {
        return Ok(Json(paginate(rows, &query, ListRules::new(1000))?));
    }
    if query.get("page").is_some() || query.get("limit").is_some() {
        return Err(ApiError::invalid(
            "ids: cannot be combined with `page` or `limit`",
        ));
    }
    let mut wanted: Vec<&str> = ids.iter().flat_map(|ids| ids.split(',')).collect();
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.len() > 100 {
        return Err(ApiError::invalid(format!(
            "ids: at most 100 IDs, got {}",
            wanted.len()
        )));
    }
    rows.retain(|row| wanted.binary_search(&row.id.as_str()).is_ok());
    let rules = ListRules {
        default_limit: None,
        ..ListRules::new(1000)
    };
    Ok(Json(paginate(rows, &Query::default(), rules)?))
}

/// `GET /v1/files/{file_id}`.
pub(crate) async fn retrieve(
    state: AppStateRef,
    Path(id): Path<String>,
) -> Result<Json<FileObject>, ApiError> {
    state.store.read(|db| load(db, &id)).map(Json)
}

/// `GET /v1/files/{file_id}/content`: streamed from disk; uploads are 403.
pub(crate) async fn download(
    state: AppStateRef,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let file = state.store.read(|db| load(db, &id))?;
    if file.downloadable != Some(true) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            format!("file `{id}` was uploaded and cannot be downloaded; only session outputs can"),
        ));
    }
    let content = tokio::fs::File::open(state.store.blob_path(&id)).await?;
    let length = content.metadata().await?.len();
    let body = Body::from_stream(tokio_util::io::ReaderStream::with_capacity(
        content,
        64 * 1024,
    ));
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&file.mime_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    Ok(response)
}

/// `DELETE /v1/files/{file_id}`.
pub(crate) async fn delete(
    state: AppStateRef,
    Path(id): Path<String>,
) -> Result<Json<Deleted>, ApiError> {
    objects::delete(&state, &id, load)?;
    let _ = std::fs::remove_file(state.store.blob_path(&id));
    Ok(Json(Deleted {
        id,
        object_type: "file_deleted".to_owned(),
    }))
}
