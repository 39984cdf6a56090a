// Part of the real-daemon suite (included by `tests/daemon_suite.rs`): swarm operations that
// need a running task or a second node. The second node is a private dockerd of its own
// (`tests/daemon/swarm.sh`: own roots and socket, swarm listener on 127.0.0.1).
//
// The daemons run with `--bridge=none`, so a task cannot use the default bridge, and `none` is
// not a network a service may name: Docker 20.10 answers 404 "could not find the corresponding
// predefined swarm network: network none not found" (swarmkit's predefined swarm networks are
// `bridge` and `host` only). The task therefore runs on `host` (`Networks: [{Target: "host"}]`,
// as `docker service create --network host`): no bridge, overlay or ingress sandbox is made,
// and the task (`echo`, `sleep`) sends no traffic at all.

/// Polls `check` every 250 ms until it returns `Some`, for at most `secs` seconds.
async fn poll<T, F, Fut>(what: &str, secs: u64, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "{what}: not within {secs} s");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The swarm state a daemon reports in `GET /info`.
async fn local_node_state(docker: &Docker) -> String {
    let info = docker.system_info(&Default::default()).await.expect("info");
    info.swarm.and_then(|s| s.local_node_state).map(|s| s.to_string()).unwrap_or_default()
}

impl Suite {
    /// A replicated service whose one task runs on this node and writes to stdout and stderr.
    async fn swarm_running_task(&mut self, node_id: &str) {
        let d = self.docker.clone();
        let service = models::ServiceCreateBody {
            name: Some(name("svc-run")),
            labels: Some(labels()),
            task_template: Some(models::TaskSpec {
                container_spec: Some(models::TaskSpecContainerSpec {
                    image: Some(self.image.clone()),
                    command: Some(vec![
                        "sh".into(),
                        "-c".into(),
                        "echo task-out; echo task-err >&2; exec sleep 300".into(),
                    ]),
                    ..Default::default()
                }),
                networks: Some(vec![models::NetworkAttachmentConfig {
                    target: Some("host".into()),
                    ..Default::default()
                }]),
                placement: Some(models::TaskSpecPlacement {
                    constraints: Some(vec![format!("node.id=={node_id}")]),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            mode: Some(models::ServiceSpecMode {
                replicated: Some(models::ServiceSpecModeReplicated { replicas: Some(1), ..Default::default() }),
                ..Default::default()
            }),
            ..Default::default()
        };
        let service_id = d.service_create(&Default::default(), &service).await.expect("service create").id.expect("id");
        let filters = Filters::new().add("service", &service_id);
        let task_id = poll("the service's task runs", 60, || {
            let (d, filters) = (d.clone(), filters.clone());
            async move {
                let tasks = d
                    .task_list(&api::TaskListOptions { filters: Some(filters), ..Default::default() })
                    .await
                    .expect("task list");
                let task = tasks.into_iter().next()?;
                let status = task.status.clone().unwrap_or_default();
                match status.state.as_ref().map(|s| s.to_string()).as_deref() {
                    Some("running") => task.id,
                    Some("failed" | "rejected") => panic!("the task did not run: {status:?}"),
                    _ => None,
                }
            }
        })
        .await;
        let task = d.task_inspect(&task_id, &Default::default()).await.expect("task inspect");
        assert_eq!(task.service_id.as_deref(), Some(service_id.as_str()));
        assert_eq!(task.node_id.as_deref(), Some(node_id));
        let container = task.status.and_then(|s| s.container_status).and_then(|c| c.container_id);
        assert!(container.is_some_and(|c| !c.is_empty()), "a running task has a container");
        self.cov.hit("TaskInspect");

        // Logs of the task and of the service: stdout and stderr apart (no TTY; a 1.41 daemon
        // does not say, the crate inspects the task or service).
        let logs = api::TaskLogsOptions { stdout: Some(true), stderr: Some(true), ..Default::default() };
        let task_logs = poll("the task's output", 30, || {
            let (d, logs, task_id) = (d.clone(), logs.clone(), task_id.clone());
            async move {
                let out = collect_output(d.task_logs(&task_id, &logs).await.expect("task logs")).await;
                (out.0.contains("task-out") && out.1.contains("task-err")).then_some(out)
            }
        })
        .await;
        assert_eq!(task_logs, ("task-out\n".into(), "task-err\n".into(), String::new()));
        self.cov.hit("TaskLogs");
        let logs = api::ServiceLogsOptions { stdout: Some(true), stderr: Some(true), ..Default::default() };
        let service_logs = collect_output(d.service_logs(&service_id, &logs).await.expect("service logs")).await;
        assert_eq!(service_logs, ("task-out\n".into(), "task-err\n".into(), String::new()));
        self.cov.hit("ServiceLogs");
        d.service_delete(&service_id, &Default::default()).await.expect("service delete");
    }

    /// A second daemon joins as a worker, is updated, leaves and is deleted.
    async fn swarm_second_node(&mut self) {
        let d = self.docker.clone();
        let node2 = Docker::new(Transport::unix(env("DOCKER_TEST_NODE2_SOCKET")));
        let token = d
            .swarm_inspect(&Default::default())
            .await
            .expect("swarm inspect")
            .join_tokens
            .and_then(|t| t.worker)
            .expect("worker join token");
        let addr = env("DOCKER_TEST_NODE2_SWARM_ADDR");
        let join = models::SwarmJoinRequest {
            listen_addr: Some(addr.clone()),
            advertise_addr: Some(addr.clone()),
            remote_addrs: Some(vec![env("DOCKER_TEST_SWARM_LISTEN_ADDR")]),
            join_token: Some(token),
            ..Default::default()
        };
        node2.swarm_join(&Default::default(), &join).await.expect("swarm join");
        self.cov.hit("SwarmJoin");
        let node2_id = node2
            .system_info(&Default::default())
            .await
            .expect("info (node 2)")
            .swarm
            .and_then(|s| s.node_id)
            .expect("node 2's id");

        let nodes = poll("two ready nodes", 30, || {
            let d = d.clone();
            async move {
                let nodes = d.node_list(&Default::default()).await.expect("node list");
                let ready = |n: &models::Node| n.status.as_ref().and_then(|s| s.state.as_ref()).map(|s| s.to_string());
                (nodes.len() == 2 && nodes.iter().all(|n| ready(n).as_deref() == Some("ready"))).then_some(nodes)
            }
        })
        .await;
        assert!(nodes.iter().any(|n| n.id.as_deref() == Some(node2_id.as_str())), "{nodes:?}");
        let node = d.node_inspect(&node2_id, &Default::default()).await.expect("node inspect (node 2)");
        assert_eq!(node.status.as_ref().and_then(|s| s.addr.as_deref()), Some("127.0.0.1"), "{node:?}");
        let mut spec = node.spec.expect("node spec");
        spec.availability = Some(models::NodeSpecAvailability::Drain);
        spec.labels = Some(labels());
        let version = node.version.and_then(|v| v.index).expect("node version") as i64;
        d.node_update(&node2_id, version, &Default::default(), Some(&spec)).await.expect("node update (node 2)");
        let node = d.node_inspect(&node2_id, &Default::default()).await.expect("node inspect after update");
        let spec = node.spec.expect("node spec");
        assert_eq!(spec.availability, Some(models::NodeSpecAvailability::Drain));
        assert_eq!(spec.labels, Some(labels()));

        // The worker leaves; once the manager sees it down, the node can be deleted.
        node2.swarm_leave(&Default::default()).await.expect("swarm leave (node 2)");
        assert_eq!(local_node_state(&node2).await, "inactive");
        let refused = d.node_delete("no-such-node", &Default::default()).await.expect_err("unknown node");
        assert!(refused.is_not_found(), "{refused}");
        poll("the node delete after leave", 60, || {
            let (d, id) = (d.clone(), node2_id.clone());
            async move {
                match d.node_delete(&id, &Default::default()).await {
                    Ok(()) => Some(()),
                    // "node … is not down and can't be removed" until the manager notices
                    Err(e) if e.to_string().contains("is not down") => None,
                    Err(e) => panic!("node delete: {e}"),
                }
            }
        })
        .await;
        self.cov.hit("NodeDelete");
        assert_eq!(d.node_list(&Default::default()).await.expect("node list").len(), 1);

        self.swarm_autolock(&node2).await;
    }

    /// Node 2 as a manager of its own swarm with autolock: after a restart it is locked until
    /// `SwarmUnlock` with the key from `SwarmUnlockkey`.
    async fn swarm_autolock(&mut self, node2: &Docker) {
        let addr = env("DOCKER_TEST_NODE2_SWARM_ADDR");
        let init = models::SwarmInitRequest {
            listen_addr: Some(addr.clone()),
            advertise_addr: Some(addr),
            spec: Some(models::SwarmSpec {
                encryption_config: Some(models::SwarmSpecEncryptionConfig {
                    auto_lock_managers: Some(true),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        node2.swarm_init(&Default::default(), &init).await.expect("swarm init (node 2, autolock)");
        let key = node2.swarm_unlockkey(&Default::default()).await.expect("unlock key").unlock_key.expect("a key");
        assert!(key.starts_with("SWMKEY-"), "{key}");
        self.cov.hit("SwarmUnlockkey");

        let script = env("DOCKER_TEST_NODE2_SCRIPT");
        let restarted = tokio::task::spawn_blocking(move || {
            std::process::Command::new(script).args(["restart", &env("DOCKER_TEST_TMP")]).status()
        })
        .await
        .expect("restart task")
        .expect("swarm.sh restart");
        assert!(restarted.success(), "swarm.sh restart: {restarted}");
        assert_eq!(local_node_state(node2).await, "locked");
        let wrong = models::SwarmUnlockRequest { unlock_key: Some("SWMKEY-1-wrong".into()), ..Default::default() };
        let err = node2.swarm_unlock(&Default::default(), &wrong).await.expect_err("a wrong key");
        assert!(err.status().is_some_and(|s| s >= 400), "{err}");
        node2
            .swarm_unlock(
                &Default::default(),
                &models::SwarmUnlockRequest { unlock_key: Some(key), ..Default::default() },
            )
            .await
            .expect("swarm unlock");
        self.cov.hit("SwarmUnlock");
        assert_eq!(local_node_state(node2).await, "active");
        node2
            .swarm_leave(&api::SwarmLeaveOptions { force: Some(true), ..Default::default() })
            .await
            .expect("swarm leave (node 2, manager)");
        assert_eq!(local_node_state(node2).await, "inactive");
    }
}
