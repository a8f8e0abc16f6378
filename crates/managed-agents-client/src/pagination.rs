//! Lists as lazy streams of items, page after page, driven by the types crate's
//! [`PageWalker`] so that both envelopes are followed and a faulty server ends the stream
//! with an error instead of a loop. The typed lists and the raw ones (see [`crate::raw`])
//! share one walk; they differ only in how a page is fetched and decoded.

use std::collections::VecDeque;
use std::future::Future;

use futures_core::Stream;
use managed_agents_types::endpoints::Endpoint;
use managed_agents_types::{Cursor, ListParams, Page, PageWalker, ValidationError};
use serde::de::DeserializeOwned;

use crate::config::RequestOptions;
use crate::core::Client;
use crate::error::Error;
use crate::transport::{MaybeSend, Transport};

/// A stream of every item of the list that `params` selects, from `params`' cursor on.
/// `list` describes the request for one page given the parameters with that page's cursor.
/// Pages are fetched only when the items before them have been taken.
pub(crate) fn list_stream<T, P, I>(
    client: &Client<T>,
    options: &RequestOptions,
    params: &P,
    list: impl Fn(&P) -> Result<Endpoint<Page<I>>, ValidationError> + MaybeSend + 'static,
) -> impl Stream<Item = Result<I, Error>> + MaybeSend + 'static
where
    T: Transport,
    P: ListParams + MaybeSend + 'static,
    I: DeserializeOwned + MaybeSend + 'static,
{
    let client = client.clone();
    let options = options.clone();
    let params = params.clone();
    walk(params.cursor().cloned(), move |cursor| {
        let endpoint = list(&params.with_cursor(cursor));
        let client = client.clone();
        let options = options.clone();
        async move { client.call(endpoint?, &options).await }
    })
}

/// The state of a walk through a list.
struct Walk<I, F> {
    walker: PageWalker,
    items: VecDeque<I>,
    pending_error: Option<Error>,
    failed: bool,
    fetch_page: F,
}

/// A stream of every item of a list, starting at `start`; `fetch_page` fetches the page at a
/// cursor. A failure to fetch ends the stream with that error; a page the walker cannot
/// follow still yields its items, then the error.
pub(crate) fn walk<I, F, Fut>(
    start: Option<Cursor>,
    fetch_page: F,
) -> impl Stream<Item = Result<I, Error>> + MaybeSend + 'static
where
    I: MaybeSend + 'static,
    F: Fn(Option<&Cursor>) -> Fut + MaybeSend + 'static,
    Fut: Future<Output = Result<Page<I>, Error>> + MaybeSend,
{
    let walk = Walk {
        walker: PageWalker::new(start),
        items: VecDeque::new(),
        pending_error: None,
        failed: false,
        fetch_page,
    };
    futures_util::stream::unfold(walk, |mut walk| async move {
        loop {
            if let Some(item) = walk.items.pop_front() {
                return Some((Ok(item), walk));
            }
            if let Some(error) = walk.pending_error.take() {
                return Some((Err(error), walk));
            }
            if walk.failed || walk.walker.is_finished() {
                return None;
            }
            match (walk.fetch_page)(walk.walker.cursor()).await {
                Ok(page) => {
                    if let Err(error) = walk.walker.advance(&page) {
                        walk.pending_error = Some(error.into());
                    }
                    walk.items.extend(page.data);
                }
                Err(error) => {
                    walk.failed = true;
                    walk.pending_error = Some(error);
                }
            }
        }
    })
}
