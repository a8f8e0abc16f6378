//! The client options and per-call options, as the JS glue passes them (JSON text with the
//! official SDK's option names).

use std::collections::BTreeMap;
use std::time::Duration;

use managed_agents_client::{ClientConfig, Credentials, RequestOptions};
use managed_agents_types::Secret;
use serde::Deserialize;

use crate::error::BindingError;

/// The header that tells the API a browser is calling it directly.
const BROWSER_ACCESS_HEADER: &str = "anthropic-dangerous-direct-browser-access";

/// The options of `new ManagedAgents({...})`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ClientOptions {
    api_key: Option<String>,
    auth_token: Option<String>,
    #[serde(rename = "baseURL")]
    base_url: Option<String>,
    max_retries: Option<u32>,
    /// Milliseconds per attempt.
    timeout: Option<f64>,
    #[serde(default)]
    default_headers: BTreeMap<String, String>,
    #[serde(default)]
    betas: Vec<String>,
    #[serde(default)]
    dangerously_allow_browser: bool,
}

impl ClientOptions {
    /// Parses the options' JSON text.
    pub(crate) fn parse(json: &str) -> Result<Self, BindingError> {
        serde_json::from_slice(json.as_bytes())
            .map_err(|error| BindingError::argument("options", error))
    }

    /// Whether the caller opted in to calling the API from a browser.
    pub(crate) fn browser_access(&self) -> bool {
        self.dangerously_allow_browser
    }

    /// The client settings; fails without credentials.
    pub(crate) fn into_config(self) -> Result<ClientConfig, BindingError> {
        let credentials = match (self.api_key, self.auth_token) {
            (Some(key), _) if !key.is_empty() => Credentials::ApiKey(Secret::new(key)),
            (_, Some(token)) if !token.is_empty() => Credentials::BearerToken(Secret::new(token)),
            _ => {
                return Err(BindingError::argument(
                    "apiKey",
                    "no credentials: pass `apiKey` (or `authToken`), or set ANTHROPIC_API_KEY",
                ));
            }
        };
        let mut config = ClientConfig::new(credentials);
        if let Some(base_url) = self.base_url {
            config.base_url = base_url.trim_end_matches('/').to_owned();
        }
        if let Some(max_retries) = self.max_retries {
            config.max_retries = max_retries;
        }
        if let Some(timeout) = self.timeout {
            config.timeout = milliseconds("timeout", timeout)?;
        }
        config.betas = self.betas;
        if self.dangerously_allow_browser {
            config
                .default_headers
                .push((BROWSER_ACCESS_HEADER.to_owned(), "true".to_owned()));
        }
        config.default_headers.extend(self.default_headers);
        Ok(config)
    }
}

/// The per-call options (the official SDK's `RequestOptions` subset that applies here).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CallOptions {
    /// Milliseconds per attempt.
    timeout: Option<f64>,
    max_retries: Option<u32>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    betas: Vec<String>,
}

/// Parses per-call options; none when `json` is `None`.
pub(crate) fn request_options(json: Option<&str>) -> Result<RequestOptions, BindingError> {
    let Some(json) = json else {
        return Ok(RequestOptions::default());
    };
    let options: CallOptions = serde_json::from_slice(json.as_bytes())
        .map_err(|error| BindingError::argument("options", error))?;
    let timeout = options
        .timeout
        .map(|timeout| milliseconds("options.timeout", timeout))
        .transpose()?;
    Ok(RequestOptions {
        headers: options.headers.into_iter().collect(),
        betas: options.betas,
        timeout,
        max_retries: options.max_retries,
    })
}

/// A duration from a number of milliseconds, which must be finite and more than 0.
fn milliseconds(field: &str, value: f64) -> Result<Duration, BindingError> {
    if value.is_finite() && value > 0.0 {
        Ok(Duration::from_millis(value as u64))
    } else {
        Err(BindingError::argument(
            field,
            "must be a number of milliseconds, more than 0",
        ))
    }
}
