// Part of the real-daemon suite (included by `tests/daemon_suite.rs`): managed plugins, offline.
// A plugin is created from a folder (`config.json` + the rootfs `tests/daemon/plugin.sh` builds:
// busybox and a static program that serves the plugin's socket), enabled, configured, pushed to
// the open local registry, pulled back and upgraded from it.

/// The plugin's `config.json`; `version` goes into its description.
fn plugin_config(version: &str) -> String {
    serde_json::json!({
        "Description": format!("suite plugin {version}"),
        "Documentation": "https://docs.docker.com/engine/extend/",
        "Entrypoint": ["/bin/plugin-serve", "/run/docker/plugins/suite.sock"],
        "Interface": { "Types": ["docker.volumedriver/1.0"], "Socket": "suite.sock" },
        "Network": { "Type": "" },
        "Linux": { "Capabilities": ["CAP_CHOWN"] },
        "Env": [{ "Name": "GREETING", "Description": "set by PluginSet", "Settable": ["value"], "Value": "hello" }]
    })
    .to_string()
}

/// The build context of `PluginCreate`: `config.json` and `rootfs/`, as a tar.
fn plugin_context(version: &str) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    builder.follow_symlinks(false);
    builder.append_dir_all("rootfs", env("DOCKER_TEST_PLUGIN_ROOTFS")).expect("plugin rootfs");
    // Each version's rootfs differs by this file: Docker 20.10 refuses to create a plugin whose
    // rootfs layer it already has (409 "content sha256:…: already exists").
    let version_file = format!("{PREFIX} {version}\n");
    for (path, content) in [("rootfs/etc/suite-plugin-version", version_file), ("config.json", plugin_config(version))]
    {
        let mut header = tar::Header::new_gnu();
        header.set_size(content.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(1_700_000_000);
        header.set_cksum();
        builder.append_data(&mut header, path, content.as_bytes()).expect("plugin context file");
    }
    builder.into_inner().expect("plugin tar")
}

impl Suite {
    async fn plugin_describe(&self, name: &str) -> (models::Plugin, String) {
        let plugin = self.docker.plugin_inspect(name, &Default::default()).await.expect("plugin inspect");
        let description = plugin.config.as_ref().and_then(|c| c.description.clone()).unwrap_or_default();
        (plugin, description)
    }

    async fn plugin_create(&mut self, name: &str, version: &str) {
        self.docker
            .plugin_create(name, &Default::default(), Some(Upload::bytes(plugin_context(version))))
            .await
            .expect("plugin create");
        self.cov.hit("PluginCreate");
    }

    /// Pushes a plugin; returns the digest the daemon reports in the last item's `aux`.
    async fn plugin_push(&mut self, name: &str) -> String {
        let (results, err) =
            drain(self.docker.plugin_push(name, &Default::default()).await.expect("plugin push"), push_result).await;
        assert!(err.is_none(), "plugin push: {err:?}");
        self.cov.hit("PluginPush");
        let tag = name.rsplit_once(':').map(|(_, tag)| tag);
        let result = results.last().unwrap_or_else(|| panic!("plugin push sent no aux: {name}"));
        assert_eq!(result.tag.as_deref(), tag, "{result:?}");
        assert!(result.size.is_some_and(|s| s > 0), "{result:?}");
        result.digest.clone().filter(|d| d.starts_with("sha256:")).unwrap_or_else(|| panic!("{result:?}"))
    }

    async fn plugins(&mut self) {
        let d = self.docker.clone();
        let remote = format!("{}/{PREFIX}/plugin", env("DOCKER_TEST_REGISTRY_OPEN"));
        let (v1, v2) = (format!("{remote}:v1"), format!("{remote}:v2"));

        self.plugin_create(&v1, "v1").await;
        let (plugin, description) = self.plugin_describe(&v1).await;
        assert_eq!((plugin.enabled, description.as_str()), (Some(false), "suite plugin v1"), "{plugin:?}");
        let settings = plugin.settings.expect("settings");
        assert_eq!(settings.env, Some(vec!["GREETING=hello".to_string()]), "{settings:?}");
        self.cov.hit("PluginInspect");
        d.plugin_set(&v1, &Default::default(), Some(&vec!["GREETING=world".to_string()])).await.expect("plugin set");
        self.cov.hit("PluginSet");
        let (plugin, _) = self.plugin_describe(&v1).await;
        assert_eq!(plugin.settings.and_then(|s| s.env), Some(vec!["GREETING=world".to_string()]));

        // Enable: dockerd starts the process and waits for its socket.
        d.plugin_enable(&v1, &api::PluginEnableOptions { timeout: Some(30), ..Default::default() })
            .await
            .expect("plugin enable");
        self.cov.hit("PluginEnable");
        let (plugin, _) = self.plugin_describe(&v1).await;
        assert_eq!(plugin.enabled, Some(true));
        let listed = d.plugin_list(&Default::default()).await.expect("plugin list");
        assert!(listed.iter().any(|p| p.name.as_deref() == Some(v1.as_str()) && p.enabled == Some(true)), "{listed:?}");
        d.plugin_disable(&v1, &Default::default()).await.expect("plugin disable");
        self.cov.hit("PluginDisable");

        // Push v1 and a v2, then remove both here: they live in the registry now.
        let pushed = self.plugin_push(&v1).await;
        self.plugin_create(&v2, "v2").await;
        self.plugin_push(&v2).await;
        for name in [&v1, &v2] {
            d.plugin_delete(name, &Default::default()).await.expect("plugin delete");
            self.cov.hit("PluginDelete");
        }

        // Pull v1 back under a local name, granting exactly the privileges it asks for.
        let privileges = d.get_plugin_privileges(&v1, &Default::default()).await.expect("plugin privileges");
        assert!(
            privileges.iter().any(
                |p| p.name.as_deref() == Some("capabilities") && p.value.iter().flatten().any(|v| v == "CAP_CHOWN")
            ),
            "{privileges:?}"
        );
        self.cov.hit("GetPluginPrivileges");
        let local = format!("{PREFIX}-pulled:latest");
        let pull = api::PluginPullOptions { name: Some(local.clone()), ..Default::default() };
        let (statuses, err) =
            drain(d.plugin_pull(&v1, &pull, Some(&privileges)).await.expect("plugin pull"), create_status).await;
        assert!(err.is_none(), "plugin pull: {err:?}");
        assert!(statuses.iter().any(|s| *s == format!("Digest: {pushed}")), "plugin pull said {statuses:?}");
        self.cov.hit("PluginPull");
        let (plugin, description) = self.plugin_describe(&local).await;
        assert_eq!((plugin.plugin_reference.as_deref(), description.as_str()), (Some(v1.as_str()), "suite plugin v1"));

        // Upgrade the (disabled) pulled plugin to v2.
        let privileges = d.get_plugin_privileges(&v2, &Default::default()).await.expect("plugin privileges (v2)");
        let (_, err) = drain(
            d.plugin_upgrade(&local, &v2, &Default::default(), Some(&privileges)).await.expect("plugin upgrade"),
            create_status,
        )
        .await;
        assert!(err.is_none(), "plugin upgrade: {err:?}");
        self.cov.hit("PluginUpgrade");
        let (plugin, description) = self.plugin_describe(&local).await;
        assert_eq!((plugin.plugin_reference.as_deref(), description.as_str()), (Some(v2.as_str()), "suite plugin v2"));
        d.plugin_delete(&local, &api::PluginDeleteOptions { force: Some(true), ..Default::default() })
            .await
            .expect("plugin delete (pulled)");
        let err = d.plugin_inspect(&local, &Default::default()).await.expect_err("deleted");
        assert!(err.is_not_found(), "{err}");
    }
}
