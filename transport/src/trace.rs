//! One `tracing` span per request (feature `tracing`): `docker_request` with the operation id,
//! the method, the path template (`/containers/{id}/json`: parameter names, never their values),
//! the negotiated API version, the response status and the duration until the response head,
//! plus an error kind when the call failed. Header values (credentials) and bodies are never
//! recorded. Without the feature this is a zero-sized no-op.

use std::future::Future;

use crate::error::Error;
use crate::request::Operation;
use crate::version::ApiVersion;

/// The span of one request (nothing without the `tracing` feature).
pub(crate) struct RequestSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
    #[cfg(feature = "tracing")]
    started: std::time::Instant,
}

impl RequestSpan {
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) fn start(op: &'static Operation, template: &str) -> RequestSpan {
        RequestSpan {
            #[cfg(feature = "tracing")]
            span: tracing::info_span!(
                "docker_request",
                operation = op.id,
                method = %op.method,
                path = template,
                api_version = tracing::field::Empty,
                status = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
                error = tracing::field::Empty,
            ),
            #[cfg(feature = "tracing")]
            started: std::time::Instant::now(),
        }
    }

    /// Runs `fut` inside the span.
    pub(crate) fn instrument<F: Future>(&self, fut: F) -> impl Future<Output = F::Output> {
        #[cfg(feature = "tracing")]
        {
            tracing::Instrument::instrument(fut, self.span.clone())
        }
        #[cfg(not(feature = "tracing"))]
        {
            fut
        }
    }

    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) fn version(&self, v: ApiVersion) {
        #[cfg(feature = "tracing")]
        self.span.record("api_version", tracing::field::display(v));
    }

    /// Records the status (of the response or of an API error), the duration and the error kind.
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) fn finish(&self, status: Option<u16>, error: Option<&Error>) {
        #[cfg(feature = "tracing")]
        {
            let status = status.or(error.and_then(Error::status));
            if let Some(s) = status {
                self.span.record("status", s);
            }
            self.span.record("duration_ms", self.started.elapsed().as_secs_f64() * 1000.0);
            if let Some(e) = error {
                self.span.record("error", kind(e));
            }
        }
    }
}

/// A short name of the error's kind: never its text, which may quote the daemon.
#[cfg(feature = "tracing")]
fn kind(e: &Error) -> &'static str {
    match e {
        Error::Api { .. } => "api",
        Error::Transport { .. } => "transport",
        Error::Timeout { .. } => "timeout",
        Error::UnsupportedOperation { .. } | Error::UnsupportedMember { .. } => "unsupported_version",
        Error::InvalidParameter { .. } => "invalid_parameter",
        Error::Config { .. } => "config",
        _ => "other",
    }
}
