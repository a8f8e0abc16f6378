//! List envelopes and the pure logic of walking them (spec section 2).
//!
//! Two envelopes exist: the cursor one (`next_page`) and the id one (`has_more`, `first_id`,
//! `last_id`). [`Page`] decodes both, and the superset the emulator answers. [`PageWalker`]
//! decides, page after page, what to ask for next, and stops with an error instead of looping
//! when a server repeats a cursor or claims more pages without saying where they start.

use std::collections::HashSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::patch::Patch;

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cursor {
    /// The cursor scheme: a `next_page` value from the previous page.
    Page(String),
    /// The id scheme, forwards: items after this ID.
    AfterId(String),
    /// The id scheme, backwards: items before this ID.
    BeforeId(String),
}

impl Cursor {
    /// The query pair that selects this page.
    pub fn query_pair(&self) -> (&'static str, &str) {
        match self {
            Self::Page(page) => ("page", page),
            Self::AfterId(id) => ("after_id", id),
            Self::BeforeId(id) => ("before_id", id),
        }
    }
}

/// One page of a list: the superset of both envelopes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Page<T> {
    /// The items.
    pub data: Vec<T>,
    /// The cursor scheme's next page: null on its last page, left out by the id scheme, so
    /// that a page re-encodes exactly as it was received.
    #[serde(default, skip_serializing_if = "Patch::is_omitted")]
    pub next_page: Patch<String>,
    /// The cursor scheme's previous page (sessions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev_page: Option<String>,
    /// The id scheme: whether more items follow in the walk's direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_more: Option<bool>,
    /// The id scheme: the ID of the first item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_id: Option<String>,
    /// The id scheme: the ID of the last item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_id: Option<String>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            data: Vec::new(),
            next_page: Patch::Omitted,
            prev_page: None,
            has_more: None,
            first_id: None,
            last_id: None,
        }
    }
}

/// A server answered a page that cannot be followed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaginationError {
    /// The server gave a cursor that was already used: following it would loop.
    #[error("the server repeated the page cursor `{0}`; stopping instead of looping")]
    RepeatedCursor(String),
    /// `has_more` was true but the ID to continue from was missing.
    #[error("the server said more items follow but gave no `{0}` to continue from")]
    MissingId(&'static str),
}

/// Walks a list page by page: give it each page, it tells where the next one starts.
#[derive(Debug, Clone, Default)]
pub struct PageWalker {
    current: Option<Cursor>,
    seen: HashSet<Cursor>,
    finished: bool,
}

impl PageWalker {
    /// A walk starting at `start` (the first page when `None`).
    pub fn new(start: Option<Cursor>) -> Self {
        let seen = start.iter().cloned().collect();
        Self {
            current: start,
            seen,
            finished: false,
        }
    }

    /// The cursor of the page to fetch next.
    pub fn cursor(&self) -> Option<&Cursor> {
        self.current.as_ref()
    }

    /// True once the last page has been seen.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Takes the page just fetched and works out the next cursor; returns whether another page
    /// should be fetched.
    pub fn advance<T>(&mut self, page: &Page<T>) -> Result<bool, PaginationError> {
        let next = self.next_cursor(page);
        let next = match next {
            Ok(next) => next,
            Err(error) => {
                self.finished = true;
                return Err(error);
            }
        };
        match next {
            None => {
                self.finished = true;
                Ok(false)
            }
            Some(cursor) if !self.seen.insert(cursor.clone()) => {
                self.finished = true;
                Err(PaginationError::RepeatedCursor(
                    cursor.query_pair().1.to_owned(),
                ))
            }
            Some(cursor) => {
                self.current = Some(cursor);
                Ok(true)
            }
        }
    }

    fn next_cursor<T>(&self, page: &Page<T>) -> Result<Option<Cursor>, PaginationError> {
        if page.data.is_empty() {
            return Ok(None);
        }
        if let Some(next) = page.next_page.value().filter(|next| !next.is_empty()) {
            return Ok(Some(Cursor::Page(next.to_owned())));
        }
        if page.has_more != Some(true) {
            return Ok(None);
        }
        if matches!(self.current, Some(Cursor::BeforeId(_))) {
            let first = page
                .first_id
                .clone()
                .ok_or(PaginationError::MissingId("first_id"))?;
            Ok(Some(Cursor::BeforeId(first)))
        } else {
            let last = page
                .last_id
                .clone()
                .ok_or(PaginationError::MissingId("last_id"))?;
            Ok(Some(Cursor::AfterId(last)))
        }
    }
}

/// The parameters of a list, which all carry the cursor of the page to start at, so that one
/// walk can ask for every page of any list.
pub trait ListParams: Clone {
    /// The cursor of the first page asked for (the list's start when `None`).
    fn cursor(&self) -> Option<&Cursor>;

    /// Sets the cursor of the page to ask for.
    fn set_cursor(&mut self, cursor: Option<Cursor>);

    /// A copy of these parameters asking for the page at `cursor`.
    fn with_cursor(&self, cursor: Option<&Cursor>) -> Self {
        let mut params = self.clone();
        params.set_cursor(cursor.cloned());
        params
    }
}

macro_rules! list_params {
    ($($params:ty),* $(,)?) => {$(
        impl ListParams for $params {
            fn cursor(&self) -> Option<&Cursor> {
                self.cursor.as_ref()
            }

            fn set_cursor(&mut self, cursor: Option<Cursor>) {
                self.cursor = cursor;
            }
        }
    )*};
}

list_params!(
    crate::environments::EnvironmentListParams,
    crate::agents::AgentListParams,
    crate::vaults::VaultListParams,
    crate::memory_stores::MemoryStoreListParams,
    crate::sessions::SessionListParams,
    crate::resources::SessionResourceListParams,
    crate::files::FileListParams,
);

#[cfg(test)]
mod tests {
    use super::*;

    fn page(
        data: &[u8],
        next_page: Option<&str>,
        has_more: Option<bool>,
        last: Option<&str>,
    ) -> Page<u8> {
        Page {
            data: data.to_vec(),
            next_page: next_page.map(str::to_owned).into(),
            has_more,
            first_id: last.map(|_| "first".to_owned()),
            last_id: last.map(str::to_owned),
            ..Page::default()
        }
    }

    #[test]
    fn follows_next_page_then_stops() {
        let mut walker = PageWalker::new(None);
        assert!(
            walker
                .advance(&page(&[1], Some("page_2"), None, None))
                .unwrap()
        );
        assert_eq!(walker.cursor(), Some(&Cursor::Page("page_2".into())));
        assert!(!walker.advance(&page(&[2], None, None, None)).unwrap());
        assert!(walker.is_finished());
    }

    #[test]
    fn follows_ids_both_ways() {
        let mut walker = PageWalker::new(None);
        assert!(
            walker
                .advance(&page(&[1], None, Some(true), Some("env_2")))
                .unwrap()
        );
        assert_eq!(walker.cursor(), Some(&Cursor::AfterId("env_2".into())));

        let mut backwards = PageWalker::new(Some(Cursor::BeforeId("env_9".into())));
        assert!(
            backwards
                .advance(&page(&[1], None, Some(true), Some("env_5")))
                .unwrap()
        );
        assert_eq!(backwards.cursor(), Some(&Cursor::BeforeId("first".into())));
    }

    #[test]
    fn stops_on_faulty_servers() {
        let mut walker = PageWalker::new(None);
        assert!(
            walker
                .advance(&page(&[1], Some("page_a"), None, None))
                .unwrap()
        );
        let error = walker
            .advance(&page(&[1], Some("page_a"), None, None))
            .unwrap_err();
        assert_eq!(error, PaginationError::RepeatedCursor("page_a".into()));

        let mut walker = PageWalker::new(None);
        let error = walker
            .advance(&page(&[1], None, Some(true), None))
            .unwrap_err();
        assert_eq!(error, PaginationError::MissingId("last_id"));
    }

    #[test]
    fn an_empty_page_ends_the_walk() {
        let mut walker = PageWalker::new(None);
        assert!(
            !walker
                .advance(&page(&[], Some("page_2"), Some(true), Some("x")))
                .unwrap()
        );
    }

    #[test]
    fn list_params_ask_for_the_page_at_a_cursor() {
        let params = crate::sessions::SessionListParams {
            limit: Some(5),
            ..Default::default()
        };
        let moved = params.with_cursor(Some(&Cursor::Page("page_2".into())));
        assert_eq!(moved.cursor(), Some(&Cursor::Page("page_2".into())));
        assert_eq!(moved.limit, Some(5));
        assert_eq!(params.cursor(), None);
        assert_eq!(moved.with_cursor(None).cursor(), None);
    }
}
