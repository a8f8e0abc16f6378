//! Lists as streams of items that JavaScript reads one at a time (the JS glue makes them async
//! iterables). Pages are fetched by the client core's page walk, only when the items before
//! them have been read. Each group's list is compiled in only with its cargo feature.

// With a group left out, the query fields and helpers only its list uses are unused.
#![cfg_attr(
    groups_left_out,
    allow(
        dead_code,
        unused_imports,
        unused_variables,
        unreachable_code,
        unused_macros
    )
)]

use std::cell::RefCell;
use std::pin::Pin;
use std::rc::Rc;

use futures_util::{Stream, StreamExt};
use managed_agents_client::{Client, RawJson, RequestOptions};
use managed_agents_fetch::FetchTransport;
use managed_agents_types::common::{Order, Timestamp};
use managed_agents_types::endpoints::{self, Endpoint};
use managed_agents_types::ids::{AgentId, SessionId};
use managed_agents_types::sessions::SessionStatus;
use managed_agents_types::{
    Cursor, ListParams, Page, ValidationError, agents, environments, files,
};
use managed_agents_types::{memory_stores, resources, sessions, vaults};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::future_to_promise;

use crate::error::{BindingError, into_js};
use crate::options::request_options;

type ItemJson = Result<RawJson, BindingError>;
type BoxedItems = Pin<Box<dyn Stream<Item = ItemJson>>>;

/// The items of one list as JSON text, read with [`ItemStream::next`].
#[wasm_bindgen]
pub struct ItemStream {
    /// `None` while a read is in progress.
    items: Rc<RefCell<Option<BoxedItems>>>,
}

#[wasm_bindgen]
impl ItemStream {
    /// Resolves to the next item's JSON text, or to `undefined` after the last one. Reads
    /// must not overlap: a second read while one is pending is rejected.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&self) -> js_sys::Promise {
        let slot = Rc::clone(&self.items);
        future_to_promise(async move {
            let Some(mut items) = slot.borrow_mut().take() else {
                return Err(into_js(BindingError::argument(
                    "list",
                    "a read of this list is already in progress; await it first",
                )));
            };
            let next = items.next().await;
            *slot.borrow_mut() = Some(items);
            match next {
                Some(Ok(json)) => Ok(JsValue::from_str(json.get())),
                Some(Err(error)) => Err(into_js(error)),
                None => Ok(JsValue::UNDEFINED),
            }
        })
    }
}

/// The query of any list, with the official SDK's parameter names; each list takes the fields
/// that apply to it and refuses the others.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    limit: Option<u32>,
    page: Option<String>,
    after_id: Option<String>,
    before_id: Option<String>,
    include_archived: Option<bool>,
    order: Option<Order>,
    agent_id: Option<String>,
    statuses: Option<Vec<SessionStatus>>,
    #[serde(rename = "created_at[gte]")]
    created_at_gte: Option<Timestamp>,
    #[serde(rename = "created_at[gt]")]
    created_at_gt: Option<Timestamp>,
    #[serde(rename = "created_at[lte]")]
    created_at_lte: Option<Timestamp>,
    #[serde(rename = "created_at[lt]")]
    created_at_lt: Option<Timestamp>,
    scope_id: Option<String>,
}

impl ListQuery {
    fn parse(json: Option<&str>) -> Result<Self, BindingError> {
        match json {
            None => Ok(Self::default()),
            Some(json) => serde_json::from_slice(json.as_bytes())
                .map_err(|error| BindingError::argument("params", error)),
        }
    }

    /// Fails when a field outside `allowed` is set (the cursor fields are always allowed).
    fn only(&self, list: &str, allowed: &[&str]) -> Result<(), BindingError> {
        let set = [
            ("include_archived", self.include_archived.is_some()),
            ("order", self.order.is_some()),
            ("agent_id", self.agent_id.is_some()),
            ("statuses", self.statuses.is_some()),
            ("created_at[gte]", self.created_at_gte.is_some()),
            ("created_at[gt]", self.created_at_gt.is_some()),
            ("created_at[lte]", self.created_at_lte.is_some()),
            ("created_at[lt]", self.created_at_lt.is_some()),
            ("scope_id", self.scope_id.is_some()),
        ];
        match set
            .iter()
            .find(|(name, is_set)| *is_set && !allowed.contains(name))
        {
            Some((name, _)) => Err(BindingError::argument(
                format!("params.{name}"),
                format!("{list} does not take `{name}`"),
            )),
            None => Ok(()),
        }
    }

    /// Where the walk starts: at most one of `page`, `after_id` and `before_id`.
    fn cursor(&self) -> Result<Option<Cursor>, BindingError> {
        let cursors = [
            self.page.clone().map(Cursor::Page),
            self.after_id.clone().map(Cursor::AfterId),
            self.before_id.clone().map(Cursor::BeforeId),
        ];
        let mut given = cursors.into_iter().flatten();
        let first = given.next();
        if given.next().is_some() {
            return Err(BindingError::argument(
                "params",
                "give at most one of `page`, `after_id` and `before_id`",
            ));
        }
        Ok(first)
    }
}

/// The raw page walk of a list whose page at a cursor is `list(params with that cursor)`.
fn walk<P, O>(
    client: &Client<FetchTransport>,
    options: &RequestOptions,
    params: P,
    list: impl Fn(&P) -> Result<Endpoint<Page<O>>, ValidationError> + 'static,
) -> BoxedItems
where
    P: ListParams + 'static,
    O: 'static,
{
    let start = params.cursor().cloned();
    let stream = client.list_raw_stream(options, start, move |cursor| {
        list(&params.with_cursor(cursor))
    });
    Box::pin(stream.map(|item| item.map_err(BindingError::Client)))
}

/// Opens the list `operation` (for example `environments.list`).
pub(crate) fn open(
    client: &Client<FetchTransport>,
    operation: &str,
    session_id: Option<&str>,
    params: Option<&str>,
    options: Option<&str>,
) -> Result<ItemStream, BindingError> {
    let query = ListQuery::parse(params)?;
    let options = request_options(options)?;
    let cursor = query.cursor()?;
    // The lists that take a page and `include_archived` only.
    macro_rules! archivable {
        ($module:ident :: $params:ident, $endpoint:path) => {{
            query.only(operation, &["include_archived"])?;
            let params = $module::$params {
                limit: query.limit,
                cursor,
                include_archived: query.include_archived,
            };
            walk(client, &options, params, $endpoint)
        }};
    }
    let items = match operation {
        #[cfg(feature = "environments")]
        "environments.list" => archivable!(
            environments::EnvironmentListParams,
            endpoints::environments::list
        ),
        #[cfg(feature = "agents")]
        "agents.list" => archivable!(agents::AgentListParams, endpoints::agents::list),
        #[cfg(feature = "vaults")]
        "vaults.list" => archivable!(vaults::VaultListParams, endpoints::vaults::list),
        #[cfg(feature = "memory-stores")]
        "memoryStores.list" => archivable!(
            memory_stores::MemoryStoreListParams,
            endpoints::memory_stores::list
        ),
        #[cfg(feature = "sessions")]
        "sessions.list" => {
            query.only(
                operation,
                &[
                    "include_archived",
                    "order",
                    "agent_id",
                    "statuses",
                    "created_at[gte]",
                    "created_at[gt]",
                    "created_at[lte]",
                    "created_at[lt]",
                ],
            )?;
            let agent_id = query
                .agent_id
                .map(AgentId::new)
                .transpose()
                .map_err(|error| BindingError::id("params.agent_id", error))?;
            let params = sessions::SessionListParams {
                limit: query.limit,
                cursor,
                order: query.order,
                include_archived: query.include_archived,
                agent_id,
                statuses: query.statuses.unwrap_or_default(),
                created_at_gte: query.created_at_gte,
                created_at_gt: query.created_at_gt,
                created_at_lte: query.created_at_lte,
                created_at_lt: query.created_at_lt,
            };
            walk(client, &options, params, endpoints::sessions::list)
        }
        #[cfg(feature = "sessions")]
        "sessions.resources.list" => {
            query.only(operation, &[])?;
            let session = session_id
                .ok_or_else(|| BindingError::argument("session_id", "this list needs a session"))
                .and_then(|id| {
                    SessionId::new(id).map_err(|error| BindingError::id("session_id", error))
                })?;
            let params = resources::SessionResourceListParams {
                limit: query.limit,
                cursor,
            };
            let list = move |params: &resources::SessionResourceListParams| {
                endpoints::session_resources::list(&session, params)
            };
            walk(client, &options, params, list)
        }
        #[cfg(feature = "files")]
        "files.list" => {
            query.only(operation, &["scope_id"])?;
            let scope_id = query
                .scope_id
                .map(SessionId::new)
                .transpose()
                .map_err(|error| BindingError::id("params.scope_id", error))?;
            let params = files::FileListParams {
                limit: query.limit,
                cursor,
                scope_id,
            };
            walk(client, &options, params, endpoints::files::list)
        }
        other => {
            let group = other.strip_suffix(".list").unwrap_or(other);
            return Err(crate::dispatch::unavailable(group).unwrap_or_else(|| {
                BindingError::argument("operation", format!("`{other}` is not a list"))
            }));
        }
    };
    Ok(ItemStream {
        items: Rc::new(RefCell::new(Some(items))),
    })
}
