//! The global JavaScript functions the transport needs: `fetch`, timers, and where it runs.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::RequestInit;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(input: &str, init: &RequestInit) -> Promise;

    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, milliseconds: f64) -> JsValue;

    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
}

/// Starts the global `fetch`.
pub(crate) fn fetch(url: &str, init: &RequestInit) -> Promise {
    global_fetch(url, init)
}

/// Milliseconds for a JS timer, capped at the largest delay timers accept (about 24.8 days).
fn milliseconds(duration: Duration) -> f64 {
    (duration.as_millis() as f64).min(2_147_483_647.0)
}

/// Waits for `duration` on a JS timer.
pub(crate) async fn sleep(duration: Duration) {
    let delay = milliseconds(duration);
    let promise = Promise::new(&mut |resolve, _reject| {
        set_timeout(&resolve, delay);
    });
    // The promise only ever resolves.
    let _ = JsFuture::from(promise).await;
}

/// A JS timer that runs an action once unless dropped first.
pub(crate) struct Deadline {
    handle: JsValue,
    fired: Rc<Cell<bool>>,
    _action: Closure<dyn FnMut()>,
}

impl Deadline {
    /// Runs `action` after `duration`, unless the deadline is dropped before.
    pub(crate) fn start(duration: Duration, action: impl FnOnce() + 'static) -> Self {
        let fired = Rc::new(Cell::new(false));
        let flag = Rc::clone(&fired);
        let mut action = Some(action);
        let closure = Closure::<dyn FnMut()>::new(move || {
            flag.set(true);
            if let Some(action) = action.take() {
                action();
            }
        });
        let handle = set_timeout(closure.as_ref().unchecked_ref(), milliseconds(duration));
        Self {
            handle,
            fired,
            _action: closure,
        }
    }

    /// True once the action has run.
    pub(crate) fn has_fired(&self) -> bool {
        self.fired.get()
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        clear_timeout(&self.handle);
    }
}

/// True in a page or a web worker, where the same-origin policy applies to `fetch`.
pub(crate) fn is_browser() -> bool {
    let global = js_sys::global();
    has(&global, "document") || has(&global, "importScripts")
}

/// True when `url` is not on the origin of the page or worker that runs this code.
pub(crate) fn is_cross_origin(url: &str) -> bool {
    let global = js_sys::global();
    let origin = Reflect::get(&global, &JsValue::from_str("location"))
        .ok()
        .filter(|location| location.is_object())
        .and_then(|location| Reflect::get(&location, &JsValue::from_str("origin")).ok())
        .and_then(|origin| origin.as_string());
    match origin {
        Some(origin) => {
            let rest = url.strip_prefix(origin.as_str());
            !rest.is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        }
        None => true,
    }
}

fn has(object: &JsValue, key: &str) -> bool {
    Reflect::has(object, &JsValue::from_str(key)).unwrap_or(false)
}
