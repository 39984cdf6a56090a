//! Credentials found the CLI's way convert into the generated `AuthConfig` of every crate the
//! suite builds against, identity tokens included (`identitytoken` is added to the spec by
//! `specs/overrides.yaml`; without it `RegistryAuth::to_model` refuses the token rather than
//! send credentials without it).

use docker_engine_api_v1_41 as v1_41;
use docker_engine_api_v1_55 as v1_55;
use v1_55::transport::RegistryAuth;

#[test]
fn an_identity_token_survives_the_conversion_into_the_generated_auth_config() {
    let token = RegistryAuth::with_identity_token("registry.example:5000", "refresh-token-1");
    let new: v1_55::models::AuthConfig = token.to_model().expect("v1.55 AuthConfig carries identitytoken");
    assert_eq!(new.identitytoken.as_deref(), Some("refresh-token-1"));
    assert_eq!(new.serveraddress.as_deref(), Some("registry.example:5000"));
    assert_eq!(new.password, None);
    let old: v1_41::models::AuthConfig = token.to_model().expect("v1.41 AuthConfig carries identitytoken");
    assert_eq!(old.identitytoken.as_deref(), Some("refresh-token-1"));
}

#[test]
fn a_password_converts_and_the_model_encodes_the_members_the_daemon_reads() {
    let auth = RegistryAuth::with_password("registry.example:5000", "alice", "s3cr3t");
    let model: v1_55::models::AuthConfig = auth.to_model().unwrap();
    let json = serde_json::to_value(&model).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"username": "alice", "password": "s3cr3t", "serveraddress": "registry.example:5000"})
    );
}
