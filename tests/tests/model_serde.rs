//! The generator prints each model's `Serialize`/`Deserialize` impl instead of deriving it
//! (`generator/src/emit/model_serde.rs`). These tests pin what those impls promise beyond what
//! `decode_robustness` checks for every type: member names are matched however the input spells
//! them (escaped, from a stream), errors still carry the member path, encoding writes exactly the
//! members that are set in declaration order, and a repeated member keeps its last value.

use docker_engine_api_v1_55::models::{ContainerInspectResponse, HostConfig, RestartPolicy, RestartPolicyName};
use serde_json::json;

const INSPECT: &str = r#"{
    "Id": "abc",
    "Name": "/web",
    "State": {"Status": "running", "Running": true, "Pid": 42, "Health": null},
    "HostConfig": {"Memory": 1048576, "Binds": ["/a:/b"], "RestartPolicy": {"Name": "always"}},
    "Unknown": {"deep": [1, 2, {"x": null}]},
    "NetworkSettings": {"IPAddress": "172.17.0.2"}
}"#;

#[test]
fn a_stream_decodes_like_a_slice() {
    // From a reader serde_json cannot lend member names; the lookup must not need them borrowed.
    let from_slice: ContainerInspectResponse = serde_json::from_slice(INSPECT.as_bytes()).unwrap();
    let from_reader: ContainerInspectResponse = serde_json::from_reader(INSPECT.as_bytes()).unwrap();
    let from_value: ContainerInspectResponse = serde_json::from_value(serde_json::from_str(INSPECT).unwrap()).unwrap();
    assert_eq!(from_slice, from_reader);
    assert_eq!(from_slice, from_value);
    assert_eq!(from_slice.name.as_deref(), Some("/web"));
    let state = from_slice.state.as_ref().unwrap();
    assert_eq!((state.running, state.pid, state.health.is_none()), (Some(true), Some(42), true));
    let host = from_slice.host_config.as_ref().unwrap();
    assert_eq!(host.memory, Some(1048576));
    assert_eq!(host.restart_policy.as_ref().unwrap().name, Some(RestartPolicyName::Always));
    #[allow(deprecated)]
    let ip = from_slice.network_settings.as_ref().unwrap().ip_address.clone();
    assert_eq!(ip.as_deref(), Some("172.17.0.2"));
}

#[test]
fn escaped_member_names_match() {
    let host: HostConfig = serde_json::from_str(r#"{"M\u0065mory": 7, "\u0042inds": ["x"]}"#).unwrap();
    assert_eq!(host.memory, Some(7));
    assert_eq!(host.binds, Some(vec!["x".to_string()]));
}

#[test]
fn a_repeated_member_keeps_its_last_value() {
    let host: HostConfig = serde_json::from_str(r#"{"Memory": 1, "Memory": 2}"#).unwrap();
    assert_eq!(host.memory, Some(2));
}

#[test]
fn errors_name_the_member_path() {
    let body = r#"{"HostConfig": {"RestartPolicy": {"MaximumRetryCount": "three"}}}"#;
    let mut de = serde_json::Deserializer::from_str(body);
    let err = serde_path_to_error::deserialize::<_, ContainerInspectResponse>(&mut de).unwrap_err();
    assert_eq!(err.path().to_string(), "HostConfig.RestartPolicy.MaximumRetryCount");
    assert!(err.inner().to_string().contains("expected i64"), "{}", err.inner());
}

#[test]
fn a_non_object_is_refused_with_the_type_name() {
    let err = serde_json::from_str::<HostConfig>("[1, 2]").unwrap_err();
    assert!(err.to_string().contains("expected an object HostConfig"), "{err}");
    let err = serde_json::from_str::<HostConfig>("null").unwrap_err();
    assert!(err.to_string().contains("expected an object HostConfig"), "{err}");
}

#[test]
fn encoding_writes_the_set_members_in_declaration_order() {
    let policy = RestartPolicy { name: Some(RestartPolicyName::OnFailure), maximum_retry_count: Some(3) };
    assert_eq!(serde_json::to_string(&policy).unwrap(), r#"{"Name":"on-failure","MaximumRetryCount":3}"#);
    assert_eq!(serde_json::to_string(&RestartPolicy::default()).unwrap(), "{}");
    let host = HostConfig { memory: Some(5), restart_policy: Some(policy), ..Default::default() };
    assert_eq!(
        serde_json::to_value(&host).unwrap(),
        json!({"Memory": 5, "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3}})
    );
    let decoded: HostConfig = serde_json::from_value(serde_json::to_value(&host).unwrap()).unwrap();
    assert_eq!(decoded, host);
}
