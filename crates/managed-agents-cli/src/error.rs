//! The command-line tool's error: what failed, said in one or two lines, and its exit code.

use managed_agents_client::Error as ClientError;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum CliError {
    /// The API (or the client) reported an error.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The command line or an input file was not usable.
    #[error("{0}")]
    Usage(String),
    /// A local input (a file to upload or to read parameters from) could not be read.
    #[error("{context}: {source}")]
    Input {
        /// What was being read.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Writing a local file failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The emulator could not start.
    #[error("the emulator could not start: {0}")]
    Emulator(String),
    /// A quickstart step did not behave as the spec says.
    #[error("quickstart step {step} ({name}) failed: {message}")]
    Step {
        /// The step number, from the spec's worked flow.
        step: u8,
        /// The step's name.
        name: &'static str,
        /// What went wrong.
        message: String,
    },
}

impl CliError {
    /// A usage error.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self::Usage(message.into())
    }

    /// An unreadable input, with what was being read.
    pub(crate) fn input(context: impl Into<String>, source: std::io::Error) -> Self {
        Self::Input {
            context: context.into(),
            source,
        }
    }

    /// An emulator that could not start, with every cause in the message (such as the reason
    /// a folder could not be created), since the emulator's own message is only the first
    /// line of the story.
    pub(crate) fn emulator(error: &managed_agents_emulator::EmulatorError) -> Self {
        let mut text = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            text.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        Self::Emulator(text)
    }

    /// An I/O error with what was being done.
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            context: context.into(),
            source,
        }
    }

    /// The exit code: 2 for a bad command line or input (rejected before anything was sent),
    /// 1 for everything else.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) | Self::Input { .. } => 2,
            // A malformed setting (the base URL, a header) is refused before anything is sent.
            Self::Client(ClientError::Validation(_) | ClientError::Config(_)) => 2,
            _ => 1,
        }
    }

    /// The text printed on stderr: status, error type, message and request id for API
    /// errors; never a key or a token, since neither ever reaches an error.
    pub(crate) fn report(&self) -> String {
        match self {
            Self::Client(error) => client_report(error),
            other => format!("error: {other}"),
        }
    }
}

fn client_report(error: &ClientError) -> String {
    match error.api() {
        Some(api) => {
            let error_type = api
                .error_type
                .as_ref()
                .map_or("unknown_error", |kind| kind.as_str());
            let request_id = api.request_id.as_deref().unwrap_or("none");
            format!(
                "error: {} {error_type}: {}\n  request id: {request_id}",
                api.status, api.message
            )
        }
        None => {
            let mut text = format!("error: {error}");
            let mut source = std::error::Error::source(error);
            while let Some(cause) = source {
                text.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            text
        }
    }
}
