//! The client of the desktop shell's socket API (sidecar → shell).

use std::path::PathBuf;
use std::time::Duration;

use axum::http::{Method, Request, StatusCode, header};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use rpma_shell_protocol::{ShellErrorEnvelope, ShellResponse, ShellToken};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// How long the shell has to answer.
pub const SHELL_DEADLINE: Duration = Duration::from_secs(1);

/// Talks to the shell over its socket with the token the shell gave us (held as a
/// [`ShellToken`], whose `Debug` never shows it).
#[derive(Clone)]
pub struct ShellClient {
    socket: PathBuf,
    token: ShellToken,
    #[cfg(unix)]
    client: hyper_util::client::legacy::Client<hyperlocal::UnixConnector, Full<Bytes>>,
}

impl std::fmt::Debug for ShellClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShellClient")
            .field("socket", &self.socket)
            .field("token", &self.token)
            .finish_non_exhaustive()
    }
}

fn unavailable(message: impl Into<String>) -> Error {
    Error::ShellUnavailable(message.into().into())
}

impl ShellClient {
    /// A client for the shell at `socket`.
    pub fn new(socket: PathBuf, token: String) -> Self {
        Self {
            socket,
            token: ShellToken::new(token),
            #[cfg(unix)]
            client: {
                use hyperlocal::UnixClientExt;
                hyper_util::client::legacy::Client::unix()
            },
        }
    }

    /// `GET` a socket route.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.call(Method::GET, path, Bytes::new()).await
    }

    /// `POST` JSON to a socket route.
    pub async fn post<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> Result<T> {
        let body = serde_json::to_vec(body).map_err(|e| Error::Internal(e.into()))?;
        self.call(Method::POST, path, Bytes::from(body)).await
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Bytes,
    ) -> Result<T> {
        match tokio::time::timeout(SHELL_DEADLINE, self.exchange(method, path, body)).await {
            Ok(result) => result,
            Err(_) => Err(unavailable("the desktop shell did not answer within 1 s")),
        }
    }

    #[cfg(unix)]
    async fn exchange<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Bytes,
    ) -> Result<T> {
        let uri: axum::http::Uri = hyperlocal::Uri::new(&self.socket, path).into();
        let response = self.client.request(self.request(method, uri, body)?).await.map_err(|e| {
            tracing::debug!(error = %e, socket = %self.socket.display(), "shell socket unreachable");
            unavailable("the desktop shell is not running (nothing answers on its socket)")
        })?;
        read(response).await
    }

    /// Windows: one HTTP/1 exchange over the shell's named pipe.
    #[cfg(windows)]
    async fn exchange<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Bytes,
    ) -> Result<T> {
        let not_running =
            || unavailable("the desktop shell is not running (nothing answers on its pipe)");
        let pipe = tokio::net::windows::named_pipe::ClientOptions::new()
            .open(&self.socket)
            .map_err(|_| not_running())?;
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(pipe))
                .await
                .map_err(|_| not_running())?;
        tokio::spawn(connection);
        let uri: axum::http::Uri = path
            .parse()
            .map_err(|e: axum::http::uri::InvalidUri| Error::Internal(e.into()))?;
        let response = sender
            .send_request(self.request(method, uri, body)?)
            .await
            .map_err(|_| not_running())?;
        read(response).await
    }

    fn request(
        &self,
        method: Method,
        uri: axum::http::Uri,
        body: Bytes,
    ) -> Result<Request<Full<Bytes>>> {
        Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, "rpma-shell")
            .header(
                header::AUTHORIZATION,
                format!("Bearer {}", self.token.expose()),
            )
            .header(header::CONTENT_TYPE, "application/json")
            .body(Full::new(body))
            .map_err(|e| Error::Internal(e.into()))
    }
}

/// The shell's answer: the envelope's data, or the matching API error.
async fn read<T: DeserializeOwned>(response: hyper::Response<hyper::body::Incoming>) -> Result<T> {
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|_| unavailable("the desktop shell closed the connection"))?
        .to_bytes();
    if status.is_success() {
        let envelope: ShellResponse<T> = serde_json::from_slice(&bytes).map_err(|e| {
            Error::Internal(anyhow::anyhow!("unexpected answer from the shell: {e}"))
        })?;
        return Ok(envelope.data);
    }
    let message = serde_json::from_slice::<ShellErrorEnvelope>(&bytes)
        .map(|e| e.error.message)
        .unwrap_or_else(|_| status.to_string());
    Err(match status {
        StatusCode::BAD_REQUEST => Error::invalid("body", message),
        StatusCode::UNAUTHORIZED => unavailable("the desktop shell refused this backend's token"),
        _ => unavailable(format!("the desktop shell could not do it: {message}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_token() {
        let client = ShellClient::new("/run/rpma/shell.sock".into(), "5ecret-70ken-abcdef".into());
        let printed = format!("{client:?} {client:#?}");
        assert!(!printed.contains("5ecret"), "{printed}");
        assert!(printed.contains("[redacted]"), "{printed}");
    }
}
