//! Client settings (credentials, base URL, default headers, retries, timeouts) and the
//! per-call overrides in [`RequestOptions`].

use std::time::Duration;

use managed_agents_types::Secret;

use crate::error::ConfigError;

/// The API's address when nothing else is configured.
pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";
/// Retries after the first attempt, by default.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// How long one attempt may take, by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// How long connecting may take, by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// `base_url` as it may be shown: everything up to the last `@` masked (user info, in whatever
/// shape the URL has), any query or fragment replaced by `?…`.
fn base_url_for_display(base_url: &str) -> String {
    let shown = match base_url.rfind('@') {
        Some(at) => format!("***{}", &base_url[at..]),
        None => base_url.to_owned(),
    };
    match shown.find(['?', '#']) {
        Some(index) => format!("{}?…", &shown[..index]),
        None => shown,
    }
}

/// How the client authenticates.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// `x-api-key: <key>`.
    ApiKey(Secret),
    /// `Authorization: Bearer <token>`.
    BearerToken(Secret),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ApiKey(key) => write!(f, "ApiKey({key:?})"),
            Self::BearerToken(token) => write!(f, "BearerToken({token:?})"),
        }
    }
}

/// The settings of a client. Build one with [`ClientConfig::new`] or [`ClientConfig::from_env`]
/// and adjust it with the `with_*` methods.
///
/// `Debug` shows every setting but never a credential or a header value.
#[derive(Clone)]
pub struct ClientConfig {
    /// How to authenticate.
    pub credentials: Credentials,
    /// The base URL, without a trailing slash.
    pub base_url: String,
    /// Headers sent with every request (after the client's own, so they can override them).
    pub default_headers: Vec<(String, String)>,
    /// Beta values added to every request's `anthropic-beta`, after the endpoint's own.
    pub betas: Vec<String>,
    /// Retries after the first attempt; 0 disables retrying.
    pub max_retries: u32,
    /// How long one attempt may take to get its response head.
    pub timeout: Duration,
    /// How long connecting may take (used by transports that connect themselves).
    pub connect_timeout: Duration,
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let header_names: Vec<&str> = self
            .default_headers
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        f.debug_struct("ClientConfig")
            .field("credentials", &self.credentials)
            // Credentials in the URL are masked; a query (which may hold one) is left out.
            .field("base_url", &base_url_for_display(&self.base_url))
            .field("default_headers", &header_names)
            .field("betas", &self.betas)
            .field("max_retries", &self.max_retries)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .finish()
    }
}

impl ClientConfig {
    /// Settings with these credentials and every default.
    pub fn new(credentials: Credentials) -> Self {
        Self {
            credentials,
            base_url: DEFAULT_BASE_URL.to_owned(),
            default_headers: Vec::new(),
            betas: Vec::new(),
            max_retries: DEFAULT_MAX_RETRIES,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
        }
    }

    /// Settings with an API key.
    pub fn with_api_key(api_key: impl Into<Secret>) -> Self {
        Self::new(Credentials::ApiKey(api_key.into()))
    }

    /// Settings from `ANTHROPIC_API_KEY` (preferred) or `ANTHROPIC_AUTH_TOKEN`, and
    /// `ANTHROPIC_BASE_URL` when set. Fails when neither credential is set.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Self::from_env`], reading variables through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let present = |name: &str| lookup(name).filter(|value| !value.is_empty());
        let credentials = match (
            present("ANTHROPIC_API_KEY"),
            present("ANTHROPIC_AUTH_TOKEN"),
        ) {
            (Some(key), _) => Credentials::ApiKey(Secret::new(key)),
            (None, Some(token)) => Credentials::BearerToken(Secret::new(token)),
            (None, None) => {
                return Err(ConfigError(
                    "no credentials: set ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN".to_owned(),
                ));
            }
        };
        let mut config = Self::new(credentials);
        if let Some(base_url) = present("ANTHROPIC_BASE_URL") {
            config = config.with_base_url(base_url);
        }
        Ok(config)
    }

    /// Sets the base URL; a trailing slash is dropped.
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into().trim_end_matches('/').to_owned();
        self
    }

    /// Adds a header sent with every request.
    pub fn with_default_header(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Adds a beta value sent with every request.
    pub fn with_beta(mut self, beta: impl Into<String>) -> Self {
        self.betas.push(beta.into());
        self
    }

    /// Sets the number of retries; 0 disables retrying.
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Sets the per-attempt timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the connect timeout.
    pub fn with_connect_timeout(mut self, connect_timeout: Duration) -> Self {
        self.connect_timeout = connect_timeout;
        self
    }
}

/// Overrides for one call. Unset fields keep the client's settings; headers and betas are
/// added to the client's. The connect timeout belongs to the transport's connection pool and is
/// set per client only.
///
/// ```no_run
/// # async fn example(client: managed_agents_client::NativeClient)
/// #     -> Result<(), managed_agents_client::Error> {
/// use std::time::Duration;
/// use managed_agents_client::RequestOptions;
///
/// let options = RequestOptions::default()
///     .timeout(Duration::from_secs(30))
///     .max_retries(5)
///     .beta("some-new-beta-2026-01-01")
///     .header("x-trace-id", "abc");
/// let page = client.environments().with_options(options).list(&Default::default()).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Default)]
pub struct RequestOptions {
    /// Extra headers, sent last so they override the client's.
    pub headers: Vec<(String, String)>,
    /// Extra beta values, merged after the endpoint's and the client's.
    pub betas: Vec<String>,
    /// The per-attempt timeout for this call.
    pub timeout: Option<Duration>,
    /// The number of retries for this call.
    pub max_retries: Option<u32>,
}

impl std::fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("headers", &header_names)
            .field("betas", &self.betas)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .finish()
    }
}

impl RequestOptions {
    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a beta value.
    pub fn beta(mut self, beta: impl Into<String>) -> Self {
        self.betas.push(beta.into());
        self
    }

    /// Sets the per-attempt timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the number of retries.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_is_read_in_order() {
        let lookup = |name: &str| match name {
            "ANTHROPIC_API_KEY" => Some("sk-key".to_owned()),
            "ANTHROPIC_AUTH_TOKEN" => Some("tok".to_owned()),
            "ANTHROPIC_BASE_URL" => Some("http://127.0.0.1:9/".to_owned()),
            _ => None,
        };
        let config = ClientConfig::from_lookup(lookup).unwrap();
        assert_eq!(
            config.credentials,
            Credentials::ApiKey(Secret::new("sk-key"))
        );
        assert_eq!(config.base_url, "http://127.0.0.1:9");

        let token_only = |name: &str| (name == "ANTHROPIC_AUTH_TOKEN").then(|| "tok".to_owned());
        let config = ClientConfig::from_lookup(token_only).unwrap();
        assert_eq!(
            config.credentials,
            Credentials::BearerToken(Secret::new("tok"))
        );
        assert_eq!(config.base_url, DEFAULT_BASE_URL);
        assert!(ClientConfig::from_lookup(|_| None).is_err());
    }

    #[test]
    fn debug_hides_secrets_and_header_values() {
        let config = ClientConfig::with_api_key("sk-very-secret")
            .with_default_header("x-custom-auth", "hidden-value");
        let options = RequestOptions::default().header("x-other", "hidden-too");
        let printed = format!("{config:?} {config:#?} {options:?}");
        assert!(!printed.contains("very-secret"));
        assert!(!printed.contains("hidden"));
        assert!(printed.contains("x-custom-auth"));
    }
}
