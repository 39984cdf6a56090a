//! Version gates on the wire: members (query/header parameters, body members) and operations
//! the negotiated API version lacks fail before anything is sent; everything else goes out
//! unchanged.

mod common;

use common::*;
use docker_engine_transport::http::Method;
use docker_engine_transport::{ApiVersion, Client, Error, MemberPath, Operation, Request, VersionRange};

static LIST: Operation = Operation { id: "ContainerList", method: Method::GET, since: Some(ApiVersion::new(1, 24)) };
static CREATE: Operation = Operation { id: "ContainerCreate", method: Method::POST, since: None };
static PRUNE: Operation = Operation { id: "BuildPrune", method: Method::POST, since: Some(ApiVersion::new(1, 31)) };
const SINCE_142: VersionRange = VersionRange::new(Some(ApiVersion::new(1, 42)), None);
const UNTIL_144: VersionRange = VersionRange::new(None, Some(ApiVersion::new(1, 44)));

fn create_body() -> serde_json::Value {
    serde_json::json!({"Image": "busybox", "HostConfig": {"Mounts": [
        {"Type": "image", "Source": "data", "Target": "/data", "ImageOptions": {"Subpath": "x"}}
    ]}})
}

/// `ContainerCreate` whose body sets `HostConfig.Mounts[].ImageOptions`, gated by `range`, the
/// way a generated body walker records it.
fn create_request(range: VersionRange) -> Request {
    let mut r = Request::new(&CREATE);
    r.path("/containers/create");
    r.query_str("name", "web");
    r.json_body(&create_body()).unwrap();
    let root = MemberPath::Root;
    let host_config = root.field("HostConfig");
    let mounts = host_config.field("Mounts");
    let mount = mounts.item();
    r.require_at(&mount.field("ImageOptions"), range);
    r
}

/// Sends `req` to a daemon answering `Api-Version: api`; the crate speaks up to 1.52.
async fn send_to(api: &'static str, req: Request) -> (Result<serde_json::Value, Error>, Mock) {
    let created =
        |_: &Recorded| response(201, &[("Content-Type", "application/json")], b"{\"Id\":\"abc\",\"Warnings\":[]}");
    let mock = Mock::unix(daemon(api, created)).await;
    let result = guard(mock.client(ApiVersion::new(1, 52)).send_json(req)).await;
    (result, mock)
}

/// Asserts the daemon saw the negotiation ping and nothing else.
fn assert_only_pinged(mock: &Mock) {
    assert!(mock.non_ping().is_empty(), "server saw {:?}", mock.non_ping());
    assert!(mock.pings() >= 1);
}

#[tokio::test]
async fn member_newer_than_negotiated_fails_before_sending() {
    let (result, mock) = send_to("1.41", create_request(SINCE_142)).await;
    let err = result.unwrap_err();
    assert!(err.is_unsupported_version());
    assert_eq!(err.operation(), Some("ContainerCreate"));
    assert_eq!(
        err.to_string(),
        "ContainerCreate: `HostConfig.Mounts[].ImageOptions` exists in API v1.42 and later, \
         but the negotiated API version is 1.41; nothing was sent"
    );
    match err {
        Error::UnsupportedMember { operation, member, range, negotiated, hint } => {
            assert_eq!(operation, "ContainerCreate");
            assert_eq!(member, "HostConfig.Mounts[].ImageOptions");
            assert_eq!((range, negotiated, hint), (SINCE_142, ApiVersion::new(1, 41), None));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_only_pinged(&mock);
}

#[tokio::test]
async fn member_in_range_is_sent_unchanged() {
    let (gated, gated_mock) = send_to("1.44", create_request(SINCE_142)).await;
    let (plain, plain_mock) = send_to("1.44", create_request(VersionRange::ALWAYS)).await;
    assert_eq!(gated.unwrap(), plain.unwrap());
    let (gated, plain) = (gated_mock.non_ping(), plain_mock.non_ping());
    assert_eq!(gated.len(), 1);
    assert_eq!(gated[0].request_line, "POST /v1.44/containers/create?name=web HTTP/1.1");
    assert_eq!(gated[0].body, serde_json::to_vec(&create_body()).unwrap());
    assert_eq!(
        (&gated[0].request_line, &gated[0].headers, &gated[0].body),
        (&plain[0].request_line, &plain[0].headers, &plain[0].body)
    );
}

#[tokio::test]
async fn removed_member_fails_from_its_removal_on() {
    let list = || {
        let mut r = Request::new(&LIST);
        r.path("/containers/json");
        r.query_bool("all", true);
        r.require("all", VersionRange::ALWAYS);
        r.query_str("filter", "busybox");
        r.require("filter", UNTIL_144);
        r
    };
    let (result, mock) = send_to("1.44", list()).await;
    let err = result.unwrap_err();
    assert_eq!(
        err.to_string(),
        "ContainerList: `filter` exists in API versions before v1.44, but the negotiated API version is 1.44; nothing was sent"
    );
    assert!(matches!(err, Error::UnsupportedMember { negotiated, .. } if negotiated == ApiVersion::new(1, 44)));
    assert_only_pinged(&mock);

    let (result, mock) = send_to("1.41", list()).await;
    result.unwrap();
    assert_eq!(mock.non_ping()[0].request_line, "GET /v1.41/containers/json?all=true&filter=busybox HTTP/1.1");
}

#[tokio::test]
async fn hint_and_first_failing_requirement_are_reported() {
    let mut r = Request::new(&PRUNE);
    r.path("/build/prune");
    r.query_i64("keep-storage", 1 << 30);
    r.require("all", SINCE_142);
    r.require_with_hint(
        "keep-storage",
        VersionRange::new(None, Some(ApiVersion::new(1, 48))),
        "use `reserved-space` (API v1.48 and later) instead",
    );
    r.require("later-one", VersionRange::new(Some(ApiVersion::new(1, 49)), None));
    let (result, mock) = send_to("1.48", r).await;
    let err = result.unwrap_err();
    assert_eq!(
        err.to_string(),
        "BuildPrune: `keep-storage` exists in API versions before v1.48, but the negotiated API version is 1.48; \
         nothing was sent (use `reserved-space` (API v1.48 and later) instead)"
    );
    assert_only_pinged(&mock);
}

#[tokio::test]
async fn operation_without_since_is_sent_to_an_old_daemon() {
    let (result, mock) = send_to("1.30", create_request(VersionRange::ALWAYS)).await;
    assert_eq!(result.unwrap()["Id"], "abc");
    assert_eq!(mock.non_ping()[0].request_line, "POST /v1.30/containers/create?name=web HTTP/1.1");
}

#[tokio::test]
async fn pinned_version_checks_members_without_any_connection() {
    let mock = Mock::unix(daemon("1.45", |_| response(200, &[], b"{}"))).await;
    let client = Client::new(mock.transport().with_pinned_version(ApiVersion::new(1, 41)), ApiVersion::new(1, 47));
    let err = guard(client.send_json::<serde_json::Value>(create_request(SINCE_142))).await.unwrap_err();
    assert!(matches!(err, Error::UnsupportedMember { .. }), "{err:?}");
    assert!(mock.requests().is_empty(), "server saw {:?}", mock.requests());
}

#[tokio::test]
async fn operation_gate_comes_before_member_gates() {
    static ATTESTATIONS: Operation =
        Operation { id: "ImageAttestations", method: Method::GET, since: Some(ApiVersion::new(1, 48)) };
    let mut r = Request::new(&ATTESTATIONS);
    r.path("/images/busybox/attestations");
    r.require("platform", SINCE_142);
    let (result, mock) = send_to("1.41", r).await;
    let err = result.unwrap_err();
    assert!(matches!(err, Error::UnsupportedOperation { since, .. } if since == ApiVersion::new(1, 48)), "{err:?}");
    assert!(err.is_unsupported_version());
    let timeout = Error::Timeout { operation: "x", phase: docker_engine_transport::TimeoutPhase::Headers };
    assert!(!timeout.is_unsupported_version());
    assert_only_pinged(&mock);
}
