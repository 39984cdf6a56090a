//! Feature `tracing`: one `docker_request` span per request with the operation, method, path
//! template, negotiated version, status and duration, and never a header value, a parameter
//! value or a body. A small recording subscriber stands in for a real one.
#![cfg(feature = "tracing")]

mod common;

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use common::*;
use docker_engine_transport::http::Method;
use docker_engine_transport::{ApiVersion, Operation, Request};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

static INSPECT: Operation = Operation { id: "ContainerInspect", method: Method::GET, since: None };
static PULL: Operation = Operation { id: "ImageCreate", method: Method::POST, since: None };

type Spans = Arc<Mutex<Vec<(String, BTreeMap<String, String>)>>>;

/// Records every span's name and fields (as `Debug` text).
struct Recorder {
    spans: Spans,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = BTreeMap::new();
        span.record(&mut Fields(&mut fields));
        let mut spans = self.spans.lock().unwrap();
        spans.push((span.metadata().name().to_owned(), fields));
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, id: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        let (_, fields) = &mut spans[id.into_u64() as usize - 1];
        values.record(&mut Fields(fields));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[test]
fn one_span_per_request_without_values() {
    let spans: Spans = Arc::default();
    let recorder = Recorder { spans: spans.clone() };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    tracing::subscriber::with_default(recorder, || {
        rt.block_on(async {
            let mock = Mock::unix(daemon("1.45", |r| {
                if r.path().contains("missing") {
                    response(404, &[("Content-Type", "application/json")], b"{\"message\":\"no such container\"}")
                } else {
                    response(200, &[("Content-Type", "application/json")], b"{\"Id\":\"abc\"}")
                }
            }))
            .await;
            let client = mock.client(ApiVersion::new(1, 47));
            let mut req = Request::new(&INSPECT);
            req.path("/containers/");
            req.path_id("id", "secret-container-name").unwrap();
            req.path("/json");
            assert_eq!(req.path_template(), "/containers/{id}/json");
            let _: serde_json::Value = guard(client.send_json(req)).await.unwrap();

            let mut req = Request::new(&INSPECT);
            req.path("/containers/");
            req.path_id("id", "missing").unwrap();
            req.path("/json");
            assert!(guard(client.send_json::<serde_json::Value>(req)).await.is_err());

            let mut req = Request::new(&PULL);
            req.path("/images/create");
            req.query_str("fromImage", "registry.example/private");
            req.header("X-Registry-Auth", "c2VjcmV0LWhlYWRlci12YWx1ZQ==").unwrap();
            req.json_body(&serde_json::json!({"password": "body-secret"})).unwrap();
            guard(client.send_empty(req)).await.unwrap();
        })
    });
    let spans = spans.lock().unwrap();
    let requests: Vec<_> = spans.iter().filter(|(n, _)| n == "docker_request").map(|(_, f)| f).collect();
    assert_eq!(requests.len(), 3, "{spans:?}");
    let ok = requests[0];
    assert_eq!(ok["operation"], "ContainerInspect");
    assert_eq!(ok["method"], "GET");
    assert_eq!(ok["path"], "/containers/{id}/json");
    assert_eq!(ok["api_version"], "1.45");
    assert_eq!(ok["status"], "200");
    assert!(ok["duration_ms"].parse::<f64>().unwrap() >= 0.0);
    assert!(!ok.contains_key("error"));
    let failed = requests[1];
    assert_eq!((failed["status"].as_str(), failed["error"].as_str()), ("404", "api"));
    assert_eq!(requests[2]["path"], "/images/create");
    assert_eq!(requests[2]["method"], "POST");
    let all = format!("{spans:?}");
    for secret in ["secret-container-name", "missing", "c2VjcmV0", "registry.example", "body-secret"] {
        assert!(!all.contains(secret), "{secret} recorded: {all}");
    }
}
