//! Stopping a served emulator on SIGINT or SIGTERM.

/// SIGINT and SIGTERM handlers. Install them before announcing the server, so that a signal
/// sent right after the announcement still shuts it down cleanly.
#[cfg(unix)]
#[derive(Debug)]
pub struct StopSignals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl StopSignals {
    /// Installs the handlers.
    pub fn install() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    /// Waits for SIGINT or SIGTERM.
    pub async fn wait(mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
    }
}

/// Ctrl-C, where there are no Unix signals.
#[cfg(not(unix))]
#[derive(Debug)]
pub struct StopSignals;

#[cfg(not(unix))]
impl StopSignals {
    /// Nothing to install.
    pub fn install() -> std::io::Result<Self> {
        Ok(Self)
    }

    /// Waits for Ctrl-C.
    pub async fn wait(self) {
        let _ = tokio::signal::ctrl_c().await;
    }
}
