// The calls of `tests/tests/podman_v1_41.rs` against Podman, in dependency order. A call whose
// object could not be made is skipped (and so not in the table); every other call is recorded
// by the probe, decoded or diverged. Only unix sockets and the local registries on 127.0.0.1.

async fn walk(d: &Docker, p: &mut Probe) {
    let image = system_and_images(d, p).await;
    if let Some(image) = image {
        containers(d, p, &image).await;
        registry(d, p, &image).await;
        volumes_and_networks(d, p, &image).await;
        let _ = d.image_delete(&image, &api::ImageDeleteOptions { force: Some(true), ..Default::default() }).await;
    }
    swarm_and_plugins(d, p).await;
}

/// System calls, then the busybox rootfs imported and tagged; returns the image name.
async fn system_and_images(d: &Docker, p: &mut Probe) -> Option<String> {
    p.check("SystemPing", d.system_ping(&Default::default()).await);
    p.check("SystemPingHead", d.system_ping_head(&Default::default()).await);
    p.check("SystemVersion", d.system_version(&Default::default()).await);
    p.check("SystemInfo", d.system_info(&Default::default()).await);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs();
    let events = api::SystemEventsOptions {
        since: Some((now - 60).to_string()),
        until: Some(now.to_string()),
        ..Default::default()
    };
    p.stream("SystemEvents", d.system_events(&events).await).await;

    let import = api::ImageCreateOptions { from_src: Some("-".into()), ..Default::default() };
    let rootfs = std::fs::read(env("DOCKER_TEST_ROOTFS_TAR")).expect("rootfs tar");
    let items = p.stream("ImageCreate", d.image_create(&import, Some(Upload::bytes(rootfs))).await).await?;
    let id = items.iter().filter_map(|i| i.status.clone()).find(|s| s.starts_with("sha256:"))?;
    let image = "podman-busybox:walk".to_string();
    let tag =
        api::ImageTagOptions { repo: Some("podman-busybox".into()), tag: Some("walk".into()), ..Default::default() };
    p.check("ImageTag", d.image_tag(&id, &tag).await)?;
    p.check("ImageList", d.image_list(&Default::default()).await);
    p.check("ImageInspect", d.image_inspect(&image, &Default::default()).await);
    p.check("ImageHistory", d.image_history(&image, &Default::default()).await);
    let saved = p.bytes("ImageGet", d.image_get(&image, &Default::default()).await).await;
    let all = api::ImageGetAllOptions { names: Some(vec![image.clone()]), ..Default::default() };
    p.bytes("ImageGetAll", d.image_get_all(&all).await).await;
    if let Some(saved) = saved {
        p.stream("ImageLoad", d.image_load(&Default::default(), Some(Upload::bytes(saved))).await).await;
    }
    p.check("SystemDataUsage", d.system_data_usage(&Default::default()).await);
    p.check("Session", d.session(&Default::default()).await);

    let dockerfile = format!("FROM {image}\nRUN echo built > /built.txt\n");
    let build = api::ImageBuildOptions {
        t: Some("podman-busybox:built".into()),
        networkmode: Some("none".into()),
        ..Default::default()
    };
    let context = tar_of("Dockerfile", dockerfile.as_bytes());
    if p.stream("ImageBuild", d.image_build(&build, Some(Upload::bytes(context))).await).await.is_some() {
        p.check("ImageDelete", d.image_delete("podman-busybox:built", &Default::default()).await);
    }
    p.check("BuildPrune", d.build_prune(&Default::default()).await);
    Some(image)
}

fn container_body(image: &str, cmd: &[&str]) -> models::ContainerCreateBody {
    models::ContainerCreateBody {
        image: Some(image.into()),
        cmd: Some(cmd.iter().map(|s| s.to_string()).collect()),
        labels: Some(labels()),
        host_config: Some(models::HostConfig { network_mode: Some("none".into()), ..Default::default() }),
        ..Default::default()
    }
}

async fn create(d: &Docker, p: &mut Probe, name: &str, body: &models::ContainerCreateBody) -> Option<String> {
    let options = api::ContainerCreateOptions { name: Some(name.into()), ..Default::default() };
    p.check("ContainerCreate", d.container_create(&options, body).await)?.id
}

async fn containers(d: &Docker, p: &mut Probe, image: &str) {
    // An exited container: logs, inspect, changes, export, archive, commit.
    let Some(id) =
        create(d, p, "walk-exited", &container_body(image, &["sh", "-c", "echo out; echo data > /tmp/f"])).await
    else {
        return;
    };
    p.check("ContainerStart", d.container_start(&id, &Default::default()).await);
    p.check("ContainerWait", d.container_wait(&id, &Default::default()).await);
    let logs = api::ContainerLogsOptions { stdout: Some(true), stderr: Some(true), ..Default::default() };
    if let Some(out) = p.output("ContainerLogs", d.container_logs(&id, &logs).await).await {
        assert_eq!(out, "out\n", "logs from Podman");
    }
    p.check("ContainerInspect", d.container_inspect(&id, &Default::default()).await);
    let list = api::ContainerListOptions { all: Some(true), ..Default::default() };
    p.check("ContainerList", d.container_list(&list).await);
    p.check("ContainerChanges", d.container_changes(&id, &Default::default()).await);
    p.bytes("ContainerExport", d.container_export(&id, &Default::default()).await).await;
    let upload = Upload::bytes(tar_of("hello.txt", b"hello\n"));
    p.check("PutContainerArchive", d.put_container_archive(&id, "/tmp", &Default::default(), upload).await);
    p.check("ContainerArchiveInfo", d.container_archive_info(&id, "/tmp/hello.txt", &Default::default()).await);
    p.bytes("ContainerArchive", d.container_archive(&id, "/tmp/hello.txt", &Default::default()).await).await;
    let commit = api::ImageCommitOptions {
        container: Some(id.clone()),
        repo: Some("podman-busybox".into()),
        tag: Some("commit".into()),
        ..Default::default()
    };
    if p.check("ImageCommit", d.image_commit(&commit, None).await).is_some() {
        let _ = d.image_delete("podman-busybox:commit", &Default::default()).await;
    }
    p.check("ContainerRename", d.container_rename(&id, "walk-renamed", &Default::default()).await);

    // A running container: top, stats, resize, exec, pause, update, restart, kill.
    let mut body = container_body(image, &["sleep", "300"]);
    body.tty = Some(true);
    if let Some(run) = create(d, p, "walk-running", &body).await {
        running(d, p, &run).await;
    }
    attach(d, p, image).await;
    let prune =
        api::ContainerPruneOptions { filters: Some(Filters::new().add("label", "suite=podman")), ..Default::default() };
    p.check("ContainerPrune", d.container_prune(&prune).await);
    let _ = d.container_delete(&id, &api::ContainerDeleteOptions { force: Some(true), ..Default::default() }).await;
}

async fn running(d: &Docker, p: &mut Probe, id: &str) {
    p.check("ContainerStart", d.container_start(id, &Default::default()).await);
    p.check("ContainerTop", d.container_top(id, &Default::default()).await);
    let stats = api::ContainerStatsOptions { stream: Some(false), ..Default::default() };
    p.stream("ContainerStats", d.container_stats(id, &stats).await).await;
    p.check("ContainerResize", d.container_resize(id, 30, 100, &Default::default()).await);
    let exec = models::ExecConfig {
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        cmd: Some(vec!["sh".into(), "-c".into(), "echo exec-out".into()]),
        ..Default::default()
    };
    if let Some(exec_id) =
        p.check("ContainerExec", d.container_exec(id, &Default::default(), &exec).await).and_then(|e| e.id)
    {
        if let Some(session) =
            p.check("ExecStart", d.exec_start(&exec_id, &Default::default(), Some(&Default::default())).await)
        {
            if let Some(out) = p.output("ExecStart", Ok(session.output)).await {
                assert_eq!(out, "exec-out\n", "exec output from Podman");
            }
        }
        p.check("ExecInspect", d.exec_inspect(&exec_id, &Default::default()).await);
    }
    let tty_exec = models::ExecConfig {
        attach_stdout: Some(true),
        tty: Some(true),
        cmd: Some(vec!["sleep".into(), "2".into()]),
        ..Default::default()
    };
    if let Some(exec_id) = d.container_exec(id, &Default::default(), &tty_exec).await.ok().and_then(|e| e.id) {
        let start = models::ExecStartConfig { tty: Some(true), ..Default::default() };
        let session = d.exec_start(&exec_id, &Default::default(), Some(&start)).await;
        p.check("ExecResize", d.exec_resize(&exec_id, 30, 100, &Default::default()).await);
        if let Ok(session) = session {
            let _ = tokio::time::timeout(Duration::from_secs(20), session.output.collect::<Vec<_>>()).await;
        }
    }
    p.check("ContainerPause", d.container_pause(id, &Default::default()).await);
    p.check("ContainerUnpause", d.container_unpause(id, &Default::default()).await);
    let update =
        models::ContainerUpdateBody { restart_policy: None, memory_reservation: Some(64 << 20), ..Default::default() };
    p.check("ContainerUpdate", d.container_update(id, &Default::default(), &update).await);
    let quick = api::ContainerRestartOptions { t: Some(1), ..Default::default() };
    p.check("ContainerRestart", d.container_restart(id, &quick).await);
    p.check("ContainerKill", d.container_kill(id, &Default::default()).await);
    p.check("ContainerStop", d.container_stop(id, &Default::default()).await);
    let remove = api::ContainerDeleteOptions { force: Some(true), ..Default::default() };
    p.check("ContainerDelete", d.container_delete(id, &remove).await);
}

async fn attach(d: &Docker, p: &mut Probe, image: &str) {
    let mut body = container_body(image, &["cat"]);
    body.open_stdin = Some(true);
    body.stdin_once = Some(true);
    body.attach_stdin = Some(true);
    body.attach_stdout = Some(true);
    let Some(id) = create(d, p, "walk-attach", &body).await else { return };
    let options =
        api::ContainerAttachOptions { stream: Some(true), stdin: Some(true), stdout: Some(true), ..Default::default() };
    if let Some(mut session) = p.check("ContainerAttach", d.container_attach(&id, &options).await) {
        let _ = d.container_start(&id, &Default::default()).await;
        let _ = session.input.write_all(b"round trip\n").await;
        let _ = session.input.close_write().await;
        if let Some(out) = p.output("ContainerAttach", Ok(session.output)).await {
            assert_eq!(out, "round trip\n", "attach output from Podman");
        }
    }
    let ws = api::ContainerAttachWebsocketOptions { stream: Some(true), stdout: Some(true), ..Default::default() };
    p.check("ContainerAttachWebsocket", d.container_attach_websocket(&id, &ws).await);
    let _ = d.container_delete(&id, &api::ContainerDeleteOptions { force: Some(true), ..Default::default() }).await;
}

async fn registry(d: &Docker, p: &mut Probe, image: &str) {
    let auth = models::AuthConfig {
        username: Some(env("DOCKER_TEST_REGISTRY_USER")),
        password: Some(env("DOCKER_TEST_REGISTRY_PASSWORD")),
        serveraddress: Some(env("DOCKER_TEST_REGISTRY")),
        ..Default::default()
    };
    p.check("SystemAuth", d.system_auth(&Default::default(), Some(&auth)).await);
    let repo = format!("{}/podman/busybox", env("DOCKER_TEST_REGISTRY"));
    let tag = api::ImageTagOptions { repo: Some(repo.clone()), tag: Some("walk".into()), ..Default::default() };
    p.check("ImageTag", d.image_tag(image, &tag).await);
    let push =
        api::ImagePushOptions { tag: Some("walk".into()), x_registry_auth: Some(auth.clone()), ..Default::default() };
    p.stream("ImagePush", d.image_push(&repo, &push).await).await;
    let _ = d.image_delete(&format!("{repo}:walk"), &Default::default()).await;
    let pull = api::ImageCreateOptions {
        from_image: Some(repo.clone()),
        tag: Some("walk".into()),
        x_registry_auth: Some(auth),
        ..Default::default()
    };
    p.stream("ImageCreate", d.image_create(&pull, None).await).await;
    p.check("DistributionInspect", d.distribution_inspect(&format!("{repo}:walk"), &Default::default()).await);
    p.check(
        "ImageSearch",
        d.image_search(&format!("{}/podman", env("DOCKER_TEST_REGISTRY_OPEN")), &Default::default()).await,
    );
    let _ = d.image_delete(&format!("{repo}:walk"), &Default::default()).await;
    let prune = api::ImagePruneOptions { filters: Some(Filters::new().add("dangling", "true")), ..Default::default() };
    p.check("ImagePrune", d.image_prune(&prune).await);
}

#[allow(deprecated)]
async fn volumes_and_networks(d: &Docker, p: &mut Probe, image: &str) {
    let volume =
        models::VolumeCreateOptions { name: Some("walk-vol".into()), labels: Some(labels()), ..Default::default() };
    if p.check("VolumeCreate", d.volume_create(&Default::default(), &volume).await).is_some() {
        p.check("VolumeList", d.volume_list(&Default::default()).await);
        p.check("VolumeInspect", d.volume_inspect("walk-vol", &Default::default()).await);
        p.check("VolumeDelete", d.volume_delete("walk-vol", &Default::default()).await);
    }
    p.check("VolumePrune", d.volume_prune(&Default::default()).await);

    let network = models::NetworkCreateRequest {
        name: Some("walk-net".into()),
        internal: Some(true),
        labels: Some(labels()),
        ..Default::default()
    };
    if let Some(net) =
        p.check("NetworkCreate", d.network_create(&Default::default(), &network).await).and_then(|n| n.id)
    {
        p.check("NetworkList", d.network_list(&Default::default()).await);
        p.check("NetworkInspect", d.network_inspect(&net, &Default::default()).await);
        // A created, never started container on a second internal network of ours.
        let home = models::NetworkCreateRequest {
            name: Some("walk-net-home".into()),
            internal: Some(true),
            ..Default::default()
        };
        let _ = d.network_create(&Default::default(), &home).await;
        let mut body = container_body(image, &["true"]);
        body.host_config =
            Some(models::HostConfig { network_mode: Some("walk-net-home".into()), ..Default::default() });
        if let Some(container) = create(d, p, "walk-netc", &body).await {
            let connect = models::NetworkConnectRequest { container: Some(container.clone()), ..Default::default() };
            p.check("NetworkConnect", d.network_connect(&net, &Default::default(), &connect).await);
            let disconnect =
                models::NetworkDisconnectRequest { container: Some(container.clone()), ..Default::default() };
            p.check("NetworkDisconnect", d.network_disconnect(&net, &Default::default(), &disconnect).await);
            let _ = d
                .container_delete(&container, &api::ContainerDeleteOptions { force: Some(true), ..Default::default() })
                .await;
        }
        let _ = d.network_delete("walk-net-home", &Default::default()).await;
        p.check("NetworkDelete", d.network_delete(&net, &Default::default()).await);
    }
    p.check("NetworkPrune", d.network_prune(&Default::default()).await);
}

/// Swarm, services, tasks, nodes, secrets, configs and plugins: Podman has no swarm and no
/// plugins; each call must fail with a typed error (listed as a divergence).
async fn swarm_and_plugins(d: &Docker, p: &mut Probe) {
    let init = models::SwarmInitRequest { listen_addr: Some("127.0.0.1:0".into()), ..Default::default() };
    p.check("SwarmInit", d.swarm_init(&Default::default(), &init).await);
    p.check("SwarmInspect", d.swarm_inspect(&Default::default()).await);
    p.check("SwarmUpdate", d.swarm_update(1, &Default::default(), &Default::default()).await);
    p.check("SwarmUnlockkey", d.swarm_unlockkey(&Default::default()).await);
    p.check("SwarmUnlock", d.swarm_unlock(&Default::default(), &Default::default()).await);
    p.check("SwarmJoin", d.swarm_join(&Default::default(), &Default::default()).await);
    p.check("SwarmLeave", d.swarm_leave(&Default::default()).await);
    p.check("NodeList", d.node_list(&Default::default()).await);
    p.check("NodeInspect", d.node_inspect("walk-node", &Default::default()).await);
    p.check("NodeUpdate", d.node_update("walk-node", 1, &Default::default(), None).await);
    p.check("NodeDelete", d.node_delete("walk-node", &Default::default()).await);
    p.check("ServiceList", d.service_list(&Default::default()).await);
    p.check("ServiceCreate", d.service_create(&Default::default(), &Default::default()).await);
    p.check("ServiceInspect", d.service_inspect("walk-svc", &Default::default()).await);
    p.check("ServiceUpdate", d.service_update("walk-svc", 1, &Default::default(), &Default::default()).await);
    p.output("ServiceLogs", d.service_logs("walk-svc", &Default::default()).await).await;
    p.check("ServiceDelete", d.service_delete("walk-svc", &Default::default()).await);
    p.check("TaskList", d.task_list(&Default::default()).await);
    p.check("TaskInspect", d.task_inspect("walk-task", &Default::default()).await);
    let task_logs = api::TaskLogsOptions { stdout: Some(true), tty: Some(false), ..Default::default() };
    p.output("TaskLogs", d.task_logs("walk-task", &task_logs).await).await;

    // Secrets Podman has (create, list, inspect, delete), not update.
    let secret = models::SecretCreateBody {
        name: Some("walk-secret".into()),
        data: Some("c2VjcmV0".into()),
        ..Default::default()
    };
    if let Some(id) =
        p.check("SecretCreate", d.secret_create(&Default::default(), Some(&secret)).await).and_then(|s| s.id)
    {
        p.check("SecretList", d.secret_list(&Default::default()).await);
        p.check("SecretInspect", d.secret_inspect(&id, &Default::default()).await);
        p.check("SecretUpdate", d.secret_update(&id, 1, &Default::default(), None).await);
        p.check("SecretDelete", d.secret_delete(&id, &Default::default()).await);
    }
    let config = models::ConfigCreateBody {
        name: Some("walk-config".into()),
        data: Some("Y29uZmln".into()),
        ..Default::default()
    };
    p.check("ConfigCreate", d.config_create(&Default::default(), Some(&config)).await);
    p.check("ConfigList", d.config_list(&Default::default()).await);
    p.check("ConfigInspect", d.config_inspect("walk-config", &Default::default()).await);
    p.check("ConfigUpdate", d.config_update("walk-config", 1, &Default::default(), None).await);
    p.check("ConfigDelete", d.config_delete("walk-config", &Default::default()).await);

    p.check("PluginList", d.plugin_list(&Default::default()).await);
    p.check("PluginInspect", d.plugin_inspect("walk-plugin", &Default::default()).await);
    p.check("GetPluginPrivileges", d.get_plugin_privileges("walk-plugin", &Default::default()).await);
    p.check("PluginCreate", d.plugin_create("walk-plugin", &Default::default(), Some(Upload::bytes(Vec::new()))).await);
    p.check("PluginEnable", d.plugin_enable("walk-plugin", &Default::default()).await);
    p.check("PluginDisable", d.plugin_disable("walk-plugin", &Default::default()).await);
    p.check("PluginSet", d.plugin_set("walk-plugin", &Default::default(), Some(&vec![])).await);
    p.stream("PluginPush", d.plugin_push("walk-plugin", &Default::default()).await).await;
    p.stream("PluginPull", d.plugin_pull("walk-plugin", &Default::default(), Some(&vec![])).await).await;
    p.stream("PluginUpgrade", d.plugin_upgrade("walk-plugin", "walk-plugin", &Default::default(), Some(&vec![])).await)
        .await;
    p.check("PluginDelete", d.plugin_delete("walk-plugin", &Default::default()).await);
}
