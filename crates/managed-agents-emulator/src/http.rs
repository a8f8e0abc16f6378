//! Request helpers shared by the resource handlers: JSON bodies (an object, with no field the
//! types do not model), query strings, validation and the superset page envelope of spec
//! section 2.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, header as http_header};
use managed_agents_types::schema::extra_fields;
use managed_agents_types::validation::{Limits, Validate};
use managed_agents_types::{Page, decode::decode_json};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::ApiError;
use crate::store::Row;

/// The largest JSON body accepted, in bytes: axum's default body limit, which also applies to
/// bodies sent without a `content-length`.
pub(crate) const MAX_JSON_BODY: u64 = 2 * 1024 * 1024;

/// The body of a JSON endpoint: sent as `application/json` (a missing `content-type` is
/// accepted only with an empty body) and, unless empty, a JSON object. A body that declares
/// more than [`MAX_JSON_BODY`] is refused with 413 before it is read.
#[derive(Debug, Clone)]
pub(crate) struct JsonObject(pub(crate) Bytes);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = axum::response::Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        read_json_object(request, state, false).await.map(Self)
    }
}

/// The body of an `/_emulator` endpoint: like [`JsonObject`], except that a missing
/// `content-type` is accepted, since tools script these endpoints with plain HTTP clients.
#[derive(Debug, Clone)]
pub(crate) struct ControlJson(pub(crate) Bytes);

impl<S: Send + Sync> FromRequest<S> for ControlJson {
    type Rejection = axum::response::Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        read_json_object(request, state, true).await.map(Self)
    }
}

async fn read_json_object<S: Send + Sync>(
    request: Request,
    state: &S,
    untyped_allowed: bool,
) -> Result<Bytes, axum::response::Response> {
    use axum::response::IntoResponse;

    if declared_length(request.headers()).is_some_and(|length| length > MAX_JSON_BODY) {
        return Err(ApiError::too_large(format!(
            "the request body is larger than {MAX_JSON_BODY} bytes"
        ))
        .into_response());
    }
    let content_type =
        header(request.headers(), http_header::CONTENT_TYPE.as_str()).map(str::to_owned);
    let body = Bytes::from_request(request, state)
        .await
        .map_err(IntoResponse::into_response)?;
    check_json_object(content_type.as_deref(), &body, untyped_allowed)
        .map_err(IntoResponse::into_response)?;
    Ok(body)
}

/// Checks the `content-type` of a JSON body and that the body, unless empty, is an object.
fn check_json_object(
    content_type: Option<&str>,
    body: &[u8],
    untyped_allowed: bool,
) -> Result<(), ApiError> {
    let empty = body.iter().all(u8::is_ascii_whitespace);
    match content_type {
        Some(value) if is_json_media_type(value) => {}
        None if empty || untyped_allowed => {}
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "content-type: must be `application/json`, got `{other}`"
            )));
        }
        None => {
            return Err(ApiError::invalid(
                "content-type: must be `application/json` for a request with a body",
            ));
        }
    }
    let first = body.iter().find(|byte| !byte.is_ascii_whitespace());
    if !empty && first != Some(&b'{') {
        return Err(ApiError::invalid("body: must be a JSON object"));
    }
    Ok(())
}

/// Whether a `content-type` value is `application/json`, parameters such as `charset` allowed.
fn is_json_media_type(value: &str) -> bool {
    value
        .split(';')
        .next()
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

/// Decodes a JSON body into a types-crate request type; an empty body counts as `{}`.
pub(crate) fn json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    decode_json(or_empty_object(body)).map_err(|error| {
        let path = if error.path == "." {
            "body".to_owned()
        } else {
            error.path
        };
        ApiError::invalid(format!("{path}: {}", error.message))
    })
}

fn or_empty_object(body: &[u8]) -> &[u8] {
    if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    }
}

/// Decodes a JSON body like [`json_body`], then refuses every field, at any depth, that the
/// type's JSON Schema does not declare, as the API does.
pub(crate) fn strict_body<T>(body: &[u8]) -> Result<T, ApiError>
where
    T: DeserializeOwned + schemars::JsonSchema + 'static,
{
    let value: T = json_body(body)?;
    let raw: Value = json_body(body)?;
    let extra = extra_fields::<T>(&raw);
    if extra.is_empty() {
        return Ok(value);
    }
    let messages: Vec<String> = extra
        .iter()
        .map(|path| format!("{path}: Extra inputs are not permitted"))
        .collect();
    Err(ApiError::invalid(messages.join("; ")))
}

/// Decodes with [`strict_body`] and validates with the emulator's limits.
pub(crate) fn valid_body<T>(body: &[u8], limits: &Limits) -> Result<T, ApiError>
where
    T: DeserializeOwned + Validate + schemars::JsonSchema + 'static,
{
    let value: T = strict_body(body)?;
    value.validate_with(limits)?;
    Ok(value)
}

/// The decoded query string: pairs in order, bracketed keys kept literally.
#[derive(Debug, Clone, Default)]
pub(crate) struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub(crate) fn parse(raw: Option<&str>) -> Self {
        let pairs = form_urlencoded::parse(raw.unwrap_or("").as_bytes())
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
        Self { pairs }
    }

    /// The last value given for `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.as_str())
    }

    /// Every value given for `key` or `key[]`.
    pub(crate) fn all(&self, key: &str) -> Vec<&str> {
        let bracketed = format!("{key}[]");
        self.pairs
            .iter()
            .filter(|(name, _)| *name == key || *name == bracketed)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    pub(crate) fn bool(&self, key: &str) -> Result<bool, ApiError> {
        match self.get(key) {
            None => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some("false") | Some("0") => Ok(false),
            Some(other) => Err(ApiError::invalid(format!(
                "{key}: must be `true` or `false`, got `{other}`"
            ))),
        }
    }
}

/// How a list page is chosen.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ListRules {
    /// The page size when `limit` is absent; every item when `None`.
    pub(crate) default_limit: Option<usize>,
    /// The largest `limit` accepted.
    pub(crate) max_limit: usize,
    /// Newest first when true.
    pub(crate) descending: bool,
}

impl ListRules {
    pub(crate) const fn new(max_limit: usize) -> Self {
        Self {
            default_limit: Some(20),
            max_limit,
            descending: true,
        }
    }
}

enum Position {
    Start,
    After(i64),
    Before(i64),
}

/// Cuts one page out of `rows` (oldest first) following the query's `limit`, `page`,
/// `after_id` and `before_id`, and answers the superset envelope.
pub(crate) fn paginate<T>(
    mut rows: Vec<Row<T>>,
    query: &Query,
    rules: ListRules,
) -> Result<Page<T>, ApiError> {
    if rules.descending {
        rows.reverse();
    }
    let limit = match query.get("limit") {
        None => rules.default_limit.unwrap_or(usize::MAX),
        Some(raw) => match raw.parse::<usize>() {
            Ok(limit) if (1..=rules.max_limit).contains(&limit) => limit,
            _ => {
                return Err(ApiError::invalid(format!(
                    "limit: must be an integer between 1 and {}, got `{raw}`",
                    rules.max_limit
                )));
            }
        },
    };
    let position = position(&rows, query)?;
    let comes_after = |seq: i64, mark: i64| {
        if rules.descending {
            seq < mark
        } else {
            seq > mark
        }
    };
    let (start, end, backwards) = match position {
        Position::Start => (0, limit.min(rows.len()), false),
        Position::After(mark) => {
            let start = rows
                .iter()
                .position(|row| comes_after(row.seq, mark))
                .unwrap_or(rows.len());
            (start, start.saturating_add(limit).min(rows.len()), false)
        }
        Position::Before(mark) => {
            let end = rows
                .iter()
                .position(|row| !comes_after(mark, row.seq))
                .unwrap_or(rows.len());
            (end.saturating_sub(limit), end, true)
        }
    };
    let more_after = end < rows.len();
    let more_before = start > 0;
    let first = rows.get(start).filter(|_| start < end);
    let last = rows.get(end.wrapping_sub(1)).filter(|_| start < end);
    let after_token = last.map(|row| format!("page_after_{}", row.seq));
    let before_token = first.map(|row| format!("page_before_{}", row.seq));
    let (next_page, prev_page, has_more) = if backwards {
        (
            before_token.filter(|_| more_before),
            after_token.filter(|_| more_after),
            more_before,
        )
    } else {
        (
            after_token.filter(|_| more_after),
            before_token.filter(|_| more_before),
            more_after,
        )
    };
    let first_id = first.map(|row| row.id.clone());
    let last_id = last.map(|row| row.id.clone());
    let data = rows.drain(start..end).map(|row| row.value).collect();
    Ok(Page {
        data,
        next_page: next_page.into(),
        prev_page,
        has_more: Some(has_more),
        first_id,
        last_id,
    })
}

fn position<T>(rows: &[Row<T>], query: &Query) -> Result<Position, ApiError> {
    let seq_of = |key: &str, id: &str| {
        rows.iter()
            .find(|row| row.id == id)
            .map(|row| row.seq)
            .ok_or_else(|| ApiError::invalid(format!("{key}: no item has the ID `{id}`")))
    };
    if let Some(page) = query.get("page").filter(|page| !page.is_empty()) {
        let invalid = || ApiError::invalid(format!("page: `{page}` is not a page cursor"));
        let parse = |raw: &str| raw.parse::<i64>().map_err(|_| invalid());
        if let Some(seq) = page.strip_prefix("page_after_") {
            return Ok(Position::After(parse(seq)?));
        }
        if let Some(seq) = page.strip_prefix("page_before_") {
            return Ok(Position::Before(parse(seq)?));
        }
        return Err(invalid());
    }
    if let Some(id) = query.get("after_id") {
        return Ok(Position::After(seq_of("after_id", id)?));
    }
    if let Some(id) = query.get("before_id") {
        return Ok(Position::Before(seq_of("before_id", id)?));
    }
    Ok(Position::Start)
}

/// The value of a header as text, when present and readable.
pub(crate) fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// The body length a request declares in `content-length`, when it declares one.
pub(crate) fn declared_length(headers: &HeaderMap) -> Option<u64> {
    header(headers, http_header::CONTENT_LENGTH.as_str())
        .and_then(|value| value.trim().parse().ok())
}

/// Whether the `anthropic-beta` header carries `beta` among its comma-separated values
/// (several headers count too).
pub(crate) fn has_beta(headers: &HeaderMap, beta: &str) -> bool {
    headers
        .get_all("anthropic-beta")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|value| value.trim() == beta)
}

type Keep = fn(std::cmp::Ordering) -> bool;

/// The `created_at` bounds of a list query, given as `created_at[gte]` or `created_at_gte`.
#[derive(Debug, Default)]
pub(crate) struct CreatedFilter {
    bounds: Vec<(time::OffsetDateTime, Keep)>,
}

impl CreatedFilter {
    pub(crate) fn parse(query: &Query) -> Result<Self, ApiError> {
        let mut bounds = Vec::new();
        let operators: [(&str, Keep); 4] = [
            ("gte", std::cmp::Ordering::is_ge),
            ("gt", std::cmp::Ordering::is_gt),
            ("lte", std::cmp::Ordering::is_le),
            ("lt", std::cmp::Ordering::is_lt),
        ];
        for (operator, keep) in operators {
            for key in [
                format!("created_at[{operator}]"),
                format!("created_at_{operator}"),
            ] {
                if let Some(raw) = query.get(&key) {
                    let time = crate::store::parse_time(raw).ok_or_else(|| {
                        ApiError::invalid(format!("{key}: `{raw}` is not an RFC 3339 time"))
                    })?;
                    bounds.push((time, keep));
                }
            }
        }
        Ok(Self { bounds })
    }

    /// Whether an object created at `created_at` is within the bounds.
    pub(crate) fn keeps(&self, created_at: &str) -> bool {
        if self.bounds.is_empty() {
            return true;
        }
        let Some(created) = crate::store::parse_time(created_at) else {
            return false;
        };
        self.bounds
            .iter()
            .all(|(bound, keep)| keep(created.cmp(bound)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(count: i64) -> Vec<Row<i64>> {
        (1..=count)
            .map(|seq| Row {
                seq,
                id: format!("id_{seq}"),
                value: seq,
            })
            .collect()
    }

    fn page(query: &str, rules: ListRules) -> Page<i64> {
        paginate(rows(5), &Query::parse(Some(query)), rules).unwrap()
    }

    #[test]
    fn pages_walk_forwards_and_backwards_in_both_orders() {
        let descending = ListRules::new(10);
        let first = page("limit=2", descending);
        assert_eq!(first.data, [5, 4]);
        assert_eq!(first.has_more, Some(true));
        let next = first.next_page.value().unwrap().clone();
        let second = page(&format!("limit=2&page={next}"), descending);
        assert_eq!(second.data, [3, 2]);
        assert_eq!(second.first_id.as_deref(), Some("id_3"));
        let previous = second.prev_page.clone().unwrap();
        assert_eq!(
            page(&format!("limit=2&page={previous}"), descending).data,
            [5, 4]
        );
        assert_eq!(page("limit=2&after_id=id_2", descending).data, [1]);
        let before = page("limit=2&before_id=id_2", descending);
        assert_eq!(before.data, [4, 3]);
        assert_eq!(before.has_more, Some(true), "id_5 comes before");

        let ascending = ListRules {
            descending: false,
            ..descending
        };
        assert_eq!(page("limit=2&after_id=id_2", ascending).data, [3, 4]);
        let last = page("limit=10&after_id=id_3", ascending);
        assert_eq!(last.data, [4, 5]);
        assert_eq!(last.next_page, managed_agents_types::Patch::Null);
        assert_eq!(last.has_more, Some(false));
    }

    #[test]
    fn limits_and_cursors_are_checked() {
        let rules = ListRules::new(3);
        for bad in [
            "limit=0",
            "limit=4",
            "limit=-1",
            "page=page_after_x",
            "before_id=id_9",
        ] {
            assert!(
                paginate(rows(2), &Query::parse(Some(bad)), rules).is_err(),
                "{bad}"
            );
        }
        let every = ListRules {
            default_limit: None,
            ..rules
        };
        assert_eq!(page("", every).data.len(), 5);
    }

    #[test]
    fn queries_keep_bracketed_keys_and_repeat_arrays() {
        let query = Query::parse(Some(
            "statuses[]=idle&statuses=running&created_at%5Bgte%5D=x",
        ));
        assert_eq!(query.all("statuses"), ["idle", "running"]);
        assert_eq!(query.get("created_at[gte]"), Some("x"));
        assert!(
            Query::parse(Some("include_archived=maybe"))
                .bool("include_archived")
                .is_err()
        );
    }
}
