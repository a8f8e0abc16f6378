//! The accept loop: one HTTP/1.1 connection task per client, each of which a fault can close
//! without an answer, and whose stream envelopes hyper's own error answers.

use std::net::SocketAddr;
use std::sync::Arc;

use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;

use crate::connection::{EnvelopedIo, InFlight};
use crate::error::EmulatorError;
use crate::gateway::{AppState, router};

/// Closes the connection a request arrived on, without an answer.
#[derive(Debug, Clone)]
pub(crate) struct ConnectionKill(Arc<Notify>);

impl ConnectionKill {
    pub(crate) fn kill(&self) {
        self.0.notify_one();
    }
}

/// A bound, serving listener.
#[derive(Debug)]
pub(crate) struct Server {
    local_addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Server {
    pub(crate) async fn bind(
        addr: SocketAddr,
        state: Arc<AppState>,
    ) -> Result<Self, EmulatorError> {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| EmulatorError::Io {
                context: format!("cannot listen on {addr}"),
                source,
            })?;
        let local_addr = listener.local_addr().map_err(|source| EmulatorError::Io {
            context: "cannot read the listening address".to_owned(),
            source,
        })?;
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(accept_loop(listener, router(state), stopped));
        Ok(Self {
            local_addr,
            stop,
            task: Some(task),
        })
    }

    pub(crate) fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    pub(crate) async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

async fn accept_loop(
    listener: TcpListener,
    router: axum::Router,
    mut stopped: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, router.clone()));
                }
                Err(error) => {
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            },
            _ = stopped.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}

async fn serve_connection(stream: tokio::net::TcpStream, router: axum::Router) {
    let _ = stream.set_nodelay(true);
    let kill = Arc::new(Notify::new());
    let kill_handle = ConnectionKill(kill.clone());
    let in_flight = InFlight::default();
    let io = EnvelopedIo::new(stream, in_flight.clone());
    let service =
        hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(kill_handle.clone());
            let answer = router.clone().oneshot(request.map(axum::body::Body::new));
            let in_flight = in_flight.clone();
            async move {
                let response = answer.await?;
                Ok::<_, std::convert::Infallible>(response.map(|body| in_flight.track(body)))
            }
        });
    let connection = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(io), service);
    tokio::select! {
        result = connection => {
            if let Err(error) = result {
                tracing::debug!(%error, "connection ended with an error");
            }
        }
        _ = kill.notified() => {
            tracing::info!("connection dropped by a fault");
        }
    }
}
