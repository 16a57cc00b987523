//! `GET /api/v1/events` read as a subscriber reads it: Server-Sent Events frame by frame, each
//! message checked against its domain event's envelope.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use super::{Account, TestApp};

/// How long a read may wait for the next frame before the test fails.
pub const WAIT: Duration = Duration::from_secs(5);

/// One Server-Sent Events message.
#[derive(Debug)]
pub struct Message {
    pub event: String,
    pub id: Option<String>,
    pub data: String,
}

impl Message {
    /// A domain event's JSON, after checking that its envelope agrees with the SSE fields.
    #[track_caller]
    pub fn domain(&self) -> Value {
        let json: Value = serde_json::from_str(&self.data)
            .unwrap_or_else(|e| panic!("data is not JSON ({e}): {self:?}"));
        assert_eq!(json["type"], self.event.as_str(), "{self:?}");
        let seq = json["seq"].as_u64().expect("seq is a number");
        assert_eq!(
            self.id.as_deref(),
            Some(seq.to_string().as_str()),
            "{self:?}"
        );
        assert!(json["at"].is_string(), "{self:?}");
        json
    }
}

/// An open event stream, read frame by frame.
pub struct Stream {
    body: Body,
    buffer: Vec<u8>,
}

impl Stream {
    /// `GET uri` with an optional bearer token; the response must be a 200 event stream.
    pub async fn connect(app: &TestApp, uri: &str, token: Option<&str>) -> Self {
        let mut request = Request::get(uri);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let response = app
            .router
            .clone()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .expect("router is infallible");
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        let content_type = response.headers()["content-type"].to_str().unwrap();
        assert!(
            content_type.starts_with("text/event-stream"),
            "{content_type}"
        );
        Self {
            body: response.into_body(),
            buffer: Vec::new(),
        }
    }

    /// [`Stream::connect`], then read the opening `ready` message.
    pub async fn open(app: &TestApp, uri: &str, token: Option<&str>) -> Self {
        let mut stream = Self::connect(app, uri, token).await;
        let ready = stream.next().await.expect("the stream opens");
        assert_eq!(ready.event, "ready", "{ready:?}");
        stream
    }

    /// The signed-in account's stream, token in the `Authorization` header.
    pub async fn of(app: &TestApp, account: &Account) -> Self {
        Self::open(app, "/api/v1/events", Some(&account.token)).await
    }

    /// The next message (comments skipped), or `None` once the body has ended. Panics when no
    /// frame comes within [`WAIT`].
    pub async fn next(&mut self) -> Option<Message> {
        loop {
            if let Some(end) = self.buffer.windows(2).position(|w| w == b"\n\n") {
                let block: Vec<u8> = self.buffer.drain(..end + 2).collect();
                match parse(std::str::from_utf8(&block).expect("UTF-8 stream")) {
                    Some(message) => return Some(message),
                    None => continue,
                }
            }
            let frame = tokio::time::timeout(WAIT, self.body.frame())
                .await
                .unwrap_or_else(|_| {
                    panic!(
                        "nothing on the stream for {WAIT:?}; unread: {:?}",
                        String::from_utf8_lossy(&self.buffer)
                    )
                });
            let Some(frame) = frame else {
                assert!(
                    self.buffer.iter().all(u8::is_ascii_whitespace),
                    "stream ended inside a message: {:?}",
                    String::from_utf8_lossy(&self.buffer)
                );
                return None;
            };
            if let Ok(data) = frame.expect("body frame").into_data() {
                self.buffer.extend_from_slice(&data);
            }
        }
    }

    /// The next message as a domain event: `(type, entity id, whole event)`.
    pub async fn event(&mut self) -> (String, String, Value) {
        let message = self.next().await.expect("an event before the stream ends");
        let json = message.domain();
        let id = json["data"]["id"].as_str().unwrap_or_default().to_owned();
        (message.event, id, json)
    }

    /// The `(type, entity id)` of the next `n` events.
    pub async fn kinds(&mut self, n: usize) -> Vec<(String, String)> {
        let mut seen = Vec::with_capacity(n);
        for _ in 0..n {
            let (kind, id, _) = self.event().await;
            seen.push((kind, id));
        }
        seen
    }
}

/// One SSE block: `None` when it holds only comments (keep-alives).
fn parse(block: &str) -> Option<Message> {
    let mut message = Message {
        event: String::new(),
        id: None,
        data: String::new(),
    };
    let mut fields = false;
    for line in block
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with(':'))
    {
        let (name, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        fields = true;
        match name {
            "event" => message.event = value.to_owned(),
            "id" => message.id = Some(value.to_owned()),
            "data" => {
                if !message.data.is_empty() {
                    message.data.push('\n');
                }
                message.data.push_str(value);
            }
            other => panic!("unexpected SSE field {other:?} in {block:?}"),
        }
    }
    fields.then_some(message)
}
