//! Lists as lazy streams of items, page after page, driven by the types crate's
//! [`PageWalker`] so that both envelopes are followed and a faulty server ends the stream
//! with an error instead of a loop.

use std::collections::VecDeque;

use futures_core::Stream;
use managed_agents_types::endpoints::Endpoint;
use managed_agents_types::{Cursor, Page, PageWalker, ValidationError};
use serde::de::DeserializeOwned;

use crate::config::RequestOptions;
use crate::core::Client;
use crate::error::Error;
use crate::transport::{MaybeSend, Transport};

struct Walk<T: Transport, I, F> {
    client: Client<T>,
    options: RequestOptions,
    walker: PageWalker,
    items: VecDeque<I>,
    pending_error: Option<Error>,
    failed: bool,
    make_endpoint: F,
}

/// A stream of every item of a list, starting at `start`. `make_endpoint` describes the
/// request for a page given its cursor. Pages are fetched only when the items before them
/// have been taken.
pub(crate) fn item_stream<T, I, F>(
    client: &Client<T>,
    options: &RequestOptions,
    start: Option<Cursor>,
    make_endpoint: F,
) -> impl Stream<Item = Result<I, Error>> + MaybeSend + 'static
where
    T: Transport,
    I: DeserializeOwned + MaybeSend + 'static,
    F: Fn(Option<&Cursor>) -> Result<Endpoint<Page<I>>, ValidationError> + MaybeSend + 'static,
{
    let walk = Walk {
        client: client.clone(),
        options: options.clone(),
        walker: PageWalker::new(start),
        items: VecDeque::new(),
        pending_error: None,
        failed: false,
        make_endpoint,
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
            match next_page(&mut walk).await {
                Ok(items) => walk.items.extend(items),
                Err(error) => walk.pending_error = Some(error),
            }
        }
    })
}

/// Fetches the next page and advances the walker. A page the walker cannot follow still
/// yields its items; the error comes after them.
async fn next_page<T, I, F>(walk: &mut Walk<T, I, F>) -> Result<Vec<I>, Error>
where
    T: Transport,
    I: DeserializeOwned,
    F: Fn(Option<&Cursor>) -> Result<Endpoint<Page<I>>, ValidationError>,
{
    let endpoint = match (walk.make_endpoint)(walk.walker.cursor()) {
        Ok(endpoint) => endpoint,
        Err(error) => {
            walk.failed = true;
            return Err(error.into());
        }
    };
    let page = match walk.client.call(endpoint, &walk.options).await {
        Ok(page) => page,
        Err(error) => {
            walk.failed = true;
            return Err(error);
        }
    };
    if let Err(error) = walk.walker.advance(&page) {
        walk.pending_error = Some(error.into());
    }
    Ok(page.data)
}
