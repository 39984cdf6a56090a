//! What the version gates add to building a request: a large `ContainerCreate` body (the
//! biggest request body of the API) encoded into a request, with and without the gate walk.
//!
//! ```text
//! cargo bench -p integration-tests --bench gates -- --measurement-time 3 --warm-up-time 1
//! ```

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use docker_engine_api_v1_55::gates::Gate;
use docker_engine_api_v1_55::models;
use docker_engine_api_v1_55::transport::{http, MemberPath, Operation, Request};

static CREATE: Operation = Operation { id: "ContainerCreate", method: http::Method::POST, since: None };

/// A container as a compose file of a real service would create it: 40 environment variables,
/// 20 labels, 8 mounts, resource limits, healthcheck, 3 networks, newer members set too.
fn large_body() -> models::ContainerCreateBody {
    let mounts = (0..8)
        .map(|i| models::Mount {
            target: Some(format!("/data/{i}")),
            source: Some(format!("/srv/volume-{i}")),
            r#type: Some(models::MountType::Bind),
            read_only: Some(i % 2 == 0),
            bind_options: Some(models::MountBindOptions {
                propagation: Some(models::MountBindOptionsPropagation::Rprivate),
                ..Default::default()
            }),
            ..Default::default()
        })
        .collect();
    let endpoints: BTreeMap<String, models::EndpointSettings> = (0..3)
        .map(|i| {
            let endpoint = models::EndpointSettings {
                aliases: Some(vec![format!("svc-{i}"), format!("alias-{i}")]),
                dns_names: Some(vec![format!("svc-{i}.internal")]),
                driver_opts: Some(BTreeMap::from([("com.example.opt".to_string(), "1".to_string())])),
                ..Default::default()
            };
            (format!("net-{i}"), endpoint)
        })
        .collect();
    models::ContainerCreateBody {
        image: Some("registry.example:5000/team/service:1.2.3".into()),
        hostname: Some("service".into()),
        env: Some((0..40).map(|i| format!("VARIABLE_{i}=value-number-{i}")).collect()),
        labels: Some((0..20).map(|i| (format!("com.example.label-{i}"), format!("value {i}"))).collect()),
        cmd: Some(vec!["/bin/service".into(), "--config".into(), "/etc/service.toml".into()]),
        working_dir: Some("/srv".into()),
        healthcheck: Some(models::HealthConfig {
            test: Some(vec!["CMD".into(), "/bin/check".into()]),
            interval: Some(30_000_000_000),
            timeout: Some(5_000_000_000),
            retries: Some(3),
            start_interval: Some(1_000_000_000),
            ..Default::default()
        }),
        host_config: Some(models::HostConfig {
            mounts: Some(mounts),
            memory: Some(512 << 20),
            nano_cpus: Some(1_500_000_000),
            pids_limit: Some(256),
            cap_drop: Some(vec!["ALL".into()]),
            cap_add: Some(vec!["NET_BIND_SERVICE".into()]),
            security_opt: Some(vec!["no-new-privileges".into()]),
            restart_policy: Some(models::RestartPolicy {
                name: Some(models::RestartPolicyName::UnlessStopped),
                maximum_retry_count: Some(0),
            }),
            log_config: Some(models::HostConfigLogConfig {
                r#type: Some("json-file".into()),
                config: Some(BTreeMap::from([("max-size".to_string(), "10m".to_string())])),
            }),
            ..Default::default()
        }),
        networking_config: Some(models::NetworkingConfig { endpoints_config: Some(endpoints) }),
        ..Default::default()
    }
}

fn gates(c: &mut Criterion) {
    let body = large_body();
    let mut group = c.benchmark_group("container_create_body");
    group.bench_function("serialize", |b| b.iter(|| serde_json::to_vec(black_box(&body)).unwrap()));
    group.bench_function("encode into request", |b| {
        b.iter(|| {
            let mut req = Request::new(&CREATE);
            req.json_body(black_box(&body)).unwrap();
            req
        })
    });
    group.bench_function("gate walk", |b| {
        b.iter(|| {
            let mut req = Request::new(&CREATE);
            black_box(&body).gate(&MemberPath::Root, &mut req);
            req
        })
    });
    group.bench_function("encode and gate", |b| {
        b.iter(|| {
            let mut req = Request::new(&CREATE);
            req.json_body(black_box(&body)).unwrap();
            black_box(&body).gate(&MemberPath::Root, &mut req);
            req
        })
    });
    group.finish();
}

criterion_group!(benches, gates);
criterion_main!(benches);
